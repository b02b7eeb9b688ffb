import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Emulator from "../Emulator.js"
import { authenticate, type AuthConfig } from "./auth.js"
import { checkRule, FaultQueue, sendReply, stallMidBody } from "./faults.js"
import { newRequestId, newTraceId } from "./ids.js"
import { PageTokens } from "./list.js"
import { CiError, invalidArgument, type Success } from "./response.js"
import { route, type RouteContext } from "./router.js"
import { JobStore } from "./store.js"
import { rawPathOf } from "./target.js"
import { formatHttpDate } from "./time.js"
import { renderError } from "./xml.js"

/** Bodies past this size are cut in the log and rejected, because create requests are small. */
const maxBodyBytes = 1024 * 1024

interface Config {
  readonly port: number
  readonly credentials: ReadonlyArray<Emulator.Credential>
  readonly auth: AuthConfig
  readonly requestLogLimit: number
}

interface State {
  readonly config: Config
  readonly context: RouteContext
  readonly faults: FaultQueue
  readonly log: Array<Emulator.ReceivedRequest>
}

const invalidOption = (message: string) => Effect.fail(new Emulator.EmulatorStartError({ message }))

const resolveConfig = (options: Emulator.EmulatorOptions): Effect.Effect<Config, Emulator.EmulatorStartError> =>
  Effect.gen(function*() {
    const port = options.port ?? 0
    if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) {
      return yield* invalidOption(`port must be an integer from 0 to 65535, got ${port}`)
    }

    const futureSkewSeconds = options.futureSkewSeconds ?? 900
    if (!(Number.isFinite(futureSkewSeconds) && futureSkewSeconds >= 0)) {
      return yield* invalidOption(`futureSkewSeconds must be a finite number >= 0, got ${futureSkewSeconds}`)
    }

    const requestLogLimit = options.requestLogLimit ?? 1000
    if (!(Number.isInteger(requestLogLimit) && requestLogLimit >= 0)) {
      return yield* invalidOption(`requestLogLimit must be an integer >= 0, got ${requestLogLimit}`)
    }

    const credentials = options.credentials ?? [Emulator.defaultCredential]
    const bySecretId = new Map<string, Emulator.Credential>()
    for (const credential of credentials) {
      if (credential.secretId === "" || bySecretId.has(credential.secretId)) {
        return yield* invalidOption(`credential SecretIds must be unique and non-empty, got "${credential.secretId}"`)
      }
      bySecretId.set(credential.secretId, credential)
    }

    return {
      port,
      credentials,
      requestLogLimit,
      auth: {
        credentials: bySecretId,
        strict: options.strict ?? true,
        futureSkewSeconds,
        now: options.now ?? Date.now
      }
    }
  })

interface Body {
  readonly bytes: Buffer
  readonly truncated: boolean
}

/** Reads the whole request body, keeping at most `maxBodyBytes`. Fails when the client goes away first. */
const readBody = (request: Http.IncomingMessage): Effect.Effect<Body, Error> =>
  Effect.async<Body, Error>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    let truncated = false
    let settled = false

    const settle = (effect: Effect.Effect<Body, Error>) => {
      if (!settled) {
        settled = true
        resume(effect)
      }
    }
    const onData = (chunk: Buffer) => {
      const room = maxBodyBytes - size
      if (chunk.length > room) {
        truncated = true
      }
      if (room > 0) {
        const kept = chunk.subarray(0, room)
        chunks.push(kept)
        size += kept.length
      }
    }
    const onEnd = () => settle(Effect.succeed({ bytes: Buffer.concat(chunks), truncated }))
    const onError = (error: Error) => settle(Effect.fail(error))
    const onClose = () => {
      if (!request.complete) {
        settle(Effect.fail(new Error("the client closed the connection before the request body ended")))
      }
    }

    request.on("data", onData)
    request.once("end", onEnd)
    request.once("error", onError)
    request.once("close", onClose)
    return Effect.sync(() => {
      request.off("data", onData)
      request.off("end", onEnd)
      request.off("error", onError)
      request.off("close", onClose)
    })
  })

/** Waits in wall-clock time, so a `TestClock` in the caller's context cannot hold a `Delay` fault back. */
const sleepWallClock = (millis: number): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

const headerPairs = (rawHeaders: ReadonlyArray<string>): ReadonlyArray<readonly [string, string]> => {
  const pairs: Array<readonly [string, string]> = []
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    pairs.push([rawHeaders[index]!, rawHeaders[index + 1]!])
  }
  return pairs
}

const headersByName = (pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of pairs) {
    const key = name.toLowerCase()
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`
  }
  return headers
}

const canWrite = (response: Http.ServerResponse): boolean =>
  !response.headersSent && !response.destroyed && !response.socket?.destroyed

const writeResponse = (
  response: Http.ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string
): void => {
  if (!canWrite(response)) {
    return
  }
  const payload = Buffer.from(body, "utf8")
  response.sendDate = false
  response.writeHead(status, { ...headers, "Content-Length": String(payload.length) })
  response.end(payload)
}

const commonHeaders = (state: State, requestId: string): Record<string, string> => ({
  "Date": formatHttpDate(state.config.auth.now()),
  "Server": "tencent-ci",
  "x-ci-request-id": requestId
})

const writeSuccess = (state: State, response: Http.ServerResponse, requestId: string, success: Success): void => {
  const headers = commonHeaders(state, requestId)
  if (success.body !== "") {
    headers["Content-Type"] = "application/xml"
  }
  writeResponse(response, success.status, headers, success.body)
}

const writeError = (state: State, response: Http.ServerResponse, requestId: string, error: CiError): void => {
  const traceId = newTraceId()
  writeResponse(
    response,
    error.status,
    {
      ...commonHeaders(state, requestId),
      "Content-Type": "application/xml",
      "x-ci-trace-id": traceId,
      ...error.headers
    },
    renderError(error.code, error.message, requestId, traceId)
  )
}

/** Appends to the request log and logs one line. `detail` carries the request id and any error message. */
const record = (state: State, entry: Emulator.ReceivedRequest, detail = ""): Effect.Effect<void> =>
  Effect.suspend(() => {
    state.log.push(entry)
    if (state.log.length > state.config.requestLogLimit) {
      state.log.splice(0, state.log.length - state.config.requestLogLimit)
    }
    const outcome = [
      entry.status === undefined ? "no response" : String(entry.status),
      entry.code ?? "",
      entry.fault === undefined ? "" : `(fault ${entry.fault})`,
      detail
    ].filter((part) => part !== "").join(" ")
    return Effect.logDebug(`${entry.method} ${entry.url} -> ${outcome}`)
  })

interface Incoming {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Body
}

/** Authenticates and routes a request that no fault replaced. */
const respond = (state: State, incoming: Incoming, requestId: string): Effect.Effect<Success, CiError> =>
  Effect.gen(function*() {
    const target = yield* authenticate(state.config.auth, incoming)
    if (incoming.body.truncated) {
      return yield* Effect.fail(invalidArgument(`The request body exceeds ${maxBodyBytes} bytes.`))
    }
    return yield* route(state.context, {
      method: incoming.method,
      target,
      headers: incoming.headers,
      body: incoming.body.bytes,
      requestId
    })
  })

const handle = (state: State, request: Http.IncomingMessage, response: Http.ServerResponse): Effect.Effect<void> =>
  Effect.gen(function*() {
    const body = yield* readBody(request)
    const rawHeaders = headerPairs(request.rawHeaders)
    const incoming: Incoming = {
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: headersByName(rawHeaders),
      body
    }
    const received = {
      method: incoming.method,
      url: incoming.url,
      rawHeaders,
      headers: incoming.headers,
      body: body.bytes.toString("utf8")
    }

    const fault = state.faults.take(incoming.method, rawPathOf(incoming.url))
    switch (fault?._tag) {
      case "Reset": {
        yield* record(state, { ...received, status: undefined, code: undefined, fault: "Reset" })
        request.socket.destroy()
        return
      }
      case "Reply": {
        yield* record(state, { ...received, status: fault.status, code: undefined, fault: "Reply" })
        sendReply(response, fault)
        return
      }
      case "StallMidBody": {
        yield* record(state, { ...received, status: undefined, code: undefined, fault: "StallMidBody" })
        stallMidBody(response, fault)
        return
      }
      case "Delay": {
        yield* sleepWallClock(fault.millis)
        break
      }
    }

    const requestId = newRequestId(state.config.auth.now())
    const outcome = yield* Effect.either(respond(state, incoming, requestId))
    const faultTag = fault?._tag
    if (outcome._tag === "Left") {
      const error = outcome.left
      yield* record(
        state,
        { ...received, status: error.status, code: error.code, fault: faultTag },
        `request id ${requestId}: ${error.message}`
      )
      writeError(state, response, requestId, error)
    } else {
      yield* record(
        state,
        { ...received, status: outcome.right.status, code: undefined, fault: faultTag },
        `request id ${requestId}`
      )
      writeSuccess(state, response, requestId, outcome.right)
    }
  }).pipe(
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) {
        return Effect.void
      }
      // A failure here means the client went away mid-request. Anything else is a bug in the emulator.
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure)) {
        return Effect.logDebug("Request abandoned by the client", failure.value)
      }
      return Effect.logError("Request handler failed", cause).pipe(
        Effect.zipRight(Effect.sync(() => {
          const error = new CiError({ status: 500, code: "InternalError", message: "The emulator failed to handle the request; see its error log." })
          writeError(state, response, newRequestId(state.config.auth.now()), error)
        }))
      )
    })
  )

const listen = (server: Http.Server, port: number): Effect.Effect<number, Emulator.EmulatorStartError> =>
  Effect.async<number, Emulator.EmulatorStartError>((resume) => {
    const onError = (error: Error) =>
      resume(Effect.fail(
        new Emulator.EmulatorStartError({ message: `cannot listen on 127.0.0.1:${port}: ${error.message}`, cause: error })
      ))
    server.once("error", onError)
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError)
      resume(Effect.succeed((server.address() as AddressInfo).port))
    })
  })

const close = (server: Http.Server): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    server.close(() => resume(Effect.void))
    // close() only stops accepting; stalled responses and idle keep-alive sockets must be destroyed too.
    server.closeAllConnections()
  })

/** @internal */
export const make = (
  options: Emulator.EmulatorOptions
): Effect.Effect<Emulator.Emulator.Service, Emulator.EmulatorStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const config = yield* resolveConfig(options)
    const store = new JobStore(config.auth.now)
    const state: State = {
      config,
      context: { store, tokens: new PageTokens() },
      faults: new FaultQueue(),
      log: []
    }

    // Closing the scope interrupts handlers still running, such as those waiting on a Delay fault.
    const runFork = yield* FiberSet.makeRuntime<never, void, never>()
    const server = Http.createServer((request, response) => {
      runFork(handle(state, request, response))
    })

    const port = yield* Effect.acquireRelease(listen(server, config.port), () => close(server))
    // Attached after listen, which reports its own errors as EmulatorStartError.
    server.on("error", (error) => {
      runFork(Effect.logError("Emulator server error", error))
    })
    const url = `http://127.0.0.1:${port}`
    yield* Effect.logDebug(`Emulator listening on ${url}`)

    const service: Emulator.Emulator.Service = {
      url,
      port,
      credentials: config.credentials,
      seedJob: (job) => Effect.sync(() => store.seed(job ?? {})),
      getJob: (jobId) => Effect.sync(() => Option.fromNullable(store.get(jobId))),
      setJobState: (jobId, jobState) =>
        Effect.suspend(() =>
          store.setState(jobId, jobState) === undefined
            ? Effect.fail(new Emulator.JobNotFoundError({ jobId }))
            : Effect.void
        ),
      injectFault: (rule) =>
        Effect.suspend(() => {
          const problem = checkRule(rule)
          if (problem !== undefined) {
            return Effect.dieMessage(problem)
          }
          state.faults.add(rule)
          return Effect.void
        }),
      requests: Effect.sync(() => state.log.slice()),
      clearRequests: Effect.sync(() => {
        state.log.length = 0
      })
    }
    return service
  })
