import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as Emulator from "@effect-cos/emulator/Emulator"
import * as CiClient from "@effect-cos/http/CiClient"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { errorXml, jobId, parsedAuthorization, runWithClock, stubLayer } from "../fixtures.js"
import { clientOptions, credential } from "./matrix.js"

// A clock-skew correction is shared by every request of a client. These tests check that requests in
// flight together each re-send exactly once, and that nothing else moves the signing clock.

const concurrentCancels = 8
const hourMillis = 3_600_000

const keyTimeStart = (request: Emulator.ReceivedRequest | TestHttpClient.RecordedRequest) =>
  parsedAuthorization(request.headers["authorization"]).keyTime.start

const jobIdOf = (request: Emulator.ReceivedRequest) => request.url.split("/")[2]?.split("?")[0]

describe("clock skew with requests in flight", () => {
  for (
    const [direction, offsetMillis, code] of [
      ["ahead", hourMillis, "SignatureExpired"],
      ["behind", -hourMillis, "RequestTimeTooSkewed"]
    ] as const
  ) {
    it.live(`${concurrentCancels} concurrent cancels, emulator clock an hour ${direction}`, () =>
      Effect.scoped(Effect.gen(function*() {
        const emulator = yield* Emulator.make({ now: () => Date.now() + offsetMillis, credentials: [credential] })
        const jobs = yield* Effect.forEach(
          Array.from({ length: concurrentCancels }),
          () => emulator.seedJob({ state: "Running" })
        )
        // Holds the first attempts back, so that every one of them is in flight before the first error returns.
        yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 200 }, method: "PUT", times: concurrentCancels })
        // No retries: the only second request a job can get is the re-send after the correction.
        const client = CiClient.layer({ ...clientOptions(emulator.url), retrySchedule: Schedule.stop }).pipe(
          Layer.provide(FetchHttpClient.layer),
          Layer.orDie
        )

        const { later, results } = yield* Effect.gen(function*() {
          const results = yield* Effect.forEach(jobs, (job) => Effect.either(BatchJobs.cancel(job.jobId)), {
            concurrency: "unbounded"
          })
          // A later call through the same client is signed with the corrected clock from the start.
          const extra = yield* emulator.seedJob({ state: "Running" })
          const later = yield* Effect.either(BatchJobs.cancel(extra.jobId))
          return { later, results }
        }).pipe(Effect.provide(client))

        const requests = yield* emulator.requests
        const emulatorSeconds = Math.floor((Date.now() + offsetMillis) / 1000)

        expect(results.map(Either.isRight)).toStrictEqual(jobs.map(() => true))
        expect(Either.isRight(later)).toBe(true)
        expect(requests).toHaveLength(2 * concurrentCancels + 1)
        for (const job of jobs) {
          const own = requests.filter((request) => jobIdOf(request) === job.jobId)
          expect(own.map((request) => request.code ?? request.status)).toStrictEqual([code, 200])
          // The first attempt was signed with the local clock, the re-send with the emulator's.
          expect(Math.abs(keyTimeStart(own[0]) - emulatorSeconds)).toBeGreaterThan(3_000)
          expect(Math.abs(keyTimeStart(own[1]) - emulatorSeconds)).toBeLessThan(120)
        }
        const last = requests[requests.length - 1]
        expect(last.status).toBe(200)
        expect(Math.abs(keyTimeStart(last) - emulatorSeconds)).toBeLessThan(120)
      })))
  }
})

describe("signing clock", () => {
  // The fixture time is Tue, 14 Nov 2023 22:13:21 GMT, so a request signed at it starts its key time at 1700000000.
  const fixtureKeyTimeStart = 1700000000
  const hourAhead = "Tue, 14 Nov 2023 23:13:21 GMT"

  const skewCodes = [
    ["RequestTimeTooSkewed", "The difference between the request time and the server's time is too large."],
    ["SignatureExpired", "Request has expired"],
    ["AccessDenied", "Request has expired"]
  ] as const

  /** Cancels twice and returns the key time start of every request sent. */
  const twoCancels = Effect.gen(function*() {
    const first = yield* runWithClock(Effect.either(BatchJobs.cancel(jobId)))
    const second = yield* runWithClock(Effect.either(BatchJobs.cancel(jobId)))
    const sent = yield* TestHttpClient.requests
    return { first, second, starts: sent.map(keyTimeStart) }
  })

  for (
    const [name, reply] of [
      ["an empty 503", TestHttpClient.respond(503, { headers: { date: hourAhead } })],
      [
        "503 SlowDown",
        TestHttpClient.respond(503, { body: errorXml("SlowDown", "slow down"), headers: { date: hourAhead } })
      ],
      [
        "403 AccessDenied",
        TestHttpClient.respond(403, { body: errorXml("AccessDenied", "Access Denied."), headers: { date: hourAhead } })
      ],
      [
        "400 InvalidArgument",
        TestHttpClient.respond(400, { body: errorXml("InvalidArgument", "bad"), headers: { date: hourAhead } })
      ]
    ] as const
  ) {
    it.effect(`keeps the clock after ${name} with a skewed Date`, () =>
      Effect.gen(function*() {
        const { second, starts } = yield* twoCancels

        expect(Either.isRight(second)).toBe(true)
        expect(starts[starts.length - 1]).toBe(fixtureKeyTimeStart)
        expect(new Set(starts)).toStrictEqual(new Set([fixtureKeyTimeStart]))
      }).pipe(Effect.provide(stubLayer(
        (_, index) => index === 0 ? reply : TestHttpClient.respond(200),
        { retrySchedule: Schedule.stop }
      ))))
  }

  for (const [code, message] of skewCodes) {
    for (
      const [dateName, headers] of [
        ["no Date", {}],
        ["an empty Date", { date: "" }],
        ["an unparseable Date", { date: "yesterday at noon" }]
      ] as const
    ) {
      it.effect(`keeps the clock after ${code} with ${dateName}`, () =>
        Effect.gen(function*() {
          const { first, second, starts } = yield* twoCancels

          // Without a server time there is nothing to correct to, so the error is final.
          expect(Either.isLeft(first)).toBe(true)
          expect(Either.isLeft(first) && first.left).toMatchObject({ _tag: "CiServiceError", code })
          expect(Either.isRight(second)).toBe(true)
          expect(starts).toStrictEqual([fixtureKeyTimeStart, fixtureKeyTimeStart])
        }).pipe(Effect.provide(stubLayer(
          (_, index) =>
            index === 0
              ? TestHttpClient.respond(403, { body: errorXml(code, message), headers })
              : TestHttpClient.respond(200),
          { retrySchedule: Schedule.stop }
        ))))
    }
  }

  it.effect("corrects every request that was in flight with the old clock", () =>
    Effect.gen(function*() {
      const results = yield* runWithClock(
        Effect.forEach([1, 2, 3], () => Effect.either(BatchJobs.cancel(jobId)), { concurrency: "unbounded" })
      )
      const sent = yield* TestHttpClient.requests
      const starts = sent.map(keyTimeStart)

      expect(results.map(Either.isRight)).toStrictEqual([true, true, true])
      expect(starts).toStrictEqual([
        fixtureKeyTimeStart,
        fixtureKeyTimeStart,
        fixtureKeyTimeStart,
        fixtureKeyTimeStart + 3600,
        fixtureKeyTimeStart + 3600,
        fixtureKeyTimeStart + 3600
      ])
    }).pipe(Effect.provide(stubLayer(
      // The first three requests all fail with the same skew, as they would when sent together.
      (_, index) =>
        index < 3 ?
          TestHttpClient.respond(403, {
            body: errorXml("RequestTimeTooSkewed", "too skewed"),
            headers: { date: hourAhead }
          }) :
          TestHttpClient.respond(200),
      { retrySchedule: Schedule.stop }
    ))))
})
