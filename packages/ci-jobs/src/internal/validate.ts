import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Either from "effect/Either"
import { formatTime } from "./time.js"

/**
 * Describes a rejected value for `CiInvalidInput.value`. A string is kept as it is, a `Date` is
 * written in ISO form, and a number, boolean, bigint, symbol, `null` or `undefined` is written with
 * `String`. An array, a function and any other object are described by their kind only (`[array]`,
 * `[function]`, `[object]`), because `String` throws for an object without a prototype, and a
 * `toString` may throw or show a secret.
 *
 * @internal
 */
export const describeValue = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return value
    case "function":
      return "[function]"
    case "object":
      if (value === null) {
        return "null"
      }
      if (Array.isArray(value)) {
        return "[array]"
      }
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()
      }
      return "[object]"
    default:
      return String(value)
  }
}

/** @internal */
export const invalid = (field: string, value: string, reason: string): Either.Either<never, CiInvalidInput> =>
  Either.left(new CiInvalidInput({ field, value, reason }))

// XML 1.0 admits tab, line feed, carriage return and everything from U+0020 up except the
// surrogates, U+FFFE and U+FFFF. Any other character makes the whole request body malformed.
const nonXmlCharacter = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

/**
 * Checks a non-empty string that can be sent in a query or in an XML body.
 *
 * @internal
 */
export const validateText = (field: string, value: unknown): Either.Either<string, CiInvalidInput> => {
  if (value === undefined) {
    return invalid(field, "", "is required")
  }
  if (typeof value !== "string") {
    return invalid(field, describeValue(value), "must be a string")
  }
  if (value === "") {
    return invalid(field, value, "must not be empty")
  }
  // A lone UTF-16 surrogate has no UTF-8 form, so it can be neither encoded nor signed.
  if (!value.isWellFormed()) {
    return invalid(field, value, "contains a lone UTF-16 surrogate")
  }
  return Either.right(value)
}

/**
 * Like {@link validateText}, and also rejects the control characters XML 1.0 cannot carry.
 *
 * @internal
 */
export const validateXmlText = (field: string, value: unknown): Either.Either<string, CiInvalidInput> =>
  Either.flatMap(validateText(field, value), (text) => {
    const match = nonXmlCharacter.exec(text)
    if (match === null) {
      return Either.right(text)
    }
    const codePoint = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")
    return invalid(field, text, `contains U+${codePoint}, which XML 1.0 cannot carry`)
  })

/** @internal */
export const validateOptionalXmlText = (
  field: string,
  value: unknown
): Either.Either<string | undefined, CiInvalidInput> =>
  value === undefined ? Either.right(undefined) : validateXmlText(field, value)

/** @internal */
export const validateInteger = (
  field: string,
  value: unknown,
  min: number,
  max: number
): Either.Either<number, CiInvalidInput> =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ?
    Either.right(value) :
    invalid(field, describeValue(value), `must be an integer from ${min} to ${max}`)

/** @internal */
export const validateNumber = (
  field: string,
  value: unknown,
  min: number,
  max: number
): Either.Either<number, CiInvalidInput> =>
  typeof value === "number" && Number.isFinite(value) && value >= min && value <= max ?
    Either.right(value) :
    invalid(field, describeValue(value), `must be a number from ${min} to ${max}`)

/** @internal */
export const validateOneOf = <const A extends string>(
  field: string,
  value: unknown,
  allowed: ReadonlyArray<A>
): Either.Either<A, CiInvalidInput> =>
  allowed.includes(value as A) ?
    Either.right(value as A) :
    invalid(field, describeValue(value), `must be one of ${allowed.map((item) => `"${item}"`).join(", ")}`)

const sentTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0800$/

/**
 * Checks a `Date` and formats it the way CI expects times, such as `2022-02-25T12:00:00+0800`.
 *
 * @internal
 */
export const validateTime = (field: string, value: unknown): Either.Either<string, CiInvalidInput> => {
  if (!(value instanceof Date)) {
    return invalid(field, describeValue(value), "must be a Date")
  }
  if (Number.isNaN(value.getTime())) {
    return invalid(field, "Invalid Date", "must be a valid Date")
  }
  const formatted = formatTime(value)
  // Years outside 0000-9999 do not fit CI's four-digit year.
  return sentTimePattern.test(formatted) ?
    Either.right(formatted) :
    invalid(field, value.toISOString(), "must fall between the years 0000 and 9999 in Beijing time")
}

/**
 * Checks that an optional start time is not after an optional end time. Both must already have
 * passed {@link validateTime}.
 *
 * @internal
 */
export const validateTimeOrder = (
  fields: { readonly start: string; readonly end: string },
  start: unknown,
  end: unknown
): Either.Either<void, CiInvalidInput> =>
  start instanceof Date && end instanceof Date && start.getTime() > end.getTime() ?
    invalid(fields.start, start.toISOString(), `must not be after ${fields.end} (${end.toISOString()})`) :
    Either.void

/** @internal */
export const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
