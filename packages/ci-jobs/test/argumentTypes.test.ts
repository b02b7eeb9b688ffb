import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import type * as CiClient from "@effect-cos/http/CiClient"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { failure, jobId, jobResponse, runWithClock, stubLayer } from "./fixtures.js"

// JavaScript callers can pass any value where a string, number, Date or object is expected. Values
// that `String` cannot convert, or should not, must come back as CiInvalidInput, never as a defect.

/** A value of each kind that `String` cannot convert or should not show, with its expected `value`. */
const values: ReadonlyArray<readonly [kind: string, value: unknown, shown: string]> = [
  ["an object without a prototype", Object.create(null), "[object]"],
  ["a symbol", Symbol("hostile"), "Symbol(hostile)"],
  ["a function", function secret() {
    return "source text"
  }, "[function]"],
  ["a bigint", 10n, "10"]
]

type Kind = "object" | "function"

interface EntryPoint {
  readonly name: string
  readonly field: string
  readonly reason: string
  readonly run: (value: any) => Effect.Effect<unknown, unknown, CiClient.CiClient>
  /** Kinds that are valid at this place, such as an object for an options argument. */
  readonly accepts?: ReadonlyArray<Kind> | undefined
}

const job = { type: "Job", name: "n", input: { prefix: "p/" }, tag: "Transcode" } as const
const workflow = { type: "Workflow", name: "n", input: { prefix: "p/" }, workflowIds: "w1" } as const

const jobIdReason = "must be a string"
const integerReason = (min: number, max: number) => `must be an integer from ${min} to ${max}`
const stateReason = "must be one of \"Submitted\", \"Running\", \"Success\", \"Failed\", \"Pause\", \"Cancel\", \"All\""

const list = (options: unknown) => BatchJobs.list(options as BatchJobs.ListOptions)
const create = (request: unknown) => BatchJobs.create(request as BatchJobs.CreateJobRequest)

const entryPoints: ReadonlyArray<EntryPoint> = [
  { name: "cancel", field: "jobId", reason: jobIdReason, run: (value) => BatchJobs.cancel(value) },
  { name: "describe", field: "jobId", reason: jobIdReason, run: (value) => BatchJobs.describe(value) },
  { name: "awaitJob", field: "jobId", reason: jobIdReason, run: (value) => BatchJobs.awaitJob(value) },
  {
    name: "awaitJob options",
    field: "options",
    reason: "must be an object",
    run: (value) => BatchJobs.awaitJob(jobId, value),
    accepts: ["object"]
  },
  {
    name: "awaitJob schedule",
    field: "schedule",
    reason: "must be a Schedule",
    run: (value) => BatchJobs.awaitJob(jobId, { schedule: value })
  },
  {
    name: "awaitJob onPoll",
    field: "onPoll",
    reason: "must be a function",
    run: (value) => BatchJobs.awaitJob(jobId, { onPoll: value }),
    accepts: ["function"]
  },
  { name: "list options", field: "options", reason: "must be an object", run: list, accepts: ["object"] },
  {
    name: "list nextToken",
    field: "nextToken",
    reason: "must be a string",
    run: (value) => list({ nextToken: value })
  },
  { name: "list size", field: "size", reason: integerReason(1, 100), run: (value) => list({ size: value }) },
  {
    name: "list type",
    field: "type",
    reason: "must be one of \"Workflow\", \"Job\"",
    run: (value) => list({ type: value })
  },
  {
    name: "list orderByTime",
    field: "orderByTime",
    reason: "must be one of \"Desc\", \"Asc\"",
    run: (value) => list({ orderByTime: value })
  },
  {
    name: "list states",
    field: "states",
    reason: "must be a non-empty array of job states",
    run: (value) => list({ states: value })
  },
  { name: "list states item", field: "states[0]", reason: stateReason, run: (value) => list({ states: [value] }) },
  {
    name: "list startCreationTime",
    field: "startCreationTime",
    reason: "must be a Date",
    run: (value) => list({ startCreationTime: value })
  },
  {
    name: "list endCreationTime",
    field: "endCreationTime",
    reason: "must be a Date",
    run: (value) => list({ endCreationTime: value })
  },
  {
    name: "list workflowId",
    field: "workflowId",
    reason: "must be a string",
    run: (value) => list({ workflowId: value })
  },
  { name: "list jobId", field: "jobId", reason: jobIdReason, run: (value) => list({ jobId: value }) },
  { name: "list name", field: "name", reason: "must be a string", run: (value) => list({ name: value }) },
  {
    name: "listAll options",
    field: "options",
    reason: "must be an object",
    run: (value) => Stream.runDrain(BatchJobs.listAll(value)),
    accepts: ["object"]
  },
  {
    name: "listAll limit",
    field: "limit",
    reason: integerReason(1, Number.MAX_SAFE_INTEGER),
    run: (value) => Stream.runDrain(BatchJobs.listAll({ limit: value }))
  },
  {
    name: "listPages options",
    field: "options",
    reason: "must be an object",
    run: (value) => Stream.runDrain(BatchJobs.listPages(value)),
    accepts: ["object"]
  },
  {
    name: "cancelMany ids",
    field: "jobIds",
    reason: "must be an iterable of job ids, such as an array",
    run: (value) => BatchJobs.cancelMany(value)
  },
  {
    name: "cancelMany id",
    field: "jobIds[1]",
    reason: jobIdReason,
    run: (value) => BatchJobs.cancelMany([jobId, value])
  },
  {
    name: "cancelMany options",
    field: "options",
    reason: "must be an object",
    run: (value) => BatchJobs.cancelMany([jobId], value),
    accepts: ["object"]
  },
  {
    name: "cancelMany concurrency",
    field: "concurrency",
    reason: integerReason(1, 64),
    run: (value) => BatchJobs.cancelMany([jobId], { concurrency: value })
  },
  {
    name: "cancelMany onOutcome",
    field: "onOutcome",
    reason: "must be a function",
    run: (value) => BatchJobs.cancelMany([jobId], { onOutcome: value }),
    accepts: ["function"]
  },
  { name: "create request", field: "request", reason: "must be an object", run: create, accepts: ["object"] },
  { name: "create name", field: "name", reason: "must be a string", run: (value) => create({ ...job, name: value }) },
  {
    name: "create type",
    field: "type",
    reason: "must be \"Workflow\" or \"Job\"",
    run: (value) => create({ ...job, type: value })
  },
  {
    name: "create input",
    field: "input",
    reason: "must be an object with one of manifest, urlFile, prefix or object",
    run: (value) => create({ ...job, input: value }),
    accepts: ["object"]
  },
  {
    name: "create input.prefix",
    field: "input.prefix",
    reason: "must be a string",
    run: (value) => create({ ...job, input: { prefix: value } })
  },
  {
    name: "create timeInterval",
    field: "timeInterval",
    reason: "must be an object with start and/or end",
    run: (value) => create({ ...job, timeInterval: value }),
    accepts: ["object"]
  },
  {
    name: "create timeInterval.start",
    field: "timeInterval.start",
    reason: "must be a Date",
    run: (value) => create({ ...job, timeInterval: { start: value } })
  },
  {
    name: "create workflowIds",
    field: "workflowIds",
    reason: "must be a string",
    run: (value) => create({ ...workflow, workflowIds: value })
  },
  { name: "create tag", field: "tag", reason: "must be a string", run: (value) => create({ ...job, tag: value }) },
  {
    name: "create snapshot",
    field: "snapshot",
    reason: "must be an object",
    run: (value) => create({ ...job, snapshot: value }),
    accepts: ["object"]
  },
  {
    name: "create snapshot.mode",
    field: "snapshot.mode",
    reason: "must be a string",
    run: (value) => create({ ...job, snapshot: { mode: value } })
  },
  {
    name: "create snapshot.count",
    field: "snapshot.count",
    reason: integerReason(1, Number.MAX_SAFE_INTEGER),
    run: (value) => create({ ...job, snapshot: { count: value } })
  },
  {
    name: "create snapshot.isCheckBlack",
    field: "snapshot.isCheckBlack",
    reason: "must be true or false",
    run: (value) => create({ ...job, snapshot: { isCheckBlack: value } })
  },
  {
    name: "create transcode.video.fps",
    field: "transcode.video.fps",
    reason: `must be a number from 0 to ${Number.MAX_SAFE_INTEGER}`,
    run: (value) => create({ ...job, transcode: { video: { fps: value } } })
  },
  {
    name: "create jobLevel",
    field: "jobLevel",
    reason: integerReason(0, Number.MAX_SAFE_INTEGER),
    run: (value) => create({ ...job, jobLevel: value })
  },
  {
    name: "create watermarkTemplateIds",
    field: "watermarkTemplateIds",
    reason: "must be an array of template ids",
    run: (value) => create({ ...job, watermarkTemplateIds: value })
  },
  {
    name: "create jobParam",
    field: "jobParam",
    reason: "must be an object of JobParam elements",
    run: (value) => create({ ...job, jobParam: value }),
    accepts: ["object"]
  },
  {
    name: "create jobParam child",
    field: "jobParam.Watermark",
    reason: "must be text, an object or an array",
    run: (value) => create({ ...job, jobParam: { Watermark: value } }),
    accepts: ["object"]
  },
  {
    name: "create output",
    field: "output",
    reason: "must be an object with region, bucket and object",
    run: (value) => create({ ...job, output: value }),
    accepts: ["object"]
  },
  {
    name: "create output.region",
    field: "output.region",
    reason: "must be a string",
    run: (value) => create({ ...job, output: { region: value, bucket: "b-1250000000", object: "o" } })
  }
]

const kindOf = (value: unknown): Kind | undefined => {
  if (typeof value === "function") {
    return "function"
  }
  return typeof value === "object" ? "object" : undefined
}

describe("arguments of the wrong type", () => {
  for (const entryPoint of entryPoints) {
    for (const [kind, value, shown] of values) {
      const valueKind = kindOf(value)
      if (valueKind !== undefined && entryPoint.accepts?.includes(valueKind)) {
        continue
      }
      it.effect(`${entryPoint.name} rejects ${kind} without a request`, () =>
        Effect.gen(function*() {
          const result = yield* runWithClock(Effect.either(entryPoint.run(value)))
          const sent = yield* TestHttpClient.requests
          expect(sent).toHaveLength(0)
          expect(failure(result)).toStrictEqual(
            new CiInvalidInput({ field: entryPoint.field, value: shown, reason: entryPoint.reason })
          )
        }).pipe(Effect.provide(stubLayer(() => jobResponse(jobId, "Success")))))
    }
  }
})
