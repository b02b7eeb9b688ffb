import type * as CiClient from "@effect-cos/http/CiClient"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"

export const bucket = "examplebucket-1250000000"
export const region = "ap-guangzhou"
export const ciHost = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com"
export const secretId = "AKIDEXAMPLE"
export const secretKey = "SECRETKEYEXAMPLE"
export const jobId = "b0123456789abcdef0123456789abcdef0"

/** One second after 1700000000, so that a signature made "now" has the key time 1700000000;1700000900. */
export const fixtureTimeMillis = 1_700_000_001_000

export const v1Authorization =
  "q-sign-algorithm=sha1&q-ak=AKIDEXAMPLE&q-sign-time=1700000000;1700000900&q-key-time=1700000000;1700000900" +
  "&q-header-list=content-length;host&q-url-param-list=cancel&q-signature=d620db259e4ab008ea0c4e8966c9d47e6d9de151"

export const options: CiClient.CiClientOptions = {
  bucket,
  region,
  credentials: { secretId, secretKey: Redacted.make(secretKey) }
}

/** A CiClient over the stub HttpClient, with the stub's request log alongside. */
export const stubLayer = (
  handler: TestHttpClient.Handler,
  overrides: Partial<CiClient.CiClientOptions> = {}
): Layer.Layer<CiClient.CiClient | TestHttpClient.TestHttpClient, never> =>
  TestHttpClient.layerCiClient(handler, { ...options, ...overrides }).pipe(Layer.orDie)

/** The requests the stub has seen so far. */
export const requests = TestHttpClient.requests

/**
 * Runs an effect that may sleep (backoff, timeouts) under the TestClock: sets the clock to the
 * fixture time, forks the effect, moves the clock far enough for every retry and joins.
 */
export const runWithClock = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

export const errorXml = TestHttpClient.errorDocument

export const parsedAuthorization = TestHttpClient.authorizationOf
