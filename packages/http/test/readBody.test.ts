import * as CiClient from "@effect-cos/http/CiClient"
import { CiDecodeError } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { jobId, requests, runWithClock, stubLayer } from "./fixtures.js"

// A success body with a usable Content-Length is read whole, and every other body is read as a
// stream with a size limit. These tests cover the choice between the two.
const maxBodyBytes = 8 * 1024 * 1024

const send = Effect.flatMap(
  CiClient.CiClient,
  (client) => client.send({ method: "GET", path: ["inventorytriggerjob", jobId] })
)

describe("response body", () => {
  it.effect("reads a body by its Content-Length", () =>
    Effect.gen(function*() {
      const response = yield* send
      expect(response.body).toBe("<Response>值</Response>")
    }).pipe(Effect.provide(stubLayer(() =>
      TestHttpClient.respond(200, {
        body: "<Response>值</Response>",
        headers: { "content-length": String(Buffer.byteLength("<Response>值</Response>")) }
      })
    ))))

  it.effect("reads an empty body with Content-Length 0", () =>
    Effect.gen(function*() {
      const response = yield* send
      expect(response.body).toBe("")
      expect(response.requestId).toBe("REQ-0")
    }).pipe(Effect.provide(stubLayer(() =>
      TestHttpClient.respond(200, { headers: { "content-length": "0", "x-ci-request-id": "REQ-0" } })
    ))))

  it.effect("limits a body whose Content-Length is over 8 MiB", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(send)
      expect(error).toBeInstanceOf(CiDecodeError)
      expect(error).toMatchObject({ status: 200, reason: `response body is larger than ${maxBodyBytes} bytes` })
    }).pipe(Effect.provide(stubLayer(() =>
      TestHttpClient.respond(200, {
        body: "x".repeat(maxBodyBytes + 1),
        headers: { "content-length": String(maxBodyBytes + 1) }
      })
    ))))

  it.effect("limits a compressed body, whatever its Content-Length", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(send)
      expect(error).toBeInstanceOf(CiDecodeError)
    }).pipe(Effect.provide(stubLayer(() =>
      TestHttpClient.respond(200, {
        body: "x".repeat(maxBodyBytes + 1),
        headers: { "content-length": "16", "content-encoding": "gzip" }
      })
    ))))

  it.effect("limits a body with a malformed Content-Length", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(send)
      expect(error).toBeInstanceOf(CiDecodeError)
    }).pipe(Effect.provide(stubLayer(() =>
      TestHttpClient.respond(200, {
        body: "x".repeat(maxBodyBytes + 1),
        headers: { "content-length": "16, 16" }
      })
    ))))

  it.effect("reports a declared body that breaks off as a reset connection", () =>
    Effect.gen(function*() {
      const error = yield* runWithClock(send).pipe(Effect.flip)
      const sent = yield* requests
      expect(error).toMatchObject({ _tag: "CiTransportError", reason: "ConnectionReset" })
      expect(sent.length).toBe(4)
    }).pipe(Effect.provide(stubLayer(() =>
      TestHttpClient.breakBody(200, { partialBody: "<Response>", headers: { "content-length": "100" } })
    ))))
})
