import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiInvalidInput, CiServiceError } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { ciHost, failure, fixtureTimeMillis, stubLayer } from "./fixtures.js"

const idA = "b0000000000000000000000000000000a"
const idB = "b0000000000000000000000000000000b"
const idC = "b0000000000000000000000000000000c"

const cancelUrl = (id: string) => `https://${ciHost}/inventorytriggerjob/${id}?cancel`

const jobIdOf = (request: TestHttpClient.RecordedRequest) => new URL(request.url).pathname.split("/")[2]

const ok = (id: string) => TestHttpClient.respond(200, { headers: { "x-ci-request-id": `REQ-${id}` } })

const finished = (id: string) =>
  TestHttpClient.respond(400, {
    body:
      `<Error><Code>InvalidArgument</Code><Message>job already finished</Message><RequestId>REQ-${id}</RequestId></Error>`,
    headers: { "content-type": "application/xml" }
  })

/** Runs cancelMany in a fiber while the clock moves past every delay the stub adds. */
const cancelManyOutcome = (jobIds: Iterable<string>, options?: { readonly concurrency?: number }) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const fiber = yield* Effect.fork(Effect.either(BatchJobs.cancelMany(jobIds, options)))
    yield* TestClock.adjust("1 minute")
    const result = yield* Fiber.join(fiber)
    const sent = yield* TestHttpClient.requests
    return { result, sent }
  })

/**
 * A stub that replies after `delaySeconds(id)` seconds and records the highest number of requests
 * it had in flight at once.
 */
const slowStub = (
  reply: (id: string) => TestHttpClient.Reply,
  delaySeconds: (id: string) => number,
  maxInFlight: Ref.Ref<number>
) => {
  let inFlight = 0
  return stubLayer((request) =>
    Effect.gen(function*() {
      inFlight += 1
      yield* Ref.update(maxInFlight, (max) => Math.max(max, inFlight))
      yield* Effect.sleep(`${delaySeconds(jobIdOf(request))} seconds`)
      inFlight -= 1
      return reply(jobIdOf(request))
    })
  )
}

describe("BatchJobs.cancelMany", () => {
  it.effect("keeps input order, drops duplicates and records failures", () => {
    const maxInFlight = Ref.unsafeMake(0)
    return Effect.gen(function*() {
      const { result, sent } = yield* cancelManyOutcome([idA, idB, idA, idC])

      expect(result).toStrictEqual(Either.right([
        { jobId: idA, result: Either.right({ requestId: `REQ-${idA}` }) },
        {
          jobId: idB,
          result: Either.left(
            new CiServiceError({
              status: 400,
              code: "InvalidArgument",
              message: "job already finished",
              requestId: `REQ-${idB}`,
              traceId: undefined,
              resource: undefined
            })
          )
        },
        { jobId: idC, result: Either.right({ requestId: `REQ-${idC}` }) }
      ]))
      expect(sent).toHaveLength(3)
      expect(sent.map((request) => `${request.method} ${request.url}`).sort()).toStrictEqual(
        [idA, idB, idC].map((id) => `PUT ${cancelUrl(id)}`).sort()
      )
      // The first job's reply comes last, so the order above comes from the input, not from completion.
      expect(sent.map(jobIdOf)).toStrictEqual([idA, idB, idC])
    }).pipe(Effect.provide(slowStub(
      (id) => (id === idB ? finished(id) : ok(id)),
      (id) => (id === idA ? 3 : 1),
      maxInFlight
    )))
  })

  it.effect("runs at most 4 cancels at once by default", () => {
    const maxInFlight = Ref.unsafeMake(0)
    return Effect.gen(function*() {
      const ids = Array.from({ length: 10 }, (_, index) => `b${index}`)
      const { result, sent } = yield* cancelManyOutcome(ids)
      expect(Either.getOrThrow(result).map((outcome) => outcome.jobId)).toStrictEqual(ids)
      expect(sent).toHaveLength(10)
      expect(yield* Ref.get(maxInFlight)).toBe(4)
    }).pipe(Effect.provide(slowStub(ok, () => 1, maxInFlight)))
  })

  it.effect("runs at most the given concurrency", () => {
    const maxInFlight = Ref.unsafeMake(0)
    return Effect.gen(function*() {
      const { sent } = yield* cancelManyOutcome(["b1", "b2", "b3", "b4", "b5"], { concurrency: 2 })
      expect(sent).toHaveLength(5)
      expect(yield* Ref.get(maxInFlight)).toBe(2)
    }).pipe(Effect.provide(slowStub(ok, () => 1, maxInFlight)))
  })

  it.effect("accepts any iterable of ids", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* cancelManyOutcome(new Set([idA, idB]))
      expect(Either.getOrThrow(result).map((outcome) => outcome.jobId)).toStrictEqual([idA, idB])
      expect(sent).toHaveLength(2)
    }).pipe(Effect.provide(stubLayer((request) => ok(jobIdOf(request))))))

  it.effect("returns no outcomes for no ids", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* cancelManyOutcome([])
      expect(result).toStrictEqual(Either.right([]))
      expect(sent).toHaveLength(0)
    }).pipe(Effect.provide(stubLayer((request) => ok(jobIdOf(request))))))

  it.effect("rejects the whole call for one invalid id", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* cancelManyOutcome([idA, idB, "../workflow", idC])
      expect(sent).toHaveLength(0)
      expect(failure(result)).toStrictEqual(
        new CiInvalidInput({
          field: "jobIds[2]",
          value: "../workflow",
          reason: "must be 1 to 128 characters, each a letter, a digit or \"-\""
        })
      )
    }).pipe(Effect.provide(stubLayer((request) => ok(jobIdOf(request))))))

  it.effect("rejects one string of ids", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* cancelManyOutcome(idA)
      expect(sent).toHaveLength(0)
      expect(failure(result)).toStrictEqual(
        new CiInvalidInput({
          field: "jobIds",
          value: idA,
          reason: "must be an iterable of job ids, such as an array"
        })
      )
    }).pipe(Effect.provide(stubLayer((request) => ok(jobIdOf(request))))))

  for (const concurrency of [0, 65, 1.5]) {
    it.effect(`rejects concurrency ${concurrency} without a request`, () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelManyOutcome([idA], { concurrency })
        expect(sent).toHaveLength(0)
        expect(failure(result)).toStrictEqual(
          new CiInvalidInput({
            field: "concurrency",
            value: String(concurrency),
            reason: "must be an integer from 1 to 64"
          })
        )
      }).pipe(Effect.provide(stubLayer((request) => ok(jobIdOf(request))))))
  }
})

describe("BatchJobs.cancelMany onOutcome", () => {
  it.effect("reports each outcome as it finishes", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const seen: Array<string> = []
      const outcomes = yield* BatchJobs.cancelMany([idA, idB, idC], {
        concurrency: 1,
        onOutcome: (outcome) => Effect.sync(() => seen.push(`${outcome.jobId} ${outcome.result._tag}`))
      })
      expect(seen).toStrictEqual([`${idA} Right`, `${idB} Left`, `${idC} Right`])
      expect(outcomes.map((outcome) => outcome.jobId)).toStrictEqual([idA, idB, idC])
    }).pipe(Effect.provide(stubLayer((request) => {
      const id = jobIdOf(request)
      return id === idB ? finished(id) : ok(id)
    }))))
})
