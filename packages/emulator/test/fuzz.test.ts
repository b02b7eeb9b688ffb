import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { XMLValidator } from "fast-xml-parser"
import {
  exchangeRaw,
  expectXmlResponse,
  fixedNowSeconds,
  parseRawResponses,
  type RawResponse,
  sendSigned,
  serializeRequest,
  signRequest,
  startEmulator,
  workflowBody
} from "./helpers.js"

/**
 * The run is reproducible from its seed. Set EMULATOR_FUZZ_SEED to an integer to replay a failure
 * or to try other inputs; the default keeps CI deterministic.
 */
const defaultSeed = 20_231_115

const readSeed = (text: string | undefined): number => {
  if (text === undefined) {
    return defaultSeed
  }
  if (!/^\d{1,10}$/.test(text)) {
    throw new Error(`EMULATOR_FUZZ_SEED must be a non-negative integer, got "${text}"`)
  }
  return Number(text)
}

const seed = readSeed(process.env["EMULATOR_FUZZ_SEED"])

const requestCount = 3_000
const concurrency = 8
/** Wait for one exchange. The emulator responds in milliseconds, so this only catches hangs. */
const exchangeWaitMillis = 10_000
/** Ends the run with the seed in the message before the test timeout below would end it silently. */
const runDeadlineMillis = 50_000
const maxReportedFailures = 10

/** mulberry32, a small seeded PRNG: the same seed gives the same requests. */
const makeRandom = (initial: number) => {
  let state = initial >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

class Fuzzer {
  private readonly next: () => number

  constructor(seedValue: number) {
    this.next = makeRandom(seedValue)
  }

  int(limit: number): number {
    return Math.floor(this.next() * limit)
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<A>(items: ReadonlyArray<A>): A {
    return items[this.int(items.length)]!
  }

  bytes(length: number): Buffer {
    const buffer = Buffer.alloc(length)
    for (let index = 0; index < length; index++) {
      buffer[index] = this.int(256)
    }
    return buffer
  }

  /** Printable ASCII, no spaces. */
  token(length: number): string {
    return Array.from({ length }, () => String.fromCharCode(0x21 + this.int(94))).join("")
  }

  /** Well-formed UTF-16 text from ASCII, Latin-1, CJK, emoji and XML-special characters. */
  text(length: number): string {
    const pools = ["abc XYZ 019 -_.~", "&<>\"'%+=/?#;:,", "éüßÿ", "任务数据万象", "😀🚀", "\t\n"]
    return Array.from({ length }, () => {
      const pool = [...this.pick(pools)]
      return this.pick(pool)
    }).join("")
  }
}

/** One generated request and how to describe it in a failure report. */
interface FuzzCase {
  readonly description: string
  readonly method: string
  readonly bytes: Buffer
}

const xmlBodies = (fuzzer: Fuzzer): Buffer => {
  const valid = workflowBody(`fuzz-${fuzzer.int(1_000)}`)
  switch (fuzzer.int(12)) {
    case 0:
      return Buffer.from(valid)
    case 1: {
      const mutated = Buffer.from(valid)
      for (let flips = 1 + fuzzer.int(4); flips > 0; flips--) {
        mutated[fuzzer.int(mutated.length)] = fuzzer.int(256)
      }
      return mutated
    }
    case 2: {
      const levels = fuzzer.pick([99, 100, 101, 1_000, 50_000])
      return Buffer.from(`<Request>${"<a>".repeat(levels)}${fuzzer.chance(0.5) ? "</a>".repeat(levels) : ""}</Request>`)
    }
    case 3:
      return Buffer.from(
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">" +
          "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Request><Name>&c;</Name></Request>"
      )
    case 4:
      return Buffer.from(
        `<Request><Name>${
          fuzzer.pick(["&#0;", "&#xD800;", "&#x110000;", "&#99999999999;", "&nbsp;", "&undefined;"])
        }</Name></Request>`
      )
    case 5:
      return Buffer.from(`<Request>${"<Name>x</Name>".repeat(1 + fuzzer.int(10_000))}</Request>`)
    case 6:
      return Buffer.from(workflowBody(fuzzer.text(1 + fuzzer.int(300)).replace(/[&<]/g, "")))
    case 7:
      return Buffer.from(`<Request><![CDATA[${fuzzer.text(50)}]]><!--${fuzzer.text(20)}--><?pi x?></Request>`)
    case 8:
      return Buffer.concat([
        Buffer.from("<Request><Name>"),
        fuzzer.bytes(1 + fuzzer.int(64)),
        Buffer.from("</Name></Request>")
      ])
    case 9:
      return Buffer.from(
        `<Request ${Array.from({ length: 1 + fuzzer.int(1_000) }, (_, index) => `a${index}='${index}'`).join(" ")}/>`
      )
    case 10:
      return Buffer.from(`<Request><__proto__><polluted>1</polluted></__proto__><constructor/></Request>`)
    default:
      return Buffer.from(`${"<Request>".repeat(fuzzer.int(3))}${fuzzer.text(fuzzer.int(100))}`)
  }
}

const randomBody = (fuzzer: Fuzzer): Buffer => {
  const roll = fuzzer.int(100)
  if (roll < 25) {
    return Buffer.alloc(0)
  }
  if (roll < 55) {
    return xmlBodies(fuzzer)
  }
  if (roll < 75) {
    return fuzzer.bytes(1 + fuzzer.int(fuzzer.chance(0.1) ? 65_536 : 512))
  }
  if (roll < 85) {
    // Invalid UTF-8: lone continuation bytes, overlong forms and an encoded surrogate.
    return Buffer.from([0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0xff].slice(fuzzer.int(6)))
  }
  if (roll < 98) {
    return Buffer.from(fuzzer.text(1 + fuzzer.int(2_000)))
  }
  // Past the 1 MiB limit.
  return Buffer.alloc(1024 * 1024 + 1 + fuzzer.int(65_536), "b")
}

const methods = [
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "TRACE",
  "M-SEARCH",
  "PROPFIND",
  "PURGE",
  "MKCOL",
  "CONNECT",
  "FROB",
  "get",
  "G\tET",
  "",
  "\u00ff",
  "POST POST"
]

const randomTarget = (fuzzer: Fuzzer): Buffer => {
  const suffixes = [
    "",
    "/",
    `/b${fuzzer.bytes(16).toString("hex")}`,
    "/%",
    "/%zz",
    "/%ED%A0%80",
    "/%00",
    "/..",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e",
    "//",
    "/a/b/c",
    "?cancel",
    "?cancel&cancel",
    "?size=0",
    "?states=%FF",
    "?name=%E4%BB%BB%2B",
    "?&&==&",
    "#fragment",
    `?nextToken=${fuzzer.token(32)}`
  ]
  switch (fuzzer.int(10)) {
    case 0:
      return Buffer.from("*")
    case 1:
      return Buffer.from("http://127.0.0.1/inventorytriggerjob")
    case 2:
      // Past Node's 16 KiB header limit about half the time.
      return Buffer.from(`/${"a".repeat(fuzzer.int(24_000))}`)
    case 3:
      return Buffer.concat([
        Buffer.from("/inventorytriggerjob/"),
        Buffer.from([0x80 + fuzzer.int(128), 0x20 + fuzzer.int(96)])
      ])
    case 4:
      return Buffer.from(
        fuzzer.pick(["", "/a b", "/\u0001", "inventorytriggerjob", "/inventorytriggerjob?x=\u0007"]),
        "latin1"
      )
    default:
      return Buffer.from(
        `/inventorytriggerjob${fuzzer.pick(suffixes)}${fuzzer.chance(0.3) ? fuzzer.pick(suffixes) : ""}`,
        "latin1"
      )
  }
}

const randomAuthorization = (fuzzer: Fuzzer): string => {
  const keyTime = `${fixedNowSeconds - 60};${fixedNowSeconds + fuzzer.pick([900, -120, 10 ** 11])}`
  switch (fuzzer.int(5)) {
    case 0:
      return fuzzer.token(1 + fuzzer.int(200))
    case 1:
      return `q-sign-algorithm=sha1&q-ak=${fuzzer.pick(["AKIDEXAMPLE", "AKIDUNKNOWN", ""])}&q-sign-time=${keyTime}` +
        `&q-key-time=${keyTime}&q-header-list=host&q-url-param-list=&q-signature=${fuzzer.bytes(20).toString("hex")}`
    case 2:
      return `q-sign-algorithm=sha1&${"q-ak=AKIDEXAMPLE&".repeat(1 + fuzzer.int(3))}q-signature=zz`
    case 3:
      return "x".repeat(1 + fuzzer.int(12_000))
    default:
      return Buffer.from(fuzzer.bytes(1 + fuzzer.int(64)).map((byte) => 0x80 | byte)).toString("latin1")
  }
}

/** Header lines with random names, values and framing, some of which node:http rejects. */
const randomHeaders = (fuzzer: Fuzzer, port: number, body: Buffer): { lines: Array<string>; body: Buffer } => {
  const lines: Array<string> = []
  if (fuzzer.chance(0.85)) {
    lines.push(`Host: 127.0.0.1:${port}`)
  }
  if (fuzzer.chance(0.6)) {
    lines.push(`Authorization: ${randomAuthorization(fuzzer)}`)
    if (fuzzer.chance(0.2)) {
      lines.push(`Authorization: ${randomAuthorization(fuzzer)}`)
    }
  }
  const extras = [
    () => `Content-Type: ${fuzzer.pick(["application/xml", "text/plain; charset=latin1", "", fuzzer.token(30)])}`,
    () => `Content-MD5: ${fuzzer.pick([fuzzer.bytes(16).toString("base64"), fuzzer.token(10), ""])}`,
    () => `x-ci-security-token: ${fuzzer.token(1 + fuzzer.int(100))}`,
    () => `Expect: ${fuzzer.pick(["100-continue", "200-ok", fuzzer.token(8)])}`,
    () => `Connection: ${fuzzer.pick(["keep-alive", "close", "Upgrade", "TE, close"])}`,
    () => `Upgrade: ${fuzzer.pick(["h2c", "websocket", fuzzer.token(5)])}`,
    () => `X-Huge: ${"v".repeat(1 + fuzzer.int(14_000))}`,
    () => `${fuzzer.pick(["Bad Header", "X:Y", "\u00e9t\u00e9", "", "X-Tab\t"])}: value`,
    () => `X-Control: a${fuzzer.pick(["\u0001", "\u0000", "\t", "\u007f"])}b`,
    () => `X-Obs-Text: ${Buffer.from(fuzzer.bytes(8).map((byte) => 0x80 | byte)).toString("latin1")}`,
    () => ` folded continuation`,
    () => `${fuzzer.token(1 + fuzzer.int(30)).replace(/[:()<>@,;\\"/[\]?={}]/g, "x")}: ${fuzzer.token(fuzzer.int(50))}`
  ]
  for (let count = fuzzer.int(4); count > 0; count--) {
    lines.push(fuzzer.pick(extras)())
  }

  switch (fuzzer.int(10)) {
    case 0:
      return { lines, body: Buffer.alloc(0) }
    case 1:
      lines.push(`Content-Length: ${Math.max(0, body.length - 1 - fuzzer.int(10))}`)
      return { lines, body }
    case 2:
      lines.push(`Content-Length: ${body.length + 1 + fuzzer.int(10)}`)
      return { lines, body }
    case 3:
      lines.push(`Content-Length: ${fuzzer.pick(["abc", "-1", "99999999999999999999", "1, 2", " "])}`)
      return { lines, body }
    case 4:
      lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`)
      return { lines, body }
    case 5: {
      lines.push("Transfer-Encoding: chunked")
      const pieces: Array<Buffer> = []
      for (let offset = 0; offset < body.length;) {
        const size = Math.min(body.length - offset, 1 + fuzzer.int(70_000))
        pieces.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(offset, offset + size), Buffer.from("\r\n"))
        offset += size
      }
      if (fuzzer.chance(0.8)) {
        pieces.push(Buffer.from("0\r\n\r\n"))
      }
      return { lines, body: Buffer.concat(pieces) }
    }
    case 6:
      lines.push("Transfer-Encoding: chunked")
      return {
        lines,
        body: Buffer.concat([Buffer.from(`${fuzzer.pick(["zz", "-1", "ffffffffffffffff", "5;ext"])}\r\n`), body])
      }
    case 7:
      lines.push(
        `Transfer-Encoding: ${fuzzer.pick(["gzip", "chunked, gzip", "identity"])}`,
        `Content-Length: ${body.length}`
      )
      return { lines, body }
    default:
      lines.push(`Content-Length: ${body.length}`)
      return { lines, body }
  }
}

const rawCase = (fuzzer: Fuzzer, port: number): FuzzCase => {
  const method = fuzzer.pick(methods)
  const target = method === "CONNECT" ? Buffer.from("127.0.0.1:1") : randomTarget(fuzzer)
  const version = fuzzer.chance(0.9) ? "HTTP/1.1" : fuzzer.pick(["HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "http/1.1", ""])
  const { body, lines } = randomHeaders(fuzzer, port, randomBody(fuzzer))

  const requestLine = Buffer.concat([Buffer.from(`${method} `, "latin1"), target, Buffer.from(` ${version}\r\n`)])
  const head = Buffer.from(lines.map((line) => `${line}\r\n`).join("") + "\r\n", "latin1")
  return {
    description: `raw ${JSON.stringify(method)} ${JSON.stringify(target.subarray(0, 80).toString("latin1"))} ` +
      `${version}, headers ${JSON.stringify(lines.map((line) => line.slice(0, 40)))}, ${body.length} body bytes`,
    method,
    bytes: Buffer.concat([requestLine, head, body])
  }
}

/** Generates a request with a valid signature, so that it passes authentication and reaches routing and parsing. */
const signedCase = (fuzzer: Fuzzer, port: number): FuzzCase => {
  const method = fuzzer.pick(["GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD"])
  const segment = () =>
    fuzzer.pick(["inventorytriggerjob", "inventorytriggerjob", "..", ".", "", "%", fuzzer.text(1 + fuzzer.int(20))])
  const path = `/inventorytriggerjob${fuzzer.chance(0.5) ? `/${segment()}` : ""}${
    fuzzer.chance(0.1) ? `/${segment()}` : ""
  }`
  const names = [
    "size",
    "type",
    "orderByTime",
    "states",
    "startCreationTime",
    "endCreationTime",
    "workflowId",
    "jobId",
    "name",
    "nextToken",
    "cancel"
  ]
  const values = [
    "1",
    "100",
    "101",
    "0",
    "-1",
    "Desc",
    "asc",
    "All,Running",
    "Success",
    "2022-02-25T12:00:00+0800",
    "",
    "%",
    "+"
  ]
  const query = Array.from({ length: fuzzer.int(4) }, () =>
    [
      fuzzer.chance(0.9) ? fuzzer.pick(names) : fuzzer.text(1 + fuzzer.int(10)),
      fuzzer.chance(0.1) ? undefined : fuzzer.chance(0.7) ? fuzzer.pick(values) : fuzzer.text(fuzzer.int(40))
    ] as const)
  const body = method === "GET" || method === "HEAD" ? Buffer.alloc(0) : randomBody(fuzzer)

  const signed = signRequest(port, {
    method,
    path,
    query,
    headers: { "content-type": "application/xml", "content-length": String(body.length) },
    tamper: fuzzer.chance(0.1)
      ? (request) => ({ ...request, target: `${request.target}${request.target.includes("?") ? "&" : "?"}x=1` })
      : undefined
  })
  return {
    description: `signed ${method} ${JSON.stringify(signed.target.slice(0, 120))}, ${body.length} body bytes`,
    method,
    bytes: serializeRequest(signed, body)
  }
}

/** Returns why the bytes received for a case are not acceptable, or `undefined` when they are. */
const checkExchange = (
  received: Buffer,
  responses: ReadonlyArray<RawResponse>,
  rest: Buffer
): string | undefined => {
  if (received.length === 0) {
    return "the connection closed with no response"
  }
  if (responses.length === 0) {
    return `no complete response in ${JSON.stringify(received.subarray(0, 200).toString("latin1"))}`
  }
  if (rest.length > 0) {
    return `${rest.length} bytes after the last complete response: ${
      JSON.stringify(rest.subarray(0, 200).toString("latin1"))
    }`
  }
  for (const response of responses) {
    if (response.headers["x-ci-request-id"] === undefined) {
      return `status ${response.status} has no x-ci-request-id`
    }
    if (response.status >= 500) {
      return `status ${response.status}: ${response.body.toString("utf8").slice(0, 300)}`
    }
    const body = response.body.toString("utf8")
    if (body === "") {
      continue
    }
    if (XMLValidator.validate(body) !== true) {
      return `status ${response.status} body is not well-formed XML: ${body.slice(0, 300)}`
    }
    const expectedStart = response.status >= 400 ? "<?xml version='1.0' encoding='utf-8' ?><Error><Code>" : "<Response>"
    if (!body.startsWith(expectedStart)) {
      return `status ${response.status} body starts with ${JSON.stringify(body.slice(0, 80))}`
    }
  }
  return undefined
}

/**
 * Parses the responses. A HEAD request that node:http parsed gets a response without a body, but
 * one that its parser rejected gets an error with a body, written on the raw socket.
 */
const parseFor = (fuzzCase: FuzzCase, received: Buffer) => {
  const withBodies = parseRawResponses(received)
  if (fuzzCase.method !== "HEAD" || (withBodies.rest.length === 0 && withBodies.responses.length > 0)) {
    return withBodies
  }
  return parseRawResponses(received, "HEAD")
}

/** Returns the status and, for an error, its code, such as `400 InvalidContent`. */
const statusKey = (response: RawResponse): string => {
  const code = /^<\?xml [^>]*><Error><Code>([^<]*)<\/Code>/.exec(response.body.toString("utf8"))
  return code === null ? String(response.status) : `${response.status} ${code[1]}`
}

describe("fuzz", () => {
  it.scopedLive(`${requestCount} garbage requests all get a response`, () =>
    Effect.gen(function*() {
      // A short log keeps memory small, because each entry holds up to 1 MiB of body.
      const emulator = yield* startEmulator({ requestLogLimit: 20 })
      const fuzzer = new Fuzzer(seed)
      const cases = Array.from({ length: requestCount }, () =>
        fuzzer.chance(0.4) ? signedCase(fuzzer, emulator.port) : rawCase(fuzzer, emulator.port))

      const failures: Array<string> = []
      const outcomes = new Map<string, number>()

      yield* Effect.forEach(cases, (fuzzCase, index) =>
        Effect.gen(function*() {
          const exchange = yield* exchangeRaw(emulator.port, [fuzzCase.bytes], {
            halfClose: true,
            waitMillis: exchangeWaitMillis
          })
          const { responses, rest } = parseFor(fuzzCase, exchange.received)
          const failure = exchange.ending === "timeout"
            ? `the connection was still open after ${exchangeWaitMillis} ms, with ${exchange.received.length} bytes received`
            : checkExchange(exchange.received, responses, rest)
          if (failure !== undefined && failures.length < maxReportedFailures) {
            failures.push(`request ${index}: ${failure}; ${fuzzCase.description}`)
          }
          for (const response of responses) {
            const key = statusKey(response)
            outcomes.set(key, (outcomes.get(key) ?? 0) + 1)
          }
        }), { concurrency, discard: true }).pipe(
          Effect.timeoutFail({
            duration: runDeadlineMillis,
            onTimeout: () =>
              new Error(`fuzz seed ${seed}: the run did not finish within ${runDeadlineMillis} ms`)
          })
        )

      expect(failures, `fuzz seed ${seed}; replay with EMULATOR_FUZZ_SEED=${seed}`).toEqual([])
      // The generator must keep reaching every layer: the parser hook, the body limit, the
      // signature check, routing and XML parsing.
      const reached = [...outcomes.keys()]
      for (
        const expected of [
          "400 BadRequest",
          "431 RequestHeaderFieldsTooLarge",
          "400 EntityTooLarge",
          "401 MissingAuthorization",
          "401 InvalidAuthorization",
          "403 SignatureDoesNotMatch",
          "405 MethodNotAllowed",
          "400 InvalidArgument",
          "400 InvalidContent",
          "400 MissingContent",
          "200"
        ]
      ) {
        expect(reached, `fuzz seed ${seed} never produced ${expected}`).toContain(expected)
      }

      // The emulator still serves a normal signed request.
      const created = yield* sendSigned(emulator, {
        method: "POST",
        path: "/inventorytriggerjob",
        headers: { "content-type": "application/xml" },
        body: workflowBody("after-fuzz")
      })
      const jobId = expectXmlResponse(created)["JobsDetail"]["JobId"]
      const described = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${jobId}` })
      expect(expectXmlResponse(described)["JobsDetail"]["Name"]).toBe("after-fuzz")
    }).pipe(
      Effect.tapErrorCause(() =>
        Effect.sync(() => console.error(`fuzz seed ${seed}; replay with EMULATOR_FUZZ_SEED=${seed}`))
      )
    ), 60_000)
})
