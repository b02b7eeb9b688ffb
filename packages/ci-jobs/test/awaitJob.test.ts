import { BatchJobNotFound, BatchJobWaitTimeout } from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import { batchJob, ciHost, failure, fixtureTimeMillis, jobId, jobResponse, stubLayer } from "./fixtures.js"

const describeUrl = `https://${ciHost}/inventorytriggerjob/${jobId}`

const requestCount = Effect.map(TestHttpClient.requests, (sent) => sent.length)

describe("BatchJobs.awaitJob", () => {
  it.effect("polls every 5 seconds until the job succeeds", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const fiber = yield* Effect.fork(BatchJobs.awaitJob(jobId))

      yield* TestClock.adjust("0 millis")
      expect(yield* requestCount).toBe(1)
      yield* TestClock.adjust("4999 millis")
      expect(yield* requestCount).toBe(1)
      yield* TestClock.adjust("1 millis")
      expect(yield* requestCount).toBe(2)
      yield* TestClock.adjust("5 seconds")

      const job = yield* Fiber.join(fiber)
      const sent = yield* TestHttpClient.requests
      expect(job).toStrictEqual(batchJob({ jobId, state: "Success", requestId: `REQ-${jobId}` }))
      expect(sent.map((request) => `${request.method} ${request.url}`)).toStrictEqual([
        `GET ${describeUrl}`,
        `GET ${describeUrl}`,
        `GET ${describeUrl}`
      ])
    }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
      jobResponse(jobId, "Submitted"),
      jobResponse(jobId, "Running"),
      jobResponse(jobId, "Success")
    )))))

  it.effect("returns a failed job as a result", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const job = yield* BatchJobs.awaitJob(jobId)
      expect(job).toStrictEqual(batchJob({ jobId, state: "Failed", requestId: `REQ-${jobId}` }))
      expect(yield* requestCount).toBe(1)
    }).pipe(Effect.provide(stubLayer(() => jobResponse(jobId, "Failed")))))

  it.effect("returns a job with an unreadable echo", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const job = yield* BatchJobs.awaitJob(jobId)
      expect(job).toStrictEqual(batchJob({
        jobId,
        state: "Success",
        operation: { tag: "Transcode", jobParam: { transcode: { video: { codec: "H.264" } } } }
      }))
      expect(yield* requestCount).toBe(1)
    }).pipe(Effect.provide(stubLayer(() =>
      TestHttpClient.respond(200, {
        body: `<Response><JobsDetail><JobId>${jobId}</JobId><State>Success</State><Operation><Tag>Transcode</Tag>` +
          "<JobParam><Transcode><Video><Codec>H.264</Codec><Fps>25 fps</Fps></Video></Transcode></JobParam>" +
          "</Operation></JobsDetail></Response>",
        headers: { "content-type": "application/xml" }
      })
    ))))

  it.effect("times out after 30 minutes with the last state", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const fiber = yield* Effect.fork(Effect.either(BatchJobs.awaitJob(jobId)))
      yield* TestClock.adjust("29 minutes")
      expect(Option.isNone(yield* fiber.poll)).toBe(true)
      yield* TestClock.adjust("2 minutes")

      const result = yield* Fiber.join(fiber)
      expect(failure(result)).toStrictEqual(new BatchJobWaitTimeout({ jobId, lastState: "Running" }))
      // One describe at the start and one every 5 seconds until 30 minutes have passed.
      expect(yield* requestCount).toBe(1 + (30 * 60) / 5)
    }).pipe(Effect.provide(stubLayer(() => jobResponse(jobId, "Running")))))

  it.effect("follows a custom schedule", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const schedule = Schedule.spaced("1 second").pipe(Schedule.intersect(Schedule.recurs(2)))
      const fiber = yield* Effect.fork(Effect.either(BatchJobs.awaitJob(jobId, { schedule })))
      yield* TestClock.adjust("10 seconds")

      const result = yield* Fiber.join(fiber)
      expect(failure(result)).toStrictEqual(new BatchJobWaitTimeout({ jobId, lastState: "Pause" }))
      expect(yield* requestCount).toBe(3)
    }).pipe(Effect.provide(stubLayer(() => jobResponse(jobId, "Pause")))))

  it.effect("passes a describe error through", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const fiber = yield* Effect.fork(Effect.either(BatchJobs.awaitJob(jobId)))
      yield* TestClock.adjust("10 seconds")

      const result = yield* Fiber.join(fiber)
      expect(failure(result)).toStrictEqual(new BatchJobNotFound({ jobId, requestId: "REQ-GONE" }))
      expect(yield* requestCount).toBe(2)
    }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
      jobResponse(jobId, "Running"),
      TestHttpClient.respond(200, {
        body: `<Response><RequestId>REQ-GONE</RequestId><NonExistJobIds>${jobId}</NonExistJobIds></Response>`,
        headers: { "content-type": "application/xml", "x-ci-request-id": "REQ-GONE" }
      })
    )))))

  it.effect("rejects an invalid job id without a request", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(BatchJobs.awaitJob("b/1"))
      expect(failure(result)).toStrictEqual(
        new CiInvalidInput({
          field: "jobId",
          value: "b/1",
          reason: "must be 1 to 128 characters, each a letter, a digit or \"-\""
        })
      )
      expect(yield* requestCount).toBe(0)
    }).pipe(Effect.provide(stubLayer(() => jobResponse(jobId, "Running")))))

  it.effect("rejects a non-Schedule schedule", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(
        BatchJobs.awaitJob(jobId, { schedule: "5 seconds" as unknown as Schedule.Schedule<unknown> })
      )
      expect(failure(result)).toStrictEqual(
        new CiInvalidInput({ field: "schedule", value: "5 seconds", reason: "must be a Schedule" })
      )
      expect(yield* requestCount).toBe(0)
    }).pipe(Effect.provide(stubLayer(() => jobResponse(jobId, "Running")))))
})

describe("BatchJobs.awaitJob onPoll", () => {
  it.effect("sees every state read, in order", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const seen: Array<string> = []
      const fiber = yield* Effect.fork(
        BatchJobs.awaitJob(jobId, { onPoll: (job) => Effect.sync(() => seen.push(job.state)) })
      )
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      expect(seen).toStrictEqual(["Submitted", "Running", "Success"])
    }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
      jobResponse(jobId, "Submitted"),
      jobResponse(jobId, "Running"),
      jobResponse(jobId, "Success")
    )))))
})
