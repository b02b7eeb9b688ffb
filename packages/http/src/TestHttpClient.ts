/**
 * A stub `HttpClient` for tests. It replies to every request from a function you write and records
 * what it received, so a test can check both the exact request and the typed result without a
 * network.
 *
 * @example
 * ```ts
 * import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
 *
 * // First a throttling error, then success.
 * const StubLive = TestHttpClient.layer(TestHttpClient.sequence(
 *   TestHttpClient.respond(503, { body: "<Error><Code>SlowDown</Code></Error>" }),
 *   TestHttpClient.respond(200, { headers: { "x-ci-request-id": "REQ-OK" } })
 * ))
 * ```
 *
 * @since 0.1.0
 */
import * as Signer from "@effect-cos/signer/Signer"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as CiClient from "./CiClient.js"
import type * as CiError from "./CiError.js"

/**
 * A request as the stub received it, after signing.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** The final URL, with the query as it would go on the wire. */
  readonly url: string
  /** Headers with lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  /** The body as UTF-8 text; `""` when there is none. */
  readonly body: string
}

/**
 * What the stub does with one request.
 *
 * - `Respond`: reply with this status, headers and body.
 * - `StallBody`: send the status and headers, then the start of the body, and never finish.
 * - `BreakBody`: send the status and headers, then the start of the body, then fail the body as a
 *   connection closed halfway would.
 * - `Reset`: fail as if the connection had been reset (`ECONNRESET`).
 * - `Refuse`: fail as if nothing listened on the port (`ECONNREFUSED`).
 * - `Hang`: never answer.
 *
 * @since 0.1.0
 * @category models
 */
export type Reply =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
  }
  | {
    readonly _tag: "StallBody" | "BreakBody"
    readonly status: number
    readonly headers: Readonly<Record<string, string>>
    readonly partialBody: string
  }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "Refuse" }
  | { readonly _tag: "Hang" }

/**
 * Decides the reply to a request. `index` counts requests from 0.
 *
 * @since 0.1.0
 * @category models
 */
export type Handler = (request: RecordedRequest, index: number) => Reply | Effect.Effect<Reply>

/**
 * Gives access to what the stub has received.
 *
 * @since 0.1.0
 * @category tags
 */
export class TestHttpClient extends Context.Tag("@effect-cos/http/TestHttpClient")<
  TestHttpClient,
  { readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>> }
>() {}

/**
 * @since 0.1.0
 * @category constructors
 */
export const respond = (
  status: number,
  options: { readonly headers?: Readonly<Record<string, string>>; readonly body?: string } = {}
): Reply => ({ _tag: "Respond", status, headers: options.headers ?? {}, body: options.body ?? "" })

/**
 * @since 0.1.0
 * @category constructors
 */
export const stallBody = (
  status: number,
  options: { readonly headers?: Readonly<Record<string, string>>; readonly partialBody: string }
): Reply => ({ _tag: "StallBody", status, headers: options.headers ?? {}, partialBody: options.partialBody })

/**
 * @since 0.1.0
 * @category constructors
 */
export const breakBody = (
  status: number,
  options: { readonly headers?: Readonly<Record<string, string>>; readonly partialBody: string }
): Reply => ({ _tag: "BreakBody", status, headers: options.headers ?? {}, partialBody: options.partialBody })

/**
 * @since 0.1.0
 * @category constructors
 */
export const reset: Reply = { _tag: "Reset" }

/**
 * @since 0.1.0
 * @category constructors
 */
export const refuse: Reply = { _tag: "Refuse" }

/**
 * @since 0.1.0
 * @category constructors
 */
export const hang: Reply = { _tag: "Hang" }

/**
 * A handler that gives the replies in order, repeating the last one for every later request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sequence = (...replies: ReadonlyArray<Reply>): Handler => {
  if (replies.length === 0) {
    throw new RangeError("sequence needs at least one reply")
  }
  return (_, index) => replies[Math.min(index, replies.length - 1)]
}

const recordBody = (body: HttpBody.HttpBody): string => {
  switch (body._tag) {
    case "Empty":
      return ""
    case "Uint8Array":
      return new TextDecoder().decode(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : "[raw body]"
    case "FormData":
      return "[form data]"
    case "Stream":
      return "[stream]"
  }
}

const socketError = (code: string, message: string) => Object.assign(new Error(message), { code })

/**
 * Provides an `HttpClient` that replies with `handler` and a {@link TestHttpClient} that lists the
 * requests it received.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (handler: Handler): Layer.Layer<HttpClient.HttpClient | TestHttpClient> =>
  Layer.effectContext(
    Effect.gen(function*() {
      const received = yield* Ref.make<ReadonlyArray<RecordedRequest>>([])

      const client = HttpClient.make((request, url) =>
        Effect.gen(function*() {
          const recorded: RecordedRequest = {
            method: request.method,
            url: url.toString(),
            headers: { ...request.headers },
            body: recordBody(request.body)
          }
          const index = yield* Ref.modify(received, (all) => [all.length, [...all, recorded]])
          const result = handler(recorded, index)
          const reply = Effect.isEffect(result) ? yield* result : result

          switch (reply._tag) {
            case "Respond":
              return HttpClientResponse.fromWeb(
                request,
                // Bytes rather than a string, so that Response adds no Content-Type of its own.
                new Response(reply.body === "" ? null : new TextEncoder().encode(reply.body), {
                  status: reply.status,
                  headers: reply.headers
                })
              )
            case "StallBody":
            case "BreakBody": {
              const bytes = new TextEncoder().encode(reply.partialBody)
              const breaks = reply._tag === "BreakBody"
              const stream = new ReadableStream<Uint8Array>({
                start(controller) {
                  controller.enqueue(bytes)
                  if (breaks) {
                    controller.error(
                      new TypeError("terminated", { cause: socketError("UND_ERR_SOCKET", "other side closed") })
                    )
                  }
                }
              })
              return HttpClientResponse.fromWeb(
                request,
                new Response(stream, { status: reply.status, headers: reply.headers })
              )
            }
            case "Reset":
              return yield* new HttpClientError.RequestError({
                request,
                reason: "Transport",
                cause: new TypeError("fetch failed", { cause: socketError("ECONNRESET", "read ECONNRESET") })
              })
            case "Refuse":
              return yield* new HttpClientError.RequestError({
                request,
                reason: "Transport",
                cause: new TypeError("fetch failed", {
                  cause: socketError("ECONNREFUSED", `connect ECONNREFUSED ${url.host}`)
                })
              })
            case "Hang":
              return yield* Effect.never
          }
        })
      )

      return Context.make(HttpClient.HttpClient, client).pipe(
        Context.add(TestHttpClient, { requests: Ref.get(received) })
      )
    })
  )

/**
 * The requests the stub has received so far, in order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const requests: Effect.Effect<ReadonlyArray<RecordedRequest>, never, TestHttpClient> = Effect.flatMap(
  TestHttpClient,
  (stub) => stub.requests
)

/**
 * A `CiClient` built with `options` on top of the stub, with the stub's {@link TestHttpClient}
 * alongside: everything a test of code that calls CI needs.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerCiClient = (
  handler: Handler,
  options: CiClient.CiClientOptions
): Layer.Layer<CiClient.CiClient | TestHttpClient, CiError.CiInvalidInput> =>
  CiClient.layer(options).pipe(Layer.provideMerge(layer(handler)))

/**
 * Builds an `<Error>` document as CI sends it, for the body of a stub reply.
 *
 * @since 0.1.0
 * @category constructors
 */
export const errorDocument = (code: string, message: string, requestId?: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message>` +
  (requestId === undefined ? "" : `<RequestId>${requestId}</RequestId>`) +
  "</Error>"

/**
 * Parses the `Authorization` header of a recorded request, so a test can check what was signed.
 * Throws when the header is missing or malformed, which fails the test with the header's value.
 *
 * @since 0.1.0
 * @category accessors
 */
export const authorizationOf = (header: string | undefined): Signer.ParsedAuthorization => {
  const parsed = Signer.parseAuthorization(header ?? "")
  if (Either.isLeft(parsed)) {
    throw new Error(`malformed Authorization ${JSON.stringify(header)}: ${parsed.left}`)
  }
  return parsed.right
}
