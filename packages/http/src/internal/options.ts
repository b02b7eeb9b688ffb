import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schedule from "effect/Schedule"
import { CiInvalidInput } from "../CiError.js"

// JavaScript callers and `as any` configurations can pass any value for any option, so every option
// is checked for its type here before it is used. A wrong type fails with `CiInvalidInput` instead
// of a TypeError somewhere deeper.

/**
 * Names the type of a value for an error's reason, such as "a number" or "null".
 *
 * @internal
 */
export const typeName = (value: unknown): string => {
  if (value === null) {
    return "null"
  }
  if (Array.isArray(value)) {
    return "an array"
  }
  switch (typeof value) {
    case "undefined":
      return "undefined"
    case "string":
      return "a string"
    case "number":
      return "a number"
    case "boolean":
      return "a boolean"
    case "bigint":
      return "a bigint"
    case "symbol":
      return "a symbol"
    case "function":
      return "a function"
    default:
      return "an object"
  }
}

/**
 * Describes a rejected value for `CiInvalidInput.value`. A string is kept as it is, and a number,
 * boolean, `Duration`, `undefined` or `null` is written with `String`. Any other object or a
 * function is described by its type only, because its contents could include a secret and its
 * `toString` could throw.
 *
 * @internal
 */
export const describeValue = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return value
    case "undefined":
    case "number":
    case "boolean":
    case "bigint":
    case "symbol":
      return String(value)
    default:
      return value === null || Duration.isDuration(value) ? String(value) : typeName(value)
  }
}

/** @internal */
export const invalid = (field: string, value: string, reason: string) =>
  Either.left(new CiInvalidInput({ field, value, reason }))

/**
 * Checks that a required option is a string.
 *
 * @internal
 */
export const requireString = (field: string, value: unknown): Either.Either<string, CiInvalidInput> => {
  if (value === undefined) {
    return invalid(field, "undefined", "is required")
  }
  if (typeof value !== "string") {
    return invalid(field, describeValue(value), `must be a string, not ${typeName(value)}`)
  }
  return Either.right(value)
}

/** @internal */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

const maxTimeoutMillis = 2 ** 31 - 1

/** @internal */
export const validateTimeout = (timeout: unknown): Either.Either<Duration.Duration, CiInvalidInput> => {
  if (timeout === undefined) {
    return Either.right(defaultTimeout)
  }
  const duration = Duration.decodeUnknown(timeout)
  if (Option.isNone(duration)) {
    return invalid(
      "timeout",
      describeValue(timeout),
      "must be a Duration, a number of milliseconds or a string such as \"30 seconds\""
    )
  }
  if (!Duration.isFinite(duration.value) || Duration.toMillis(duration.value) <= 0) {
    return invalid("timeout", describeValue(timeout), "must be a positive, finite duration")
  }
  // A shorter limit, such as 5n nanoseconds, runs out before a response can arrive, so requests would
  // only time out.
  if (Duration.toMillis(duration.value) < 1) {
    return invalid("timeout", describeValue(timeout), "must be at least 1 millisecond")
  }
  // Timers hold at most 2^31 - 1 milliseconds; a longer wait would fire at once.
  if (Duration.toMillis(duration.value) > maxTimeoutMillis) {
    return invalid("timeout", describeValue(timeout), "must be at most 2147483647 milliseconds (about 24.9 days)")
  }
  return Either.right(duration.value)
}

/** @internal */
export const validateRetrySchedule = <S>(
  schedule: S | undefined,
  defaultSchedule: S
): Either.Either<S, CiInvalidInput> => {
  if (schedule === undefined) {
    return Either.right(defaultSchedule)
  }
  if (!Schedule.isSchedule(schedule)) {
    return invalid(
      "retrySchedule",
      describeValue(schedule),
      `must be a Schedule, such as CiRetry.defaultSchedule or Schedule.stop, not ${typeName(schedule)}`
    )
  }
  return Either.right(schedule)
}

const tokenHeaders: ReadonlyArray<unknown> = ["x-ci-security-token", "x-cos-security-token"]

/** @internal */
export const validateTokenHeader = (
  header: unknown
): Either.Either<"x-ci-security-token" | "x-cos-security-token" | undefined, CiInvalidInput> =>
  header === undefined || tokenHeaders.includes(header) ?
    Either.right(header as "x-ci-security-token" | "x-cos-security-token" | undefined) :
    invalid("securityTokenHeader", describeValue(header), "must be \"x-ci-security-token\" or \"x-cos-security-token\"")

/** @internal */
export const validateTransformClient = <F>(transform: F | undefined): Either.Either<F | undefined, CiInvalidInput> =>
  transform === undefined || Predicate.isFunction(transform) ?
    Either.right(transform) :
    invalid("transformClient", describeValue(transform), `must be a function, not ${typeName(transform)}`)

/**
 * Checks what `transformClient` returned. A JavaScript caller's function can return anything, and
 * building the client on a value that is not an `HttpClient` would throw a TypeError.
 *
 * @internal
 */
export const validateTransformedClient = (client: unknown): Either.Either<HttpClient.HttpClient, CiInvalidInput> =>
  Predicate.hasProperty(client, HttpClient.TypeId) ?
    Either.right(client as HttpClient.HttpClient) :
    invalid(
      "transformClient",
      describeValue(client),
      `must return an HttpClient, such as the client it was given, not ${typeName(client)}`
    )
