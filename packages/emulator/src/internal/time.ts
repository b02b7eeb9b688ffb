const beijingOffsetMillis = 8 * 60 * 60 * 1000

const pad = (value: number, width = 2): string => String(value).padStart(width, "0")

/**
 * Formats a time as CI does in `JobsDetail`: `%Y-%m-%dT%H:%M:%S+0800` in Beijing time, whole
 * seconds, or `-` when the time is unset.
 *
 * @internal
 */
export const formatCiTime = (date: Date | undefined): string => {
  if (date === undefined) {
    return "-"
  }
  const shifted = new Date(Math.floor(date.getTime() / 1000) * 1000 + beijingOffsetMillis)
  const day = `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`
  const time = `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`
  return `${day}T${time}+0800`
}

const ciTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2})(\d{2})$/

/**
 * Parses `%Y-%m-%dT%H:%M:%S%z` (`2022-02-25T12:00:00+0800`) into epoch milliseconds. Returns
 * `undefined` for any other shape and for impossible dates such as February 30.
 *
 * @internal
 */
export const parseCiTime = (text: string): number | undefined => {
  const match = ciTimePattern.exec(text)
  if (match === null) {
    return undefined
  }
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return undefined
  }

  // setUTCFullYear, unlike Date.UTC, reads the years 0 to 99 as they are.
  const local = new Date(0)
  local.setUTCFullYear(year, month - 1, day)
  local.setUTCHours(hour, minute, second, 0)
  // setUTCFullYear rolls February 30 over into March, so compare the fields back.
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) {
    return undefined
  }

  const sign = match[7] === "-" ? -1 : 1
  return local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000
}

/**
 * Formats epoch milliseconds as an HTTP `Date` header value (RFC 1123, GMT).
 *
 * @internal
 */
export const formatHttpDate = (millis: number): string => new Date(millis).toUTCString()
