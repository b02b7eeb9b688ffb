import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import * as Emulator from "../Emulator.js"
import { type AuthConfig, authenticate } from "./auth.js"
import { type Body, checkDeclaredLength, readBody } from "./body.js"
import { Connections } from "./connections.js"
import { checkRule, FaultQueue, resetMidBody, sendReply, stallMidBody } from "./faults.js"
import { newRequestId, newTraceId } from "./ids.js"
import { PageTokens } from "./list.js"
import { checkProgression } from "./progression.js"
import { CiError, type Success } from "./response.js"
import { route, type RouteContext } from "./router.js"
import { JobStore } from "./store.js"
import { rawPathOf } from "./target.js"
import { formatHttpDate } from "./time.js"
import { renderError } from "./xml.js"

interface Config {
  readonly port: number
  readonly credentials: ReadonlyArray<Emulator.Credential>
  readonly auth: AuthConfig
  readonly requestLogLimit: number
  readonly progression: Emulator.Progression | undefined
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

    const progression = options.progression === false ? undefined : options.progression
    const progressionProblem = progression === undefined ? undefined : checkProgression(progression)
    if (progressionProblem !== undefined) {
      return yield* invalidOption(progressionProblem)
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
      progression,
      auth: {
        credentials: bySecretId,
        strict: options.strict ?? true,
        futureSkewSeconds,
        now: options.now ?? Date.now
      }
    }
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

const errorHeaders = (state: State, requestId: string, traceId: string, error: CiError): Record<string, string> => ({
  ...commonHeaders(state, requestId),
  "Content-Type": "application/xml",
  "x-ci-trace-id": traceId,
  ...error.headers
})

const writeError = (state: State, response: Http.ServerResponse, requestId: string, error: CiError): void => {
  const traceId = newTraceId()
  writeResponse(
    response,
    error.status,
    errorHeaders(state, requestId, traceId, error),
    renderError(error.code, error.message, requestId, traceId)
  )
}

/**
 * Writes a complete error response straight to a socket that node:http no longer writes to, as
 * after a parse error or a CONNECT request. Returns the request id sent.
 */
const writeRawError = (state: State, socket: Socket, error: CiError): string => {
  const requestId = newRequestId(state.config.auth.now())
  const traceId = newTraceId()
  const body = Buffer.from(renderError(error.code, error.message, requestId, traceId), "utf8")
  const headers = { ...errorHeaders(state, requestId, traceId, error), "Content-Length": String(body.length) }
  const head = [
    `HTTP/1.1 ${error.status} ${Http.STATUS_CODES[error.status] ?? "Error"}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
  ].join("\r\n")
  socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), body]))
  return requestId
}

/** Appends to the request log and logs one line, with the request id and `detail`, such as an error message. */
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
      entry.requestId === undefined ? detail : `request id ${entry.requestId}${detail === "" ? "" : `: ${detail}`}`
    ].filter((part) => part !== "").join(" ")
    return Effect.logDebug(`${entry.method} ${entry.url} -> ${outcome}`)
  })

interface Incoming {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

/** Builds the log entry of a request whose response a fault replaced, so the emulator sent no request id of its own. */
const replacedByFault = (
  received: ReturnType<typeof receivedFields>,
  fault: Emulator.Fault["_tag"],
  status?: number
): Emulator.ReceivedRequest => ({ ...received, status, code: undefined, fault, requestId: undefined })

/** Authenticates and routes a request that no fault replaced. */
const respond = (state: State, incoming: Incoming, requestId: string): Effect.Effect<Success, CiError> =>
  Effect.gen(function*() {
    const target = yield* authenticate(state.config.auth, incoming)
    return yield* route(state.context, {
      method: incoming.method,
      target,
      headers: incoming.headers,
      body: incoming.body,
      requestId
    })
  })

/** Returns the request-log fields that are known once the request has been read. */
const receivedFields = (request: Http.IncomingMessage, body: Buffer) => {
  const rawHeaders = headerPairs(request.rawHeaders)
  return {
    method: request.method ?? "GET",
    url: request.url ?? "/",
    rawHeaders,
    headers: headersByName(rawHeaders),
    body: body.toString("utf8")
  }
}

/** Sends the error for a body that was rejected before its end, before any fault or signature check. */
const rejectBody = (
  state: State,
  request: Http.IncomingMessage,
  response: Http.ServerResponse,
  body: Extract<Body, { readonly _tag: "Rejected" }>
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const requestId = newRequestId(state.config.auth.now())
    const error = body.error
    yield* record(
      state,
      { ...receivedFields(request, body.bytes), status: error.status, code: error.code, fault: undefined, requestId },
      error.message
    )
    writeError(state, response, requestId, error)
  })

const handle = (
  state: State,
  connections: Connections,
  request: Http.IncomingMessage,
  response: Http.ServerResponse
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const body = yield* readBody(request, (listener) => connections.watchParseError(request.socket, listener))
    if (body._tag === "Rejected") {
      return yield* rejectBody(state, request, response, body)
    }

    const received = receivedFields(request, body.bytes)
    const incoming: Incoming = {
      method: received.method,
      url: received.url,
      headers: received.headers,
      body: body.bytes
    }

    const fault = state.faults.take(incoming.method, rawPathOf(incoming.url))
    switch (fault?._tag) {
      case "Reset": {
        yield* record(state, replacedByFault(received, "Reset"))
        request.socket.destroy()
        return
      }
      case "Reply": {
        yield* record(state, replacedByFault(received, "Reply", fault.status))
        sendReply(response, fault)
        return
      }
      case "StallMidBody": {
        yield* record(state, replacedByFault(received, "StallMidBody"))
        stallMidBody(response, fault)
        return
      }
      case "ResetMidBody": {
        yield* record(state, replacedByFault(received, "ResetMidBody"))
        resetMidBody(response, fault)
        return
      }
      case "Hang": {
        // Nothing is sent. Closing the emulator destroys the connection if the client keeps it open.
        yield* record(state, replacedByFault(received, "Hang"))
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
        { ...received, status: error.status, code: error.code, fault: faultTag, requestId },
        error.message
      )
      writeError(state, response, requestId, error)
    } else {
      yield* record(
        state,
        { ...received, status: outcome.right.status, code: undefined, fault: faultTag, requestId }
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
          const error = new CiError({
            status: 500,
            code: "InternalError",
            message: "The emulator failed to handle the request; see its error log."
          })
          writeError(state, response, newRequestId(state.config.auth.now()), error)
        }))
      )
    })
  )

const listen = (server: Http.Server, port: number): Effect.Effect<number, Emulator.EmulatorStartError> =>
  Effect.async<number, Emulator.EmulatorStartError>((resume) => {
    const onError = (error: Error) =>
      resume(Effect.fail(
        new Emulator.EmulatorStartError({
          message: `cannot listen on 127.0.0.1:${port}: ${error.message}`,
          cause: error
        })
      ))
    server.once("error", onError)
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError)
      resume(Effect.succeed((server.address() as AddressInfo).port))
    })
  })

const close = (server: Http.Server, connections: Connections): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    server.close(() => resume(Effect.void))
    // close() only stops accepting; stalled responses and idle keep-alive sockets must be destroyed too.
    server.closeAllConnections()
    connections.destroyLingering()
  })

/** Rejects a CONNECT request, which node:http hands over as a raw socket, with 405 and closes the connection. */
const rejectConnect = (
  state: State,
  connections: Connections,
  request: Http.IncomingMessage,
  socket: Socket
): Effect.Effect<void> =>
  Effect.suspend(() => {
    const error = new CiError({
      status: 405,
      code: "MethodNotAllowed",
      message: "The method CONNECT is not allowed; the emulator serves GET, POST and PUT on /inventorytriggerjob.",
      headers: { Connection: "close" }
    })
    const requestId = connections.writeErrorAndClose(socket, error)
    const received = receivedFields(request, Buffer.alloc(0))
    if (requestId === undefined) {
      return record(
        state,
        { ...received, status: undefined, code: undefined, fault: undefined, requestId: undefined },
        "the client closed the connection"
      )
    }
    return record(
      state,
      { ...received, status: error.status, code: error.code, fault: undefined, requestId },
      error.message
    )
  })

/**
 * Creates the HTTP server. Every request node:http accepts goes to `onRequest`: those with an
 * `Expect` header too, where node:http would send 417 itself, and a `100-continue` is sent only
 * for a body within the limit. The Host header is not required, so its absence reaches the
 * signature check instead of node:http's bare 400.
 */
const createServer = (
  state: State,
  connections: Connections,
  runFork: (effect: Effect.Effect<void>) => unknown
): Http.Server => {
  const onRequest = (request: Http.IncomingMessage, response: Http.ServerResponse) => {
    connections.track(request, response)
    runFork(handle(state, connections, request, response))
  }

  const server = Http.createServer({ requireHostHeader: false }, onRequest) // By default node:http ends its side as soon as the client half-closes, which loses the response
   // to a request still being handled. With this flag it ends the connection after that response.
  ;(server as Http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true
  server.on("checkContinue", (request, response) => {
    if (checkDeclaredLength(request) === undefined) {
      response.writeContinue()
    }
    onRequest(request, response)
  })
  server.on("checkExpectation", onRequest)
  server.on("clientError", (error: Error, socket: Socket) => connections.onClientError(error, socket))
  server.on("connect", (request: Http.IncomingMessage, socket: Socket) => {
    runFork(rejectConnect(state, connections, request, socket))
  })
  return server
}

/** @internal */
export const make = (
  options: Emulator.EmulatorOptions
): Effect.Effect<Emulator.Emulator.Service, Emulator.EmulatorStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const config = yield* resolveConfig(options)
    const store = new JobStore(config.auth.now, config.progression)
    const state: State = {
      config,
      context: { store, tokens: new PageTokens() },
      faults: new FaultQueue(),
      log: []
    }

    // Closing the scope interrupts handlers still running, such as those waiting on a Delay fault.
    const runFork = yield* FiberSet.makeRuntime<never, void, never>()
    const connections = new Connections(
      (socket, error) => writeRawError(state, socket, error),
      (line) => runFork(Effect.logDebug(line))
    )
    const server = createServer(state, connections, runFork)

    const port = yield* Effect.acquireRelease(listen(server, config.port), () => close(server, connections))
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
