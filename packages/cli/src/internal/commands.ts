import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

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

const timeout = Options.float("timeout").pipe(
  Options.withDescription("Seconds one attempt may take, from connecting to the end of the response. Default: 30."),
  Options.optional
)

const connection = { bucket, region, endpoint, timeout }

type ConnectionOptions = {
  readonly bucket: string
  readonly region: string
  readonly endpoint: Option.Option<string>
  readonly timeout: Option.Option<number>
}

const jobId = Args.text({ name: "jobId" }).pipe(
  Args.withDescription("Batch job id, such as b0123456789abcdef0123456789abcdef0.")
)

/**
 * A CiClient for the options of one command, with credentials from the environment.
 *
 * @internal
 */
export const clientLayer = (options: ConnectionOptions) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const credentials = yield* Config.all({
        secretId: Config.string("COS_SECRET_ID"),
        secretKey: Config.redacted("COS_SECRET_KEY"),
        sessionToken: Config.option(Config.redacted("COS_SESSION_TOKEN"))
      })
      return CiClient.layer({
        bucket: options.bucket,
        region: options.region,
        endpoint: Option.getOrUndefined(options.endpoint),
        timeout: Option.getOrUndefined(Option.map(options.timeout, (seconds) => seconds * 1000)),
        credentials: {
          secretId: credentials.secretId,
          secretKey: credentials.secretKey,
          sessionToken: Option.getOrUndefined(credentials.sessionToken)
        }
      })
    })
  ).pipe(Layer.provide(FetchHttpClient.layer))

const cancel = Command.make("cancel", { jobId, ...connection }, (options) =>
  BatchJobs.cancel(options.jobId).pipe(
    Effect.flatMap(({ requestId }) =>
      Console.log(`Cancelled batch job ${options.jobId}. request id: ${requestId ?? "(none)"}`)
    ),
    Effect.provide(clientLayer(options))
  )).pipe(
    Command.withDescription(
      "Cancel a batch job (PUT /inventorytriggerjob/<jobId>?cancel). Prints the request id. Reads the " +
        "credentials from COS_SECRET_ID, COS_SECRET_KEY and, for temporary credentials, COS_SESSION_TOKEN."
    )
  )

const describe = Command.make("describe", { jobId, ...connection }, (options) =>
  BatchJobs.describe(options.jobId).pipe(
    Effect.flatMap((job) =>
      Console.log(
        [
          `job id:        ${job.jobId}`,
          `name:          ${job.name ?? ""}`,
          `type:          ${job.type ?? ""}`,
          `state:         ${job.state}`,
          `code:          ${job.code ?? ""}`,
          `message:       ${job.message ?? ""}`,
          `created:       ${job.creationTime?.toISOString() ?? "-"}`,
          `started:       ${job.startTime?.toISOString() ?? "-"}`,
          `ended:         ${job.endTime?.toISOString() ?? "-"}`,
          `progress:      ${job.progress === undefined ? "-" : `${job.progress}%`}`
        ].join("\n")
      )
    ),
    Effect.provide(clientLayer(options))
  )).pipe(Command.withDescription("Show one batch job (GET /inventorytriggerjob/<jobId>)."))

const jobs = Command.make("jobs").pipe(
  Command.withDescription("Batch data processing jobs (/inventorytriggerjob)."),
  Command.withSubcommands([cancel, describe])
)

/** @internal */
export const command = Command.make("cos-ci").pipe(
  Command.withDescription("Tencent Cloud CI (数据万象) batch jobs from the command line."),
  Command.withSubcommands([jobs])
)
