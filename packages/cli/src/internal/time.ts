import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Either from "effect/Either"

// An ISO 8601 date, or a date and time that must carry an offset (Z or ±hh:mm): a time without
// one would depend on the time zone of the machine running cos-ci.
const timePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2})))?$/

const expectedForm =
  "must be an ISO 8601 time with an offset, such as 2026-01-01T00:00:00+08:00 or 2026-01-01T00:00:00Z, " +
  "or a date such as 2026-01-01"

/**
 * The instant a date without a time is read as: midnight at the start of that day (UTC), or the
 * last millisecond of that day, so that `--until 2026-01-31` includes the whole of 31 January.
 *
 * @internal
 */
export type DateOnly = "startOfDay" | "endOfDay"

/**
 * Parses a time option such as `--since`. Fractions of a second are kept to the millisecond.
 *
 * @internal
 */
export const parseTimeOption = (
  option: string,
  value: string,
  dateOnly: DateOnly
): Either.Either<Date, CiInvalidInput> => {
  const match = timePattern.exec(value)
  if (match === null) {
    return Either.left(new CiInvalidInput({ field: option, value, reason: expectedForm }))
  }
  const [year, month, day] = match.slice(1, 4).map(Number)
  const hasTime = match[4] !== undefined
  const hour = hasTime ? Number(match[4]) : 0
  const minute = hasTime ? Number(match[5]) : 0
  const second = match[6] === undefined ? 0 : Number(match[6])
  const millis = match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, "0"))
  const offsetSign = match[9] === "-" ? -1 : 1
  const offsetHours = match[10] === undefined ? 0 : Number(match[10])
  const offsetMinutes = match[11] === undefined ? 0 : Number(match[11])

  // Date.UTC rolls 2026-02-30 over into March, so a day that does not survive the round trip is invalid.
  // setUTCFullYear, unlike Date.UTC, reads the years 0 to 99 as they are.
  const local = new Date(0)
  local.setUTCFullYear(year, month - 1, day)
  local.setUTCHours(hour, minute, second, millis)
  const valid = local.getUTCMonth() === month - 1 && local.getUTCDate() === day && hour <= 23 && minute <= 59 &&
    second <= 59 && offsetHours <= 23 && offsetMinutes <= 59
  if (!valid) {
    return Either.left(new CiInvalidInput({ field: option, value, reason: "is not a valid date and time" }))
  }

  if (!hasTime) {
    const dayLength = 24 * 3_600_000
    return Either.right(dateOnly === "startOfDay" ? local : new Date(local.getTime() + dayLength - 1))
  }
  return Either.right(new Date(local.getTime() - offsetSign * (offsetHours * 60 + offsetMinutes) * 60_000))
}
