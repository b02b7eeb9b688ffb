import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { CiCredentialsError, type CiInvalidInput } from "../CiError.js"
import type * as Credentials from "../Credentials.js"
import { describeValue, invalid, typeName } from "./options.js"

// Both values are sent in headers: the SecretId inside the Authorization value, where "&", "=" and
// ";" would add or split fields, and the token as a header of its own.
const secretIdPattern = /^[\x21-\x7e]+$/
const authorizationSeparators = /[&=;]/
const tokenPattern = /^[\x21-\x7e]+$/

// A SecretKey or session token that is not a Redacted string. The value is shown as "<redacted>"
// unless it is null, because a plain string here is the secret itself.
const invalidSecret = (field: string, value: unknown) => {
  if (!Redacted.isRedacted(value)) {
    return invalid(
      field,
      value === null ? "null" : "<redacted>",
      `must be a Redacted string made with Redacted.make, not ${typeName(value)}`
    )
  }
  // Redacted.make(process.env.COS_SECRET_KEY!) wraps undefined when the variable is not set.
  return invalid(field, "<redacted>", `must wrap a string, but wraps ${typeName(Redacted.value(value))}`)
}

const isRedactedString = (value: unknown): value is Redacted.Redacted<string> =>
  Redacted.isRedacted(value) && typeof Redacted.value(value) === "string"

const validateSecretId = (secretId: unknown): Either.Either<unknown, CiInvalidInput> => {
  if (secretId === undefined) {
    return invalid("secretId", "undefined", "is required")
  }
  if (typeof secretId !== "string") {
    return invalid("secretId", describeValue(secretId), `must be a string, not ${typeName(secretId)}`)
  }
  if (secretId.length === 0) {
    return invalid("secretId", "", "must not be empty")
  }
  if (!secretIdPattern.test(secretId) || authorizationSeparators.test(secretId)) {
    return invalid("secretId", secretId, "must be printable ASCII without spaces, \"&\", \"=\" or \";\"")
  }
  return Either.right(secretId)
}

const validateSecretKey = (secretKey: unknown): Either.Either<unknown, CiInvalidInput> => {
  if (secretKey === undefined) {
    return invalid("secretKey", "undefined", "is required")
  }
  if (!isRedactedString(secretKey)) {
    return invalidSecret("secretKey", secretKey)
  }
  if (Redacted.value(secretKey).length === 0) {
    return invalid("secretKey", "", "must not be empty")
  }
  return Either.right(secretKey)
}

const validateSessionToken = (sessionToken: unknown): Either.Either<unknown, CiInvalidInput> => {
  if (sessionToken === undefined) {
    return Either.right(sessionToken)
  }
  if (!isRedactedString(sessionToken)) {
    return invalidSecret("sessionToken", sessionToken)
  }
  if (!tokenPattern.test(Redacted.value(sessionToken))) {
    return invalid("sessionToken", "<redacted>", "must be printable ASCII without spaces, as STS issues it")
  }
  return Either.right(sessionToken)
}

const validateExpiration = (expiration: unknown): Either.Either<unknown, CiInvalidInput> => {
  if (expiration === undefined) {
    return Either.right(expiration)
  }
  if (!Predicate.isDate(expiration)) {
    return invalid("expiration", describeValue(expiration), `must be a Date, not ${typeName(expiration)}`)
  }
  if (Number.isNaN(expiration.getTime())) {
    return invalid("expiration", "Invalid Date", "must be a valid Date")
  }
  return Either.right(expiration)
}

/**
 * Checks that credentials can be used to sign and send a request. Types are checked too, because
 * JavaScript callers and providers can pass any value. The error never shows the secret key or the
 * token.
 *
 * @internal
 */
export const validate = (credentials: unknown): Either.Either<Credentials.Credentials, CiInvalidInput> => {
  if (typeof credentials !== "object" || credentials === null) {
    return invalid(
      "credentials",
      // A string here could be a key pair written as one value.
      typeof credentials === "string" ? "<redacted>" : describeValue(credentials),
      `must be an object with secretId and secretKey, not ${typeName(credentials)}`
    )
  }
  const fields = credentials as Record<string, unknown>
  // Either.all returns the first invalid value in this order, so a missing secretId is reported first.
  const checked = Either.all([
    validateSecretId(fields.secretId),
    validateSecretKey(fields.secretKey),
    validateSessionToken(fields.sessionToken),
    validateExpiration(fields.expiration)
  ])
  return Either.map(checked, () => credentials as Credentials.Credentials)
}

/**
 * Tells a provider from fixed credentials. Any other value, such as `null`, is neither, and
 * {@link validate} rejects it.
 *
 * @internal
 */
export const isProvider = (credentials: unknown): credentials is Credentials.Provider =>
  Predicate.hasProperty(credentials, "get") && Effect.isEffect(credentials.get)

/**
 * Checks the `credentials` option. A provider is returned as it is, because the client checks the
 * credentials of every `get`. Fixed credentials are checked once, here.
 *
 * @internal
 */
export const validateOption = (
  credentials: unknown
): Either.Either<Credentials.Provider | Credentials.Credentials, CiInvalidInput> => {
  if (credentials === undefined) {
    return invalid("credentials", "undefined", "is required")
  }
  if (isProvider(credentials)) {
    return Either.right(credentials)
  }
  if (Predicate.hasProperty(credentials, "get") && !Predicate.hasProperty(credentials, "secretId")) {
    return invalid(
      "credentials",
      describeValue(credentials),
      `must be a provider whose get is an Effect, but get is ${typeName(credentials.get)}`
    )
  }
  return validate(credentials)
}

/** @internal */
export const fromStatic = (credentials: Credentials.Credentials): Credentials.Provider => ({
  get: Effect.succeed(credentials)
})

/** @internal */
export const defaultRefreshMargin: Duration.Duration = Duration.minutes(5)

const validateMargin = (options: unknown): Either.Either<number, CiInvalidInput> => {
  if (options !== undefined && !Predicate.isObject(options)) {
    return invalid(
      "options",
      describeValue(options),
      `must be an object such as { margin: "5 minutes" }, not ${typeName(options)}`
    )
  }
  const margin = Predicate.hasProperty(options, "margin") ? options.margin : undefined
  if (margin === undefined) {
    return Either.right(Duration.toMillis(defaultRefreshMargin))
  }
  const duration = Duration.decodeUnknown(margin)
  if (Option.isNone(duration) || !Duration.isFinite(duration.value)) {
    return invalid("margin", describeValue(margin), "must be a finite duration, such as \"5 minutes\"")
  }
  return Either.right(Duration.toMillis(duration.value))
}

/** @internal */
export const refreshing = <E, R>(
  fetch: Effect.Effect<Credentials.Credentials, E, R>,
  options?: { readonly margin?: Duration.DurationInput | undefined }
): Effect.Effect<Credentials.Provider, CiInvalidInput, R> =>
  Effect.gen(function*() {
    if (!Effect.isEffect(fetch)) {
      return yield* invalid("fetch", describeValue(fetch), `must be an Effect, not ${typeName(fetch)}`)
    }
    const marginMillis = yield* validateMargin(options)
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
