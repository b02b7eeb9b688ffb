import type * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { XMLValidator } from "fast-xml-parser"
import {
  exchangeRaw,
  expectError,
  expectXmlResponse,
  type HttpResult,
  parseRawResponses,
  type RawResponse,
  sendSigned,
  serializeRequest,
  signRequest,
  startEmulator,
  workflowBody
} from "./helpers.js"

const maxBodyBytes = 1024 * 1024

/** Adapts a raw response to the checks in helpers.ts. */
const asResult = (response: RawResponse): HttpResult => ({
  status: response.status,
  headers: response.headers,
  body: response.body.toString("utf8")
})

/** Parses exactly one response from raw bytes and checks that it is an emulator error. */
const expectRawError = (received: Buffer, status: number, code: string, method?: string) => {
  const { responses, rest } = parseRawResponses(received, method)
  expect(responses).toHaveLength(1)
  expect(rest.length).toBe(0)
  const response = responses[0]!
  expect(response.headers["x-ci-request-id"]).toBeDefined()
  if (method !== "HEAD") {
    expectError(asResult(response), status, code)
  }
  return response
}

const create = (emulator: Emulator.Emulator.Service, body: string) =>
  sendSigned(emulator, {
    method: "POST",
    path: "/inventorytriggerjob",
    headers: { "content-type": "application/xml" },
    body
  })

/** A chunk of a `Transfer-Encoding: chunked` body. */
const chunk = (data: Buffer) =>
  Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")])

describe("body limit", () => {
  for (
    const [method, target] of [
      ["POST", "/inventorytriggerjob"],
      ["GET", "/inventorytriggerjob"],
      ["PUT", "/inventorytriggerjob/b1?cancel"],
      ["GET", "/inventorytriggerjob/b1"],
      ["DELETE", "/elsewhere"]
    ] as const
  ) {
    it.scopedLive(`declared oversized body rejected unread: ${method} ${target}`, () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator()
        const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${10 * maxBodyBytes}\r\n\r\n`

        // 64 KiB of the declared 10 MiB, and the connection stays open: only the headers can trigger the rejection.
        const exchange = yield* exchangeRaw(emulator.port, [head, Buffer.alloc(64 * 1024, "x")])

        expect(exchange.ending).not.toBe("timeout")
        const response = expectRawError(exchange.received, 400, "EntityTooLarge")
        expect(response.headers["connection"]).toBe("close")
        const [entry] = yield* emulator.requests
        expect(entry!.method).toBe(method)
        expect(entry!.code).toBe("EntityTooLarge")
        expect(entry!.body).toBe("")
      }))
  }

  it.scopedLive("chunked body rejected past the limit", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const head = "POST /inventorytriggerjob HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      const chunks = Array.from({ length: 17 }, () => chunk(Buffer.alloc(64 * 1024, "y")))

      // 17 chunks of 64 KiB pass the limit by one chunk; the terminating chunk is never sent.
      const exchange = yield* exchangeRaw(emulator.port, [head, ...chunks])

      expect(exchange.ending).not.toBe("timeout")
      const response = expectRawError(exchange.received, 400, "EntityTooLarge")
      expect(response.headers["connection"]).toBe("close")
      expect(asResult(response).body).toContain("exceeds the limit of 1048576 bytes")
      const [entry] = yield* emulator.requests
      expect(entry!.body.length).toBe(maxBodyBytes)
    }))

  it.scopedLive("rejection comes before the rest", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const head = "POST /inventorytriggerjob HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      const pieces = [head, chunk(Buffer.alloc(maxBodyBytes, "z")), chunk(Buffer.from("one byte too many"))]

      // The client sends nothing after these chunks and never ends its side.
      const exchange = yield* exchangeRaw(emulator.port, pieces, { waitMillis: 3_000 })

      // The server closes the connection; bytes it never read can turn the close into a reset.
      expect(["closed", "reset"]).toContain(exchange.ending)
      expectRawError(exchange.received, 400, "EntityTooLarge")
    }))

  it.scopedLive("oversized body leaves faults unused", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 503 } })
      const head = `POST /inventorytriggerjob HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${
        maxBodyBytes + 1
      }\r\n\r\n`

      const rejected = yield* exchangeRaw(emulator.port, [head])
      const next = yield* sendSigned(emulator, { method: "GET", path: "/inventorytriggerjob/b1" })

      expectRawError(rejected.received, 400, "EntityTooLarge")
      expect(next.status).toBe(503)
    }))

  it.scopedLive("body of exactly the limit is accepted", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const xml = workflowBody("at-the-limit")
      const body = xml.replace("<Request>", `<Request>${" ".repeat(maxBodyBytes - xml.length)}`)

      const accepted = yield* create(emulator, body)
      const rejected = yield* create(emulator, `${body} `)

      expect(Buffer.byteLength(body)).toBe(maxBodyBytes)
      expect(expectXmlResponse(accepted)["JobsDetail"]["Name"]).toBe("at-the-limit")
      expectError(rejected, 400, "EntityTooLarge")
    }))

  it.scopedLive("Expect 100-continue is not answered for an oversized body", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const head = "POST /inventorytriggerjob HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n" +
        `Content-Length: ${maxBodyBytes + 1}\r\n\r\n`

      const exchange = yield* exchangeRaw(emulator.port, [head])

      expect(exchange.received.toString("latin1")).not.toContain("100 Continue")
      expectRawError(exchange.received, 400, "EntityTooLarge")
    }))

  it.scopedLive("Expect 100-continue within the limit continues", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const request = signRequest(emulator.port, {
        method: "POST",
        path: "/inventorytriggerjob",
        headers: { "content-type": "application/xml", expect: "100-continue" },
        body: workflowBody("continued")
      })

      const exchange = yield* exchangeRaw(emulator.port, [serializeRequest(request)], { responses: 1 })

      expect(exchange.received.toString("latin1")).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n/)
      const [response] = parseRawResponses(exchange.received).responses
      expect(expectXmlResponse(asResult(response!))["JobsDetail"]["Name"]).toBe("continued")
    }))
})

describe("malformed HTTP", () => {
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<string | Buffer>, number, string]> = [
    ["unknown method", ["FROB /inventorytriggerjob HTTP/1.1\r\nHost: x\r\n\r\n"], 400, "BadRequest"],
    ["invalid header name", ["GET / HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n"], 400, "BadRequest"],
    ["non-ASCII path", [Buffer.from("GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", "latin1")], 400, "BadRequest"],
    [
      "Content-Length with Transfer-Encoding",
      [
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
      ],
      400,
      "BadRequest"
    ],
    [
      "headers over maxHeaderSize",
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`],
      431,
      "RequestHeaderFieldsTooLarge"
    ],
    ["HTTP/2 preface", ["PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"], 400, "BadRequest"]
  ]

  for (const [name, bytes, status, code] of cases) {
    it.scopedLive(`${name} gets an XML error`, () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator()
        const exchange = yield* exchangeRaw(emulator.port, bytes)

        expect(exchange.ending).not.toBe("timeout")
        const response = expectRawError(exchange.received, status, code)
        expect(response.headers["connection"]).toBe("close")
      }))
  }

  it.scopedLive("malformed chunk mid-body is answered and logged", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const bytes =
        "POST /inventorytriggerjob HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n"
      const exchange = yield* exchangeRaw(emulator.port, [bytes])

      expectRawError(exchange.received, 400, "BadRequest")
      const [entry] = yield* emulator.requests
      expect(entry!.method).toBe("POST")
      expect(entry!.body).toBe("hello")
      expect(entry!.code).toBe("BadRequest")
    }))

  it.scopedLive("request cut short by the client gets an error", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const bytes = "POST /inventorytriggerjob HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<Request>"

      const exchange = yield* exchangeRaw(emulator.port, [bytes], { halfClose: true })

      const error = expectError(asResult(expectRawError(exchange.received, 400, "BadRequest")), 400, "BadRequest")
      expect(error["Message"]).toBe("The connection ended before the request was complete.")
    }))

  it.scopedLive("request with Upgrade cut short gets an error", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const bytes = "POST /inventorytriggerjob HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n" +
        "Transfer-Encoding: chunked\r\n\r\n5\r\nab"

      // node:http raises no parse error for this one, so the body reader notices the end itself.
      const exchange = yield* exchangeRaw(emulator.port, [bytes], { halfClose: true })

      expectRawError(exchange.received, 400, "BadRequest")
    }))

  it.scopedLive("half-closed client still gets a delayed response", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 200 } })
      const request = serializeRequest(signRequest(emulator.port, { method: "GET", path: "/inventorytriggerjob/b1" }))

      const exchange = yield* exchangeRaw(emulator.port, [request], { halfClose: true })

      expect(exchange.ending).toBe("closed")
      const { responses, rest } = parseRawResponses(exchange.received)
      expect(rest.length).toBe(0)
      expect(expectXmlResponse(asResult(responses[0]!))["NonExistJobIds"]).toBe("b1")
    }))

  it.scopedLive("CONNECT gets MethodNotAllowed", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const exchange = yield* exchangeRaw(emulator.port, ["CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n"])

      expectRawError(exchange.received, 405, "MethodNotAllowed")
      const [entry] = yield* emulator.requests
      expect(entry!.method).toBe("CONNECT")
      expect(entry!.status).toBe(405)
    }))

  it.scopedLive("missing Host reaches the signature check", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const exchange = yield* exchangeRaw(emulator.port, ["GET /inventorytriggerjob HTTP/1.1\r\n\r\n"], {
        responses: 1
      })

      expectRawError(exchange.received, 401, "MissingAuthorization")
    }))

  it.scopedLive("unknown Expect is handled as a normal request", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const bytes = "GET /inventorytriggerjob HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n"
      const exchange = yield* exchangeRaw(emulator.port, [bytes], { responses: 1 })

      expectRawError(exchange.received, 401, "MissingAuthorization")
    }))

  it.scopedLive("garbage after a valid request gets its own error", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 200 } })
      const valid = serializeRequest(signRequest(emulator.port, { method: "GET", path: "/inventorytriggerjob/b1" }))

      // The garbage arrives while the first response is still delayed, so its error must wait its turn.
      const exchange = yield* exchangeRaw(emulator.port, [valid, "NOT HTTP AT ALL\r\n\r\n"])

      const { responses, rest } = parseRawResponses(exchange.received)
      expect(rest.length).toBe(0)
      expect(responses.map((response) => response.status)).toEqual([200, 400])
      expectError(asResult(responses[1]!), 400, "BadRequest")
      expect(exchange.ending).toBe("closed")
    }))
})

describe("create body hardening", () => {
  const deep = (levels: number) => `<Request>${"<a>".repeat(levels - 1)}${"</a>".repeat(levels - 1)}</Request>`

  it.scopedLive("100 nested levels parse, 101 do not", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const allowed = yield* create(emulator, deep(100))
      const tooDeep = yield* create(emulator, deep(101))

      // 100 levels are valid XML, so the missing Name is what fails.
      expect(expectError(allowed, 400, "InvalidArgument")["Message"]).toBe("Name is required")
      expect(expectError(tooDeep, 400, "InvalidContent")["Message"]).toBe(
        "The body is not valid XML: elements are nested more than 100 levels deep."
      )
    }))

  const hostile: ReadonlyArray<readonly [string, string]> = [
    ["100,000 nested elements", deep(100_000)],
    ["300,000 unclosed elements", `<Request>${"<a>".repeat(300_000)}`],
    [
      "entity expansion through a DOCTYPE",
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">" +
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><Request><Name>&lol3;</Name></Request>"
    ],
    ["external entity", "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Request><Name>&x;</Name></Request>"],
    ["ENTITY without DOCTYPE", "<Request><!ENTITY a 'b'><Name>&a;</Name></Request>"],
    ["lower-case doctype", "<!doctype r><Request/>"],
    ["control character", `<Request><Name>a\u0001b</Name></Request>`],
    ["prototype element name", "<Request><constructor>1</constructor></Request>"]
  ]

  for (const [name, body] of hostile) {
    it.scopedLive(`${name} gives InvalidContent`, () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator()
        const result = yield* create(emulator, body)

        const error = expectError(result, 400, "InvalidContent")
        expect(error["Message"]!.length).toBeLessThan(400)
        expect(XMLValidator.validate(result.body)).toBe(true)
      }))
  }

  it.scopedLive("invalid UTF-8 gives InvalidContent", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const xml = Buffer.concat([
        Buffer.from("<Request><Name>"),
        Buffer.from([0xc3, 0x28]),
        Buffer.from("</Name></Request>")
      ])
      const request = signRequest(emulator.port, {
        method: "POST",
        path: "/inventorytriggerjob",
        headers: { "content-length": String(xml.length) }
      })

      const exchange = yield* exchangeRaw(emulator.port, [serializeRequest(request, xml)], { responses: 1 })

      const response = expectRawError(exchange.received, 400, "InvalidContent")
      expect(response.body.toString("utf8")).toContain("the body is not valid UTF-8")
    }))

  it.scopedLive("control characters in a path become U+FFFD in the response", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, { method: "GET", path: "/inventorytriggerjob/b\u0001\uFFFF" })

      expect(XMLValidator.validate(result.body)).toBe(true)
      expect(expectXmlResponse(result)["NonExistJobIds"]).toBe("b\uFFFD\uFFFD")
    }))
})
