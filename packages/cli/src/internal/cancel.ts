import * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { confirm } from "./confirm.js"
import { checkIntegerOption, clientLayer, connection } from "./connection.js"
import { jobIdDescription } from "./describe.js"
import { displayText, jobJson, jobTable } from "./format.js"
import { optionalRepeated } from "./options.js"
import {
  type OutputFormat,
  outputOption,
  printErrorLine,
  printErrorLines,
  printJson,
  printLine,
  printLines,
  terminal
} from "./output.js"
import { makeProgress } from "./progress.js"
import {
  CancelFailed,
  CommandFailed,
  errorJson,
  ExitCode,
  type Report,
  report,
  reportFailures,
  UsageError
} from "./report.js"

const cancellableStates = ["Submitted", "Running", "Pause"] as const

// How many of the selected jobs the confirmation prompt shows; --dry-run lists them all.
const previewRows = 10

const cancelOptions = {
  jobIds: Args.text({ name: "jobId" }).pipe(
    Args.withDescription(`${jobIdDescription} Give one or more ids, or a filter instead.`),
    Args.repeated,
    // Optional only for the brackets in --help, as optionalRepeated does for options.
    Args.optional,
    Args.map(Option.getOrElse((): ReadonlyArray<string> => []))
  ),
  state: Options.choice("state", cancellableStates).pipe(
    Options.withDescription(
      "Filter: cancel the jobs in this state. Repeat the option for several states. " +
        "Default with another filter: Submitted, Running and Pause."
    ),
    optionalRepeated
  ),
  name: Options.text("name").pipe(
    Options.withDescription("Filter: cancel the unfinished jobs with exactly this name."),
    Options.optional
  ),
  workflowId: Options.text("workflow-id").pipe(
    Options.withDescription("Filter: cancel the unfinished jobs that run this workflow."),
    Options.optional
  ),
  yes: Options.boolean("yes").pipe(
    Options.withAlias("y"),
    Options.withDescription("With a filter: cancel without asking. Required when stdin is not a terminal.")
  ),
  dryRun: Options.boolean("dry-run").pipe(
    Options.withDescription("Print the jobs that would be cancelled, and send no cancel request.")
  ),
  concurrency: Options.integer("concurrency").pipe(
    Options.withDescription("With several jobs: how many cancels run at once, 1 to 64. Default: 4."),
    Options.withDefault(4)
  ),
  output: outputOption,
  ...connection
}

type CancelCommandOptions = Command.Command.ParseConfig<typeof cancelOptions>

/** The outcome of one job, with the job as the filter's listing returned it, if there was a listing. */
interface JobOutcome extends BatchJobs.CancelOutcome {
  readonly job: BatchJob.BatchJob | undefined
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`

// A filter's job ids come from CI's listing, so they are escaped like every other text from CI.
const cancelledLine = (jobId: string, requestId: string | undefined) => {
  const shownRequestId = requestId === undefined ? "(none)" : displayText(requestId)
  return `Cancelled batch job ${displayText(jobId)}. request id: ${shownRequestId}`
}

// Transport failures rank above service errors, so that a script retries a run that could not reach CI.
const worstExitCode = (codes: ReadonlyArray<ExitCode>): ExitCode =>
  codes.reduce<ExitCode>((worst, code) => (code > worst ? code : worst), ExitCode.Success)

const outcomeJson = (outcome: JobOutcome, dryRun: boolean) => ({
  jobId: outcome.jobId,
  cancelled: !dryRun && Either.isRight(outcome.result),
  requestId: Either.isRight(outcome.result) ? outcome.result.right.requestId ?? null : null,
  error: Either.isLeft(outcome.result) ? errorJson(outcome.result.left) : null,
  job: outcome.job === undefined ? null : jobJson(outcome.job)
})

/**
 * Reports a failed outcome. A listed job whose id breaks the rule is a fault of CI's listing, not of
 * the command line, so it exits with the code of an unusable response (3), not that of invalid input (2).
 */
const reportOutcome = (outcome: JobOutcome, error: BatchJobs.CancelError): Report => {
  const failure = report(error)
  return outcome.job !== undefined && error._tag === "CiInvalidInput" ?
    { ...failure, exitCode: ExitCode.ServiceError } :
    failure
}

const printResultsJson = (outcomes: ReadonlyArray<JobOutcome>, dryRun: boolean) =>
  printJson({ dryRun, results: outcomes.map((outcome) => outcomeJson(outcome, dryRun)) })

/**
 * Reports every outcome: successes on stdout, failures on stderr, or all of them as JSON. Fails
 * with `CancelFailed` when a cancel failed.
 */
const printOutcomes = (format: OutputFormat, outcomes: ReadonlyArray<JobOutcome>) =>
  Effect.gen(function*() {
    const codes: Array<ExitCode> = []
    for (const outcome of outcomes) {
      const result = outcome.result
      if (Either.isRight(result)) {
        if (format === "table") {
          yield* printLine(cancelledLine(outcome.jobId, result.right.requestId))
        }
        continue
      }
      const failure = reportOutcome(outcome, result.left)
      codes.push(failure.exitCode)
      if (format === "json") {
        continue
      }
      if (outcomes.length === 1) {
        yield* printErrorLines(failure.lines)
      } else {
        yield* printErrorLine(`error: batch job ${displayText(outcome.jobId)} was not cancelled`)
        yield* printErrorLines(failure.lines.map((line) => `  ${line}`))
      }
    }
    if (format === "json") {
      yield* printResultsJson(outcomes, false)
    }
    if (codes.length > 0) {
      return yield* new CancelFailed({ failed: codes.length, total: outcomes.length, exitCode: worstExitCode(codes) })
    }
  })

/** Cancels the jobs, with a progress bar on a terminal. */
const cancelJobs = (jobIds: ReadonlyArray<string>, concurrency: number) =>
  Effect.gen(function*() {
    const progress = yield* makeProgress("Cancelling", new Set(jobIds).size)
    return yield* BatchJobs.cancelMany(jobIds, { concurrency, onOutcome: () => progress.advance }).pipe(
      Effect.ensuring(progress.finish)
    )
  })

/** The error `cancelMany` gives an id that breaks the job id rule, under `field`. */
const invalidJobId = (field: string, jobId: string) =>
  new CiInvalidInput({
    field,
    value: jobId,
    reason: "must be 1 to 128 characters, each a letter, a digit or \"-\""
  })

/** Checks ids the way `cancelMany` does, for a dry run that sends nothing. */
const checkJobIds = (jobIds: ReadonlyArray<string>) =>
  Effect.forEach(jobIds, (jobId, index) =>
    BatchJob.jobIdPattern.test(jobId) ?
      Effect.succeed(jobId) :
      Effect.fail(invalidJobId(`jobIds[${index}]`, jobId))).pipe(Effect.map((ids) => [...new Set(ids)]))

const dryRunOutcome = (jobId: string, job: BatchJob.BatchJob | undefined): JobOutcome => ({
  jobId,
  job,
  result: Either.right({ requestId: undefined })
})

const cancelByIds = (options: CancelCommandOptions) =>
  Effect.gen(function*() {
    const jobIds = options.jobIds
    if (options.dryRun) {
      const checked = yield* checkJobIds(jobIds)
      if (options.output === "json") {
        return yield* printResultsJson(checked.map((jobId) => dryRunOutcome(jobId, undefined)), true)
      }
      yield* printLines(checked.map((jobId) => `Would cancel batch job ${jobId}.`))
      return yield* printErrorLine("Dry run: no cancel request was sent.")
    }

    if (jobIds.length === 1) {
      // One id keeps the field name jobId in a validation error, which then fails the command as a whole.
      const [jobId] = jobIds
      const result = yield* Effect.either(BatchJobs.cancel(jobId))
      if (Either.isLeft(result) && result.left._tag === "CiInvalidInput") {
        return yield* result.left
      }
      return yield* printOutcomes(options.output, [{ jobId, result, job: undefined }])
    }
    const outcomes = yield* cancelJobs(jobIds, options.concurrency)
    yield* printOutcomes(options.output, outcomes.map((outcome) => ({ ...outcome, job: undefined })))
  })

/** Shows the selected jobs on stderr and returns whether the user confirmed cancelling them. */
const askToCancel = (jobs: ReadonlyArray<BatchJob.BatchJob>) =>
  Effect.gen(function*() {
    yield* printErrorLines(jobTable(jobs.slice(0, previewRows)))
    if (jobs.length > previewRows) {
      yield* printErrorLine(`… and ${jobs.length - previewRows} more. --dry-run lists them all.`)
    }
    return yield* confirm(`Cancel ${plural(jobs.length, "batch job")}? [y/N] `)
  })

/**
 * Splits a filter's listing into its distinct jobs in listing order, the jobs to cancel, and a
 * failed outcome for each job whose id breaks the job id rule. `cancelMany` would reject the whole
 * call for one such id, so these are left out of it and each fails on its own.
 */
const splitListedJobs = (jobs: ReadonlyArray<BatchJob.BatchJob>) => {
  const unique = [...new Map(jobs.map((job) => [job.jobId, job])).values()]
  const valid = unique.filter((job) => BatchJob.jobIdPattern.test(job.jobId))
  const invalid = new Map(
    unique
      .filter((job) => !BatchJob.jobIdPattern.test(job.jobId))
      .map((job): [string, JobOutcome] => [
        job.jobId,
        { jobId: job.jobId, job, result: Either.left(invalidJobId("jobId", job.jobId)) }
      ])
  )
  return { unique, valid, invalid }
}

/** Prints a dry run of a filter: the jobs that would be cancelled, and a failure for each that could not be. */
const printFilterDryRun = (
  format: OutputFormat,
  unique: ReadonlyArray<BatchJob.BatchJob>,
  valid: ReadonlyArray<BatchJob.BatchJob>,
  invalid: ReadonlyMap<string, JobOutcome>
) =>
  Effect.gen(function*() {
    const outcomes = unique.map((job) => invalid.get(job.jobId) ?? dryRunOutcome(job.jobId, job))
    const failures = [...invalid.values()].flatMap((outcome) =>
      Either.isLeft(outcome.result) ? [{ outcome, failure: reportOutcome(outcome, outcome.result.left) }] : []
    )
    if (format === "json") {
      yield* printResultsJson(outcomes, true)
    } else {
      if (valid.length > 0) {
        yield* printLines(jobTable(valid))
      }
      for (const { failure, outcome } of failures) {
        yield* printErrorLine(`error: batch job ${displayText(outcome.jobId)} would not be cancelled`)
        yield* printErrorLines(failure.lines.map((line) => `  ${line}`))
      }
      yield* printErrorLine(
        `Dry run: ${plural(valid.length, "batch job")} would be cancelled. No cancel request was sent.`
      )
    }
    if (failures.length > 0) {
      // Each failure has been printed with its job.
      return yield* new CommandFailed({ exitCode: worstExitCode(failures.map(({ failure }) => failure.exitCode)) })
    }
  })

const cancelByFilter = (options: CancelCommandOptions) =>
  Effect.gen(function*() {
    const format = options.output
    if (!options.dryRun && !options.yes && !(yield* terminal).stdin) {
      return yield* new UsageError({
        message: "cancelling the jobs a filter selects needs a confirmation, and stdin is not a terminal: " +
          "add --yes to cancel them, or --dry-run to list them first"
      })
    }

    const listed = yield* BatchJobs.listAll({
      states: options.state.length === 0 ? cancellableStates : options.state,
      name: Option.getOrUndefined(options.name),
      workflowId: Option.getOrUndefined(options.workflowId),
      size: 100
    }).pipe(Stream.runCollect)
    const jobs = Chunk.toReadonlyArray(listed)

    if (jobs.length === 0) {
      return yield* format === "json" ?
        printResultsJson([], options.dryRun) :
        printErrorLine("No batch jobs match the filter. Nothing was cancelled.")
    }
    const { invalid, unique, valid } = splitListedJobs(jobs)
    if (options.dryRun) {
      return yield* printFilterDryRun(format, unique, valid, invalid)
    }
    if (!options.yes && !(yield* askToCancel(jobs))) {
      return yield* format === "json" ? printResultsJson([], false) : printErrorLine("Nothing was cancelled.")
    }

    const cancelled = valid.length === 0 ? [] : yield* cancelJobs(valid.map((job) => job.jobId), options.concurrency)
    const cancelledById = new Map(cancelled.map((outcome) => [outcome.jobId, outcome]))
    const outcomes = unique.map((job): JobOutcome =>
      invalid.get(job.jobId) ?? { ...cancelledById.get(job.jobId)!, job }
    )
    yield* printOutcomes(format, outcomes)
  })

/** @internal */
export const cancel = Command.make("cancel", cancelOptions, (options) =>
  Effect.gen(function*() {
    // Checked before anything is sent, because a filter sends its list requests before any cancel.
    yield* checkIntegerOption("--concurrency", Option.some(options.concurrency), 1, 64)
    const hasFilter = options.state.length > 0 || Option.isSome(options.name) || Option.isSome(options.workflowId)
    if (options.jobIds.length > 0 && hasFilter) {
      return yield* new UsageError({ message: "give job ids or a filter (--state, --name, --workflow-id), not both" })
    }
    if (options.jobIds.length === 0 && !hasFilter) {
      return yield* new UsageError({
        message: "give the ids of the jobs to cancel, or a filter: --state, --name or --workflow-id"
      })
    }
    yield* hasFilter ? cancelByFilter(options) : cancelByIds(options)
  }).pipe(
    Effect.provide(clientLayer(options)),
    reportFailures(options.output)
  )).pipe(
    Command.withDescription(
      "Cancel batch jobs (PUT /inventorytriggerjob/<jobId>?cancel) given by id, or selected by a filter " +
        "(--state, --name, --workflow-id) from a listing of the unfinished jobs. A filter asks for confirmation " +
        "on a terminal, and needs --yes elsewhere. Prints the request id of each cancel and reports each failure " +
        "with its job. Reads the credentials from COS_SECRET_ID, COS_SECRET_KEY and, for temporary credentials, " +
        "COS_SESSION_TOKEN."
    )
  )
