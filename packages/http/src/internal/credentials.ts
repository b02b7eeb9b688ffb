import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { CiCredentialsError, CiInvalidInput } from "../CiError.js"
import type * as Credentials from "../Credentials.js"

// Both values are sent in headers: the SecretId inside the Authorization value, where "&", "=" and
// ";" would add or split fields, and the token as a header of its own.
const secretIdPattern = /^[\x21-\x7e]+$/
const authorizationSeparators = /[&=;]/
const tokenPattern = /^[\x21-\x7e]+$/

/**
 * Checks that credentials can be used to sign and send a request. The error never shows the secret
 * key or the token.
 *
 * @internal
 */
export const validate = (
  credentials: Credentials.Credentials
): Either.Either<Credentials.Credentials, CiInvalidInput> => {
  if (credentials.secretId.length === 0) {
    return Either.left(new CiInvalidInput({ field: "secretId", value: "", reason: "must not be empty" }))
  }
  if (!secretIdPattern.test(credentials.secretId) || authorizationSeparators.test(credentials.secretId)) {
    return Either.left(
      new CiInvalidInput({
        field: "secretId",
        value: credentials.secretId,
        reason: "must be printable ASCII without spaces, \"&\", \"=\" or \";\""
      })
    )
  }
  if (Redacted.value(credentials.secretKey).length === 0) {
    return Either.left(new CiInvalidInput({ field: "secretKey", value: "", reason: "must not be empty" }))
  }
  if (credentials.sessionToken !== undefined && !tokenPattern.test(Redacted.value(credentials.sessionToken))) {
    return Either.left(
      new CiInvalidInput({
        field: "sessionToken",
        value: "<redacted>",
        reason: "must be printable ASCII without spaces, as STS issues it"
      })
    )
  }
  if (credentials.expiration !== undefined && Number.isNaN(credentials.expiration.getTime())) {
    return Either.left(
      new CiInvalidInput({ field: "expiration", value: "Invalid Date", reason: "must be a valid Date" })
    )
  }
  return Either.right(credentials)
}

/** @internal */
export const isProvider = (
  credentials: Credentials.Credentials | Credentials.Provider
): credentials is Credentials.Provider => "get" in credentials && Effect.isEffect(credentials.get)

/** @internal */
export const fromStatic = (credentials: Credentials.Credentials): Credentials.Provider => ({
  get: Effect.succeed(credentials)
})

/** @internal */
export const defaultRefreshMargin: Duration.Duration = Duration.minutes(5)

/** @internal */
export const refreshing = <E, R>(
  fetch: Effect.Effect<Credentials.Credentials, E, R>,
  options: { readonly margin?: Duration.DurationInput | undefined } = {}
): Effect.Effect<Credentials.Provider, never, R> =>
  Effect.gen(function*() {
    const marginMillis = Duration.toMillis(Duration.decode(options.margin ?? defaultRefreshMargin))
    const context = yield* Effect.context<R>()
    const cached = yield* Ref.make(Option.none<Credentials.Credentials>())
    // One permit: callers that find the credentials stale wait for a single refresh and share it.
    const refreshLock = yield* Effect.makeSemaphore(1)

    const isFresh = (credentials: Credentials.Credentials, now: number) =>
      credentials.expiration === undefined || now < credentials.expiration.getTime() - marginMillis

    const current = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      return Option.filter(yield* Ref.get(cached), (credentials) => isFresh(credentials, now))
    })

    const refresh = Effect.gen(function*() {
      // Another caller may have refreshed while this one waited for the lock.
      const fresh = yield* current
      if (Option.isSome(fresh)) {
        return fresh.value
      }

      const fetched = yield* fetch.pipe(
        Effect.provide(context),
        Effect.mapError((cause) =>
          new CiCredentialsError({ reason: "the credentials provider failed", cause: cause as unknown })
        )
      )
      const checked = yield* validate(fetched).pipe(
        Effect.mapError((invalid) => new CiCredentialsError({ reason: `the provider returned ${invalid.message}` }))
      )

      const now = yield* Clock.currentTimeMillis
      if (!isFresh(checked, now)) {
        return yield* new CiCredentialsError({
          reason: `the provider returned credentials that expire at ${checked.expiration!.toISOString()}, ` +
            `within the refresh margin of ${Duration.format(Duration.millis(marginMillis))}`
        })
      }
      yield* Ref.set(cached, Option.some(checked))
      yield* Effect.logDebug("Refreshed temporary credentials").pipe(
        Effect.annotateLogs({ secretId: checked.secretId, expiration: checked.expiration?.toISOString() ?? "none" })
      )
      return checked
    })

    const get: Effect.Effect<Credentials.Credentials, CiCredentialsError> = Effect.flatMap(
      current,
      Option.match({ onNone: () => refreshLock.withPermits(1)(refresh), onSome: Effect.succeed })
    )
    return { get }
  })

const keyPair = (names: {
  readonly secretId: string
  readonly secretKey: string
  readonly sessionToken: string
}): Config.Config<Credentials.Credentials> =>
  Config.all({
    secretId: Config.string(names.secretId),
    secretKey: Config.redacted(names.secretKey),
    sessionToken: Config.option(Config.redacted(names.sessionToken))
  }).pipe(
    Config.map(({ secretId, secretKey, sessionToken }) => ({
      secretId,
      secretKey,
      sessionToken: Option.getOrUndefined(sessionToken)
    }))
  )

/** @internal */
export const config = (
  names: { readonly secretId?: string; readonly secretKey?: string; readonly sessionToken?: string } = {}
): Config.Config<Credentials.Credentials> => {
  const own = { secretId: "COS_SECRET_ID", secretKey: "COS_SECRET_KEY", sessionToken: "COS_SESSION_TOKEN" }
  if (names.secretId !== undefined || names.secretKey !== undefined || names.sessionToken !== undefined) {
    return keyPair({ ...own, ...names })
  }
  // The whole set comes from one family of names, so that a token is never sent with another key's
  // SecretKey. Our own names win; TENCENTCLOUD_* are the ones Tencent Cloud's own tools read.
  return keyPair(own).pipe(
    Config.orElse(() =>
      keyPair({
        secretId: "TENCENTCLOUD_SECRET_ID",
        secretKey: "TENCENTCLOUD_SECRET_KEY",
        sessionToken: "TENCENTCLOUD_SESSION_TOKEN"
      })
    )
  )
}
