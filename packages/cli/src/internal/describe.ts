import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import { clientLayer, connection } from "./connection.js"
import { jobDetailLines, jobJson } from "./format.js"
import { type OutputFormat, outputOption, printJson, printLines } from "./output.js"
import { reportFailures } from "./report.js"

/** @internal */
export const jobIdDescription = "Batch job id, such as b0123456789abcdef0123456789abcdef0."

/**
 * Prints one job: `label: value` lines, or the job object in JSON.
 *
 * @internal
 */
export const printJob = (format: OutputFormat, job: BatchJob.BatchJob): Effect.Effect<void> =>
  format === "json" ? printJson(jobJson(job)) : printLines(jobDetailLines(job))

/** @internal */
export const describe = Command.make(
  "describe",
  {
    jobId: Args.text({ name: "jobId" }).pipe(Args.withDescription(jobIdDescription)),
    output: outputOption,
    ...connection
  },
  (options) =>
    BatchJobs.describe(options.jobId).pipe(
      Effect.flatMap((job) => printJob(options.output, job)),
      Effect.provide(clientLayer(options)),
      reportFailures(options.output)
    )
).pipe(
  Command.withDescription(
    "Show one batch job (GET /inventorytriggerjob/<jobId>): name, type, state, error code and message, times, " +
      "progress, tag, queue, input and user data."
  )
)
