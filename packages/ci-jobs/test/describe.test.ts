import { BatchJobNotFound } from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiDecodeError, CiInvalidInput } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as TestClock from "effect/TestClock"
import {
  batchJob,
  ciHost,
  failure,
  fixtureTimeMillis,
  jobId,
  parsedAuthorization,
  stubLayer,
  xmlOk
} from "./fixtures.js"

// A JobsDetail as the describe documentation shows it, with every field set.
const fullDetail = `<Response><RequestId>REQ-D</RequestId><JobsDetail><Code>Success</Code><Message/>` +
  `<JobId>${jobId}</JobId><Tag>Transcode</Tag><Name>nightly &amp; weekly</Name><Type>Job</Type>` +
  `<State>Running</State><CreationTime>2022-06-27T15:23:10+0800</CreationTime>` +
  `<StartTime>2022-06-27T15:23:11+0800</StartTime><EndTime>-</EndTime><Progress>42</Progress>` +
  `<QueueId>p893bcda225bf4945a378da6662e81a89</QueueId><Input><Prefix>input/</Prefix></Input>` +
  `<Operation><UserData> keep spaces </UserData></Operation></JobsDetail></Response>`

const describeOutcome = (id: string = jobId) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const result = yield* Effect.either(BatchJobs.describe(id))
    const sent = yield* TestHttpClient.requests
    return { result, sent }
  })

const detailWith = (fields: string) =>
  xmlOk(`<Response><JobsDetail><JobId>${jobId}</JobId><State>Running</State>${fields}</JobsDetail></Response>`)

describe("BatchJobs.describe", () => {
  it.effect("sends a signed GET for the job", () =>
    Effect.gen(function*() {
      const { sent } = yield* describeOutcome()
      expect(sent).toHaveLength(1)
      expect(sent[0].method).toBe("GET")
      expect(sent[0].url).toBe(`https://${ciHost}/inventorytriggerjob/${jobId}`)
      expect(sent[0].headers["content-length"]).toBeUndefined()
      expect(parsedAuthorization(sent[0].headers["authorization"])).toMatchObject({
        headerList: ["host"],
        urlParamList: []
      })
    }).pipe(Effect.provide(stubLayer(() => xmlOk(fullDetail)))))

  it.effect("reads every documented field", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(result).toStrictEqual(Either.right(batchJob({
        jobId,
        state: "Running",
        name: "nightly & weekly",
        type: "Job",
        code: "Success",
        message: "",
        creationTime: new Date("2022-06-27T07:23:10Z"),
        startTime: new Date("2022-06-27T07:23:11Z"),
        endTime: undefined,
        progress: 42,
        queueId: "p893bcda225bf4945a378da6662e81a89",
        tag: "Transcode",
        input: { manifest: undefined, urlFile: undefined, prefix: "input/", object: undefined },
        userData: " keep spaces ",
        operation: { userData: " keep spaces " },
        requestId: "REQ-D"
      })))
    }).pipe(Effect.provide(stubLayer(() => xmlOk(fullDetail)))))

  it.effect("prefers the header request id", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(Either.map(result, (job) => job.requestId)).toStrictEqual(Either.right("REQ-HEADER"))
    }).pipe(Effect.provide(stubLayer(() => xmlOk(fullDetail, "REQ-HEADER")))))

  it.effect("leaves requestId out when the response has none", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(Either.map(result, (job) => "requestId" in job)).toStrictEqual(Either.right(false))
    }).pipe(Effect.provide(stubLayer(() => detailWith("")))))

  it.effect("keeps a state CI adds later", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(Either.map(result, (job) => job.state)).toStrictEqual(Either.right("Archived"))
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(`<Response><JobsDetail><JobId>${jobId}</JobId><State>Archived</State></JobsDetail></Response>`)
    ))))

  it.effect("reports NonExistJobIds as BatchJobNotFound", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(failure(result)).toStrictEqual(new BatchJobNotFound({ jobId, requestId: "REQ-NONE" }))
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(`<Response><RequestId>REQ-NONE</RequestId><NonExistJobIds>${jobId}</NonExistJobIds></Response>`, "REQ-NONE")
    ))))

  it.effect("rejects NonExistJobIds of another job", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* describeOutcome()
      expect(sent).toHaveLength(1)
      expect(failure(result)).toStrictEqual(
        new CiDecodeError({
          status: 200,
          requestId: "REQ-OTHER",
          reason: `asked for job ${jobId}, got NonExistJobIds bzzz`,
          bodyPreview: "<Response><NonExistJobIds>bzzz</NonExistJobIds></Response>"
        })
      )
    }).pipe(
      Effect.provide(stubLayer(() => xmlOk("<Response><NonExistJobIds>bzzz</NonExistJobIds></Response>", "REQ-OTHER")))
    ))

  it.effect("returns the job when NonExistJobIds names only another job", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(Either.map(result, (job) => [job.jobId, job.state])).toStrictEqual(Either.right([jobId, "Running"]))
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(
        `<Response><NonExistJobIds>bzzz</NonExistJobIds><JobsDetail><JobId>${jobId}</JobId>` +
          "<State>Running</State></JobsDetail></Response>"
      )
    ))))

  it.effect("rejects a job both found and not found", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect((failure(result) as CiDecodeError).reason).toBe(`job ${jobId} is under both NonExistJobIds and JobsDetail`)
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(
        `<Response><NonExistJobIds>${jobId}</NonExistJobIds><JobsDetail><JobId>${jobId}</JobId>` +
          "<State>Running</State></JobsDetail></Response>"
      )
    ))))

  it.effect("takes the not-found request id from the body when no header has one", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(failure(result)).toStrictEqual(new BatchJobNotFound({ jobId, requestId: "REQ-BODY" }))
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(`<Response><RequestId>REQ-BODY</RequestId><NonExistJobIds>${jobId}</NonExistJobIds></Response>`)
    ))))

  it.effect("rejects the details of another job", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(failure(result)).toMatchObject({
        _tag: "CiDecodeError",
        reason: `asked for job ${jobId}, got JobsDetail of bOTHER`
      })
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk("<Response><JobsDetail><JobId>bOTHER</JobId><State>Running</State></JobsDetail></Response>")
    ))))

  it.effect("rejects two JobsDetail elements", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(failure(result)).toMatchObject({ _tag: "CiDecodeError", reason: "expected one JobsDetail, got 2" })
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(
        `<Response><JobsDetail><JobId>${jobId}</JobId><State>Running</State></JobsDetail>` +
          `<JobsDetail><JobId>${jobId}</JobId><State>Running</State></JobsDetail></Response>`
      )
    ))))

  it.effect("names an empty body as the reason", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(failure(result)).toStrictEqual(
        new CiDecodeError({ status: 200, requestId: "REQ-EMPTY", reason: "the body is empty", bodyPreview: "" })
      )
    }).pipe(Effect.provide(stubLayer(() => xmlOk("", "REQ-EMPTY")))))

  it.effect("reports a parse error without a column when the parser gives none", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect((failure(result) as CiDecodeError).reason).toBe("Start tag expected. (line 1)")
    }).pipe(Effect.provide(stubLayer(() => xmlOk("<?xml version=\"1.0\"?>")))))

  it.effect("keeps the status, request id and body of an unreadable response", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(failure(result)).toStrictEqual(
        new CiDecodeError({
          status: 200,
          requestId: "REQ-BAD",
          reason: "expected a <Response> document, got <html>",
          bodyPreview: "<html>maintenance</html>"
        })
      )
    }).pipe(Effect.provide(stubLayer(() => xmlOk("<html>maintenance</html>", "REQ-BAD")))))

  for (
    const [name, fields, reason] of [
      ["an impossible date", "<CreationTime>2022-02-30T12:00:00+0800</CreationTime>", "is not a valid date and time"],
      ["a time in another format", "<StartTime>2022/02/25 12:00</StartTime>", "is not a time of the form"],
      ["a progress that is not a number", "<Progress>half</Progress>", "Progress \"half\" is not a number"]
    ] as const
  ) {
    it.effect(`rejects ${name}`, () =>
      Effect.gen(function*() {
        const { result } = yield* describeOutcome()
        expect(failure(result)).toBeInstanceOf(CiDecodeError)
        expect((failure(result) as CiDecodeError).reason).toContain(reason)
      }).pipe(Effect.provide(stubLayer(() => detailWith(fields)))))
  }

  it.effect("reads a year before 100 as written", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(Either.map(result, (job) => job.creationTime?.toISOString())).toStrictEqual(
        Either.right("0049-12-31T16:00:00.000Z")
      )
    }).pipe(Effect.provide(stubLayer(() => detailWith("<CreationTime>0050-01-01T00:00:00+0800</CreationTime>")))))

  it.effect("reads empty Progress and dash times as unset", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome()
      expect(Either.map(result, (job) => [job.progress, job.startTime, job.endTime])).toStrictEqual(
        Either.right([undefined, undefined, undefined])
      )
    }).pipe(
      Effect.provide(stubLayer(() => detailWith("<StartTime>-</StartTime><EndTime></EndTime><Progress></Progress>")))
    ))

  it.effect("rejects an invalid id without a request", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* describeOutcome("b/../x")
      expect(sent).toHaveLength(0)
      expect(failure(result)).toStrictEqual(
        new CiInvalidInput({
          field: "jobId",
          value: "b/../x",
          reason: "must be 1 to 128 characters, each a letter, a digit or \"-\""
        })
      )
    }).pipe(Effect.provide(stubLayer(() => xmlOk(fullDetail)))))
})
