import * as CiClient from "@effect-cos/http/CiClient"
import { CiTransportError } from "@effect-cos/http/CiError"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { jobId, options } from "./fixtures.js"

// On the live clock the per-attempt timeout runs on a plain timer instead of Effect's race; these
// tests drive that path with real time. The TestClock path is covered by CiClient.test.ts.

interface Probe {
  started: number
  interrupted: number
}

/** A client whose requests answer after `delayMillis`, counting the requests it saw interrupted. */
const slowClient = (delayMillis: number, probe: Probe) =>
  CiClient.layer({ ...options, timeout: "300 millis", retrySchedule: Schedule.stop }).pipe(
    Layer.provide(Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request) =>
        Effect.sync(() => {
          probe.started += 1
        }).pipe(
          Effect.zipRight(Effect.sleep(delayMillis)),
          Effect.as(HttpClientResponse.fromWeb(request, new Response(null, { status: 200 }))),
          Effect.onInterrupt(() =>
            Effect.sync(() => {
              probe.interrupted += 1
            })
          )
        )
      )
    )),
    Layer.orDie
  )

const cancel = Effect.flatMap(
  CiClient.CiClient,
  (client) => client.send({ method: "PUT", path: ["inventorytriggerjob", jobId], query: { cancel: "" } })
)

describe("per-attempt timeout on the live clock", () => {
  it.live("fails with Timeout and interrupts the request", () =>
    Effect.gen(function*() {
      const probe: Probe = { started: 0, interrupted: 0 }
      const started = Date.now()
      const error = yield* Effect.flip(cancel).pipe(Effect.provide(slowClient(5_000, probe)))
      const elapsed = Date.now() - started

      expect(error).toBeInstanceOf(CiTransportError)
      expect(error).toMatchObject({ reason: "Timeout", description: "no complete response within 300ms" })
      expect(probe).toStrictEqual({ started: 1, interrupted: 1 })
      expect(elapsed).toBeGreaterThanOrEqual(290)
      expect(elapsed).toBeLessThan(3_000)
    }))

  it.live("lets a request that finishes in time through", () =>
    Effect.gen(function*() {
      const probe: Probe = { started: 0, interrupted: 0 }
      const response = yield* cancel.pipe(Effect.provide(slowClient(20, probe)))

      expect(response.status).toBe(200)
      expect(probe).toStrictEqual({ started: 1, interrupted: 0 })
    }))

  it.live("interrupts the request when the caller is interrupted", () =>
    Effect.gen(function*() {
      const probe: Probe = { started: 0, interrupted: 0 }
      const fiber = yield* Effect.fork(cancel.pipe(Effect.provide(slowClient(5_000, probe))))
      yield* Effect.sleep("50 millis")
      yield* Fiber.interrupt(fiber)

      expect(probe).toStrictEqual({ started: 1, interrupted: 1 })
    }))
})
