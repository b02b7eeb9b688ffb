import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as Emulator from "@effect-cos/emulator/Emulator"
import * as CiClient from "@effect-cos/http/CiClient"
import { CiHttpError, CiServiceError } from "@effect-cos/http/CiError"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Http from "node:http"
import { everyFieldOperation, everyFieldRequest, parsedAuthorization } from "./fixtures.js"

// These tests talk to the emulator over real loopback sockets: real HTTP, real signatures that the
// emulator verifies, real timeouts.

interface Setup {
  readonly emulator?: Emulator.EmulatorOptions
  readonly client?: Partial<CiClient.CiClientOptions>
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient>
}

const withEmulator = <A, E>(
  body: (emulator: Emulator.Emulator.Service) => Effect.Effect<A, E, CiClient.CiClient>,
  setup: Setup = {}
) =>
  Effect.scoped(
    Effect.gen(function*() {
      const emulator = yield* Emulator.make(setup.emulator)
      const client = CiClient.layer({
        bucket: "examplebucket-1250000000",
        region: "ap-guangzhou",
        credentials: { secretId: "AKIDEXAMPLE", secretKey: Redacted.make("SECRETKEYEXAMPLE") },
        endpoint: emulator.url,
        ...setup.client
      }).pipe(Layer.provide(setup.httpClient ?? FetchHttpClient.layer), Layer.orDie)
      return yield* Effect.provide(body(emulator), client)
    })
  )

const httpClients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["fetch", FetchHttpClient.layer],
  ["node:http", NodeHttpClient.layer],
  ["undici", NodeHttpClient.layerUndici]
]

describe("BatchJobs against the emulator", () => {
  for (const [name, httpClient] of httpClients) {
    it.live(`cancels a running job over ${name}`, () =>
      withEmulator((emulator) =>
        Effect.gen(function*() {
          const job = yield* emulator.seedJob({ state: "Running" })
          const result = yield* BatchJobs.cancel(job.jobId)
          const stored = yield* emulator.getJob(job.jobId)
          const [request] = yield* emulator.requests

          expect(result.requestId).toMatch(/^\S+$/)
          expect(Option.map(stored, (value) => value.state)).toStrictEqual(Option.some("Cancel"))
          expect(request).toMatchObject({
            method: "PUT",
            url: `/inventorytriggerjob/${job.jobId}?cancel`,
            status: 200,
            body: ""
          })
          expect(request.headers["content-length"]).toBe("0")
          expect(request.headers["transfer-encoding"]).toBeUndefined()
          expect(request.headers["host"]).toBe(new URL(emulator.url).host)
          expect(parsedAuthorization(request.headers["authorization"])).toMatchObject({
            headerList: ["content-length", "host"],
            urlParamList: ["cancel"]
          })
        }), { httpClient }))
  }

  it.live("reads the cancelled job back", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const seeded = yield* emulator.seedJob({ state: "Submitted", name: "nightly <transcode> & more" })
        yield* BatchJobs.cancel(seeded.jobId)
        const job = yield* BatchJobs.describe(seeded.jobId)

        expect(job.jobId).toBe(seeded.jobId)
        expect(job.name).toBe("nightly <transcode> & more")
        expect(job.state).toBe("Cancel")
        expect(job.endTime).toBeInstanceOf(Date)
        expect(job.creationTime?.getTime()).toBe(Math.floor(seeded.creationTime.getTime() / 1000) * 1000)
      })
    ))

  it.live("reports success when a timed-out attempt had cancelled the job", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Running" })
        // The client gives up on the first attempt after 2 s, but the emulator cancels the job at
        // 2.2 s. The retry, sent at 2 s, is handled at 3 s and finds the job already cancelled.
        yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 2200 }, method: "PUT" })
        yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 1000 }, method: "PUT" })

        const result = yield* BatchJobs.cancel(job.jobId)
        const requests = yield* emulator.requests

        expect(result.requestId).toMatch(/^\S+$/)
        expect(requests.map((request) => `${request.method} ${request.status}`)).toStrictEqual([
          "PUT 200",
          "PUT 400",
          "GET 200"
        ])
      }), { client: { timeout: "2 seconds", retrySchedule: Schedule.recurs(3) } }))

  it.live("round-trips every modelled field through create, describe and list", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const created = yield* BatchJobs.create(everyFieldRequest)
        const described = yield* BatchJobs.describe(created.jobId)
        const page = yield* BatchJobs.list({ jobId: created.jobId })
        const requests = yield* emulator.requests

        expect(requests.map((request) => `${request.method} ${request.status}`)).toStrictEqual([
          "POST 200",
          "GET 200",
          "GET 200"
        ])
        expect(created.operation).toStrictEqual(everyFieldOperation)
        expect(described.operation).toStrictEqual(everyFieldOperation)
        expect(page.jobs.map((job) => job.operation)).toStrictEqual([everyFieldOperation])
        expect([created.userData, described.userData]).toStrictEqual([" <user> & data ", " <user> & data "])
        expect([described.name, described.type, described.tag, described.queueId]).toStrictEqual([
          "every field",
          "Job",
          "Transcode",
          "p893bcda225bf4945a378da6662e81a89"
        ])
        expect(described.input).toStrictEqual({
          manifest: undefined,
          urlFile: undefined,
          prefix: "videos/",
          object: undefined
        })
      })
    ))

  it.live("round-trips a Workflow job's operation", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const timeInterval = { start: new Date("2022-02-01T04:00:00Z"), end: new Date("2022-05-01T04:00:00Z") }
        const created = yield* BatchJobs.create({
          type: "Workflow",
          name: "nightly",
          input: { manifest: "cos_bucket_inventory/manifest.json" },
          workflowIds: "web6ac56c1ef54dbfa44d7f4103203be9",
          timeInterval
        })
        const described = yield* BatchJobs.describe(created.jobId)

        expect(yield* emulator.requests).toHaveLength(2)
        expect(described.operation).toStrictEqual({ workflowIds: "web6ac56c1ef54dbfa44d7f4103203be9", timeInterval })
        expect(described.input.manifest).toBe("cos_bucket_inventory/manifest.json")
      })
    ))

  it.live("reports a finished job as the emulator's error, once", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Success" })
        const error = yield* Effect.flip(BatchJobs.cancel(job.jobId))
        const requests = yield* emulator.requests

        expect(requests).toHaveLength(1)
        expect(error).toBeInstanceOf(CiServiceError)
        expect(error).toMatchObject({ status: 400, code: "InvalidArgument" })
        expect((error as CiServiceError).requestId).toMatch(/^\S+$/)
      })
    ))

  it.live("reports an unknown job", () =>
    withEmulator(() =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(BatchJobs.cancel("b00000000000000000000000000000000"))
        expect(error).toMatchObject({ _tag: "CiServiceError", status: 400, code: "ResourceNotFound" })
      })
    ))

  it.live("reports describe of an unknown job as BatchJobNotFound", () =>
    withEmulator(() =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(BatchJobs.describe("b00000000000000000000000000000000"))
        expect(error).toMatchObject({ _tag: "BatchJobNotFound", jobId: "b00000000000000000000000000000000" })
      })
    ))

  it.live("does not retry a signature the emulator rejects", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Running" })
        const error = yield* Effect.flip(BatchJobs.cancel(job.jobId))

        expect(error).toMatchObject({ _tag: "CiServiceError", status: 403, code: "SignatureDoesNotMatch" })
        expect(yield* emulator.requests).toHaveLength(1)
        expect(Option.map(yield* emulator.getJob(job.jobId), (value) => value.state)).toStrictEqual(
          Option.some("Running")
        )
      }), { client: { credentials: { secretId: "AKIDEXAMPLE", secretKey: Redacted.make("WRONGKEY") } } }))

  it.live("sends the session token that temporary credentials need", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Running" })
        yield* BatchJobs.cancel(job.jobId)
        const [request] = yield* emulator.requests
        expect(request.headers["x-ci-security-token"]).toBe("TOKEN+/=")
      }), {
      emulator: {
        credentials: [{
          secretId: "AKIDTEMP",
          secretKey: Redacted.make("TEMPKEY"),
          sessionToken: Redacted.make("TOKEN+/=")
        }]
      },
      client: {
        credentials: {
          secretId: "AKIDTEMP",
          secretKey: Redacted.make("TEMPKEY"),
          sessionToken: Redacted.make("TOKEN+/=")
        }
      }
    }))

  it.live("retries throttling and a reset connection, then succeeds", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Running" })
        yield* emulator.injectFault({
          fault: {
            _tag: "Reply",
            status: 503,
            headers: { "content-type": "application/xml", "x-ci-request-id": "REQ-SLOW" },
            body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
          }
        })
        yield* emulator.injectFault({ fault: { _tag: "Reset" } })

        const result = yield* BatchJobs.cancel(job.jobId)
        const requests = yield* emulator.requests
        const starts = requests.map((request) => parsedAuthorization(request.headers["authorization"]).signTime.start)

        expect(requests.map((request) => request.fault ?? request.status)).toStrictEqual(["Reply", "Reset", 200])
        expect(result.requestId).toMatch(/^\S+$/)
        expect(starts[2]).toBeGreaterThan(starts[0])
      }), { client: { retrySchedule: Schedule.spaced("1100 millis").pipe(Schedule.intersect(Schedule.recurs(3))) } }))

  it.live("times out a response that stalls mid-body, four times", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Running" })
        yield* emulator.injectFault({
          fault: { _tag: "StallMidBody", status: 200, body: "<Response><RequestId>r</RequestId></Response>" },
          times: Infinity
        })
        const started = Date.now()
        const error = yield* Effect.flip(BatchJobs.cancel(job.jobId))

        expect(error).toMatchObject({ _tag: "CiTransportError", reason: "Timeout" })
        expect(yield* emulator.requests).toHaveLength(4)
        expect(Date.now() - started).toBeLessThan(10_000)
      }), { client: { timeout: "300 millis", retrySchedule: Schedule.recurs(3) } }))

  it.live("does not follow a redirect with the signed request", () =>
    Effect.gen(function*() {
      // A second server that would receive the redirected request.
      let redirected = 0
      const target = Http.createServer((_, response) => {
        redirected++
        response.end()
      })
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => {
          target.listen(0, "127.0.0.1", () => resume(Effect.void))
        }),
        () =>
          Effect.sync(() => {
            target.close()
          })
      )
      const address = target.address()
      const port = typeof address === "object" && address !== null ? address.port : 0

      yield* withEmulator((emulator) =>
        Effect.gen(function*() {
          yield* emulator.injectFault({
            fault: { _tag: "Reply", status: 307, headers: { location: `http://127.0.0.1:${port}/steal` } }
          })
          const error = yield* Effect.flip(BatchJobs.cancel("b0123456789abcdef0123456789abcdef0"))
          expect(error).toStrictEqual(
            new CiHttpError({ status: 307, requestId: undefined, contentType: undefined, bodyPreview: "" })
          )
          expect(redirected).toBe(0)
        })
      )
    }).pipe(Effect.scoped))

  it.live("corrects the clock when the emulator's clock is an hour ahead", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Running" })
        const result = yield* Effect.either(BatchJobs.cancel(job.jobId))
        const requests = yield* emulator.requests

        expect(Either.isRight(result)).toBe(true)
        expect(requests.map((request) => request.code ?? request.status)).toStrictEqual(["SignatureExpired", 200])
      }), { emulator: { now: () => Date.now() + 3_600_000 } }))

  it.live("corrects the clock when the emulator's clock is an hour behind", () =>
    withEmulator((emulator) =>
      Effect.gen(function*() {
        const job = yield* emulator.seedJob({ state: "Running" })
        yield* BatchJobs.cancel(job.jobId)
        const requests = yield* emulator.requests

        expect(requests.map((request) => request.code ?? request.status)).toStrictEqual(["RequestTimeTooSkewed", 200])
      }), { emulator: { now: () => Date.now() - 3_600_000 } }))
})
