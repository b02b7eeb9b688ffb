import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { checkIntegerOption, clientLayer, connection } from "./connection.js"
import { displayText, jobJson, jobTable } from "./format.js"
import { optionalRepeated } from "./options.js"
import { outputOption, printErrorLine, printJson, printLines } from "./output.js"
import { reportFailures, UsageError } from "./report.js"
import { parseTimeOption } from "./time.js"

/** @internal */
export const jobStates = ["Submitted", "Running", "Success", "Failed", "Pause", "Cancel"] as const

const defaultPageSize = 100
const defaultLimit = 100

const listOptions = {
  state: Options.choice("state", jobStates).pipe(
    Options.withDescription("Only jobs in this state. Repeat the option for several states. Default: all states."),
    optionalRepeated
  ),
  type: Options.choice("type", ["Workflow", "Job"] as const).pipe(
    Options.withDescription("Only batch jobs of this kind."),
    Options.optional
  ),
  workflowId: Options.text("workflow-id").pipe(
    Options.withDescription("Only jobs that run this workflow."),
    Options.optional
  ),
  jobId: Options.text("job-id").pipe(Options.withDescription("Only the job with this id."), Options.optional),
  name: Options.text("name").pipe(Options.withDescription("Only jobs with exactly this name."), Options.optional),
  since: Options.text("since").pipe(
    Options.withDescription(
      "Only jobs created at or after this time: ISO 8601 with an offset, such as 2026-01-01T00:00:00+08:00, " +
        "or a date, such as 2026-01-01, meaning 00:00:00 UTC. CI compares to the second."
    ),
    Options.optional
  ),
  until: Options.text("until").pipe(
    Options.withDescription(
      "Only jobs created at or before this time, in the form of --since. A date means the end of that day, " +
        "23:59:59 UTC."
    ),
    Options.optional
  ),
  order: Options.choice("order", ["asc", "desc"] as const).pipe(
    Options.withDescription("Order by creation time: asc (oldest first) or desc (newest first). Default: desc."),
    Options.optional
  ),
  size: Options.integer("size").pipe(
    Options.withDescription(`Jobs per request (page), 1 to 100. Default: ${defaultPageSize}.`),
    Options.optional
  ),
  limit: Options.integer("limit").pipe(
    Options.withDescription(
      `Stop after this many jobs, reading as many pages as it takes. Default: ${defaultLimit}. ` +
        "Cannot be combined with --next-token or --single-page."
    ),
    Options.optional
  ),
  nextToken: Options.text("next-token").pipe(
    Options.withDescription(
      "Read the one page that starts at this token, the nextToken of an earlier page, and print the next token."
    ),
    Options.optional
  ),
  singlePage: Options.boolean("single-page").pipe(
    Options.withDescription("Read only the first page and print the token of the next one.")
  ),
  output: outputOption,
  ...connection
}

type ListCommandOptions = Command.Command.ParseConfig<typeof listOptions>

/** The result `list` prints: the jobs, and whether more match. */
interface Listing {
  readonly jobs: ReadonlyArray<BatchJob.BatchJob>
  /** The token of the next page, in single-page mode. */
  readonly nextToken: string | undefined
  /** More jobs match than `jobs` contains. */
  readonly truncated: boolean
}

// The flag behind each field of `BatchJobs.ListOptions`, so that a value the library rejects is
// reported under the name the user typed.
const listOptionFlags: Readonly<Record<string, string>> = {
  states: "--state",
  type: "--type",
  workflowId: "--workflow-id",
  jobId: "--job-id",
  name: "--name",
  startCreationTime: "--since",
  endCreationTime: "--until",
  orderByTime: "--order",
  size: "--size",
  nextToken: "--next-token",
  limit: "--limit"
}

/**
 * Renames the field of a `CiInvalidInput` from a list option to its flag, such as `endCreationTime`
 * to `--until`.
 *
 * @internal
 */
export const withListFlagNames = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.mapError(effect, (error) => {
    if (!(error instanceof CiInvalidInput)) {
      return error
    }
    const flag = Object.hasOwn(listOptionFlags, error.field) ? listOptionFlags[error.field] : undefined
    return flag === undefined
      ? error
      : new CiInvalidInput({ field: flag, value: error.value, reason: error.reason }) as E
  })

/** Turns the filter options into `BatchJobs.ListOptions`, checking what the library cannot name as a flag. */
const toListOptions = (options: ListCommandOptions) =>
  Effect.gen(function*() {
    yield* checkIntegerOption("--size", options.size, 1, 100)
    const since = Option.isSome(options.since) ?
      yield* parseTimeOption("--since", options.since.value, "startOfDay") :
      undefined
    const until = Option.isSome(options.until) ?
      yield* parseTimeOption("--until", options.until.value, "endOfDay") :
      undefined
    if (since !== undefined && until !== undefined && since.getTime() > until.getTime()) {
      return yield* new UsageError({
        message: `--since (${since.toISOString()}) is after --until (${until.toISOString()})`
      })
    }
    const listOptions: BatchJobs.ListOptions = {
      states: options.state.length === 0 ? undefined : options.state,
      type: Option.getOrUndefined(options.type),
      workflowId: Option.getOrUndefined(options.workflowId),
      jobId: Option.getOrUndefined(options.jobId),
      name: Option.getOrUndefined(options.name),
      startCreationTime: since,
      endCreationTime: until,
      orderByTime: Option.getOrUndefined(Option.map(options.order, (order) => order === "asc" ? "Asc" : "Desc")),
      size: Option.getOrElse(options.size, () => defaultPageSize)
    }
    return listOptions
  })

/** Reads one page, from `--next-token` or from the start. */
const listOnePage = (options: ListCommandOptions, listOptions: BatchJobs.ListOptions) =>
  Effect.gen(function*() {
    if (Option.isSome(options.limit)) {
      return yield* new UsageError({
        message: "--limit cannot be combined with --next-token or --single-page: set the page size with --size"
      })
    }
    const page = yield* BatchJobs.list({ ...listOptions, nextToken: Option.getOrUndefined(options.nextToken) })
    const listing: Listing = { jobs: page.jobs, nextToken: page.nextToken, truncated: page.nextToken !== undefined }
    return listing
  })

/** Reads every page until `--limit` jobs. */
const listPages = (options: ListCommandOptions, listOptions: BatchJobs.ListOptions) =>
  Effect.gen(function*() {
    yield* checkIntegerOption("--limit", options.limit, 1, Number.MAX_SAFE_INTEGER - 1)
    const limit = Option.getOrElse(options.limit, () => defaultLimit)
    // Reading one job more than the limit shows whether more jobs match. It costs one more page request
    // only when the limit falls on the last job of a page.
    const jobs = yield* Stream.runCollect(BatchJobs.listAll({ ...listOptions, limit: limit + 1 }))
    const listing: Listing = {
      jobs: Chunk.toReadonlyArray(Chunk.take(jobs, limit)),
      nextToken: undefined,
      truncated: Chunk.size(jobs) > limit
    }
    return listing
  })

const printListing = (options: ListCommandOptions, listing: Listing) => {
  if (options.output === "json") {
    return printJson({
      jobs: listing.jobs.map(jobJson),
      nextToken: listing.nextToken ?? null,
      truncated: listing.truncated
    })
  }
  return Effect.gen(function*() {
    if (listing.jobs.length === 0) {
      yield* printErrorLine("No batch jobs match.")
    } else {
      yield* printLines(jobTable(listing.jobs))
    }
    if (listing.nextToken !== undefined) {
      yield* printErrorLine(`More jobs match. Next page: --next-token ${displayText(listing.nextToken)}`)
    } else if (listing.truncated) {
      yield* printErrorLine(`Stopped after ${listing.jobs.length} jobs, and more match. Raise --limit to see more.`)
    }
  })
}

/** @internal */
export const list = Command.make("list", listOptions, (options) =>
  Effect.gen(function*() {
    const listOptions = yield* toListOptions(options)
    const onePage = options.singlePage || Option.isSome(options.nextToken)
    const listing = yield* withListFlagNames(
      onePage ? listOnePage(options, listOptions) : listPages(options, listOptions)
    )
    yield* printListing(options, listing)
  }).pipe(
    Effect.provide(clientLayer(options)),
    reportFailures(options.output)
  )).pipe(
    Command.withDescription(
      "List batch jobs (GET /inventorytriggerjob), newest first unless --order asc. Reads page after page until " +
        "--limit jobs, or only one page with --single-page or --next-token. Prints a table with a header row: " +
        "job id, type, state, progress, creation time (UTC) and name."
    )
  )
