import * as Emulator from "@effect-cos/emulator/Emulator"
import * as Signer from "@effect-cos/signer/Signer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Http from "node:http"
import { expectError, fixedNowSeconds, sendRaw, sendSigned, startEmulator } from "./helpers.js"

const describePath = "/inventorytriggerjob/b1"

const describeJob = (emulator: Emulator.Emulator.Service) => sendSigned(emulator, { method: "GET", path: describePath })

interface PartialResponse {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly received: () => Buffer
  /** Resolves when the response stream ends, fails or closes, with what happened. */
  readonly finished: Promise<"end" | "error" | "close">
}

/** Sends a GET and resolves as soon as the status line and headers arrive, leaving the body streaming. */
const openResponse = (port: number, path: string): Effect.Effect<PartialResponse, Error> =>
  Effect.async<PartialResponse, Error>((resume) => {
    const request = Http.request({ host: "127.0.0.1", port, method: "GET", path, agent: false })
    request.on("response", (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      const finished = new Promise<"end" | "error" | "close">((resolve) => {
        response.once("end", () => resolve("end"))
        response.once("error", () => resolve("error"))
        response.once("close", () => resolve("close"))
      })
      resume(Effect.succeed({
        status: response.statusCode ?? 0,
        headers: response.headers,
        received: () => Buffer.concat(chunks),
        finished
      }))
    })
    request.on("error", (error) => resume(Effect.fail(error)))
    request.end()
    return Effect.sync(() => request.destroy())
  }).pipe(Effect.timeoutFail({ duration: 5_000, onTimeout: () => new Error("no response headers within 5 s") }))

describe("faults", () => {
  it.scopedLive("Delay waits, then handles normally", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 300 } })

      const started = Date.now()
      const delayed = yield* describeJob(emulator)
      const delayedMillis = Date.now() - started
      const next = Date.now()
      const normal = yield* describeJob(emulator)
      const normalMillis = Date.now() - next

      expect(delayed.status).toBe(200)
      expect(delayedMillis).toBeGreaterThanOrEqual(280)
      expect(normal.status).toBe(200)
      expect(normalMillis).toBeLessThan(280)
      const log = yield* emulator.requests
      expect(log.map((entry) => [entry.fault, entry.status])).toEqual([["Delay", 200], [undefined, 200]])
    }))

  it.scopedLive("Delay still checks the signature", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 10 } })
      const result = yield* sendRaw(emulator.port, { method: "GET", target: describePath })

      expectError(result, 401, "MissingAuthorization")
      const log = yield* emulator.requests
      expect(log.map((entry) => [entry.fault, entry.code])).toEqual([["Delay", "MissingAuthorization"]])
    }))

  it.scopedLive("Reply sends exactly the scripted response without auth", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code></Error>"
      yield* emulator.injectFault({
        fault: {
          _tag: "Reply",
          status: 503,
          headers: { "x-ci-request-id": "REQ-SLOW", "Content-Type": "application/xml" },
          body
        }
      })
      const result = yield* sendRaw(emulator.port, { method: "GET", target: describePath })

      expect(result.status).toBe(503)
      expect(result.body).toBe(body)
      expect(result.headers["x-ci-request-id"]).toBe("REQ-SLOW")
      expect(result.headers["content-type"]).toBe("application/xml")
      expect(result.headers["content-length"]).toBe(String(body.length))
      expect(result.headers["date"]).toBeUndefined()
      expect(result.headers["server"]).toBeUndefined()
      const log = yield* emulator.requests
      expect(log.map((entry) => [entry.fault, entry.status, entry.code, entry.requestId])).toEqual([
        ["Reply", 503, undefined, undefined]
      ])
    }))

  it.scopedLive("Reply with no body sends Content-Length 0", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({
        fault: { _tag: "Reply", status: 404, headers: { "x-ci-request-id": "REQ-EMPTY-404" } }
      })
      const result = yield* describeJob(emulator)

      expect(result.status).toBe(404)
      expect(result.body).toBe("")
      expect(result.headers["content-length"]).toBe("0")
      expect(result.headers["content-type"]).toBeUndefined()
    }))

  it.scopedLive("Reset destroys the socket without a response", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Reset" } })
      const failure = yield* Effect.flip(describeJob(emulator))

      expect((failure as NodeJS.ErrnoException).code).toBe("ECONNRESET")
      const log = yield* emulator.requests
      expect(log.map((entry) => [entry.fault, entry.status])).toEqual([["Reset", undefined]])
    }))

  it.scopedLive("Reset is seen by fetch as a network error", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Reset" } })
      const failure = yield* Effect.flip(
        Effect.tryPromise(() => fetch(`${emulator.url}${describePath}`, { signal: AbortSignal.timeout(5_000) }))
      )

      expect(String(failure.cause)).toContain("fetch failed")
      expect(yield* emulator.requests).toHaveLength(1)
    }))

  it.scopedLive("StallMidBody sends headers and half the body, then stalls", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const body = "0123456789abcdefghij"
      yield* emulator.injectFault({
        fault: { _tag: "StallMidBody", status: 200, headers: { "x-ci-request-id": "REQ-STALL" }, body }
      })
      const response = yield* openResponse(emulator.port, describePath)
      const outcome = yield* Effect.promise(() =>
        Promise.race([
          response.finished,
          new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 300))
        ])
      )

      expect(response.status).toBe(200)
      expect(response.headers["content-length"]).toBe("20")
      expect(response.headers["x-ci-request-id"]).toBe("REQ-STALL")
      expect(outcome).toBe("pending")
      expect(response.received().toString("utf8")).toBe("0123456789")
      const log = yield* emulator.requests
      expect(log.map((entry) => [entry.fault, entry.status])).toEqual([["StallMidBody", undefined]])
    }))

  it.scopedLive("StallMidBody body never completes for fetch", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "StallMidBody", status: 200, body: "<Response></Response>" } })
      const controller = new AbortController()
      const response = yield* Effect.promise(() =>
        fetch(`${emulator.url}${describePath}`, { signal: controller.signal })
      )
      const timer = setTimeout(() => controller.abort(), 300)
      const bodyResult = yield* Effect.either(Effect.tryPromise(() => response.text()))
      clearTimeout(timer)

      expect(response.status).toBe(200)
      expect(response.headers.get("content-length")).toBe("21")
      expect(bodyResult._tag).toBe("Left")
      expect(controller.signal.aborted).toBe(true)
    }))

  it.scopedLive("times counts matching requests", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 500 }, times: 2 })
      const results = yield* Effect.forEach([1, 2, 3], () => describeJob(emulator))

      expect(results.map((result) => result.status)).toEqual([500, 500, 200])
    }))

  it.scopedLive("Infinity applies to every request", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 502 }, times: Infinity })
      const results = yield* Effect.forEach([1, 2, 3, 4], () => describeJob(emulator))

      expect(results.map((result) => result.status)).toEqual([502, 502, 502, 502])
    }))

  it.scopedLive("method and path select requests", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 503 }, method: "put", path: describePath })
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 504 }, path: "/inventorytriggerjob" })

      const describeResult = yield* describeJob(emulator)
      const listResult = yield* sendSigned(emulator, {
        method: "GET",
        path: "/inventorytriggerjob",
        query: [["size", "1"]]
      })
      const cancelResult = yield* sendSigned(emulator, {
        method: "PUT",
        path: describePath,
        query: [["cancel", undefined]],
        body: ""
      })
      const listAgain = yield* sendSigned(emulator, { method: "GET", path: "/inventorytriggerjob" })

      expect(describeResult.status).toBe(200)
      expect(listResult.status).toBe(504)
      expect(cancelResult.status).toBe(503)
      expect(listAgain.status).toBe(200)
    }))

  it.scopedLive("rules apply in insertion order", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 500 } })
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 501 } })
      const results = yield* Effect.forEach([1, 2, 3], () => describeJob(emulator))

      expect(results.map((result) => result.status)).toEqual([500, 501, 200])
    }))

  it.scopedLive("invalid rules die", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const exits = yield* Effect.forEach(
        [
          { fault: { _tag: "Reset" }, times: 0 },
          { fault: { _tag: "Reset" }, times: 1.5 },
          { fault: { _tag: "Delay", millis: -1 } },
          { fault: { _tag: "Reply", status: 42 } }
        ] satisfies ReadonlyArray<Emulator.FaultRule>,
        (rule) => Effect.exit(emulator.injectFault(rule))
      )

      expect(exits.map((exit) => Exit.isFailure(exit) && Exit.causeOption(exit)._tag)).toEqual([
        "Some",
        "Some",
        "Some",
        "Some"
      ])
      const result = yield* describeJob(emulator)
      expect(result.status).toBe(200)
    }))
})

describe("request log", () => {
  it.scopedLive("records a fetch PUT with an empty body", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const job = yield* emulator.seedJob({ state: "Running" })
      const path = `/inventorytriggerjob/${job.jobId}`
      const host = `127.0.0.1:${emulator.port}`
      const authorization = Signer.sign({
        method: "PUT",
        pathname: path,
        query: { cancel: "" },
        headers: { host, "content-length": "0" },
        secretId: "AKIDEXAMPLE",
        secretKey: Emulator.defaultCredential.secretKey,
        keyTime: { start: fixedNowSeconds - 60, end: fixedNowSeconds + 900 }
      })

      const response = yield* Effect.promise(() =>
        fetch(`${emulator.url}${path}?cancel`, {
          method: "PUT",
          headers: { authorization },
          body: "",
          signal: AbortSignal.timeout(5_000)
        })
      )

      expect(response.status).toBe(200)
      const log = yield* emulator.requests
      expect(log).toHaveLength(1)
      const entry = log[0]!
      expect(entry.method).toBe("PUT")
      expect(entry.url).toBe(`${path}?cancel`)
      expect(entry.body).toBe("")
      expect(entry.status).toBe(200)
      expect(entry.code).toBeUndefined()
      expect(entry.fault).toBeUndefined()
      expect(entry.rawHeaders).toContainEqual(["content-length", "0"])
      expect(entry.rawHeaders).toContainEqual(["authorization", authorization])
      expect(entry.headers["host"]).toBe(host)
      expect(entry.headers["content-length"]).toBe("0")
    }))

  it.scopedLive("keeps raw header case and order", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* sendRaw(emulator.port, {
        method: "POST",
        target: "/inventorytriggerjob?x=1",
        headers: { "X-CI-Custom": "A", "Content-Type": "application/xml", "Content-Length": "7" },
        body: "<a></a>"
      })

      const [entry] = yield* emulator.requests
      expect(entry!.url).toBe("/inventorytriggerjob?x=1")
      expect(entry!.body).toBe("<a></a>")
      expect(entry!.rawHeaders.slice(0, 3)).toEqual([
        ["X-CI-Custom", "A"],
        ["Content-Type", "application/xml"],
        ["Content-Length", "7"]
      ])
      expect(entry!.headers["x-ci-custom"]).toBe("A")
      expect(entry!.status).toBe(401)
      expect(entry!.code).toBe("MissingAuthorization")
    }))

  it.scopedLive("clearRequests empties the log", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* describeJob(emulator)
      yield* describeJob(emulator)
      const before = yield* emulator.requests
      yield* emulator.clearRequests
      const after = yield* emulator.requests
      yield* describeJob(emulator)
      const again = yield* emulator.requests

      expect(before).toHaveLength(2)
      expect(after).toHaveLength(0)
      expect(again).toHaveLength(1)
    }))

  it.scopedLive("requestLogLimit keeps the newest entries", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator({ requestLogLimit: 2 })
      yield* Effect.forEach(["a", "b", "c"], (id) =>
        sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${id}` }))

      const log = yield* emulator.requests
      expect(log.map((entry) =>
        entry.url
      )).toEqual(["/inventorytriggerjob/b", "/inventorytriggerjob/c"])
    }))
})

describe("lifecycle", () => {
  it.live("closing the scope ends a stalled response quickly", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(startEmulator(), scope)
      yield* emulator.injectFault({ fault: { _tag: "StallMidBody", status: 200, body: "0123456789" } })
      const response = yield* openResponse(emulator.port, describePath)

      const started = Date.now()
      yield* Scope.close(scope, Exit.void)
      const outcome = yield* Effect.promise(() => response.finished).pipe(Effect.timeout("2 seconds"))
      const elapsed = Date.now() - started

      expect(outcome).not.toBe("end")
      expect(response.received().toString("utf8")).toBe("01234")
      expect(elapsed).toBeLessThan(1_000)
    }))

  it.live("closing the scope frees the port and interrupts a delayed request", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const emulator = yield* Scope.extend(startEmulator(), scope)
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 60_000 } })
      const pending = yield* Effect.fork(Effect.either(describeJob(emulator)))
      yield* Effect.sleep("100 millis")

      const started = Date.now()
      yield* Scope.close(scope, Exit.void)
      const result = yield* pending.await
      const elapsed = Date.now() - started
      const reconnect = yield* Effect.either(sendRaw(emulator.port, { method: "GET", target: "/" }))

      expect(elapsed).toBeLessThan(1_000)
      expect(Exit.isSuccess(result)).toBe(true)
      expect(Exit.isSuccess(result) && result.value._tag).toBe("Left")
      expect(reconnect._tag).toBe("Left")
    }))

  it.live("layer starts and stops the emulator", () =>
    Effect.gen(function*() {
      const port = yield* Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const result = yield* describeJob(emulator)
        expect(result.status).toBe(200)
        expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`)
        return emulator.port
      }).pipe(Effect.provide(Emulator.layer({ now: () => fixedNowSeconds * 1000 })))

      const afterwards = yield* Effect.either(sendRaw(port, { method: "GET", target: "/" }))
      expect(afterwards._tag).toBe("Left")
    }))

  it.scopedLive("a busy port gives EmulatorStartError", () =>
    Effect.gen(function*() {
      const first = yield* startEmulator()
      const error = yield* Effect.flip(startEmulator({ port: first.port }))

      expect(error._tag).toBe("EmulatorStartError")
      expect(error.message).toContain(`cannot listen on 127.0.0.1:${first.port}`)
      expect(error.message).toContain("EADDRINUSE")
    }))
})
