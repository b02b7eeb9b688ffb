import * as CiClient from "@effect-cos/http/CiClient"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Credentials from "@effect-cos/http/Credentials"
import * as Options from "@effect/cli/Options"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
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

const timeout = Options.text("timeout").pipe(
  Options.withDescription("Seconds one attempt may take, from connecting to the end of the response. Default: 30."),
  Options.optional
)

/**
 * The options every `jobs` command takes to reach CI.
 *
 * @internal
 */
export const connection = { bucket, region, endpoint, timeout }

/** @internal */
export interface ConnectionOptions {
  readonly bucket: string
  readonly region: string
  readonly endpoint: Option.Option<string>
  readonly timeout: Option.Option<string>
}

// A plain decimal number of seconds: no hex, no exponent, nothing a typo could turn into another value.
const secondsPattern = /^\d{1,9}(?:\.\d{1,3})?$/

/**
 * Reads an option given in seconds, such as `--timeout 2.5`, as milliseconds. Fails with the value
 * as the user typed it.
 *
 * @internal
 */
export const parseSeconds = (option: string, value: string): Either.Either<number, CiInvalidInput> => {
  const seconds = Number(value)
  if (!secondsPattern.test(value) || seconds <= 0) {
    return Either.left(
      new CiInvalidInput({
        field: option,
        value,
        reason: "must be a positive number of seconds, such as 10 or 2.5"
      })
    )
  }
  return Either.right(Math.round(seconds * 1000))
}

/**
 * Checks an integer option against its range, naming the flag. An absent option passes.
 *
 * @internal
 */
export const checkIntegerOption = (
  option: string,
  value: Option.Option<number>,
  min: number,
  max: number
): Effect.Effect<void, CiInvalidInput> =>
  Option.isSome(value) && (value.value < min || value.value > max) ?
    Effect.fail(
      new CiInvalidInput({
        field: option,
        value: String(value.value),
        reason: `must be an integer from ${min} to ${max}`
      })
    ) :
    Effect.void

/**
 * A CiClient for the options of one command, with credentials from the environment.
 *
 * @internal
 */
export const clientLayer = (options: ConnectionOptions) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const timeoutMillis = Option.isNone(options.timeout) ?
        undefined :
        yield* parseSeconds("--timeout", options.timeout.value)
      // The same variables, in the same order, as CiClient.layerConfig reads.
      const credentials = yield* Credentials.config()
      return CiClient.layer({
        bucket: options.bucket,
        region: options.region,
        endpoint: Option.getOrUndefined(options.endpoint),
        timeout: timeoutMillis,
        credentials
      })
    })
  ).pipe(Layer.provide(FetchHttpClient.layer))
