import type * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Http from "node:http"
import { sendSigned, startEmulator } from "./helpers.js"

const describePath = "/inventorytriggerjob/b1"

interface Exchange {
  /** Resolves with the status and headers, or with "none" when the connection ends without them. */
  readonly head: Promise<{ readonly status: number; readonly headers: Http.IncomingHttpHeaders } | "none">
  /** Resolves when the connection is over, with how the response ended and the body bytes received. */
  readonly finished: Promise<{ readonly ending: "end" | "error" | "no response"; readonly body: string }>
  readonly abort: () => void
}

/** Sends a GET over a fresh connection and reports the response as it arrives, byte by byte. */
const exchange = (port: number, path: string): Exchange => {
  const request = Http.request({ host: "127.0.0.1", port, method: "GET", path, agent: false })
  let resolveHead: (head: Awaited<Exchange["head"]>) => void = () => {}
  const head = new Promise<Awaited<Exchange["head"]>>((resolve) => {
    resolveHead = resolve
  })
  const finished = new Promise<Awaited<Exchange["finished"]>>((resolve) => {
    let responded = false
    request.on("response", (response) => {
      responded = true
      resolveHead({ status: response.statusCode ?? 0, headers: response.headers })
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      // A response cut off by the connection closes without being complete, with or without an error event.
      response.on("error", () => {})
      response.once(
        "close",
        () => resolve({ ending: response.complete ? "end" : "error", body: Buffer.concat(chunks).toString("utf8") })
      )
    })
    request.once("error", () => {
      if (!responded) {
        resolveHead("none")
        resolve({ ending: "no response", body: "" })
      }
    })
  })
  request.end()
  return { head, finished, abort: () => request.destroy() }
}

const within = <A>(promise: Promise<A>, millis: number) =>
  Effect.promise(() =>
    Promise.race([promise, new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), millis))])
  )

const faultsOf = (emulator: Emulator.Emulator.Service) =>
  Effect.map(emulator.requests, (log) => log.map((entry) => [entry.fault, entry.status]))

describe("connection faults", () => {
  it.scopedLive("ResetMidBody sends headers and half the body, then resets", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({
        fault: { _tag: "ResetMidBody", status: 200, headers: { "x-ci-request-id": "REQ-RESET" }, body: "0123456789" }
      })
      const response = exchange(emulator.port, describePath)
      const head = yield* within(response.head, 5_000)
      const finished = yield* within(response.finished, 5_000)

      const headers = head === "pending" || head === "none" ? {} : head.headers
      expect(head).toMatchObject({ status: 200 })
      expect(headers["content-length"]).toBe("10")
      expect(headers["x-ci-request-id"]).toBe("REQ-RESET")
      expect(finished).toStrictEqual({ ending: "error", body: "01234" })
      expect(yield* faultsOf(emulator)).toStrictEqual([["ResetMidBody", undefined]])
    }))

  it.scopedLive("ResetMidBody applies once, then requests are handled normally", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "ResetMidBody", status: 200, body: "0123456789" } })
      yield* within(exchange(emulator.port, describePath).finished, 5_000)
      const next = yield* sendSigned(emulator, { method: "GET", path: describePath })

      expect(next.status).toBe(200)
      expect(yield* faultsOf(emulator)).toStrictEqual([["ResetMidBody", undefined], [undefined, 200]])
    }))

  it.scopedLive("Hang records the request and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Hang" } })
      const response = exchange(emulator.port, describePath)
      const head = yield* within(response.head, 300)
      const log = yield* faultsOf(emulator)
      response.abort()
      const next = yield* sendSigned(emulator, { method: "GET", path: describePath })

      expect(head).toBe("pending")
      expect(log).toStrictEqual([["Hang", undefined]])
      expect(next.status).toBe(200)
    }))

  it.live("closing the scope ends a hanging request", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(startEmulator(), scope)
      yield* emulator.injectFault({ fault: { _tag: "Hang" } })
      const response = exchange(emulator.port, describePath)
      yield* within(response.head, 100)

      yield* Scope.close(scope, Exit.void)
      const finished = yield* within(response.finished, 2_000)

      expect(finished).toStrictEqual({ ending: "no response", body: "" })
    }))

  it.scopedLive("ResetMidBody with an invalid status dies", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const exit = yield* Effect.exit(emulator.injectFault({ fault: { _tag: "ResetMidBody", status: 42, body: "" } }))

      expect(Exit.isFailure(exit)).toBe(true)
      expect(Exit.causeOption(exit)._tag).toBe("Some")
    }))
})
