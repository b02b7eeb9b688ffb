import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import { clientLayer, connection, maxTimerMillis, parseSeconds } from "./connection.js"
import { jobIdDescription, printJob } from "./describe.js"
import { displayText } from "./format.js"
import { type OutputFormat, outputOption, printErrorLine } from "./output.js"
import { BatchJobCancelled, BatchJobFailed, reportFailures } from "./report.js"

const defaultIntervalSeconds = 5
const defaultMaxWaitSeconds = 1800

/**
 * The schedule between describes: every `interval` until `maxWait` has passed since the first
 * describe returned. Both are in milliseconds.
 *
 * @internal
 */
export const waitSchedule = (
  interval: number,
  maxWait: number,
  onPoll: (job: BatchJob.BatchJob) => Effect.Effect<void>
): Schedule.Schedule<unknown, BatchJob.BatchJob> =>
  Schedule.spaced(Duration.millis(interval)).pipe(
    Schedule.upTo(Duration.millis(maxWait)),
    Schedule.tapInput(onPoll)
  )

const statusText = (job: BatchJob.BatchJob) =>
  job.progress === undefined ? displayText(job.state) : `${displayText(job.state)}, ${job.progress}%`

/**
 * Prints a line on stderr each time the state or progress of the waited-for job changes, in
 * table mode only, because in JSON mode stderr contains nothing but an error object.
 */
const makeStatusPrinter = (format: OutputFormat) =>
  Effect.map(Ref.make(""), (lastStatus) => (job: BatchJob.BatchJob) => {
    if (format === "json") {
      return Effect.void
    }
    const status = statusText(job)
    return Effect.flatMap(
      Ref.getAndSet(lastStatus, status),
      (previous) => previous === status ? Effect.void : printErrorLine(`batch job ${displayText(job.jobId)}: ${status}`)
    )
  })

/** @internal */
export const wait = Command.make(
  "wait",
  {
    jobId: Args.text({ name: "jobId" }).pipe(Args.withDescription(jobIdDescription)),
    interval: Options.text("interval").pipe(
      Options.withDescription(`Seconds between two describes of the job. Default: ${defaultIntervalSeconds}.`),
      Options.withDefault(String(defaultIntervalSeconds))
    ),
    maxWait: Options.text("max-wait").pipe(
      Options.withDescription(
        "Seconds to keep describing the job after the first describe. When they run out, the command exits " +
          `with code 7 and the job goes on. Default: ${defaultMaxWaitSeconds} (30 minutes).`
      ),
      Options.withDefault(String(defaultMaxWaitSeconds))
    ),
    output: outputOption,
    ...connection
  },
  (options) =>
    Effect.gen(function*() {
      // The interval is a timer, unlike --max-wait, which is only compared with the time elapsed.
      const interval = yield* parseSeconds("--interval", options.interval, maxTimerMillis)
      const maxWait = yield* parseSeconds("--max-wait", options.maxWait)
      const printStatus = yield* makeStatusPrinter(options.output)

      const job = yield* BatchJobs.awaitJob(options.jobId, { schedule: waitSchedule(interval, maxWait, printStatus) })
      yield* printJob(options.output, job)
      if (job.state === "Failed") {
        return yield* new BatchJobFailed({ job })
      }
      if (job.state === "Cancel") {
        return yield* new BatchJobCancelled({ job })
      }
    }).pipe(
      Effect.provide(clientLayer(options)),
      reportFailures(options.output)
    )
).pipe(
  Command.withDescription(
    "Wait for a batch job to finish: describe it every --interval seconds until it reaches Success, Failed or " +
      "Cancel, then print it. Exits with 0 for Success, 5 for Failed, 6 for Cancel and 7 when --max-wait runs out."
  )
)
