import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiDecodeError, CiInvalidInput } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as Signer from "@effect-cos/signer/Signer"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
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

const listUrl = `https://${ciHost}/inventorytriggerjob`

const emptyPage = () => xmlOk("<Response><RequestId>REQ-LIST</RequestId></Response>", "REQ-LIST")

/** Lists one page at the fixture time and returns the outcome with every request the stub received. */
const pageOutcome = (options?: BatchJobs.ListOptions) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const result = yield* Effect.either(BatchJobs.list(options))
    const sent = yield* TestHttpClient.requests
    return { result, sent }
  })

/** Runs the job stream to the end and returns the outcome with every request the stub received. */
const streamOutcome = (stream: Stream.Stream<unknown, BatchJobs.ListError, any>) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const result = yield* Effect.either(Stream.runCollect(stream))
    const sent = yield* TestHttpClient.requests
    return { result: Either.map(result, Chunk.toReadonlyArray), sent }
  })

const detail = (id: string) => `<JobsDetail><JobId>${id}</JobId><State>Success</State></JobsDetail>`

/** A list response with the given job ids and, when given, a NextToken. */
const page = (ids: ReadonlyArray<string>, nextToken?: string) =>
  xmlOk(
    `<Response><RequestId>REQ-PAGE</RequestId>${ids.map(detail).join("")}` +
      (nextToken === undefined ? "" : `<NextToken>${nextToken}</NextToken>`) +
      `</Response>`
  )

/** Replies by the request's nextToken, with `pages[""]` for the first page. */
const pagesByToken = (pages: Readonly<Record<string, TestHttpClient.Reply>>): TestHttpClient.Handler => (request) => {
  const token = new URL(request.url).searchParams.get("nextToken") ?? ""
  const reply = pages[token]
  if (reply === undefined) {
    throw new Error(`no page for nextToken ${JSON.stringify(token)}`)
  }
  return reply
}

const jobIds = (result: Either.Either<ReadonlyArray<unknown>, unknown>) =>
  Either.map(result, (jobs) => jobs.map((job) => (job as { readonly jobId: string }).jobId))

describe("BatchJobs.list", () => {
  describe("request", () => {
    it.effect("sends no query without options", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* pageOutcome()
        expect(result).toStrictEqual(Either.right({ jobs: [], nextToken: undefined, requestId: "REQ-LIST" }))
        expect(sent).toHaveLength(1)
        expect(sent[0].method).toBe("GET")
        expect(sent[0].url).toBe(listUrl)
        expect(sent[0].body).toBe("")
        expect(parsedAuthorization(sent[0].headers["authorization"]).headerList).toStrictEqual(["host"])
      }).pipe(Effect.provide(stubLayer(emptyPage))))

    it.effect("sends every option in camelCase, encoded once", () =>
      Effect.gen(function*() {
        const { sent } = yield* pageOutcome({
          nextToken: "25",
          size: 100,
          type: "Job",
          orderByTime: "Asc",
          states: ["Running", "Failed"],
          startCreationTime: new Date("2022-02-25T12:00:00+08:00"),
          endCreationTime: new Date("2022-02-28T12:00:00+08:00"),
          workflowId: "w1234567890abcdef",
          jobId,
          name: "名 a+b&c"
        })
        expect(sent).toHaveLength(1)
        expect(sent[0].url).toBe(
          `${listUrl}?nextToken=25&size=100&type=Job&orderByTime=Asc&states=Running%2CFailed` +
            "&startCreationTime=2022-02-25T12%3A00%3A00%2B0800&endCreationTime=2022-02-28T12%3A00%3A00%2B0800" +
            `&workflowId=w1234567890abcdef&jobId=${jobId}&name=%E5%90%8D%20a%2Bb%26c`
        )

        const expected = Signer.sign({
          method: "GET",
          pathname: "/inventorytriggerjob",
          query: {
            nextToken: "25",
            size: "100",
            type: "Job",
            orderByTime: "Asc",
            states: "Running,Failed",
            startCreationTime: "2022-02-25T12:00:00+0800",
            endCreationTime: "2022-02-28T12:00:00+0800",
            workflowId: "w1234567890abcdef",
            jobId,
            name: "名 a+b&c"
          },
          headers: { host: ciHost },
          secretId: "AKIDEXAMPLE",
          secretKey: Redacted.make("SECRETKEYEXAMPLE"),
          keyTime: { start: 1700000000, end: 1700000900 }
        })
        expect(sent[0].headers["authorization"]).toBe(expected)
      }).pipe(Effect.provide(stubLayer(emptyPage))))

    it.effect("sends only the options given", () =>
      Effect.gen(function*() {
        const { sent } = yield* pageOutcome({ size: 5, type: undefined, nextToken: undefined, states: ["All"] })
        expect(sent[0].url).toBe(`${listUrl}?size=5&states=All`)
      }).pipe(Effect.provide(stubLayer(emptyPage))))

    it.effect("formats creation times in Beijing time", () =>
      Effect.gen(function*() {
        const { sent } = yield* pageOutcome({ startCreationTime: new Date("2022-02-25T20:30:00Z") })
        expect(sent[0].url).toBe(`${listUrl}?startCreationTime=2022-02-26T04%3A30%3A00%2B0800`)
      }).pipe(Effect.provide(stubLayer(emptyPage))))

    it.effect("writes a year before 1000 with four digits", () =>
      Effect.gen(function*() {
        const { sent } = yield* pageOutcome({ startCreationTime: new Date("0100-01-01T00:00:00+08:00") })
        expect(sent[0].url).toBe(`${listUrl}?startCreationTime=0100-01-01T00%3A00%3A00%2B0800`)
      }).pipe(Effect.provide(stubLayer(emptyPage))))

    it.effect("sends repeated states once", () =>
      Effect.gen(function*() {
        const { sent } = yield* pageOutcome({ states: ["Failed", "Cancel", "Failed"] })
        expect(sent[0].url).toBe(`${listUrl}?states=Failed%2CCancel`)
      }).pipe(Effect.provide(stubLayer(emptyPage))))
  })

  describe("decoding", () => {
    it.effect("keeps one job's text exactly as sent", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        expect(result).toStrictEqual(Either.right({
          jobs: [batchJob({ jobId: "0123", state: "Cancel", progress: 100, userData: " padded " })],
          nextToken: "1e5",
          requestId: "REQ-ONE"
        }))
        const jobs = Either.getOrThrow(result).jobs
        expect(typeof jobs[0].jobId).toBe("string")
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk(
          "<Response><JobsDetail><JobId>0123</JobId><State>Cancel</State><Progress>100</Progress>" +
            "<UserData> padded </UserData></JobsDetail><NextToken>1e5</NextToken></Response>",
          "REQ-ONE"
        )
      ))))

    it.effect("reads many jobs in document order", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        expect(result).toStrictEqual(Either.right({
          jobs: [
            batchJob({ jobId: "a", state: "Cancel", progress: 100, userData: " padded " }),
            batchJob({ jobId: "b", state: "Cancel", progress: 100, userData: " padded " })
          ],
          nextToken: "1e5",
          requestId: "REQ-TWO"
        }))
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk(
          "<Response><JobsDetail><JobId>a</JobId><State>Cancel</State><Progress>100</Progress>" +
            "<UserData> padded </UserData></JobsDetail><JobsDetail><JobId>b</JobId><State>Cancel</State>" +
            "<Progress>100</Progress><UserData> padded </UserData></JobsDetail><NextToken>1e5</NextToken></Response>",
          "REQ-TWO"
        )
      ))))

    it.effect("reads an empty NextToken as no next page", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        expect(result).toStrictEqual(Either.right({ jobs: [], nextToken: undefined, requestId: "REQ-END" }))
      }).pipe(Effect.provide(stubLayer(() => xmlOk("<Response><NextToken></NextToken></Response>", "REQ-END")))))

    it.effect("reads an empty Progress as undefined", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        expect(result).toStrictEqual(Either.right({
          jobs: [batchJob({ jobId: "b0", state: "Running", progress: undefined })],
          nextToken: undefined,
          requestId: "REQ-PROGRESS"
        }))
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk(
          "<Response><JobsDetail><JobId>b0</JobId><State>Running</State><Progress></Progress></JobsDetail></Response>",
          "REQ-PROGRESS"
        )
      ))))

    it.effect("reads userData from the echoed Operation", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        expect(Either.getOrThrow(result).jobs[0].userData).toBe("  from operation ")
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk(
          "<Response><JobsDetail><JobId>b0</JobId><State>Running</State>" +
            "<Operation><UserData>  from operation </UserData></Operation></JobsDetail></Response>"
        )
      ))))

    it.effect("skips an empty JobsDetail element", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        expect(result).toStrictEqual(Either.right({
          jobs: [batchJob({ jobId: "b1", state: "Success" })],
          nextToken: undefined,
          requestId: undefined
        }))
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk("<Response><JobsDetail/><JobsDetail><JobId>b1</JobId><State>Success</State></JobsDetail></Response>")
      ))))

    it.effect("falls back to the body request id", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        expect(Either.getOrThrow(result).requestId).toBe("REQ-BODY")
      }).pipe(Effect.provide(stubLayer(() => xmlOk("<Response><RequestId>REQ-BODY</RequestId></Response>")))))

    it.effect("fails on a job without a JobId", () =>
      Effect.gen(function*() {
        const { result } = yield* pageOutcome()
        const body = "<Response><JobsDetail><State>Running</State></JobsDetail></Response>"
        expect(failure(result)).toStrictEqual(
          new CiDecodeError({ status: 200, requestId: "REQ-BAD", reason: "JobsDetail has no JobId", bodyPreview: body })
        )
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk("<Response><JobsDetail><State>Running</State></JobsDetail></Response>", "REQ-BAD")
      ))))
  })

  describe("echoed operations", () => {
    const snapshotJob = (id: string, snapshot: string) =>
      `<JobsDetail><JobId>${id}</JobId><State>Running</State><Operation><Tag>Snapshot</Tag><JobParam><Snapshot>` +
      `<Mode>Interval</Mode>${snapshot}<Count>3</Count></Snapshot></JobParam></Operation></JobsDetail>`

    it.effect("keeps a job with an unreadable echo", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* pageOutcome()
        expect(sent).toHaveLength(1)
        expect(result).toStrictEqual(Either.right({
          jobs: [
            batchJob({
              jobId: "a",
              state: "Running",
              operation: { tag: "Snapshot", jobParam: { snapshot: { mode: "Interval", isCheckBlack: true, count: 3 } } }
            }),
            batchJob({
              jobId: "b",
              state: "Running",
              operation: { tag: "Snapshot", jobParam: { snapshot: { mode: "Interval", count: 3 } } }
            })
          ],
          nextToken: undefined,
          requestId: "REQ-LIST"
        }))
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk(
          "<Response><RequestId>REQ-LIST</RequestId>" +
            snapshotJob("a", "<IsCheckBlack>True</IsCheckBlack>") +
            snapshotJob("b", "<IsCheckBlack>maybe</IsCheckBlack>") +
            "</Response>"
        )
      ))))

    it.effect("reads lenient numbers on a page", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* pageOutcome()
        expect(sent).toHaveLength(1)
        expect(Either.map(result, (page) => page.jobs.map((job) => job.operation?.jobParam?.snapshot))).toStrictEqual(
          Either.right([
            { mode: "Interval", width: 1280, count: 3 },
            { mode: "Interval", start: 25, count: 3 },
            { mode: "Interval", timeInterval: 0.5, count: 3 },
            { mode: "Interval", start: 1e-7, count: 3 },
            { mode: "Interval", count: 3 }
          ])
        )
      }).pipe(Effect.provide(stubLayer(() =>
        xmlOk(
          "<Response>" +
            snapshotJob("a", "<Width>+1280</Width>") +
            snapshotJob("b", "<Start> 25 </Start>") +
            snapshotJob("c", "<TimeInterval>.5</TimeInterval>") +
            snapshotJob("d", "<Start>1e-7</Start>") +
            snapshotJob("e", "<Start>50%</Start>") +
            "</Response>"
        )
      ))))
  })

  describe("validation", () => {
    const sizeReason = "must be an integer from 1 to 100"
    const stateReason =
      "must be one of \"Submitted\", \"Running\", \"Success\", \"Failed\", \"Pause\", \"Cancel\", \"All\""
    const cases: ReadonlyArray<readonly [string, unknown, CiInvalidInput]> = [
      ["size 0", { size: 0 }, new CiInvalidInput({ field: "size", value: "0", reason: sizeReason })],
      ["size 101", { size: 101 }, new CiInvalidInput({ field: "size", value: "101", reason: sizeReason })],
      ["a fractional size", { size: 2.5 }, new CiInvalidInput({ field: "size", value: "2.5", reason: sizeReason })],
      ["size as text", { size: "10" }, new CiInvalidInput({ field: "size", value: "10", reason: sizeReason })],
      [
        "no states",
        { states: [] },
        new CiInvalidInput({ field: "states", value: "[]", reason: "must be a non-empty array of job states" })
      ],
      [
        "an unknown state",
        { states: ["Running", "Done"] },
        new CiInvalidInput({ field: "states[1]", value: "Done", reason: stateReason })
      ],
      [
        "All with another state",
        { states: ["All", "Running"] },
        new CiInvalidInput({
          field: "states",
          value: "All,Running",
          reason: "\"All\" cannot be combined with other states"
        })
      ],
      [
        "a comma-joined states string",
        { states: "Running,Failed" },
        new CiInvalidInput({
          field: "states",
          value: "Running,Failed",
          reason: "must be a non-empty array of job states"
        })
      ],
      [
        "an unknown type",
        { type: "workflow" },
        new CiInvalidInput({ field: "type", value: "workflow", reason: "must be one of \"Workflow\", \"Job\"" })
      ],
      [
        "an unknown order",
        { orderByTime: "desc" },
        new CiInvalidInput({ field: "orderByTime", value: "desc", reason: "must be one of \"Desc\", \"Asc\"" })
      ],
      [
        "an invalid start time",
        { startCreationTime: new Date(Number.NaN) },
        new CiInvalidInput({ field: "startCreationTime", value: "Invalid Date", reason: "must be a valid Date" })
      ],
      [
        "an end time given as text",
        { endCreationTime: "2022-02-28T12:00:00+0800" },
        new CiInvalidInput({ field: "endCreationTime", value: "2022-02-28T12:00:00+0800", reason: "must be a Date" })
      ],
      [
        "a start after the end",
        { startCreationTime: new Date("2022-03-01T00:00:00Z"), endCreationTime: new Date("2022-02-01T00:00:00Z") },
        new CiInvalidInput({
          field: "startCreationTime",
          value: "2022-03-01T00:00:00.000Z",
          reason: "must not be after endCreationTime (2022-02-01T00:00:00.000Z)"
        })
      ],
      [
        "a job id that could change the path",
        { jobId: "../workflow" },
        new CiInvalidInput({
          field: "jobId",
          value: "../workflow",
          reason: "must be 1 to 128 characters, each a letter, a digit or \"-\""
        })
      ],
      [
        "an empty nextToken",
        { nextToken: "" },
        new CiInvalidInput({ field: "nextToken", value: "", reason: "must not be empty" })
      ],
      [
        "an empty workflowId",
        { workflowId: "" },
        new CiInvalidInput({ field: "workflowId", value: "", reason: "must not be empty" })
      ],
      [
        "a name with a lone surrogate",
        { name: "x\udfff" },
        new CiInvalidInput({ field: "name", value: "x\udfff", reason: "contains a lone UTF-16 surrogate" })
      ],
      [
        "options that are not an object",
        "states=All",
        new CiInvalidInput({ field: "options", value: "states=All", reason: "must be an object" })
      ]
    ]

    for (const [name, options, expected] of cases) {
      it.effect(`rejects ${name} without a request`, () =>
        Effect.gen(function*() {
          const { result, sent } = yield* pageOutcome(options as BatchJobs.ListOptions)
          expect(sent).toHaveLength(0)
          expect(failure(result)).toStrictEqual(expected)
        }).pipe(Effect.provide(stubLayer(emptyPage))))
    }
  })
})

describe("BatchJobs.listAll", () => {
  it.effect("pages through three pages", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll({ size: 2, states: ["Success"] }))
      expect(jobIds(result)).toStrictEqual(Either.right(["a", "b", "c", "d", "e"]))
      expect(sent.map((request) => request.url)).toStrictEqual([
        `${listUrl}?size=2&states=Success`,
        `${listUrl}?nextToken=t1&size=2&states=Success`,
        `${listUrl}?nextToken=t2&size=2&states=Success`
      ])
    }).pipe(Effect.provide(stubLayer(pagesByToken({
      "": page(["a", "b"], "t1"),
      t1: page(["c", "d"], "t2"),
      t2: page(["e"])
    })))))

  it.effect("stops at an empty NextToken", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(jobIds(result)).toStrictEqual(Either.right(["a", "b"]))
      expect(sent).toHaveLength(2)
    }).pipe(Effect.provide(stubLayer(pagesByToken({ "": page(["a"], "t1"), t1: page(["b"], "") })))))

  it.effect("follows an empty page that has a token", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(jobIds(result)).toStrictEqual(Either.right(["a", "c"]))
      expect(sent).toHaveLength(3)
    }).pipe(Effect.provide(stubLayer(pagesByToken({ "": page(["a"], "t1"), t1: page([], "t2"), t2: page(["c"]) })))))

  it.effect("fails after 100 empty pages in a row", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(sent).toHaveLength(101)
      expect(result).toMatchObject({
        left: { _tag: "CiDecodeError", reason: "CI sent 100 empty pages in a row, each with a new NextToken" }
      })
    }).pipe(Effect.provide(stubLayer((request) => {
      // Every page is empty and points to a token never seen before.
      const token = new URL(request.url).searchParams.get("nextToken") ?? "t0"
      return token === "t0" ? page(["a"], "t1") : page([], `${token}x`)
    }))))

  it.effect("returns no jobs for an empty first page", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(result).toStrictEqual(Either.right([]))
      expect(sent).toHaveLength(1)
    }).pipe(Effect.provide(stubLayer(emptyPage))))

  it.effect("starts from the given nextToken", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll({ nextToken: "t1" }))
      expect(jobIds(result)).toStrictEqual(Either.right(["c"]))
      expect(sent.map((request) => request.url)).toStrictEqual([`${listUrl}?nextToken=t1`])
    }).pipe(Effect.provide(stubLayer(pagesByToken({ t1: page(["c"]) })))))

  it.effect("stops after limit jobs", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll({ limit: 3 }))
      expect(jobIds(result)).toStrictEqual(Either.right(["a", "b", "c"]))
      expect(sent).toHaveLength(2)
      expect(sent[0].url).toBe(listUrl)
    }).pipe(Effect.provide(stubLayer(pagesByToken({
      "": page(["a", "b"], "t1"),
      t1: page(["c", "d"], "t2"),
      t2: page(["e"])
    })))))

  it.effect("requests pages only when pulled", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll().pipe(Stream.take(2)))
      expect(jobIds(result)).toStrictEqual(Either.right(["a", "b"]))
      expect(sent).toHaveLength(1)
    }).pipe(Effect.provide(stubLayer(pagesByToken({ "": page(["a", "b"], "t1"), t1: page(["c"]) })))))

  it.effect("fails when CI repeats the token it was sent", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(sent).toHaveLength(2)
      expect(failure(result)).toStrictEqual(
        new CiDecodeError({
          status: 200,
          requestId: "REQ-PAGE",
          reason: "CI answered nextToken \"t1\" with the same NextToken, so paging would never end",
          bodyPreview: `<Response><RequestId>REQ-PAGE</RequestId>${detail("b")}<NextToken>t1</NextToken></Response>`
        })
      )
    }).pipe(Effect.provide(stubLayer(pagesByToken({ "": page(["a"], "t1"), t1: page(["b"], "t1") })))))

  it.effect("fails when tokens repeat in a cycle", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(sent.map((request) => new URL(request.url).searchParams.get("nextToken"))).toStrictEqual([
        null,
        "t1",
        "t2"
      ])
      expect(failure(result)).toStrictEqual(
        new CiDecodeError({
          status: 200,
          requestId: "REQ-PAGE",
          reason: "CI sent NextToken \"t1\" again after later pages, so paging would never end",
          bodyPreview: `<Response><RequestId>REQ-PAGE</RequestId>${detail("c")}<NextToken>t1</NextToken></Response>`
        })
      )
    }).pipe(Effect.provide(stubLayer(pagesByToken({
      "": page(["a"], "t1"),
      t1: page(["b"], "t2"),
      t2: page(["c"], "t1")
    })))))

  it.effect("fails when a later page returns the token the listing started from", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll({ nextToken: "t0" }))
      expect(sent).toHaveLength(2)
      expect((failure(result) as CiDecodeError).reason).toBe(
        "CI sent NextToken \"t0\" again after later pages, so paging would never end"
      )
    }).pipe(Effect.provide(stubLayer(pagesByToken({ t0: page(["a"], "t1"), t1: page(["b"], "t0") })))))

  it.effect("fails when the first page repeats the given token", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll({ nextToken: "t1" }))
      expect(sent).toHaveLength(1)
      expect(failure(result)).toMatchObject({ _tag: "CiDecodeError" })
    }).pipe(Effect.provide(stubLayer(pagesByToken({ t1: page(["b"], "t1") })))))

  it.effect("fails after 3 pages that repeat listed jobs", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(sent.map((request) => new URL(request.url).searchParams.get("nextToken"))).toStrictEqual([
        null,
        "t1",
        "t2",
        "t3"
      ])
      expect(failure(result)).toStrictEqual(
        new CiDecodeError({
          status: 200,
          requestId: "REQ-PAGE",
          reason: "CI sent 3 pages in a row, each with a new NextToken, whose jobs had all been listed already, " +
            "so paging would never end",
          bodyPreview: `<Response><RequestId>REQ-PAGE</RequestId>${detail("a")}<NextToken>t4</NextToken></Response>`
        })
      )
    }).pipe(Effect.provide(stubLayer((_, index) => page(["a"], `t${index + 1}`)))))

  it.effect("counts repeated pages across empty pages", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(sent).toHaveLength(7)
      expect((failure(result) as CiDecodeError).reason).toBe(
        "CI sent 3 pages in a row, each with a new NextToken, whose jobs had all been listed already, " +
          "so paging would never end"
      )
    }).pipe(Effect.provide(stubLayer((_, index) => page(index % 2 === 0 ? ["a"] : [], `t${index + 1}`)))))

  it.effect("keeps paging while pages add new jobs", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(jobIds(result)).toStrictEqual(Either.right(["a", "a", "a", "a", "b", "a", "a", "c"]))
      expect(sent).toHaveLength(7)
    }).pipe(Effect.provide(stubLayer(pagesByToken({
      "": page(["a"], "t1"),
      t1: page(["a"], "t2"),
      t2: page(["a"], "t3"),
      t3: page(["a", "b"], "t4"),
      t4: page(["a"], "t5"),
      t5: page(["a"], "t6"),
      t6: page(["c"])
    })))))

  it.effect("passes a request error through", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listAll())
      expect(sent).toHaveLength(2)
      expect(failure(result)).toMatchObject({ _tag: "CiServiceError", status: 403, code: "AccessDenied" })
    }).pipe(Effect.provide(stubLayer(pagesByToken({
      "": page(["a"], "t1"),
      t1: TestHttpClient.respond(403, {
        body: "<Error><Code>AccessDenied</Code><Message>no</Message></Error>",
        headers: { "content-type": "application/xml" }
      })
    })))))

  const limitReason = `must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`
  for (
    const [name, options, expected] of [
      ["limit 0", { limit: 0 }, new CiInvalidInput({ field: "limit", value: "0", reason: limitReason })],
      ["a fractional limit", { limit: 1.5 }, new CiInvalidInput({ field: "limit", value: "1.5", reason: limitReason })],
      [
        "an infinite limit",
        { limit: Infinity },
        new CiInvalidInput({ field: "limit", value: "Infinity", reason: limitReason })
      ],
      [
        "an invalid list option",
        { limit: 5, size: 0 },
        new CiInvalidInput({ field: "size", value: "0", reason: "must be an integer from 1 to 100" })
      ]
    ] as const
  ) {
    it.effect(`rejects ${name} without a request`, () =>
      Effect.gen(function*() {
        const { result, sent } = yield* streamOutcome(BatchJobs.listAll(options))
        expect(sent).toHaveLength(0)
        expect(failure(result)).toStrictEqual(expected)
      }).pipe(Effect.provide(stubLayer(emptyPage))))
  }
})

describe("BatchJobs.listPages", () => {
  it.effect("yields each page with the token that follows it", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* streamOutcome(BatchJobs.listPages({ size: 2 }))
      expect(Either.map(result, (pages) =>
        pages.map((page) => {
          const { jobs, nextToken } = page as BatchJobs.ListPage
          return { ids: jobs.map((job) => job.jobId), nextToken }
        }))).toStrictEqual(Either.right([
          { ids: ["a", "b"], nextToken: "t1" },
          { ids: ["c"], nextToken: undefined }
        ]))
      expect(sent.map((request) => new URL(request.url).search)).toStrictEqual(["?size=2", "?nextToken=t1&size=2"])
    }).pipe(Effect.provide(stubLayer(pagesByToken({ "": page(["a", "b"], "t1"), t1: page(["c"]) })))))

  it.effect("yields pages until 3 repeat listed jobs", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(fixtureTimeMillis)
      const tokens: Array<string | undefined> = []
      const result = yield* BatchJobs.listPages().pipe(
        Stream.runForEach((listed) => Effect.sync(() => tokens.push(listed.nextToken))),
        Effect.either
      )
      const sent = yield* TestHttpClient.requests
      expect(tokens).toStrictEqual(["t1", "t2", "t3"])
      expect(sent).toHaveLength(4)
      expect(result).toStrictEqual(Either.left(
        new CiDecodeError({
          status: 200,
          requestId: "REQ-PAGE",
          reason: "CI sent 3 pages in a row, each with a new NextToken, whose jobs had all been listed already, " +
            "so paging would never end",
          bodyPreview: `<Response><RequestId>REQ-PAGE</RequestId>${detail("a")}<NextToken>t4</NextToken></Response>`
        })
      ))
    }).pipe(Effect.provide(stubLayer((_, index) => page(["a"], `t${index + 1}`)))))
})
