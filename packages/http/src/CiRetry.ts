/**
 * When and how often a failed CI request is sent again.
 *
 * Two separate pieces decide a retry. {@link isRetryable} decides whether an error can succeed on a
 * second try at all. The `Schedule` decides how long to wait and when to give up. A client takes any
 * schedule you pass and always applies `isRetryable`, so a generous schedule can never turn a
 * `403 AccessDenied` into four requests.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type * as CiError from "./CiError.js"

/**
 * HTTP statuses that are retried: request timeout, too many requests, and the server errors that
 * mean "try again later".
 *
 * @since 0.1.0
 * @category predicates
 */
export const retryableStatuses: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/**
 * Error codes that are retried whatever the status: throttling, and the server-side failures that
 * CI has been seen to return inside a 2xx response.
 *
 * @since 0.1.0
 * @category predicates
 */
export const retryableCodes: ReadonlySet<string> = new Set(["SlowDown", "InternalError", "ServiceUnavailable"])

/**
 * Returns whether a failed request can succeed when sent again unchanged:
 *
 * - a timeout or a reset connection;
 * - status 408, 429, 500, 502, 503 or 504, with or without an error document;
 * - code `SlowDown`, `InternalError` or `ServiceUnavailable` on a status that is not 4xx (a 2xx
 *   that carries an `<Error>` document counts), or `SlowDown` on any status.
 *
 * Nothing else is retried: no other 4xx, no refused connection, no invalid input. Clock skew is
 * not handled here; the client corrects its clock and re-sends once on its own.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isRetryable = (error: CiError.CiError): boolean => {
  switch (error._tag) {
    case "CiTransportError":
      return error.reason === "Timeout" || error.reason === "ConnectionReset"
    case "CiHttpError":
      return retryableStatuses.has(error.status)
    case "CiServiceError": {
      if (retryableStatuses.has(error.status) || error.code === "SlowDown") {
        return true
      }
      const isClientError = error.status >= 400 && error.status < 500
      return !isClientError && retryableCodes.has(error.code)
    }
    default:
      return false
  }
}

/**
 * Returns whether CI rejected the request because of its rate limit: status 429 or code `SlowDown`.
 * Such a request was not acted on, so even a request that must not run twice can be sent again.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isThrottling = (error: CiError.CiError): boolean => {
  switch (error._tag) {
    case "CiHttpError":
      return error.status === 429
    case "CiServiceError":
      return error.status === 429 || error.code === "SlowDown"
    default:
      return false
  }
}

/**
 * Base delay of {@link defaultSchedule}: the first retry waits up to this long.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultBaseDelay: Duration.Duration = Duration.millis(100)

/**
 * Upper bound of any single wait of {@link defaultSchedule}.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultMaxDelay: Duration.Duration = Duration.seconds(20)

/**
 * Number of retries of {@link defaultSchedule}, so a request is sent at most four times.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultRetries = 3

/**
 * Exponential backoff with full jitter: before retry `n` (counting from 0) the client waits a
 * random time in `(0, min(maxDelay, baseDelay * 2^n)]`. Spreading retries over the whole interval
 * keeps many clients that failed together from retrying together.
 *
 * @since 0.1.0
 * @category schedules
 */
export const exponentialWithFullJitter = (options: {
  readonly baseDelay: Duration.DurationInput
  readonly maxDelay: Duration.DurationInput
  readonly retries: number
}): Schedule.Schedule<number> => {
  const maxMillis = Duration.toMillis(options.maxDelay)

  return Schedule.exponential(options.baseDelay).pipe(
    Schedule.modifyDelayEffect((_, delay) =>
      Effect.map(Random.next, (random) => {
        const ceiling = Math.min(maxMillis, Duration.toMillis(delay))
        // Random.next is in [0, 1), so 1 - random is in (0, 1] and the wait is never zero.
        return Duration.millis(ceiling * (1 - random))
      })
    ),
    Schedule.intersect(Schedule.recurs(options.retries)),
    Schedule.map(([, count]) => count)
  )
}

/**
 * The default retry schedule of every client: {@link exponentialWithFullJitter} with a
 * 100 ms base, a 20 s cap and 3 retries. Replace it per client with the `retrySchedule` option.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultSchedule: Schedule.Schedule<number> = exponentialWithFullJitter({
  baseDelay: defaultBaseDelay,
  maxDelay: defaultMaxDelay,
  retries: defaultRetries
})
