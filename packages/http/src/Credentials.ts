/**
 * Where a client gets the key it signs with: fixed keys, keys read from `Config`, or temporary
 * keys that an effect of yours fetches and the client refreshes before they expire.
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import type * as CiError from "./CiError.js"
import * as internal from "./internal/credentials.js"

/**
 * A Tencent Cloud API key pair, with the session token and expiry of temporary (STS) credentials.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  readonly secretId: string
  readonly secretKey: Redacted.Redacted<string>
  /** Sent as `x-ci-security-token` and signed, for temporary credentials. */
  readonly sessionToken?: Redacted.Redacted<string> | undefined
  /**
   * When temporary credentials stop working. A signature never stays valid past it, and a
   * {@link refreshing} provider fetches new credentials before it.
   */
  readonly expiration?: Date | undefined
}

/**
 * A source of credentials, asked before every attempt is signed. The client checks whatever `get`
 * returns, types included, and fails the call with `CiCredentialsError` when it cannot be used.
 *
 * @since 0.1.0
 * @category models
 */
export interface Provider {
  readonly get: Effect.Effect<Credentials, CiError.CiCredentialsError>
}

/**
 * A provider that always returns the same credentials.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromStatic: (credentials: Credentials) => Provider = internal.fromStatic

/**
 * How long before their expiry {@link refreshing} replaces temporary credentials, unless told
 * another margin: 5 minutes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultRefreshMargin: Duration.Duration = internal.defaultRefreshMargin

/**
 * A provider of temporary credentials. `fetch` is your call to STS, or to whatever issues your
 * temporary keys, and must return them with their `expiration`.
 *
 * The provider keeps the last credentials and fetches new ones once they are within `margin` of
 * their expiry (default {@link defaultRefreshMargin}). Requests that find them stale at the same
 * time wait for one shared fetch. A failed fetch fails the request with `CiCredentialsError`, and
 * the next request tries again. Credentials that are invalid, or already inside the margin when
 * fetched, are a `CiCredentialsError` too. Building the provider fails with `CiInvalidInput` when
 * `fetch` is not an `Effect` or `margin` is not a finite duration.
 *
 * @example
 * ```ts
 * import * as Credentials from "@effect-cos/http/Credentials"
 * import * as Effect from "effect/Effect"
 * import * as Redacted from "effect/Redacted"
 *
 * // Stands in for a call to your STS service.
 * const fetchTemporaryKeys = Effect.succeed({
 *   secretId: "AKIDTEMPORARY",
 *   secretKey: Redacted.make("temporary-secret"),
 *   sessionToken: Redacted.make("token"),
 *   expiration: new Date(Date.now() + 3_600_000)
 * })
 *
 * const provider = Credentials.refreshing(fetchTemporaryKeys, { margin: "10 minutes" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const refreshing: <E, R>(
  fetch: Effect.Effect<Credentials, E, R>,
  options?: { readonly margin?: Duration.DurationInput | undefined }
) => Effect.Effect<Provider, CiError.CiInvalidInput, R> = internal.refreshing

/**
 * Reads credentials from `Config`: the variables of this library when its SecretId and SecretKey
 * are both set, else the ones Tencent Cloud's own tools read. The three values always come from
 * the same family, so a session token is never sent with the key of another.
 *
 * | value | first choice | else |
 * | --- | --- | --- |
 * | SecretId | `COS_SECRET_ID` | `TENCENTCLOUD_SECRET_ID` |
 * | SecretKey | `COS_SECRET_KEY` | `TENCENTCLOUD_SECRET_KEY` |
 * | session token (optional) | `COS_SESSION_TOKEN` | `TENCENTCLOUD_SESSION_TOKEN` |
 *
 * When neither family is complete, the `ConfigError` names the missing variables of both. Pass
 * `names` to read other variables instead (the ones not given keep their `COS_*` name), with no
 * fallback.
 *
 * @since 0.1.0
 * @category constructors
 */
export const config: (
  names?: { readonly secretId?: string; readonly secretKey?: string; readonly sessionToken?: string }
) => Config.Config<Credentials> = internal.config
