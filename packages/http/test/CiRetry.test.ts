import { CiHttpError, CiInvalidInput, CiServiceError, CiTransportError } from "@effect-cos/http/CiError"
import * as CiRetry from "@effect-cos/http/CiRetry"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"

const serviceError = (status: number, code: string) =>
  new CiServiceError({ status, code, message: "", requestId: undefined, traceId: undefined, resource: undefined })

const transportError = (reason: CiTransportError["reason"]) =>
  new CiTransportError({ reason, method: "PUT", url: "https://example.invalid/", description: "" })

describe("CiRetry", () => {
  it("isRetryable follows the documented table", () => {
    const cases: ReadonlyArray<readonly [string, Parameters<typeof CiRetry.isRetryable>[0], boolean]> = [
      ["timeout", transportError("Timeout"), true],
      ["reset", transportError("ConnectionReset"), true],
      ["refused", transportError("Other"), false],
      [
        "empty 503",
        new CiHttpError({ status: 503, requestId: undefined, contentType: undefined, bodyPreview: "" }),
        true
      ],
      [
        "html 403",
        new CiHttpError({ status: 403, requestId: undefined, contentType: "text/html", bodyPreview: "" }),
        false
      ],
      ["SlowDown 503", serviceError(503, "SlowDown"), true],
      ["SlowDown 400", serviceError(400, "SlowDown"), true],
      ["InternalError 500", serviceError(500, "InternalError"), true],
      ["InternalError inside a 200", serviceError(200, "InternalError"), true],
      ["AccessDenied inside a 200", serviceError(200, "AccessDenied"), false],
      ["InternalError 400", serviceError(400, "InternalError"), false],
      ["NoSuchKey 404", serviceError(404, "NoSuchKey"), false],
      ["throttled 429", serviceError(429, "TooManyRequests"), true],
      ["invalid input", new CiInvalidInput({ field: "jobId", value: "", reason: "" }), false]
    ]
    for (const [name, error, expected] of cases) {
      expect(CiRetry.isRetryable(error), name).toBe(expected)
    }
  })

  it("isThrottling accepts only 429 and SlowDown", () => {
    expect(CiRetry.isThrottling(serviceError(503, "SlowDown"))).toBe(true)
    expect(CiRetry.isThrottling(serviceError(429, "TooManyRequests"))).toBe(true)
    expect(
      CiRetry.isThrottling(
        new CiHttpError({ status: 429, requestId: undefined, contentType: undefined, bodyPreview: "" })
      )
    )
      .toBe(true)
    expect(CiRetry.isThrottling(serviceError(503, "ServiceUnavailable"))).toBe(false)
    expect(
      CiRetry.isThrottling(
        new CiHttpError({ status: 503, requestId: undefined, contentType: undefined, bodyPreview: "" })
      )
    )
      .toBe(false)
    expect(CiRetry.isThrottling(transportError("Timeout"))).toBe(false)
  })

  it.effect("defaultSchedule waits a random, non-zero time under a doubling ceiling, three times", () =>
    Effect.gen(function*() {
      for (let seed = 0; seed < 50; seed++) {
        const delays = yield* Schedule.run(Schedule.delays(CiRetry.defaultSchedule), 0, [1, 2, 3, 4, 5]).pipe(
          Effect.withRandom(Random.make(seed))
        )
        // Schedule.run also reports the step that ends the schedule; the waits are the ones before it.
        const millis = Chunk.toReadonlyArray(delays).map(Duration.toMillis).slice(0, -1)

        expect(millis).toHaveLength(3)
        millis.forEach((delay, retry) => {
          expect(delay).toBeGreaterThan(0)
          expect(delay).toBeLessThanOrEqual(100 * 2 ** retry)
        })
      }
    }))

  it.effect("exponentialWithFullJitter caps every wait", () =>
    Effect.gen(function*() {
      const schedule = CiRetry.exponentialWithFullJitter({ baseDelay: "1 second", maxDelay: "3 seconds", retries: 6 })
      const delays = yield* Schedule.run(Schedule.delays(schedule), 0, [1, 2, 3, 4, 5, 6, 7, 8])
      const millis = Chunk.toReadonlyArray(delays).map(Duration.toMillis).slice(0, -1)

      expect(millis).toHaveLength(6)
      expect(Math.max(...millis)).toBeLessThanOrEqual(3000)
    }))
})
