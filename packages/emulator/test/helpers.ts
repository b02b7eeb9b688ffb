import * as Emulator from "@effect-cos/emulator/Emulator"
import * as Signer from "@effect-cos/signer/Signer"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { XMLParser } from "fast-xml-parser"
import * as Http from "node:http"
import * as Net from "node:net"

/** 2023-11-14T22:13:20Z, which is 2023-11-15T06:13:20+0800. */
export const fixedNow = 1_700_000_000_000
export const fixedNowSeconds = fixedNow / 1000
export const fixedNowCiTime = "2023-11-15T06:13:20+0800"

/** Every request in these tests must finish well within this bound. */
const requestTimeoutMillis = 5_000

export const startEmulator = (options: Emulator.EmulatorOptions = {}) =>
  Emulator.make({ now: () => fixedNow, ...options })

export interface HttpResult {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export interface RawRequest {
  readonly method: string
  /** Sent as is on the request line. */
  readonly target: string
  readonly headers?: Record<string, string> | undefined
  readonly body?: string | undefined
}

/**
 * Sends one request over a fresh connection with node:http, which sends the target and the
 * headers exactly as given, and reads the whole response.
 */
export const sendRaw = (port: number, request: RawRequest): Effect.Effect<HttpResult, Error> =>
  Effect.async<HttpResult, Error>((resume, signal) => {
    const outgoing = Http.request({
      host: "127.0.0.1",
      port,
      method: request.method,
      path: request.target,
      headers: request.headers,
      agent: false,
      signal
    })
    outgoing.on("response", (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () =>
        resume(Effect.succeed({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8")
        })))
      response.on("error", (error) => resume(Effect.fail(error)))
    })
    outgoing.on("error", (error) => resume(Effect.fail(error)))
    outgoing.end(request.body)
  }).pipe(Effect.timeoutFail({
    duration: requestTimeoutMillis,
    onTimeout: () => new Error(`no response within ${requestTimeoutMillis} ms`)
  }))

export interface SignedRequest {
  readonly method: string
  /** The decoded path; each segment is percent-encoded on the request line. */
  readonly path: string
  /** Query parameters in order. `undefined` sends a value-less parameter (`?cancel`). */
  readonly query?: ReadonlyArray<readonly [string, string | undefined]> | undefined
  /** Extra headers, signed when `Signer.isSignableHeader` accepts them. */
  readonly headers?: Record<string, string> | undefined
  readonly body?: string | undefined
  readonly credential?: Emulator.Credential | undefined
  readonly keyTime?: Signer.KeyTime | undefined
  /** Names of query parameters to leave out of the signature. */
  readonly unsignedQuery?: ReadonlyArray<string> | undefined
  /** Names of headers to leave out of the signature. */
  readonly unsignedHeaders?: ReadonlyArray<string> | undefined
  /** Rewrites the request after signing, to tamper with what was signed. */
  readonly tamper?: ((request: RawRequest) => RawRequest) | undefined
}

/** Encodes like common clients: `encodeURIComponent`, which also escapes `+` as `%2B`. */
const encodeQuery = (query: ReadonlyArray<readonly [string, string | undefined]>): string =>
  query.map(([name, value]) =>
    value === undefined ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`
  ).join("&")

/** Builds a request signed for the emulator's host; the key time defaults to one minute before `fixedNow` to 15 minutes after. */
export const signRequest = (port: number, request: SignedRequest): RawRequest => {
  const credential = request.credential ?? Emulator.defaultCredential
  const query = request.query ?? []
  const headers: Record<string, string> = { host: `127.0.0.1:${port}` }
  if (request.body !== undefined) {
    headers["content-length"] = String(Buffer.byteLength(request.body))
  }
  Object.assign(headers, request.headers)

  const unsignedQuery = new Set(request.unsignedQuery ?? [])
  const unsignedHeaders = new Set((request.unsignedHeaders ?? []).map((name) => name.toLowerCase()))
  const authorization = Signer.sign({
    method: request.method,
    pathname: request.path,
    query: Object.fromEntries(
      query.filter(([name]) => !unsignedQuery.has(name)).map(([name, value]) => [name, value ?? ""])
    ),
    headers,
    shouldSignHeader: (name) => Signer.isSignableHeader(name) && !unsignedHeaders.has(name.toLowerCase()),
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    keyTime: request.keyTime ?? { start: fixedNowSeconds - 60, end: fixedNowSeconds + 900 }
  })

  const encodedPath = request.path.split("/").map(encodeURIComponent).join("/")
  const raw: RawRequest = {
    method: request.method,
    target: query.length === 0 ? encodedPath : `${encodedPath}?${encodeQuery(query)}`,
    headers: { ...headers, authorization },
    body: request.body
  }
  return request.tamper === undefined ? raw : request.tamper(raw)
}

export const sendSigned = (
  emulator: Emulator.Emulator.Service,
  request: SignedRequest
): Effect.Effect<HttpResult, Error> => sendRaw(emulator.port, signRequest(emulator.port, request))

// An empty entity table makes fast-xml-parser 5 decode character references such as `&#xD;`, as
// every XML parser does, with no HTML names added. The option's type admits only booleans.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: {} as unknown as boolean
})

/** Parses a response body; repeated elements become arrays, leaf text stays a string. */
export const parseXml = (body: string): Record<string, any> => parser.parse(body) as Record<string, any>

/** Checks the shape every emulator error shares and returns the parsed `<Error>` element. */
export const expectError = (result: HttpResult, status: number, code: string): Record<string, string> => {
  expect(result.status).toBe(status)
  expect(result.headers["content-type"]).toBe("application/xml")
  expect(result.headers["server"]).toBe("tencent-ci")
  expect(result.body.startsWith("<?xml version='1.0' encoding='utf-8' ?><Error>")).toBe(true)
  const error = parseXml(result.body)["Error"] as Record<string, string>
  expect(error["Code"]).toBe(code)
  expect(error["RequestId"]).toBe(result.headers["x-ci-request-id"])
  expect(error["TraceId"]).toBe(result.headers["x-ci-trace-id"])
  expect(result.headers["content-length"]).toBe(String(Buffer.byteLength(result.body)))
  return error
}

/** Returns `<Response>` of a 200 XML response after checking the common headers. */
export const expectXmlResponse = (result: HttpResult): Record<string, any> => {
  expect(result.status).toBe(200)
  expect(result.headers["content-type"]).toBe("application/xml")
  expect(result.headers["server"]).toBe("tencent-ci")
  expect(result.headers["x-ci-trace-id"]).toBeUndefined()
  const response = parseXml(result.body)["Response"] as Record<string, any>
  expect(response["RequestId"]).toBe(result.headers["x-ci-request-id"])
  return response
}

/** A credential besides the default, with an STS session token. */
export const temporaryCredential: Emulator.Credential = {
  secretId: "AKIDTEMPORARY",
  secretKey: Redacted.make("TEMPORARYSECRETKEY"),
  sessionToken: Redacted.make("session/token+with=special&chars")
}

export const workflowBody = (name: string, input = "<Prefix>input/</Prefix>") =>
  `<Request><Name>${name}</Name><Input>${input}</Input><Operation><WorkflowIds>w1</WorkflowIds></Operation></Request>`

/** What a raw TCP exchange with the emulator produced. */
export interface RawExchange {
  readonly received: Buffer
  /**
   * How the exchange ended: `closed` when the server closed the connection, `reset` when the
   * connection failed (the error code follows), `complete` when the client stopped after the
   * expected responses arrived, and `timeout` when nothing more came within the wait.
   */
  readonly ending: "closed" | "reset" | "complete" | "timeout"
  readonly errorCode?: string | undefined
}

export interface RawExchangeOptions {
  /** Ends the client's side of the connection after the last chunk, as a client that sent everything does. */
  readonly halfClose?: boolean | undefined
  /** Stops once this many complete responses (1xx excluded) arrived. Waits for the server to close when omitted. */
  readonly responses?: number | undefined
  /** Default 5,000 ms. */
  readonly waitMillis?: number | undefined
  /** Milliseconds between chunks; default 0, which writes them all at once. */
  readonly chunkDelayMillis?: number | undefined
  /** Method of the request, so a HEAD response is parsed without a body. */
  readonly method?: string | undefined
}

/**
 * Sends bytes over a fresh node:net connection, which writes them exactly as given, even where
 * node:http or fetch would reject them, and collects what the server sends back.
 */
export const exchangeRaw = (
  port: number,
  chunks: ReadonlyArray<string | Uint8Array>,
  options: RawExchangeOptions = {}
): Effect.Effect<RawExchange, Error> =>
  Effect.async<RawExchange, Error>((resume) => {
    const received: Array<Buffer> = []
    let settled = false
    const socket = Net.connect({ host: "127.0.0.1", port })

    const finish = (ending: RawExchange["ending"], errorCode?: string) => {
      if (settled) {
        return
      }
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resume(Effect.succeed({ received: Buffer.concat(received), ending, errorCode }))
    }
    const timer = setTimeout(() => finish("timeout"), options.waitMillis ?? 5_000)

    socket.on("data", (data: Buffer) => {
      received.push(data)
      if (options.responses !== undefined) {
        const parsed = parseRawResponses(Buffer.concat(received), options.method)
        if (parsed.responses.length >= options.responses) {
          finish("complete")
        }
      }
    })
    socket.on("end", () => finish("closed"))
    socket.on("close", () => finish("closed"))
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // A write can fail after the server responded and closed the connection. What arrived before still counts.
      if (error.code === "EPIPE") {
        return
      }
      finish("reset", error.code)
    })

    socket.once("connect", async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) {
          return
        }
        socket.write(chunk)
        if (options.chunkDelayMillis !== undefined && options.chunkDelayMillis > 0) {
          await new Promise((resolve) => setTimeout(resolve, options.chunkDelayMillis))
        }
      }
      if (options.halfClose === true && !socket.destroyed) {
        socket.end()
      }
    })
    return Effect.sync(() => {
      clearTimeout(timer)
      socket.destroy()
    })
  })

/** One HTTP response read from raw bytes. */
export interface RawResponse {
  readonly status: number
  /** Values by lower-case name; repeated headers are joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

/**
 * Parses consecutive HTTP/1.1 responses framed by `Content-Length`, as the emulator sends them,
 * skipping 1xx interim responses. `method` is that of the first request: the response to a HEAD
 * has no body. `rest` contains the bytes of an incomplete or unparsable response.
 */
export const parseRawResponses = (
  bytes: Buffer,
  method?: string
): { readonly responses: ReadonlyArray<RawResponse>; readonly rest: Buffer } => {
  const responses: Array<RawResponse> = []
  let offset = 0
  while (offset < bytes.length) {
    const headEnd = bytes.indexOf("\r\n\r\n", offset, "latin1")
    if (headEnd < 0) {
      break
    }
    const [statusLine, ...headerLines] = bytes.subarray(offset, headEnd).toString("latin1").split("\r\n")
    const match = /^HTTP\/1\.1 (\d{3}) /.exec(`${statusLine} `)
    if (match === null) {
      break
    }
    const status = Number(match[1])
    const headers: Record<string, string> = {}
    for (const line of headerLines) {
      const separator = line.indexOf(":")
      const name = line.slice(0, separator).toLowerCase()
      const value = line.slice(separator + 1).trim()
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`
    }

    const bodyStart = headEnd + 4
    if (status < 200) {
      offset = bodyStart
      continue
    }
    const length = method === "HEAD" && responses.length === 0 ? 0 : Number(headers["content-length"])
    if (!Number.isInteger(length) || bodyStart + length > bytes.length) {
      break
    }
    responses.push({ status, headers, body: bytes.subarray(bodyStart, bodyStart + length) })
    offset = bodyStart + length
  }
  return { responses, rest: bytes.subarray(offset) }
}

/** Serializes a signed request for `exchangeRaw`, with a body given as bytes. */
export const serializeRequest = (request: RawRequest, body: Uint8Array = Buffer.from(request.body ?? "")): Buffer => {
  const head = [
    `${request.method} ${request.target} HTTP/1.1`,
    ...Object.entries(request.headers ?? {}).map(([name, value]) => `${name}: ${value}`)
  ].join("\r\n")
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "latin1"), body])
}
