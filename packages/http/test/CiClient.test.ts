import * as CiClient from "@effect-cos/http/CiClient"
import { CiDecodeError, CiHttpError, CiInvalidInput, CiServiceError, CiTransportError } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as Signer from "@effect-cos/signer/Signer"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import {
  bucket,
  ciHost,
  errorXml,
  fixtureTimeMillis,
  jobId,
  options,
  parsedAuthorization,
  requests,
  runWithClock,
  secretKey,
  stubLayer,
  v1Authorization
} from "./fixtures.js"

const cancelRequest: CiClient.CiRequest = {
  method: "PUT",
  path: ["inventorytriggerjob", jobId],
  query: { cancel: "" }
}

/** The Authorization of the cancel request at the fixture time, with exactly these headers signed. */
const cancelAuthorization = (headers: Record<string, string>) =>
  Signer.sign({
    method: "PUT",
    pathname: `/inventorytriggerjob/${jobId}`,
    query: { cancel: "" },
    headers,
    secretId: "AKIDEXAMPLE",
    secretKey: Redacted.make(secretKey),
    keyTime: { start: 1700000000, end: 1700000900 }
  })

const send = (request: CiClient.CiRequest = cancelRequest) =>
  Effect.flatMap(CiClient.CiClient, (client) => client.send(request))

const sendFailure = (layer: Layer.Layer<CiClient.CiClient | TestHttpClient.TestHttpClient>) =>
  Effect.gen(function*() {
    const error = yield* runWithClock(send()).pipe(Effect.flip)
    const sent = yield* requests
    return { error, attempts: sent.length }
  }).pipe(Effect.provide(layer))

describe("CiClient", () => {
  describe("options", () => {
    const rejected = (overrides: Partial<CiClient.CiClientOptions>) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(
          Effect.provide(
            CiClient.CiClient,
            CiClient.layer({ ...options, ...overrides }).pipe(
              Layer.provide(TestHttpClient.layer(() => TestHttpClient.respond(200)))
            )
          )
        )
        return exit
      })

    const cases: ReadonlyArray<readonly [string, Partial<CiClient.CiClientOptions>]> = [
      ["bucket", { bucket: "" }],
      ["bucket", { bucket: "Examplebucket-1250000000" }],
      ["bucket", { bucket: "examplebucket" }],
      ["bucket", { bucket: "evil.com/x-1250000000" }],
      ["bucket", { bucket: "user@evil-1250000000" }],
      ["bucket", { bucket: "evil:80-1250000000" }],
      ["bucket", { bucket: "example.bucket-1250000000" }],
      ["bucket", { bucket: "example bucket-1250000000" }],
      ["bucket", { bucket: "-example-1250000000" }],
      ["bucket", { bucket: `${"a".repeat(60)}-1250000000` }],
      ["region", { region: "" }],
      ["region", { region: "AP-GUANGZHOU" }],
      ["region", { region: "ap-guangzhou.evil.com" }],
      ["region", { region: "ap-guangzhou/x" }],
      ["region", { region: "ap@guangzhou" }],
      ["region", { region: "ap-guangzhou:443" }],
      ["region", { region: "ap guangzhou" }],
      ["endpoint", { endpoint: "not a url" }],
      ["endpoint", { endpoint: "ftp://127.0.0.1" }],
      ["endpoint", { endpoint: "http://user:pass@127.0.0.1:8080" }],
      ["endpoint", { endpoint: "http://127.0.0.1:8080/prefix" }],
      ["endpoint", { endpoint: "http://127.0.0.1:8080/?x=1" }],
      ["endpoint", { endpoint: "http://127.0.0.1:8080/#x" }],
      ["timeout", { timeout: 0 }],
      ["timeout", { timeout: -5 }],
      ["timeout", { timeout: Duration.infinity }],
      ["timeout", { timeout: "25 days" }],
      ["secretId", { credentials: { secretId: "", secretKey: Redacted.make(secretKey) } }],
      ["secretId", { credentials: { secretId: "AKID&q-signature=0", secretKey: Redacted.make(secretKey) } }],
      ["secretKey", { credentials: { secretId: "AKIDEXAMPLE", secretKey: Redacted.make("") } }],
      ["sessionToken", {
        credentials: {
          secretId: "AKIDEXAMPLE",
          secretKey: Redacted.make(secretKey),
          sessionToken: Redacted.make("令牌")
        }
      }],
      ["sessionToken", {
        credentials: {
          secretId: "AKIDEXAMPLE",
          secretKey: Redacted.make(secretKey),
          sessionToken: Redacted.make("TOPSECRET\nTOKEN")
        }
      }]
    ]

    for (const [field, overrides] of cases) {
      it.effect(`rejects ${field} ${JSON.stringify(Object.values(overrides)[0])}`, () =>
        Effect.gen(function*() {
          const exit = yield* rejected(overrides)
          expect(Exit.isFailure(exit)).toBe(true)
          const error = yield* Effect.flip(exit)
          expect(error).toBeInstanceOf(CiInvalidInput)
          expect(error.field).toBe(field)
        }))
    }

    it.effect("shows no part of an invalid session token", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(
          yield* rejected({
            credentials: {
              secretId: "AKIDEXAMPLE",
              secretKey: Redacted.make(secretKey),
              sessionToken: Redacted.make("TOP SECRET")
            }
          })
        )
        expect(error).toStrictEqual(
          new CiInvalidInput({
            field: "sessionToken",
            value: "<redacted>",
            reason: "must be printable ASCII without spaces, as STS issues it"
          })
        )
      }))

    it.effect("accepts regions with several parts", () =>
      Effect.gen(function*() {
        for (const region of ["ap-beijing-fsi", "na-siliconvalley", "ap-shanghai-adc", "eu-frankfurt"]) {
          const client = yield* Effect.provide(
            CiClient.CiClient,
            stubLayer(() => TestHttpClient.respond(200), { region })
          )
          expect(client.endpoint).toBe(`https://${bucket}.ci.${region}.myqcloud.com`)
        }
      }))

    it.effect("reads its settings from Config", () =>
      Effect.gen(function*() {
        const client = yield* Effect.provide(
          CiClient.CiClient,
          CiClient.layerConfig().pipe(Layer.provide(TestHttpClient.layer(() => TestHttpClient.respond(200))))
        ).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(
            new Map([
              ["COS_BUCKET", bucket],
              ["COS_REGION", "ap-chengdu"],
              ["COS_SECRET_ID", "AKIDEXAMPLE"],
              ["COS_SECRET_KEY", secretKey],
              ["COS_CI_ENDPOINT", "http://127.0.0.1:9000"]
            ])
          ))
        )
        expect(client.bucket).toBe(bucket)
        expect(client.region).toBe("ap-chengdu")
        expect(client.endpoint).toBe("http://127.0.0.1:9000")
      }))

    // The timeout shows in the error of a request that never gets a response.
    const timeoutFrom = (value: string) =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(Effect.flip(send()))
        yield* TestClock.adjust("1 minute")
        return yield* Fiber.join(fiber)
      }).pipe(
        Effect.provide(
          CiClient.layerConfig({}, { retrySchedule: Schedule.stop }).pipe(
            Layer.provide(TestHttpClient.layer(() => TestHttpClient.hang))
          )
        ),
        Effect.withConfigProvider(ConfigProvider.fromMap(
          new Map([
            ["COS_BUCKET", bucket],
            ["COS_REGION", "ap-chengdu"],
            ["COS_SECRET_ID", "AKIDEXAMPLE"],
            ["COS_SECRET_KEY", secretKey],
            ["COS_CI_TIMEOUT", value]
          ])
        ))
      )

    for (
      const [value, description] of [
        ["2", "no complete response within 2s"],
        ["2.5", "no complete response within 2s 500ms"],
        ["500 millis", "no complete response within 500ms"]
      ] as const
    ) {
      it.effect(`reads COS_CI_TIMEOUT ${JSON.stringify(value)}`, () =>
        Effect.gen(function*() {
          const error = yield* timeoutFrom(value)
          expect(error).toBeInstanceOf(CiTransportError)
          expect(error).toMatchObject({ reason: "Timeout", description })
        }))
    }

    // Builds a client from COS_CI_TIMEOUT alone and returns its error and the requests sent.
    const timeoutConfigFailure = (value: string) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Layer.build(CiClient.layerConfig()))
        const sent = yield* requests
        return { error, sent }
      }).pipe(
        Effect.scoped,
        Effect.provide(TestHttpClient.layer(() => TestHttpClient.respond(200))),
        Effect.withConfigProvider(ConfigProvider.fromMap(
          new Map([
            ["COS_BUCKET", bucket],
            ["COS_REGION", "ap-chengdu"],
            ["COS_SECRET_ID", "AKIDEXAMPLE"],
            ["COS_SECRET_KEY", secretKey],
            ["COS_CI_TIMEOUT", value]
          ])
        ))
      )

    const notATime = (value: string) =>
      `(Invalid data at COS_CI_TIMEOUT: "Expected seconds, such as 10, or a duration such as "500 millis", got "${value}"")`
    const tooPrecise = (value: string) =>
      "(Invalid data at COS_CI_TIMEOUT: \"Expected seconds with at most 3 decimal places, because the timeout " +
      `is read to the millisecond, got "${value}"")`

    // cos-ci rejects the same texts, with the same rules: no spaces around the value, at most 3
    // decimal places and at least 1 millisecond.
    for (
      const [value, expected] of [
        [" 10", notATime(" 10")],
        ["10 ", notATime("10 ")],
        [" 10 seconds", notATime(" 10 seconds")],
        ["0.0001", tooPrecise("0.0001")],
        ["1.0001", tooPrecise("1.0001")]
      ] as const
    ) {
      it.effect(`rejects COS_CI_TIMEOUT ${JSON.stringify(value)}`, () =>
        Effect.gen(function*() {
          const { error, sent } = yield* timeoutConfigFailure(value)
          expect(String(error)).toBe(expected)
          expect(sent).toHaveLength(0)
        }))
    }

    for (
      const [value, shown] of [
        ["500 micros", "Duration(500000ns)"],
        ["0.5 nanos", "Duration(1ns)"],
        ["999999 nanos", "Duration(999999ns)"]
      ] as const
    ) {
      it.effect(`rejects COS_CI_TIMEOUT ${JSON.stringify(value)} as under 1 millisecond`, () =>
        Effect.gen(function*() {
          const { error, sent } = yield* timeoutConfigFailure(value)
          expect(error).toStrictEqual(
            new CiInvalidInput({ field: "timeout", value: shown, reason: "must be at least 1 millisecond" })
          )
          expect(sent).toHaveLength(0)
        }))
    }

    for (
      const [value, description] of [
        ["0.001", "no complete response within 1ms"],
        ["1000000 nanos", "no complete response within 1ms"]
      ] as const
    ) {
      it.effect(`reads COS_CI_TIMEOUT ${JSON.stringify(value)} as 1 millisecond`, () =>
        Effect.gen(function*() {
          const error = yield* timeoutFrom(value)
          expect(error).toBeInstanceOf(CiTransportError)
          expect(error).toMatchObject({ reason: "Timeout", description })
        }))
    }

    it.effect("names COS_CI_TIMEOUT when it is not a time", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(timeoutFrom("soon"))
        expect(String(error)).toBe(
          "(Invalid data at COS_CI_TIMEOUT: \"Expected seconds, such as 10, or a duration such as \"500 millis\", " +
            "got \"soon\"\")"
        )
      }))
  })

  describe("signing", () => {
    it.effect("sends the cancel request signed exactly like the reference", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const response = yield* send()
        const [request] = yield* requests

        expect(request.method).toBe("PUT")
        expect(request.url).toBe(`https://${ciHost}/inventorytriggerjob/${jobId}?cancel`)
        expect(request.headers["content-length"]).toBe("0")
        expect(request.headers["authorization"]).toBe(v1Authorization)
        expect(request.body).toBe("")
        expect(response.requestId).toBe("REQ-1")
      }).pipe(
        Effect.provide(stubLayer(() => TestHttpClient.respond(200, { headers: { "x-ci-request-id": "REQ-1" } })))
      ))

    it.effect("signs the session token and sends it as x-ci-security-token", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        yield* send()
        const [request] = yield* requests

        expect(request.headers["x-ci-security-token"]).toBe("TOKENEXAMPLE+/=")
        expect(parsedAuthorization(request.headers["authorization"])).toMatchObject({
          headerList: ["content-length", "host", "x-ci-security-token"],
          signature: "9ea4c4c0be34de6888eed9a504a6a20591e2c633"
        })
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200), {
        credentials: {
          secretId: "AKIDEXAMPLE",
          secretKey: Redacted.make(secretKey),
          sessionToken: Redacted.make("TOKENEXAMPLE+/=")
        }
      }))))

    it.effect("signs the host of an endpoint override, port included", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        yield* send()
        const [request] = yield* requests
        const expected = cancelAuthorization({ host: "127.0.0.1:8080", "content-length": "0" })

        expect(request.url).toBe(`http://127.0.0.1:8080/inventorytriggerjob/${jobId}?cancel`)
        expect(request.headers["authorization"]).toBe(expected)
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200), { endpoint: "http://127.0.0.1:8080" }))))

    it.effect("encodes path and query once and signs them decoded", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        yield* send({
          method: "GET",
          path: ["inventorytriggerjob"],
          query: { name: "名 a+b&c=d", states: "Running,Failed", empty: "" }
        })
        const [request] = yield* requests
        const authorization = parsedAuthorization(request.headers["authorization"])
        const expected = Signer.computeSignature({
          method: "GET",
          pathname: "/inventorytriggerjob",
          query: { name: "名 a+b&c=d", states: "Running,Failed", empty: "" },
          headers: { host: ciHost },
          secretId: "AKIDEXAMPLE",
          secretKey: Redacted.make(secretKey),
          keyTime: { start: 1700000000, end: 1700000900 }
        })

        expect(request.url).toBe(
          `https://${ciHost}/inventorytriggerjob?name=%E5%90%8D%20a%2Bb%26c%3Dd&states=Running%2CFailed&empty`
        )
        expect(request.headers["content-length"]).toBeUndefined()
        expect(authorization.urlParamList).toStrictEqual(["empty", "name", "states"])
        expect(authorization.signature).toBe(expected.signature)
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200)))))

    it.effect("signs a body with its length, type and MD5", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const content = "<Request><Name>名</Name></Request>"
        yield* send({
          method: "POST",
          path: ["inventorytriggerjob"],
          body: { contentType: "application/xml", content }
        })
        const [request] = yield* requests

        expect(request.body).toBe(content)
        expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(content)))
        expect(request.headers["content-type"]).toBe("application/xml")
        expect(request.headers["content-md5"]).toBe("NSQ/e+XNkGjQP3YhZqv0IA==")
        expect(parsedAuthorization(request.headers["authorization"]).headerList).toStrictEqual([
          "content-length",
          "content-md5",
          "content-type",
          "host"
        ])
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200)))))

    it.effect("signs and sends header values trimmed, as HTTP sends them", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        yield* send()
        const [request] = yield* requests
        const expected = cancelAuthorization({ host: ciHost, "content-length": "0", "x-cos-meta-note": "a  b" })

        expect(request.headers["x-cos-meta-note"]).toBe("a  b")
        expect(request.headers["authorization"]).toBe(expected)
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200), {
        transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-cos-meta-note", " \ta  b\t "))
      }))))

    for (
      const [name, value, reason] of [
        ["host", ciHost, "cannot be set: the host is taken from the endpoint URL"],
        ["x-cos-meta-note", "中文", "must contain only visible ASCII characters, spaces and tabs"],
        ["x-cos-meta-note", "a\u0001b", "must contain only visible ASCII characters, spaces and tabs"]
      ] as const
    ) {
      it.effect(`rejects header ${name} ${JSON.stringify(value)} before sending`, () =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(send())
          expect(error).toStrictEqual(new CiInvalidInput({ field: `headers.${name}`, value, reason }))
          expect(yield* requests).toHaveLength(0)
        }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200), {
          transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader(name, value))
        }))))
    }

    for (const segment of [".", ".."]) {
      it.effect(`rejects a ${JSON.stringify(segment)} path segment before sending`, () =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(send({ method: "GET", path: ["inventorytriggerjob", segment] }))
          expect(error).toStrictEqual(
            new CiInvalidInput({
              field: "path",
              value: `inventorytriggerjob/${segment}`,
              reason: `has a "${segment}" segment`
            })
          )
          expect(yield* requests).toHaveLength(0)
        }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200)))))
    }

    it.effect("rejects a path segment with a lone surrogate before sending", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(send({ method: "GET", path: ["inventorytriggerjob", "b\ud800"] }))
        expect(error).toStrictEqual(
          new CiInvalidInput({ field: "path", value: "b\ud800", reason: "contains a lone UTF-16 surrogate" })
        )
        expect(yield* requests).toHaveLength(0)
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200)))))
  })

  describe("retries", () => {
    const retried = [408, 429, 500, 502, 503, 504]
    for (const status of retried) {
      it.effect(`retries HTTP ${status} three times`, () =>
        Effect.gen(function*() {
          const { attempts, error } = yield* sendFailure(stubLayer(() => TestHttpClient.respond(status)))
          expect(attempts).toBe(4)
          expect(error).toStrictEqual(
            new CiHttpError({ status, requestId: undefined, contentType: undefined, bodyPreview: "" })
          )
        }))
    }

    for (const status of [400, 401, 403, 404, 405, 409, 412]) {
      it.effect(`does not retry HTTP ${status}`, () =>
        Effect.gen(function*() {
          const { attempts, error } = yield* sendFailure(
            stubLayer(() => TestHttpClient.respond(status, { body: errorXml("InvalidArgument", "bad", "REQ") }))
          )
          expect(attempts).toBe(1)
          expect(error).toMatchObject({ _tag: "CiServiceError", status, code: "InvalidArgument" })
        }))
    }

    it.effect("retries SlowDown whatever the status", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(
          stubLayer(() => TestHttpClient.respond(400, { body: errorXml("SlowDown", "slow", "REQ") }))
        )
        expect(attempts).toBe(4)
        expect(error).toMatchObject({ _tag: "CiServiceError", status: 400, code: "SlowDown" })
      }))

    it.effect("retries a reset connection and succeeds", () =>
      Effect.gen(function*() {
        const response = yield* runWithClock(send())
        expect(response.requestId).toBe("REQ-OK")
        expect(yield* requests).toHaveLength(2)
      }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
        TestHttpClient.reset,
        TestHttpClient.respond(200, { headers: { "x-ci-request-id": "REQ-OK" } })
      )))))

    it.effect("does not retry a refused connection", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(stubLayer(() => TestHttpClient.refuse))
        expect(attempts).toBe(1)
        expect(error).toBeInstanceOf(CiTransportError)
        expect(error).toMatchObject({ reason: "Other", method: "PUT", description: `connect ECONNREFUSED ${ciHost}` })
      }))

    it.effect("times out an attempt that never answers and retries it", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(stubLayer(() => TestHttpClient.hang, { timeout: "2 seconds" }))
        expect(attempts).toBe(4)
        expect(error).toStrictEqual(
          new CiTransportError({
            reason: "Timeout",
            method: "PUT",
            url: `https://${ciHost}/inventorytriggerjob/${jobId}?cancel`,
            description: "no complete response within 2s"
          })
        )
      }))

    it.effect("times out a body that stops halfway", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(stubLayer(
          () => TestHttpClient.stallBody(200, { partialBody: "<Response><JobsDetail>" }),
          { timeout: "1 second" }
        ))
        expect(attempts).toBe(4)
        expect(error).toMatchObject({ _tag: "CiTransportError", reason: "Timeout" })
      }))

    it.effect("fails with the last attempt's own error", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(stubLayer(TestHttpClient.sequence(
          TestHttpClient.respond(500, { body: "<html>oops</html>", headers: { "content-type": "text/html" } }),
          TestHttpClient.reset,
          TestHttpClient.respond(503, { body: errorXml("SlowDown", "slow down", "REQ-3") }),
          TestHttpClient.respond(504, { headers: { "x-ci-request-id": "REQ-4" } })
        )))
        expect(attempts).toBe(4)
        expect(error).toStrictEqual(
          new CiHttpError({ status: 504, requestId: "REQ-4", contentType: undefined, bodyPreview: "" })
        )
      }))

    describe("of a request that is not idempotent", () => {
      const create = () =>
        send({
          method: "POST",
          path: ["inventorytriggerjob"],
          body: { contentType: "application/xml", content: "<Request/>" },
          idempotent: false
        })

      const outcome = (layer: Layer.Layer<CiClient.CiClient | TestHttpClient.TestHttpClient>) =>
        Effect.gen(function*() {
          const result = yield* runWithClock(create()).pipe(Effect.either)
          return { result, attempts: (yield* requests).length }
        }).pipe(Effect.provide(layer))

      for (
        const [name, reply] of [
          ["HTTP 500", TestHttpClient.respond(500)],
          ["HTTP 503", TestHttpClient.respond(503)],
          ["a reset connection", TestHttpClient.reset],
          ["a timeout", TestHttpClient.hang]
        ] as const
      ) {
        it.effect(`sends it once after ${name}`, () =>
          Effect.gen(function*() {
            const { attempts } = yield* outcome(stubLayer(() => reply, { timeout: "1 second" }))
            expect(attempts).toBe(1)
          }))
      }

      it.effect("retries it after throttling", () =>
        Effect.gen(function*() {
          const { attempts, result } = yield* outcome(stubLayer(TestHttpClient.sequence(
            TestHttpClient.respond(429),
            TestHttpClient.respond(503, { body: errorXml("SlowDown", "slow", "REQ") }),
            TestHttpClient.respond(200, { body: "<Response/>" })
          )))
          expect(attempts).toBe(3)
          expect(result._tag).toBe("Right")
        }))
    })

    it.effect("follows a custom schedule", () =>
      Effect.gen(function*() {
        const once = yield* sendFailure(
          stubLayer(() => TestHttpClient.respond(503), { retrySchedule: Schedule.recurs(1) })
        )
        const never = yield* sendFailure(stubLayer(() => TestHttpClient.respond(503), { retrySchedule: Schedule.stop }))
        expect(once.attempts).toBe(2)
        expect(never.attempts).toBe(1)
      }))

    it.effect("signs every attempt afresh", () =>
      Effect.gen(function*() {
        yield* runWithClock(send())
        const sent = yield* requests
        const signTimes = sent.map((request) => parsedAuthorization(request.headers["authorization"]).signTime.start)

        expect(sent).toHaveLength(3)
        expect(signTimes[0]).toBe(1700000000)
        expect(signTimes[1]).toBeGreaterThan(signTimes[0])
        expect(signTimes[2]).toBeGreaterThan(signTimes[1])
      }).pipe(Effect.provide(stubLayer(
        TestHttpClient.sequence(TestHttpClient.respond(503), TestHttpClient.reset, TestHttpClient.respond(200)),
        // A fixed two-second pause moves the signing time forward between attempts.
        { retrySchedule: Schedule.spaced("2 seconds") }
      ))))
  })

  describe("clock skew", () => {
    const skewed = (code: string, message: string, date: string) =>
      TestHttpClient.respond(403, { body: errorXml(code, message, "REQ-SKEW"), headers: { date } })

    // The fixture time is Tue, 14 Nov 2023 22:13:21 GMT; the server below is an hour ahead.
    const serverDate = "Tue, 14 Nov 2023 23:13:21 GMT"

    for (
      const [code, message] of [
        ["RequestTimeTooSkewed", "The difference between the request time and the server's time is too large."],
        ["AccessDenied", "Request has expired"],
        ["SignatureExpired", "Request has expired"]
      ]
    ) {
      it.effect(`corrects the clock on ${code} and re-sends once`, () =>
        Effect.gen(function*() {
          const response = yield* runWithClock(send())
          const sent = yield* requests
          const starts = sent.map((request) => parsedAuthorization(request.headers["authorization"]).keyTime.start)

          expect(response.requestId).toBe("REQ-OK")
          expect(starts).toStrictEqual([1700000000, 1700003600])
        }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
          skewed(code, message, serverDate),
          TestHttpClient.respond(200, { headers: { "x-ci-request-id": "REQ-OK" } })
        )))))
    }

    it.effect("corrects only once per call", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(
          stubLayer(() => skewed("RequestTimeTooSkewed", "too skewed", "Wed, 15 Nov 2023 22:13:21 GMT"))
        )
        expect(attempts).toBe(2)
        expect(error).toMatchObject({ _tag: "CiServiceError", code: "RequestTimeTooSkewed", requestId: "REQ-SKEW" })
      }))

    it.effect("keeps the clock when the server's Date is close", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(
          stubLayer(() => skewed("RequestTimeTooSkewed", "too skewed", "Tue, 14 Nov 2023 22:13:31 GMT"))
        )
        expect(attempts).toBe(1)
        expect(error).toMatchObject({ code: "RequestTimeTooSkewed" })
      }))

    it.effect("does not treat other AccessDenied errors as skew", () =>
      Effect.gen(function*() {
        const { attempts } = yield* sendFailure(stubLayer(() => skewed("AccessDenied", "Access Denied.", serverDate)))
        expect(attempts).toBe(1)
      }))

    // A Date outside 2000 to 2199 cannot be a working server clock, so it neither triggers a re-send
    // nor moves the clock of later calls.
    for (
      const [name, date] of [
        ["in 1970", "Thu, 01 Jan 1970 00:00:00 GMT"],
        ["in the year 275760", "Sat, 13 Sep 275760 00:00:00 GMT"],
        ["just before 2000", "Fri, 31 Dec 1999 23:59:59 GMT"],
        ["just after 2199", "Wed, 01 Jan 2200 00:00:00 GMT"],
        // Date.parse reads the next three as 2001-01-01, 2001-12-01 and a time in the local time zone.
        ["of \"1\"", "1"],
        ["of \"12\"", "12"],
        ["without a zone", "Tue, 14 Nov 2023 23:13:21"],
        ["with a numeric zone", "Tue, 14 Nov 2023 23:13:21 +0000"],
        ["in the RFC 850 form", "Tuesday, 14-Nov-23 23:13:21 GMT"],
        ["in the asctime form", "Tue Nov 14 23:13:21 2023"],
        ["in ISO 8601", "2023-11-14T23:13:21Z"],
        ["with a day the month does not have", "Fri, 31 Feb 2023 23:13:21 GMT"],
        ["with hour 24", "Tue, 14 Nov 2023 24:13:21 GMT"]
      ]
    ) {
      it.effect(`ignores a server Date ${name}`, () =>
        Effect.gen(function*() {
          const { error, sentByFirstCall } = yield* runWithClock(Effect.gen(function*() {
            const error = yield* Effect.flip(send())
            const sentByFirstCall = (yield* requests).length
            yield* send()
            return { error, sentByFirstCall }
          }))
          const sent = yield* requests
          const starts = sent.map((request) => parsedAuthorization(request.headers["authorization"]).keyTime.start)

          expect(error).toStrictEqual(
            new CiServiceError({
              status: 403,
              code: "RequestTimeTooSkewed",
              message: "too skewed",
              requestId: "REQ-SKEW",
              traceId: undefined,
              resource: undefined
            })
          )
          expect(sentByFirstCall).toBe(1)
          // The next call is signed with the local clock, not with an offset taken from that Date.
          expect(starts).toStrictEqual([1700000000, 1700000000])
        }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
          skewed("RequestTimeTooSkewed", "too skewed", date),
          TestHttpClient.respond(200)
        )))))
    }

    for (
      const [date, start] of [
        ["Sat, 01 Jan 2000 00:00:00 GMT", 946684799],
        ["Tue, 31 Dec 2199 23:59:59 GMT", 7258118398],
        ["Thu, 29 Feb 2024 00:00:00 GMT", 1709164799],
        // A leap second reads as the first second of the next minute.
        ["Sat, 31 Dec 2016 23:59:60 GMT", 1483228799]
      ] as const
    ) {
      it.effect(`corrects the clock to ${date}`, () =>
        Effect.gen(function*() {
          yield* runWithClock(send())
          const sent = yield* requests
          const starts = sent.map((request) => parsedAuthorization(request.headers["authorization"]).keyTime.start)

          expect(starts).toStrictEqual([1700000000, start])
        }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
          skewed("RequestTimeTooSkewed", "too skewed", date),
          TestHttpClient.respond(200)
        )))))
    }

    it.effect("keeps the correction for later calls", () =>
      Effect.gen(function*() {
        yield* runWithClock(send())
        yield* send()
        const sent = yield* requests
        const starts = sent.map((request) => parsedAuthorization(request.headers["authorization"]).keyTime.start)
        // The third request is signed with the corrected clock at once.
        expect(starts[2] - starts[0]).toBeGreaterThanOrEqual(3600)
      }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
        skewed("RequestTimeTooSkewed", "too skewed", serverDate),
        TestHttpClient.respond(200)
      )))))
  })

  describe("responses", () => {
    it.effect("returns a 2xx body and its request id", () =>
      Effect.gen(function*() {
        const response = yield* send({ method: "GET", path: ["inventorytriggerjob"] })
        expect(response).toMatchObject({ status: 200, body: "<Response></Response>", requestId: "REQ-COS" })
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(200, { body: "<Response></Response>", headers: { "x-cos-request-id": "REQ-COS" } })
      ))))

    it.effect("reads a JSON error from a gateway", () =>
      Effect.gen(function*() {
        const { error } = yield* sendFailure(stubLayer(() =>
          TestHttpClient.respond(400, {
            body: JSON.stringify({ code: "InvalidArgument", message: "bad job id", request_id: "REQ-JSON" }),
            headers: { "content-type": "application/json" }
          })
        ))
        expect(error).toStrictEqual(
          new CiServiceError({
            status: 400,
            code: "InvalidArgument",
            message: "bad job id",
            requestId: "REQ-JSON",
            traceId: undefined,
            resource: undefined
          })
        )
      }))

    it.effect("keeps Resource and TraceId from the document and falls back to the trace header", () =>
      Effect.gen(function*() {
        const { error } = yield* sendFailure(stubLayer(() =>
          TestHttpClient.respond(403, {
            body: "<Error><Code>AccessDenied</Code><Message>no</Message><Resource>/x</Resource></Error>",
            headers: { "x-ci-trace-id": "TRACE-H", "x-ci-request-id": "REQ-H" }
          })
        ))
        expect(error).toStrictEqual(
          new CiServiceError({
            status: 403,
            code: "AccessDenied",
            message: "no",
            requestId: "REQ-H",
            traceId: "TRACE-H",
            resource: "/x"
          })
        )
      }))

    it.effect("treats a document without Code as unusable", () =>
      Effect.gen(function*() {
        const body = "<Error><Message>no code</Message></Error>"
        const { error } = yield* sendFailure(stubLayer(() => TestHttpClient.respond(400, { body })))
        expect(error).toStrictEqual(
          new CiHttpError({ status: 400, requestId: undefined, contentType: undefined, bodyPreview: body })
        )
      }))

    it.effect("cuts the body preview", () =>
      Effect.gen(function*() {
        const { error } = yield* sendFailure(stubLayer(() => TestHttpClient.respond(400, { body: "x".repeat(1000) })))
        expect(error).toMatchObject({ _tag: "CiHttpError", bodyPreview: `${"x".repeat(256)}…` })
      }))

    it.effect("rejects a body over 8 MiB", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(send({ method: "GET", path: ["inventorytriggerjob"] }))
        expect(error).toBeInstanceOf(CiDecodeError)
        expect(error).toMatchObject({ status: 200, reason: "response body is larger than 8388608 bytes" })
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200, { body: "x".repeat(8 * 1024 * 1024 + 1) })))))

    it.effect("keeps the status of an error body that is too large, and retries it", () =>
      Effect.gen(function*() {
        const page = "<html>" + "x".repeat(9 * 1024 * 1024) + "</html>"
        const { attempts, error } = yield* sendFailure(
          stubLayer(() => TestHttpClient.respond(503, { body: page, headers: { "content-type": "text/html" } }))
        )
        expect(attempts).toBe(4)
        expect(error).toStrictEqual(
          new CiHttpError({
            status: 503,
            requestId: undefined,
            contentType: "text/html",
            bodyPreview: `${page.slice(0, 256)}…`
          })
        )
      }))

    it.effect("keeps the status of an error body that breaks off", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(stubLayer(() =>
          TestHttpClient.breakBody(403, { partialBody: "<Error><Code>Acc", headers: { "x-ci-request-id": "REQ-403" } })
        ))
        expect(attempts).toBe(1)
        expect(error).toMatchObject({ _tag: "CiHttpError", status: 403, requestId: "REQ-403" })
      }))

    it.effect("reports a success body that breaks off as a reset connection", () =>
      Effect.gen(function*() {
        const { attempts, error } = yield* sendFailure(
          stubLayer(() => TestHttpClient.breakBody(200, { partialBody: "<Response>" }))
        )
        expect(attempts).toBe(4)
        expect(error).toMatchObject({ _tag: "CiTransportError", reason: "ConnectionReset" })
      }))

    it.effect("takes the first of repeated request ids", () =>
      Effect.gen(function*() {
        const response = yield* send()
        expect(response.requestId).toBe("REQ-A")
      }).pipe(
        Effect.provide(stubLayer(() => TestHttpClient.respond(200, { headers: { "x-ci-request-id": "REQ-A, REQ-B" } })))
      ))

    // The Error document of a false 200 is found after anything XML allows before the root element.
    for (
      const [name, prolog] of [
        ["alone", ""],
        ["after a byte order mark", "\uFEFF"],
        ["after a line feed", "\n"],
        ["after a comment", "<!-- x -->"],
        ["after a processing instruction", "<?note x?>"],
        [
          "after a declaration, comments and a processing instruction",
          "<?xml version=\"1.0\"?>\n<!-- a --><?note?>\n<!--b-->\n"
        ]
      ]
    ) {
      it.effect(`fails a 200 carrying an Error document ${name} and retries it`, () =>
        Effect.gen(function*() {
          const { attempts, error } = yield* sendFailure(stubLayer(() =>
            TestHttpClient.respond(200, {
              body:
                `${prolog}<Error><Code>InternalError</Code><Message>m</Message><RequestId>REQ-F200</RequestId></Error>`
            })
          ))

          expect(error).toStrictEqual(
            new CiServiceError({
              status: 200,
              code: "InternalError",
              message: "m",
              requestId: "REQ-F200",
              traceId: undefined,
              resource: undefined
            })
          )
          expect(attempts).toBe(4)
        }))
    }

    for (
      const [name, body] of [
        ["an Error element inside a comment", "<!-- <Error><Code>InternalError</Code></Error> -->"],
        ["an Error element inside a processing instruction", "<?note <Error><Code>InternalError</Code></Error>?>"],
        ["an Error element after other text", "ok <Error><Code>InternalError</Code></Error>"]
      ]
    ) {
      it.effect(`returns a 200 with ${name}`, () =>
        Effect.gen(function*() {
          const response = yield* send()
          const sent = yield* requests

          expect(response.body).toBe(body)
          expect(sent).toHaveLength(1)
        }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200, { body })))))
    }

    it.effect("does not read a document type declaration", () =>
      Effect.gen(function*() {
        const body = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><Error><Code>&a;</Code></Error>"
        const { error } = yield* sendFailure(stubLayer(() => TestHttpClient.respond(400, { body })))
        expect(error).toMatchObject({ _tag: "CiHttpError", status: 400 })
      }))
  })
})
