import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { CiDecodeError, CiTransportError, type TransportFailure } from "../CiError.js"
import { preview, requestIdHeader } from "./response.js"

/**
 * The largest response body a client reads. CI bodies are small XML documents (a list page of 100
 * jobs is well under 1 MiB), so anything bigger is a misbehaving server or proxy.
 *
 * @internal
 */
export const maxBodyBytes = 8 * 1024 * 1024

// Error codes of Node's net and http modules and of undici, the engine behind Node's fetch.
const resetCodes = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_ABORTED"
])
const timeoutCodes = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT"
])

interface CauseSummary {
  readonly codes: ReadonlyArray<string>
  readonly description: string
}

// Fetch wraps the socket error: TypeError("fetch failed") -> Error { code: "ECONNRESET" }.
// Walk the cause chain a few levels to find the codes and the most specific message.
const summarize = (cause: unknown): CauseSummary => {
  const codes: Array<string> = []
  const messages: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const error = current as { readonly code?: unknown; readonly message?: unknown; readonly cause?: unknown }
    if (typeof error.code === "string") {
      codes.push(error.code)
    }
    if (typeof error.message === "string" && error.message !== "") {
      messages.push(error.message)
    }
    current = error.cause
  }
  return { codes, description: messages.length === 0 ? "no details" : messages[messages.length - 1] }
}

const failureOf = (codes: ReadonlyArray<string>, fallback: TransportFailure): TransportFailure => {
  if (codes.some((code) => resetCodes.has(code))) {
    return "ConnectionReset"
  }
  if (codes.some((code) => timeoutCodes.has(code))) {
    return "Timeout"
  }
  return fallback
}

/** @internal */
export const fromHttpClientError = (
  error: HttpClientError.HttpClientError,
  method: string,
  url: string
): CiTransportError => {
  const summary = summarize(error.cause)
  // A body that breaks off after the headers arrived is a connection that closed early.
  const fallback: TransportFailure = error._tag === "ResponseError" && error.reason === "Decode" ?
    "ConnectionReset" :
    "Other"
  return new CiTransportError({
    reason: failureOf(summary.codes, fallback),
    method,
    url,
    description: error.cause === undefined ? error.message : summary.description,
    cause: error.cause
  })
}

/**
 * How much of an error response a client reads. Error documents are a few hundred bytes; the rest
 * of a larger body, such as a proxy's HTML page, is dropped without reading.
 *
 * @internal
 */
export const maxErrorBodyBytes = 64 * 1024

interface Collected {
  readonly chunks: Chunk.Chunk<Uint8Array>
  readonly size: number
}

const emptyCollected: Collected = { chunks: Chunk.empty(), size: 0 }

const append = (collected: Collected, bytes: Uint8Array): Collected => ({
  chunks: Chunk.append(collected.chunks, bytes),
  size: collected.size + bytes.length
})

const decodeUtf8 = (collected: Collected, limit: number): string => {
  const bytes = new Uint8Array(collected.size)
  let offset = 0
  for (const chunk of collected.chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return new TextDecoder().decode(bytes.subarray(0, limit))
}

const textDecoder = new TextDecoder()

const contentLengthPattern = /^\d{1,15}$/

/**
 * The length of the body as it is read, from a single valid `content-length`. Undefined when the
 * body is compressed, because fetch decompresses it and the length then does not bound the text.
 */
const declaredLength = (response: HttpClientResponse.HttpClientResponse): number | undefined => {
  const encoding = response.headers["content-encoding"]
  if (encoding !== undefined && encoding !== "identity") {
    return undefined
  }
  const value = response.headers["content-length"]
  return value !== undefined && contentLengthPattern.test(value) ? Number(value) : undefined
}

const isEmptyBody = (error: HttpClientError.ResponseError | CiDecodeError): error is HttpClientError.ResponseError =>
  error._tag === "ResponseError" && error.reason === "EmptyBody"

/**
 * Reads the body as UTF-8 text.
 *
 * A 2xx body is read whole, and one larger than {@link maxBodyBytes} fails with `CiDecodeError`. A
 * body of any other status is read only up to {@link maxErrorBodyBytes}, and a connection that
 * breaks while it is read ends the body there: the status alone already decides the error, so
 * nothing about the body may replace it.
 *
 * @internal
 */
export const readBody = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<string, HttpClientError.ResponseError | CiDecodeError> => {
  const isSuccess = response.status >= 200 && response.status < 300

  // Fast path for a success body whose declared length is within the limit, such as the empty body
  // of a cancel. fetch, undici and node:http stop reading at Content-Length, so the length bounds
  // the read. Reading the body whole costs a fraction of folding its stream, which also aborts the
  // request's AbortController once the stream ends.
  // NOTE: a custom HttpClient that returns more bytes than its response declares is not bounded here.
  const declared = declaredLength(response)
  if (isSuccess && declared !== undefined && declared <= maxBodyBytes) {
    return Effect.map(response.arrayBuffer, (buffer) => buffer.byteLength === 0 ? "" : textDecoder.decode(buffer))
  }

  if (!isSuccess) {
    return response.stream.pipe(
      Stream.catchAll(() => Stream.empty),
      Stream.runFoldWhile(emptyCollected, (collected) => collected.size < maxErrorBodyBytes, append),
      Effect.map((collected) => decodeUtf8(collected, maxErrorBodyBytes))
    )
  }

  return response.stream.pipe(
    Stream.runFoldEffect(emptyCollected, (collected, bytes) => {
      if (collected.size + bytes.length > maxBodyBytes) {
        return Effect.fail(
          new CiDecodeError({
            status: response.status,
            requestId: requestIdHeader(response.headers),
            reason: `response body is larger than ${maxBodyBytes} bytes`,
            bodyPreview: preview(new TextDecoder().decode(bytes))
          })
        )
      }
      return Effect.succeed(append(collected, bytes))
    }),
    Effect.map((collected) => decodeUtf8(collected, collected.size)),
    // Responses without a body at all (204, or a 200 that fetch reports as null) read as "".
    Effect.catchIf(isEmptyBody, () => Effect.succeed(""))
  )
}
