import * as Either from "effect/Either"

const timePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|([+-])(\d{2}):?(\d{2}))$/

/**
 * Parses CI's `%Y-%m-%dT%H:%M:%S%z` time (`2022-02-25T12:00:00+0800`); `+08:00` and `Z` are accepted
 * too. `-` and `""` mean "not set yet" and give `undefined`.
 *
 * @internal
 */
export const parseTime = (text: string | undefined): Either.Either<Date | undefined, string> => {
  if (text === undefined || text === "" || text === "-") {
    return Either.right(undefined)
  }
  const match = timePattern.exec(text)
  if (match === null) {
    return Either.left(`"${text}" is not a time of the form 2022-02-25T12:00:00+0800`)
  }

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  const offsetMinutes = match[7] === "Z" ? 0 : (match[8] === "-" ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10]))
  // Date.UTC would read years 0 to 99 as 1900 to 1999, and setUTCFullYear takes the year as given.
  const check = new Date(0)
  check.setUTCFullYear(year, month - 1, day)
  check.setUTCHours(hour, minute, second, 0)
  const local = check.getTime()

  // 2022-02-30 rolls over into March; a date that does not survive the round trip is invalid.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return Either.left(`"${text}" is not a valid date and time`)
  }
  return Either.right(new Date(local - offsetMinutes * 60_000))
}

/**
 * Formats a time the way CI expects it in queries, in Beijing time: `2022-02-25T12:00:00+0800`.
 *
 * @internal
 */
export const formatTime = (date: Date): string => {
  const beijing = new Date(date.getTime() + 8 * 3_600_000)
  const pad = (value: number) => String(value).padStart(2, "0")
  // Years before 1000 still take four digits. Negative years and years after 9999 do not fit the
  // form, and validation rejects them.
  return `${String(beijing.getUTCFullYear()).padStart(4, "0")}-${pad(beijing.getUTCMonth() + 1)}-${
    pad(beijing.getUTCDate())
  }` +
    `T${pad(beijing.getUTCHours())}:${pad(beijing.getUTCMinutes())}:${pad(beijing.getUTCSeconds())}+0800`
}
