/**
 * The transport for Tencent Cloud CI: endpoint, signing, timeouts, retries and typed errors on top
 * of any `@effect/platform` `HttpClient`.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as CiError from "./CiError.js"
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- named by {@link} in the docs below
import type * as CiRetry from "./CiRetry.js"
import * as CredentialsModule from "./Credentials.js"
import * as internal from "./internal/client.js"

/**
 * A Tencent Cloud API key pair. See the `Credentials` module for providers of temporary keys.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials = CredentialsModule.Credentials

/**
 * @since 0.1.0
 * @category models
 */
export interface CiClientOptions {
  /** `<BucketName>-<APPID>`, such as `examplebucket-1250000000`. */
  readonly bucket: string
  /** Region id, such as `ap-guangzhou`. */
  readonly region: string
  /** Fixed credentials, or a provider asked before each attempt, such as `Credentials.refreshing(...)`. */
  readonly credentials: Credentials | CredentialsModule.Provider
  /**
   * The header that carries the session token. By default `x-ci-security-token`, as CI documents,
   * unless the endpoint's host is exactly this bucket's COS host (`<bucket>.cos.<region>.myqcloud.com`),
   * which reads `x-cos-security-token`.
   */
  readonly securityTokenHeader?: "x-ci-security-token" | "x-cos-security-token" | undefined
  /**
   * Base URL to send requests to instead of `https://<bucket>.ci.<region>.myqcloud.com`, such as a
   * local emulator (`http://127.0.0.1:8080`) or a private gateway. Must be a bare origin. This is
   * the only way to use plain http.
   */
  readonly endpoint?: string | undefined
  /**
   * Limit for one attempt, from connecting to the last byte of the body: from 1 millisecond to
   * 2147483647 milliseconds (about 24.9 days). Defaults to 30 seconds.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * When to retry an error that {@link CiRetry.isRetryable} accepts (only throttling for requests
   * that are not idempotent). Defaults to `CiRetry.defaultSchedule`. Pass `Schedule.stop` to never retry.
   */
  readonly retrySchedule?: Schedule.Schedule<unknown, SendError> | undefined
  /** Changes the underlying `HttpClient`, for example to add a proxy or logging. Signing runs after it. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * A request to CI, before encoding and signing.
 *
 * @since 0.1.0
 * @category models
 */
export interface CiRequest {
  readonly method: "GET" | "PUT" | "POST" | "DELETE"
  /** Path segments, not encoded: `["inventorytriggerjob", jobId]`. */
  readonly path: ReadonlyArray<string>
  /** Query parameters, not encoded. A `""` value is sent as a bare key, as in `?cancel`. */
  readonly query?: Readonly<Record<string, string>> | undefined
  /** Request body. Content-Length and Content-MD5 are computed and signed. */
  readonly body?: { readonly contentType: string; readonly content: string } | undefined
  /**
   * Whether sending the request twice has the same effect as sending it once. Defaults to `true`.
   * A request that is not idempotent, such as creating a job, is retried only after throttling
   * ({@link CiRetry.isThrottling}), because after a timeout or a 5xx CI may already have acted on it.
   */
  readonly idempotent?: boolean | undefined
}

/**
 * A successful (2xx) response that carried no `<Error>` document.
 *
 * @since 0.1.0
 * @category models
 */
export interface CiResponse {
  readonly status: number
  readonly headers: Headers.Headers
  /** The whole body as UTF-8 text; `""` when there is none. */
  readonly body: string
  /** From `x-ci-request-id`, else `x-cos-request-id`. */
  readonly requestId: string | undefined
  /**
   * Returns the start of the body for an error message, with the secrets this request sent (the
   * session token and the Authorization value) redacted in any encoding, in case a proxy echoed
   * the request.
   */
  readonly previewBody: () => string
}

/**
 * Hooks into one {@link CiClient.Service.send} call.
 *
 * @since 0.1.0
 * @category models
 */
export interface SendOptions {
  /**
   * Runs before each scheduled attempt with its number, starting at 1. An operation can use it to
   * learn that its request was sent more than once, such as a cancel whose first response was lost.
   * The single re-send after a clock-skew correction is part of the attempt it corrects.
   */
  readonly onAttempt?: ((attempt: number) => Effect.Effect<void>) | undefined
}

/**
 * Errors of {@link CiClient.Service.send}.
 *
 * @since 0.1.0
 * @category models
 */
export type SendError =
  | CiError.CiRequestError
  | CiError.CiDecodeError
  | CiError.CiInvalidInput
  | CiError.CiCredentialsError

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace CiClient {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    readonly bucket: string
    readonly region: string
    /** The origin requests go to, such as `https://examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com`. */
    readonly endpoint: string
    /**
     * Sends a request: signs every attempt afresh, applies the per-attempt timeout, retries what
     * can be retried on the configured schedule and corrects clock skew once. Fails with the last
     * attempt's own error.
     */
    readonly send: (request: CiRequest, options?: SendOptions) => Effect.Effect<CiResponse, SendError>
  }
}

/**
 * @since 0.1.0
 * @category tags
 */
export class CiClient extends Context.Tag("@effect-cos/http/CiClient")<CiClient, CiClient.Service>() {}

/**
 * Builds a client. Fails with `CiInvalidInput` when the bucket, region, endpoint, credentials or
 * timeout could not work, before any request is sent. Every option is also checked for its type,
 * so a missing value or a wrong type from JavaScript or a cast, such as a `secretId` read from an
 * unset environment variable, fails the same way instead of throwing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options: CiClientOptions
) => Effect.Effect<CiClient.Service, CiError.CiInvalidInput, HttpClient.HttpClient> = internal.make

/**
 * @example
 * ```ts
 * import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
 * import * as CiClient from "@effect-cos/http/CiClient"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 *
 * const CiLive = CiClient.layer({
 *   bucket: "examplebucket-1250000000",
 *   region: "ap-guangzhou",
 *   credentials: { secretId: "AKID...", secretKey: Redacted.make("...") }
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: CiClientOptions): Layer.Layer<CiClient, CiError.CiInvalidInput, HttpClient.HttpClient> =>
  Layer.effect(CiClient, make(options))

/**
 * The settings {@link layerConfig} reads, each a `Config`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigOptions {
  readonly bucket: Config.Config<string>
  readonly region: Config.Config<string>
  readonly credentials: Config.Config<Credentials>
  readonly endpoint: Config.Config<Option.Option<string>>
  readonly timeout: Config.Config<Option.Option<Duration.Duration>>
}

const secondsPattern = /^(\d+)(?:\.(\d+))?$/

// A bare number is seconds, as cos-ci's --timeout reads it, so one value of COS_CI_TIMEOUT means the
// same to the library and the CLI. Both read the text as it is, without trimming spaces, and both
// take at most 3 decimal places. The range, 1 millisecond to 2^31 - 1 milliseconds, is checked by
// `make` as for the `timeout` option.
const secondsOrDuration = (name: string): Config.Config<Duration.Duration> =>
  Config.mapOrFail(Config.string(name), (text) => {
    const seconds = secondsPattern.exec(text)
    if (seconds !== null) {
      const [, whole, fraction = ""] = seconds
      if (fraction.length > 3) {
        return Either.left(
          ConfigError.InvalidData(
            [],
            `Expected seconds with at most 3 decimal places, because the timeout is read to the millisecond, got "${text}"`
          )
        )
      }
      return Either.right(Duration.millis(Number(whole) * 1000 + Number(fraction.padEnd(3, "0"))))
    }
    return Option.match(Duration.decodeUnknown(text), {
      onNone: () =>
        Either.left(
          ConfigError.InvalidData([], `Expected seconds, such as 10, or a duration such as "500 millis", got "${text}"`)
        ),
      onSome: Either.right
    })
  })

/**
 * Default sources of the {@link layerConfig} settings: the environment variables `COS_BUCKET` and
 * `COS_REGION`, the credentials of `Credentials.config()` (`COS_SECRET_ID`, `COS_SECRET_KEY` and
 * `COS_SESSION_TOKEN`, else their `TENCENTCLOUD_*` names), and the optional `COS_CI_ENDPOINT` and
 * `COS_CI_TIMEOUT` (seconds with at most 3 decimal places, such as `10` or `2.5`, or a duration such as
 * `500 millis`, from 1 millisecond to 2147483.647 seconds).
 *
 * @since 0.1.0
 * @category layers
 */
export const defaultConfig: ConfigOptions = {
  bucket: Config.string("COS_BUCKET"),
  region: Config.string("COS_REGION"),
  credentials: CredentialsModule.config(),
  endpoint: Config.option(Config.string("COS_CI_ENDPOINT")),
  timeout: Config.option(secondsOrDuration("COS_CI_TIMEOUT"))
}

/**
 * Like {@link layer}, with the settings read from `Config`. Each setting not given comes from
 * {@link defaultConfig}. A missing one fails the layer with a `ConfigError` that names the
 * variable. The retry schedule, token header and client transform are plain values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Partial<ConfigOptions> = {},
  options: Pick<CiClientOptions, "retrySchedule" | "transformClient" | "securityTokenHeader"> = {}
): Layer.Layer<CiClient, CiError.CiInvalidInput | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    CiClient,
    Effect.gen(function*() {
      const settings = yield* Config.all({ ...defaultConfig, ...config })
      return yield* make({
        ...options,
        bucket: settings.bucket,
        region: settings.region,
        credentials: settings.credentials,
        endpoint: Option.getOrUndefined(settings.endpoint),
        timeout: Option.getOrUndefined(settings.timeout)
      })
    })
  )
