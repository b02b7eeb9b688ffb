import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import * as Credentials from "@effect-cos/http/Credentials"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { jobId } from "../fixtures.js"
import { leaksIn, makeCapture, renderings } from "./capture.js"
import { bucket, credential, region, secretId, secretKey, sessionToken } from "./matrix.js"

// With distinctive credentials, no error path may show the SecretKey, the session token or a
// signature: not in the error however it is printed, not in a log line at the most verbose level,
// not in a span. These are the paths that fail before anything is sent. faultMatrix.test.ts checks
// every fault the same way, and cliSecrets.test.ts the output of cos-ci.

const stubOptions: CiClient.CiClientOptions = { bucket, region, credentials: credential }

/** Runs `effect` on a stub client built from `options`, and returns its result with everything captured. */
const failureOf = <A, E>(
  effect: Effect.Effect<A, E, CiClient.CiClient>,
  options: CiClient.CiClientOptions = stubOptions
) =>
  Effect.gen(function*() {
    const capture = makeCapture()
    const result = yield* capture.instrument(Effect.either(Effect.provide(effect, CiClient.layer(options))))
    const sent = yield* TestHttpClient.requests
    return { result, capture, sent }
  }).pipe(Effect.provide(TestHttpClient.layer(() => TestHttpClient.respond(200))))

/** Checks that the call failed as expected before sending anything, and that nothing shows a secret. */
const expectNoLeak = (
  outcome: Effect.Effect.Success<ReturnType<typeof failureOf>>,
  expected: Record<string, unknown>
) => {
  expect(Either.isLeft(outcome.result)).toBe(true)
  if (Either.isLeft(outcome.result)) {
    expect(outcome.result.left).toMatchObject(expected)
    expect(renderings(outcome.result.left).flatMap(leaksIn)).toStrictEqual([])
  }
  expect(outcome.sent).toStrictEqual([])
  expect(outcome.capture.texts().flatMap(leaksIn)).toStrictEqual([])
}

const expiringSoon = () => new Date(Date.now() + 60_000)

describe.concurrent("secrets in rejected input and credentials", () => {
  it.live("an invalid job id", () =>
    Effect.map(
      failureOf(BatchJobs.cancel("../x")),
      (outcome) => expectNoLeak(outcome, { _tag: "CiInvalidInput", field: "jobId" })
    ))

  it.live("an invalid list filter", () =>
    Effect.map(
      failureOf(BatchJobs.list({ name: "\ud800" })),
      (outcome) => expectNoLeak(outcome, { _tag: "CiInvalidInput", field: "name" })
    ))

  it.live("a session token that cannot be sent", () =>
    Effect.map(
      failureOf(BatchJobs.cancel(jobId), {
        ...stubOptions,
        credentials: { ...credential, sessionToken: Redacted.make(`${sessionToken} with a space`) }
      }),
      (outcome) => expectNoLeak(outcome, { _tag: "CiInvalidInput", field: "sessionToken", value: "<redacted>" })
    ))

  it.live("an invalid SecretId next to the secret key", () =>
    Effect.map(
      failureOf(BatchJobs.cancel(jobId), { ...stubOptions, credentials: { ...credential, secretId: "AKID&q-ak=x" } }),
      (outcome) => expectNoLeak(outcome, { _tag: "CiInvalidInput", field: "secretId" })
    ))

  it.live("a credentials provider that fails", () =>
    Effect.gen(function*() {
      const provider = yield* Credentials.refreshing(Effect.fail(new Error("STS is unavailable")))
      const outcome = yield* failureOf(BatchJobs.cancel(jobId), { ...stubOptions, credentials: provider })
      expectNoLeak(outcome, { _tag: "CiCredentialsError", reason: "the credentials provider failed" })
    }))

  it.live("a credentials provider that returns an unusable token", () =>
    Effect.gen(function*() {
      const provider = yield* Credentials.refreshing(Effect.succeed({
        secretId,
        secretKey: Redacted.make(secretKey),
        sessionToken: Redacted.make(`${sessionToken}\n`),
        expiration: new Date(Date.now() + 3_600_000)
      }))
      const outcome = yield* failureOf(BatchJobs.cancel(jobId), { ...stubOptions, credentials: provider })
      expectNoLeak(outcome, { _tag: "CiCredentialsError" })
    }))

  it.live("a credentials provider that returns credentials about to expire", () =>
    Effect.gen(function*() {
      const provider = yield* Credentials.refreshing(Effect.sync(() => ({
        secretId,
        secretKey: Redacted.make(secretKey),
        sessionToken: Redacted.make(sessionToken),
        expiration: expiringSoon()
      })))
      const outcome = yield* failureOf(BatchJobs.cancel(jobId), { ...stubOptions, credentials: provider })
      expectNoLeak(outcome, { _tag: "CiCredentialsError" })
    }))
})

describe.concurrent("secrets echoed in a success body that cannot be read", () => {
  // A debugging gateway or misconfigured proxy that responds with 200 and the request it received.
  const echoingServer = TestHttpClient.layer((request) =>
    TestHttpClient.respond(200, {
      body: `You sent: ${JSON.stringify(request.headers)} and again ${
        encodeURIComponent(request.headers["authorization"] ?? "")
      }`,
      headers: { "content-type": "text/plain" }
    })
  )

  const operations: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, CiClient.CiClient>]> = [
    ["describe", BatchJobs.describe(jobId)],
    ["create", BatchJobs.create({ type: "Workflow", name: "n", input: { prefix: "p/" }, workflowIds: "w1" })],
    ["list", BatchJobs.list()],
    ["listAll", Stream.runCollect(BatchJobs.listAll())]
  ]

  for (const [name, operation] of operations) {
    it.live(name, () =>
      Effect.gen(function*() {
        const capture = makeCapture()
        const result = yield* capture.instrument(Effect.either(Effect.provide(operation, CiClient.layer(stubOptions))))

        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) {
          expect(result.left).toMatchObject({ _tag: "CiDecodeError", status: 200 })
          expect((result.left as { readonly bodyPreview: string }).bodyPreview).toContain("<redacted>")
          expect(renderings(result.left).flatMap(leaksIn)).toStrictEqual([])
        }
        expect(yield* TestHttpClient.requests).toHaveLength(1)
        expect(capture.texts().flatMap(leaksIn)).toStrictEqual([])
      }).pipe(Effect.provide(echoingServer)))
  }
})
