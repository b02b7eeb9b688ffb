import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { CommandFailed, type CommandError, ExitCode, report } from "./report.js"

const bucket = Options.text("bucket").pipe(
  Options.withDescription("Bucket as <BucketName>-<APPID>, such as examplebucket-1250000000. Default: $COS_BUCKET."),
  Options.withFallbackConfig(Config.string("COS_BUCKET"))
)

const region = Options.text("region").pipe(
  Options.withDescription("Region id, such as ap-guangzhou. Default: $COS_REGION."),
  Options.withFallbackConfig(Config.string("COS_REGION"))
)

const endpoint = Options.text("endpoint").pipe(
  Options.withDescription(
    "Send requests to this origin (scheme://host[:port]) instead of " +
      "https://<bucket>.ci.<region>.myqcloud.com, for example a local emulator. Default: $COS_CI_ENDPOINT."
  ),
  Options.withFallbackConfig(Config.string("COS_CI_ENDPOINT")),
  Options.optional
)

const timeout = Options.text("timeout").pipe(
  Options.withDescription("Seconds one attempt may take, from connecting to the end of the response. Default: 30."),
  Options.optional
)

// A plain decimal number of seconds: no hex, no exponent, nothing a typo could turn into another value.
const secondsPattern = /^\d{1,9}(?:\.\d{1,3})?$/

/** Reads `--timeout` as milliseconds, or fails with the value as the user typed it. */
const parseTimeout = (value: Option.Option<string>): Effect.Effect<number | undefined, CiInvalidInput> => {
  if (Option.isNone(value)) {
    return Effect.succeed(undefined)
  }
  const seconds = Number(value.value)
  if (!secondsPattern.test(value.value) || seconds <= 0) {
    return Effect.fail(
      new CiInvalidInput({
        field: "--timeout",
        value: value.value,
        reason: "must be a positive number of seconds, such as 10 or 2.5"
      })
    )
  }
  return Effect.succeed(seconds * 1000)
}

const connection = { bucket, region, endpoint, timeout }

interface ConnectionOptions {
  readonly bucket: string
  readonly region: string
  readonly endpoint: Option.Option<string>
  readonly timeout: Option.Option<string>
}

/**
 * A CiClient for the options of one command, with credentials from the environment.
 *
 * @internal
 */
export const clientLayer = (options: ConnectionOptions) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const timeoutMillis = yield* parseTimeout(options.timeout)
      const credentials = yield* Config.all({
        secretId: Config.string("COS_SECRET_ID"),
        secretKey: Config.redacted("COS_SECRET_KEY"),
        sessionToken: Config.option(Config.redacted("COS_SESSION_TOKEN"))
      })
      return CiClient.layer({
        bucket: options.bucket,
        region: options.region,
        endpoint: Option.getOrUndefined(options.endpoint),
        timeout: timeoutMillis,
        credentials: {
          secretId: credentials.secretId,
          secretKey: credentials.secretKey,
          sessionToken: Option.getOrUndefined(credentials.sessionToken)
        }
      })
    })
  ).pipe(Layer.provide(FetchHttpClient.layer))

const jobIdDescription = "Batch job id, such as b0123456789abcdef0123456789abcdef0."

const concurrency = Options.integer("concurrency").pipe(
  Options.withDescription("With several job ids: how many cancels run at once, 1 to 32. Default: 4."),
  Options.withDefault(4)
)

const cancelledLine = (jobId: string, requestId: string | undefined) =>
  `Cancelled batch job ${jobId}. request id: ${requestId ?? "(none)"}`

// Transport failures rank above service errors, so that a script retries a run that could not reach CI.
const worstExitCode = (codes: ReadonlyArray<ExitCode>): ExitCode =>
  codes.reduce<ExitCode>((worst, code) => (code > worst ? code : worst), ExitCode.Success)

/** Cancels several jobs and reports each one, failing with the exit code of the worst outcome. */
const cancelSeveral = (jobIds: ReadonlyArray<string>, limit: number): Effect.Effect<void, CommandError, CiClient.CiClient> =>
  Effect.gen(function*() {
    const outcomes = yield* BatchJobs.cancelMany(jobIds, { concurrency: limit })
    const codes: Array<ExitCode> = []
    for (const outcome of outcomes) {
      if (outcome.result._tag === "Right") {
        yield* Console.log(cancelledLine(outcome.jobId, outcome.result.right.requestId))
        continue
      }
      const failure = report(outcome.result.left)
      codes.push(failure.exitCode)
      yield* Console.error(`error: batch job ${outcome.jobId} was not cancelled`)
      yield* Effect.forEach(failure.lines, (line) => Console.error(`  ${line}`))
    }
    const exitCode = worstExitCode(codes)
    if (exitCode !== ExitCode.Success) {
      return yield* new CommandFailed({ exitCode })
    }
  })

const cancel = Command.make(
  "cancel",
  {
    jobIds: Args.text({ name: "jobId" }).pipe(Args.withDescription(jobIdDescription), Args.atLeast(1)),
    concurrency,
    ...connection
  },
  (options) => {
    const [first, ...others] = options.jobIds
    const run: Effect.Effect<void, CommandError, CiClient.CiClient> = others.length === 0 ?
      Effect.flatMap(BatchJobs.cancel(first), ({ requestId }) => Console.log(cancelledLine(first, requestId))) :
      cancelSeveral(options.jobIds, options.concurrency)
    return Effect.provide(run, clientLayer(options))
  }
).pipe(
  Command.withDescription(
    "Cancel batch jobs (PUT /inventorytriggerjob/<jobId>?cancel). Prints the request id of each cancel. " +
      "With several ids, every id is checked before any request and each job is reported on its own line. " +
      "Reads the credentials from COS_SECRET_ID, COS_SECRET_KEY and, for temporary credentials, COS_SESSION_TOKEN."
  )
)

const formatTime = (date: Date | undefined) => date?.toISOString() ?? "-"

const describeLines = (job: BatchJob.BatchJob): ReadonlyArray<string> => [
  `job id:        ${job.jobId}`,
  `name:          ${job.name ?? ""}`,
  `type:          ${job.type ?? ""}`,
  `state:         ${job.state}`,
  `code:          ${job.code ?? ""}`,
  `message:       ${job.message ?? ""}`,
  `created:       ${formatTime(job.creationTime)}`,
  `started:       ${formatTime(job.startTime)}`,
  `ended:         ${formatTime(job.endTime)}`,
  `progress:      ${job.progress === undefined ? "-" : `${job.progress}%`}`
]

const describe = Command.make(
  "describe",
  { jobId: Args.text({ name: "jobId" }).pipe(Args.withDescription(jobIdDescription)), ...connection },
  (options) =>
    BatchJobs.describe(options.jobId).pipe(
      Effect.flatMap((job) => Console.log(describeLines(job).join("\n"))),
      Effect.provide(clientLayer(options))
    )
).pipe(Command.withDescription("Show one batch job (GET /inventorytriggerjob/<jobId>)."))

const states = ["Submitted", "Running", "Success", "Failed", "Pause", "Cancel"] as const

const list = Command.make(
  "list",
  {
    state: Options.choice("state", states).pipe(
      Options.withDescription("Only jobs in this state. Repeat the option for several states. Default: all states."),
      Options.repeated
    ),
    type: Options.choice("type", ["Workflow", "Job"] as const).pipe(
      Options.withDescription("Only batch jobs of this kind."),
      Options.optional
    ),
    workflowId: Options.text("workflow-id").pipe(
      Options.withDescription("Only jobs that run this workflow."),
      Options.optional
    ),
    name: Options.text("name").pipe(Options.withDescription("Only jobs with exactly this name."), Options.optional),
    limit: Options.integer("limit").pipe(
      Options.withDescription("Stop after this many jobs. Default: 100."),
      Options.withDefault(100)
    ),
    ...connection
  },
  (options) =>
    BatchJobs.listAll({
      states: options.state.length === 0 ? undefined : options.state,
      type: Option.getOrUndefined(options.type),
      workflowId: Option.getOrUndefined(options.workflowId),
      name: Option.getOrUndefined(options.name),
      size: 100,
      limit: options.limit
    }).pipe(
      // One line per job as it arrives, so a long listing shows progress and can be piped.
      Stream.runForEach((job) =>
        Console.log([job.jobId, job.state, job.type ?? "-", formatTime(job.creationTime), job.name ?? ""].join("\t"))
      ),
      Effect.provide(clientLayer(options))
    )
).pipe(
  Command.withDescription(
    "List batch jobs, newest first (GET /inventorytriggerjob). Prints one tab-separated line per job: " +
      "id, state, type, creation time and name."
  )
)

const jobs = Command.make("jobs").pipe(
  Command.withDescription("Batch data processing jobs (/inventorytriggerjob)."),
  Command.withSubcommands([cancel, describe, list])
)

/** @internal */
export const command = Command.make("cos-ci").pipe(
  Command.withDescription("Tencent Cloud CI (数据万象) batch jobs from the command line."),
  Command.withSubcommands([jobs])
)
