import * as Http from "node:http"
import type * as Net from "node:net"
import { CiError } from "./response.js"

/** How long a connection stays open after an error sent on the raw socket, so the client can read it. */
const lingerMillis = 1_000

interface ConnectionState {
  /** Requests on this connection whose responses have not closed yet. */
  pendingResponses: number
  /**
   * Set while a request on this connection is reading its body. Returns `false` when that body
   * was already complete, so the error belongs to a request pipelined after it.
   */
  parseErrorListener: ((error: CiError) => boolean) | undefined
  /** A parse error to send once the pending responses have been sent. */
  deferredError: CiError | undefined
  /** Node's parser reports an error again for every later chunk, so only the first one gets a response. */
  failed: boolean
}

type SocketError = Error & { readonly code?: string | undefined }

/**
 * Returns the error for a request whose client ended the connection before the request was complete.
 *
 * @internal
 */
export const connectionEnded = (): CiError =>
  new CiError({
    status: 400,
    code: "BadRequest",
    message: "The connection ended before the request was complete.",
    headers: { Connection: "close" }
  })

/**
 * Returns the error response for a request that Node's HTTP parser rejected, keeping the statuses
 * Node itself would send: 431 for headers over `maxHeaderSize`, 408 for a request timeout and 400
 * for the rest.
 *
 * @internal
 */
export const parseErrorResponse = (error: SocketError): CiError => {
  const headers = { Connection: "close" }
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return new CiError({
        status: 431,
        code: "RequestHeaderFieldsTooLarge",
        message: `The request headers exceed ${Http.maxHeaderSize} bytes.`,
        headers
      })
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new CiError({
        status: 408,
        code: "RequestTimeout",
        message: "The request was not received completely in time.",
        headers
      })
    case "HPE_INVALID_EOF_STATE":
      return connectionEnded()
    default:
      return new CiError({
        status: 400,
        code: "BadRequest",
        message: `The request is not valid HTTP/1.1: ${error.code ?? "parse error"}, ${error.message}.`,
        headers
      })
  }
}

/**
 * Tracks requests per connection so that every request Node's HTTP parser rejects still gets an
 * XML error. A request whose body is being read sends the error as its own response. Otherwise the
 * error is written to the raw socket once the responses before it have been sent, and the
 * connection is closed.
 *
 * @internal
 */
export class Connections {
  private readonly states = new WeakMap<Net.Socket, ConnectionState>()
  private readonly lingering = new Set<Net.Socket>()

  /**
   * `writeErrorResponse` writes a complete HTTP response for `error` to the socket and returns the
   * request id it sent. `log` receives one line per error sent on a raw socket.
   */
  constructor(
    private readonly writeErrorResponse: (socket: Net.Socket, error: CiError) => string,
    private readonly log: (line: string) => void
  ) {}

  private stateOf(socket: Net.Socket): ConnectionState {
    let state = this.states.get(socket)
    if (state === undefined) {
      state = { pendingResponses: 0, parseErrorListener: undefined, deferredError: undefined, failed: false }
      this.states.set(socket, state)
    }
    return state
  }

  /** Counts a request as pending until its response closes. */
  track(request: Http.IncomingMessage, response: Http.ServerResponse): void {
    const socket = request.socket
    const state = this.stateOf(socket)
    state.pendingResponses += 1
    response.once("close", () => {
      state.pendingResponses -= 1
      const deferred = state.deferredError
      if (state.pendingResponses === 0 && deferred !== undefined) {
        state.deferredError = undefined
        this.respondToParseError(socket, deferred)
      }
    })
  }

  /** Routes a parse error on the socket to `listener` until the returned function is called. */
  watchParseError(socket: Net.Socket, listener: (error: CiError) => boolean): () => void {
    const state = this.stateOf(socket)
    state.parseErrorListener = listener
    return () => {
      if (state.parseErrorListener === listener) {
        state.parseErrorListener = undefined
      }
    }
  }

  /** Handles Node's `clientError` event, which replaces Node's own bare 400 response. */
  onClientError(error: SocketError, socket: Net.Socket): void {
    const state = this.stateOf(socket)
    if (state.failed) {
      return
    }
    state.failed = true
    if (!socket.writable || error.code === "ECONNRESET" || error.code === "EPIPE") {
      socket.destroy()
      return
    }

    const response = parseErrorResponse(error)
    if (state.parseErrorListener?.(response) === true) {
      return
    }
    if (state.pendingResponses > 0) {
      state.deferredError = response
    } else {
      this.respondToParseError(socket, response)
    }
  }

  private respondToParseError(socket: Net.Socket, error: CiError): void {
    const requestId = this.writeErrorAndClose(socket, error)
    const outcome = requestId === undefined ? "no response, the connection is closed" : `request id ${requestId}`
    this.log(`HTTP parse error -> ${error.status} ${error.code} ${outcome}: ${error.message}`)
  }

  /**
   * Writes an error on a socket that node:http no longer writes to, then closes the connection.
   * Returns the request id sent, or `undefined` when the socket could no longer be written.
   */
  writeErrorAndClose(socket: Net.Socket, error: CiError): string | undefined {
    if (!socket.writable) {
      socket.destroy()
      return undefined
    }
    // node:http leaves a CONNECT socket with no error listener, and an unhandled socket error
    // would crash the process. Reading on lets the client's end close the connection.
    socket.on("error", () => socket.destroy())
    socket.resume()
    const requestId = this.writeErrorResponse(socket, error)
    socket.end()
    // Closing at once could reset the connection before the client reads the error.
    this.lingering.add(socket)
    const timer = setTimeout(() => socket.destroy(), lingerMillis)
    timer.unref()
    socket.once("close", () => {
      clearTimeout(timer)
      this.lingering.delete(socket)
    })
    return requestId
  }

  /**
   * Destroys the connections still open after an error written on the raw socket. Closing the
   * server must do this itself, because node:http (Node 20) stops tracking a socket after a
   * CONNECT request, so `closeAllConnections` misses it.
   */
  destroyLingering(): void {
    for (const socket of this.lingering) {
      socket.destroy()
    }
    this.lingering.clear()
  }
}
