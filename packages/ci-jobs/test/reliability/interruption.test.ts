import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as Supervisor from "effect/Supervisor"
import * as Http from "node:http"
import type * as Net from "node:net"
import { clientOptions, httpClients } from "./matrix.js"

// A cancel that is interrupted, or whose attempt times out, must close its connection and leave no
// fiber behind. A small node:http server that never responds watches the connections.

interface ConnectionStats {
  readonly requests: number
  /** Connections that carried a request and are still open. */
  readonly openWithRequest: number
  /** All connections still open, including idle ones that never carried a request. */
  readonly open: number
}

interface SilentServer {
  readonly url: string
  /** Completes when the server has received its first request. */
  readonly requestReceived: Deferred.Deferred<void>
  readonly stats: () => ConnectionStats
}

/** Starts a server on 127.0.0.1 that reads requests and never responds to them. */
const silentServer = Effect.gen(function*() {
  const requestReceived = yield* Deferred.make<void>()
  const open = new Set<Net.Socket>()
  const withRequest = new Set<Net.Socket>()
  let requests = 0
  const server = Http.createServer((request) => {
    requests += 1
    if (open.has(request.socket)) {
      withRequest.add(request.socket)
    }
    request.resume()
    Deferred.unsafeDone(requestReceived, Exit.void)
  })
  server.on("connection", (socket: Net.Socket) => {
    open.add(socket)
    socket.once("close", () => {
      open.delete(socket)
      withRequest.delete(socket)
    })
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
        server.closeAllConnections()
      })
  )
  return {
    url: `http://127.0.0.1:${port}`,
    requestReceived,
    stats: () => ({ requests, openWithRequest: withRequest.size, open: open.size })
  } satisfies SilentServer
})

/** Polls the server's stats until `done` returns true or `millis` have passed, and returns the last stats. */
const awaitStats = (server: SilentServer, done: (stats: ConnectionStats) => boolean, millis: number) =>
  Effect.gen(function*() {
    const deadline = Date.now() + millis
    while (!done(server.stats()) && Date.now() < deadline) {
      yield* Effect.sleep("20 millis")
    }
    return server.stats()
  })

// After an abort, fetch (undici 6.24.1 in Node 20.20.2) opens a spare connection that carries no request and
// closes it after 4 s idle. The request's own connection must close at once, every connection soon.
const requestSocketCloseMillis = 2_000
const allSocketsCloseMillis = 8_000

const jobId = "b0123456789abcdef0123456789abcdef0"

const liveChildren = (supervisor: Supervisor.Supervisor<Array<Fiber.RuntimeFiber<unknown, unknown>>>) =>
  Effect.map(supervisor.value, (children) => children.filter((child) => child.unsafePoll() === null))

describe.concurrent("interruption", () => {
  for (const client of httpClients) {
    it.scopedLive(`closes the connection of an interrupted cancel over ${client.name}`, () =>
      Effect.gen(function*() {
        const server = yield* silentServer
        // A long timeout, so that only the interruption can end the request.
        const ciClient = CiClient.layer({ ...clientOptions(server.url), timeout: "60 seconds" }).pipe(
          Layer.provide(client.layer),
          Layer.orDie
        )
        const supervisor = yield* Supervisor.track
        const fiber = yield* BatchJobs.cancel(jobId).pipe(
          Effect.provide(ciClient),
          Effect.supervised(supervisor),
          Effect.fork
        )
        yield* Deferred.await(server.requestReceived)
        const inFlight = server.stats()
        // The HTTP client runs the request in fibers of its own, which the supervisor tracks.
        const childrenInFlight = (yield* liveChildren(supervisor)).length

        const started = Date.now()
        const exit = yield* Fiber.interrupt(fiber)
        const interruptMillis = Date.now() - started
        const afterInterrupt = yield* awaitStats(
          server,
          (stats) => stats.openWithRequest === 0,
          requestSocketCloseMillis
        )
        const afterGrace = yield* awaitStats(server, (stats) => stats.open === 0, allSocketsCloseMillis)

        expect(inFlight).toMatchObject({ requests: 1, openWithRequest: 1 })
        expect(childrenInFlight).toBeGreaterThan(0)
        expect(Exit.isInterrupted(exit)).toBe(true)
        expect(interruptMillis).toBeLessThan(requestSocketCloseMillis)
        expect(afterInterrupt).toMatchObject({ requests: 1, openWithRequest: 0 })
        expect(afterGrace).toStrictEqual({ requests: 1, openWithRequest: 0, open: 0 })
        expect(yield* liveChildren(supervisor)).toStrictEqual([])
      }))

    it.scopedLive(`closes the connection of every timed-out attempt over ${client.name}`, () =>
      Effect.gen(function*() {
        const server = yield* silentServer
        const ciClient = CiClient.layer({
          ...clientOptions(server.url),
          timeout: "300 millis",
          retrySchedule: Schedule.recurs(1)
        }).pipe(Layer.provide(client.layer), Layer.orDie)
        const supervisor = yield* Supervisor.track

        const result = yield* BatchJobs.cancel(jobId).pipe(
          Effect.provide(ciClient),
          Effect.supervised(supervisor),
          Effect.either
        )
        const afterTimeout = yield* awaitStats(server, (stats) => stats.openWithRequest === 0, requestSocketCloseMillis)
        const afterGrace = yield* awaitStats(server, (stats) => stats.open === 0, allSocketsCloseMillis)

        expect(Either.isLeft(result)).toBe(true)
        expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "CiTransportError", reason: "Timeout" })
        expect(afterTimeout).toMatchObject({ requests: 2, openWithRequest: 0 })
        expect(afterGrace).toStrictEqual({ requests: 2, openWithRequest: 0, open: 0 })
        expect(yield* liveChildren(supervisor)).toStrictEqual([])
      }))
  }
})
