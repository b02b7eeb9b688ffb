import * as CiClient from "@effect-cos/http/CiClient"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Credentials from "@effect-cos/http/Credentials"
import * as Options from "@effect/cli/Options"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
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

/**
 * A timeout as given, with where it came from, so that an invalid value is reported under that name.
 *
 * @internal
 */
export interface TimeoutSetting {
  readonly source: "--timeout" | "COS_CI_TIMEOUT"
  readonly value: string
}

const timeout = Options.text("timeout").pipe(
  Options.withDescription(
    "Seconds one attempt may take, from connecting to the end of the response. Default: $COS_CI_TIMEOUT, else 30."
  ),
  Options.map((value): TimeoutSetting => ({ source: "--timeout", value })),
  Options.withFallbackConfig(
    Config.map(Config.string("COS_CI_TIMEOUT"), (value): TimeoutSetting => ({ source: "COS_CI_TIMEOUT", value }))
  ),
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
  readonly timeout: Option.Option<TimeoutSetting>
}

// A plain decimal number: no sign, hex, exponent or spaces, nothing a typo could turn into another value.
const secondsPattern = /^(\d+)(?:\.(\d+))?$/

/**
 * The maximum delay of a Node.js timer, 2^31 - 1 milliseconds (about 24.9 days). setTimeout fires
 * a longer delay at once, and Effect's clock never fires it.
 *
 * @internal
 */
export const maxTimerMillis = 2 ** 31 - 1

const maxSecondsMillis = 999_999_999_999

const millisPerDay = 86_400_000

const maxReason = (maxMillis: number) =>
  maxMillis >= millisPerDay ?
    `must be at most ${maxMillis / 1000} seconds (about ${(maxMillis / millisPerDay).toFixed(1)} days)` :
    `must be at most ${maxMillis / 1000} seconds`

/**
 * Reads an option given in seconds, such as `--timeout 2.5`, as milliseconds: a decimal number
 * greater than 0, with at most 3 decimal places, and at most `maxMillis`. Fails with the value as
 * the user typed it.
 *
 * @internal
 */
export const parseSeconds = (
  option: string,
  value: string,
  maxMillis: number = maxSecondsMillis
): Either.Either<number, CiInvalidInput> => {
  const invalid = (reason: string) => Either.left(new CiInvalidInput({ field: option, value, reason }))
  const match = secondsPattern.exec(value)
  if (match === null) {
    return invalid("must be a number of seconds, such as 10 or 2.5")
  }
  const [, whole, fraction = ""] = match
  if (fraction.length > 3) {
    return invalid("must have at most 3 decimal places, because it is read to the millisecond")
  }
  // Whole milliseconds, so that the comparisons below are exact.
  const millis = Number(whole) * 1000 + Number(fraction.padEnd(3, "0"))
  if (millis === 0) {
    return invalid("must be greater than 0")
  }
  if (millis > maxMillis) {
    return invalid(maxReason(maxMillis))
  }
  return Either.right(millis)
}

/**
 * Reads the timeout, from `--timeout` or else `COS_CI_TIMEOUT`, as milliseconds. The variable
 * may also contain an Effect duration such as `10 seconds`, the form `CiClient.layerConfig` reads,
 * so that one environment serves both the library and `cos-ci`. Both accept the same texts:
 * seconds with at most 3 decimal places, or a duration of at least 1 millisecond, neither with
 * spaces around it, and at most 2147483.647 seconds.
 *
 * @internal
 */
export const parseTimeout = (setting: TimeoutSetting): Either.Either<number, CiInvalidInput> => {
  if (setting.source === "--timeout" || secondsPattern.test(setting.value)) {
    return parseSeconds(setting.source, setting.value, maxTimerMillis)
  }
  const duration = Duration.decodeUnknown(setting.value)
  if (Option.isNone(duration)) {
    return Either.left(
      new CiInvalidInput({
        field: setting.source,
        value: setting.value,
        reason: "must be a number of seconds, such as 10 or 2.5, or a duration such as \"10 seconds\""
      })
    )
  }
  const millis = Duration.toMillis(duration.value)
  if (millis < 1 || millis > maxTimerMillis) {
    return Either.left(
      new CiInvalidInput({
        field: setting.source,
        value: setting.value,
        reason: `must be from 1 millisecond to ${maxTimerMillis / 1000} seconds`
      })
    )
  }
  return Either.right(millis)
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
      const timeoutMillis = Option.isNone(options.timeout) ? undefined : yield* parseTimeout(options.timeout.value)
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
