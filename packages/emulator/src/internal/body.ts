import * as Effect from "effect/Effect"
import type * as Http from "node:http"
import { connectionEnded } from "./connections.js"
import { CiError } from "./response.js"

/**
 * The largest request body the emulator accepts, on every route. Create requests are a few
 * kilobytes, so anything near this size is a client bug.
 *
 * @internal
 */
export const maxBodyBytes = 1024 * 1024

/**
 * A request body as read: complete, or rejected before its end with the error to send. The
 * bytes of a rejected body are those read before the rejection, at most `maxBodyBytes`.
 *
 * @internal
 */
export type Body =
  | { readonly _tag: "Complete"; readonly bytes: Buffer }
  | { readonly _tag: "Rejected"; readonly bytes: Buffer; readonly error: CiError }

// The connection is closed after the error, because the unread rest of the body would otherwise
// be parsed as the next request.
const closeConnection = { Connection: "close" }

const entityTooLarge = (detail: string): CiError =>
  new CiError({
    status: 400,
    code: "EntityTooLarge",
    message:
      `${detail} exceeds the limit of ${maxBodyBytes} bytes; the emulator closes the connection without reading the rest.`,
    headers: closeConnection
  })

/**
 * Returns the error for a `Content-Length` over the limit, so the body need not be read at all.
 *
 * @internal
 */
export const checkDeclaredLength = (request: Http.IncomingMessage): CiError | undefined => {
  const declared = request.headers["content-length"]
  // Node's parser has already rejected a Content-Length that is not a decimal number.
  if (declared === undefined || !(Number(declared) > maxBodyBytes)) {
    return undefined
  }
  return entityTooLarge(`The request body of ${declared} bytes (Content-Length)`)
}

/**
 * Registers a listener for an HTTP parse error on the request's connection while its body is
 * read, and returns the function that removes it. The listener returns whether it took the error.
 *
 * @internal
 */
export type WatchParseError = (listener: (error: CiError) => boolean) => () => void

/**
 * Reads a request body. It stops reading and returns `Rejected` as soon as the body passes
 * `maxBodyBytes`, whether `Content-Length` declared it or chunks carried it. It also returns
 * `Rejected` when Node's parser rejects the rest of the body, or when the client ends its side of
 * the connection before the body is complete. It fails only when the connection closes first.
 *
 * @internal
 */
export const readBody = (request: Http.IncomingMessage, watchParseError: WatchParseError): Effect.Effect<Body, Error> =>
  Effect.async<Body, Error>((resume) => {
    const declaredTooLarge = checkDeclaredLength(request)
    if (declaredTooLarge !== undefined) {
      resume(Effect.succeed({ _tag: "Rejected", bytes: Buffer.alloc(0), error: declaredTooLarge }))
      return
    }

    const chunks: Array<Buffer> = []
    let size = 0
    let settled = false

    const settle = (effect: Effect.Effect<Body, Error>) => {
      if (!settled) {
        settled = true
        cleanUp()
        resume(effect)
      }
    }
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > maxBodyBytes) {
        chunks.push(chunk.subarray(0, maxBodyBytes - size))
        // Stop reading: the rest of the body is never buffered.
        request.pause()
        settle(Effect.succeed({
          _tag: "Rejected",
          bytes: Buffer.concat(chunks),
          error: entityTooLarge("The request body")
        }))
        return
      }
      chunks.push(chunk)
      size += chunk.length
    }
    const onEnd = () => settle(Effect.succeed({ _tag: "Complete", bytes: Buffer.concat(chunks) }))
    const onError = (error: Error) => settle(Effect.fail(error))
    const onClose = () => {
      if (!request.complete) {
        settle(Effect.fail(new Error("the client closed the connection before the request body ended")))
      }
    }
    // The socket ends after the parser has seen every byte, so an incomplete body stays incomplete.
    // node:http reports this as a parse error, except for requests with an Upgrade header.
    const onSocketEnd = () => {
      if (!request.complete) {
        settle(Effect.succeed({ _tag: "Rejected", bytes: Buffer.concat(chunks), error: connectionEnded() }))
      }
    }
    const stopWatching = watchParseError((error) => {
      // Node's parser marks the request complete before it parses the next one on the connection.
      if (request.complete) {
        return false
      }
      settle(Effect.succeed({ _tag: "Rejected", bytes: Buffer.concat(chunks), error }))
      return true
    })

    function cleanUp() {
      stopWatching()
      request.off("data", onData)
      request.off("end", onEnd)
      request.off("error", onError)
      request.off("close", onClose)
      request.socket.off("end", onSocketEnd)
    }

    request.on("data", onData)
    request.once("end", onEnd)
    request.once("error", onError)
    request.once("close", onClose)
    request.socket.once("end", onSocketEnd)
    return Effect.sync(cleanUp)
  })
