import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiHttpError, CiInvalidInput, CiServiceError, CiTransportError } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import {
  cancelOutcome,
  cancelUrl,
  ciHost,
  errorXml,
  fixtureTimeMillis,
  jobId,
  parsedAuthorization,
  stubLayer,
  v1Authorization
} from "./fixtures.js"

const ok = (requestId: string) =>
  TestHttpClient.respond(200, { headers: { "content-length": "0", "x-ci-request-id": requestId } })

const xmlError = (status: number, body: string, headers: Record<string, string> = {}) =>
  TestHttpClient.respond(status, { body, headers: { "content-type": "application/xml", ...headers } })

const serviceError = (fields: Partial<CiServiceError> & Pick<CiServiceError, "status" | "code">) =>
  new CiServiceError({
    message: "",
    requestId: undefined,
    traceId: undefined,
    resource: undefined,
    ...fields
  })

describe("BatchJobs.cancel", () => {
  describe("request", () => {
    it.effect("signs the CI host taken from the URL", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(result).toStrictEqual(Either.right({ requestId: "REQ-OK" }))
        expect(sent).toHaveLength(1)
        expect(new URL(sent[0].url).host).toBe(ciHost)
        expect(sent[0].headers["authorization"]).toBe(v1Authorization)
        expect(sent[0].headers["authorization"]).not.toContain("093859e4b629716177d9ee181124477c2d34bcae")
      }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK")))))

    it.effect("puts the cancel sub-resource on the wire and in the signature", () =>
      Effect.gen(function*() {
        const { sent } = yield* cancelOutcome()
        const authorization = parsedAuthorization(sent[0].headers["authorization"])

        expect(sent[0].method).toBe("PUT")
        expect(sent[0].url).toBe(cancelUrl)
        expect(authorization.urlParamList).toStrictEqual(["cancel"])
        expect(authorization.signature).toBe("d620db259e4ab008ea0c4e8966c9d47e6d9de151")
        expect(authorization.signature).not.toBe("197a8ba4e4beb71074a1b4566ab891dc76305093")
      }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK")))))

    it.effect("sends and signs Content-Length 0 without a body", () =>
      Effect.gen(function*() {
        const { sent } = yield* cancelOutcome()
        expect(sent[0].body).toBe("")
        expect(sent[0].headers["content-length"]).toBe("0")
        expect(sent[0].headers["transfer-encoding"]).toBeUndefined()
        expect(parsedAuthorization(sent[0].headers["authorization"]).headerList).toStrictEqual([
          "content-length",
          "host"
        ])
      }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK")))))

    it.effect("leaves headers the HTTP stack controls out of the signature", () =>
      Effect.gen(function*() {
        const { sent } = yield* cancelOutcome()
        const headerList = parsedAuthorization(sent[0].headers["authorization"]).headerList

        expect(sent[0].headers["user-agent"]).toBe("effect-cos/0.1.0")
        for (const name of ["user-agent", "accept", "accept-encoding", "connection", "sec-fetch-mode", "date"]) {
          expect(headerList).not.toContain(name)
        }
      }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK")))))

    it.effect("sends the session token as x-ci-security-token", () =>
      Effect.gen(function*() {
        const { sent } = yield* cancelOutcome()
        expect(sent[0].headers["x-ci-security-token"]).toBe("TOKENEXAMPLE+/=")
        expect(parsedAuthorization(sent[0].headers["authorization"]).signature).toBe(
          "9ea4c4c0be34de6888eed9a504a6a20591e2c633"
        )
      }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK"), {
        credentials: {
          secretId: "AKIDEXAMPLE",
          secretKey: Redacted.make("SECRETKEYEXAMPLE"),
          sessionToken: Redacted.make("TOKENEXAMPLE+/=")
        }
      }))))

    it.effect("signs the endpoint override's host", () =>
      Effect.gen(function*() {
        const { sent } = yield* cancelOutcome()
        expect(sent[0].url).toBe(`http://127.0.0.1:9000/inventorytriggerjob/${jobId}?cancel`)
        expect(parsedAuthorization(sent[0].headers["authorization"]).signature).not.toBe(
          "d620db259e4ab008ea0c4e8966c9d47e6d9de151"
        )
      }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK"), { endpoint: "http://127.0.0.1:9000" }))))
  })

  describe("job id", () => {
    const invalid = [
      "",
      "../../workflow/w1",
      "b-1?x=1",
      "b-1#frag",
      "b 1",
      "b-1/extra",
      "b%2F1",
      "b\u00e9",
      "a".repeat(129)
    ]
    for (const id of invalid) {
      it.effect(`rejects ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}… (${id.length})` : id)} without a request`, () =>
        Effect.gen(function*() {
          const { result, sent } = yield* cancelOutcome(id)
          expect(sent).toHaveLength(0)
          expect(Either.isLeft(result)).toBe(true)
          const error = Either.getLeft(result).pipe((option) => option._tag === "Some" ? option.value : undefined)
          expect(error).toBeInstanceOf(CiInvalidInput)
          expect(error).toMatchObject({ field: "jobId", value: id })
        }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK")))))
    }

    it.effect("accepts documented id shapes", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        yield* BatchJobs.cancel(jobId)
        yield* BatchJobs.cancel("b-xxx-xxx-xxx-xxxx")
        yield* BatchJobs.cancel("a".repeat(128))
        const sent = yield* TestHttpClient.requests
        expect(sent.map((request) => new URL(request.url).pathname)).toStrictEqual([
          `/inventorytriggerjob/${jobId}`,
          "/inventorytriggerjob/b-xxx-xxx-xxx-xxxx",
          `/inventorytriggerjob/${"a".repeat(128)}`
        ])
        expect(sent[0].headers["authorization"]).toBe(v1Authorization)
      }).pipe(Effect.provide(stubLayer(() => ok("REQ-OK")))))
  })

  describe("success", () => {
    it.effect("returns the request id of an empty 200", () =>
      Effect.gen(function*() {
        const { result } = yield* cancelOutcome()
        expect(result).toStrictEqual(Either.right({ requestId: "NTk0MjdmODlfEXAMPLE=" }))
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(200, {
          headers: { "content-length": "0", server: "tencent-ci", "x-ci-request-id": "NTk0MjdmODlfEXAMPLE=" }
        })
      ))))

    it.effect("accepts 204 the same way", () =>
      Effect.gen(function*() {
        const { result } = yield* cancelOutcome()
        expect(result).toStrictEqual(Either.right({ requestId: "NTk0MjdmODlfEXAMPLE=" }))
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(204, { headers: { server: "tencent-ci", "x-ci-request-id": "NTk0MjdmODlfEXAMPLE=" } })
      ))))

    it.effect("reports an Error document inside a 200 and retries it", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(4)
        expect(result).toStrictEqual(
          Either.left(serviceError({ status: 200, code: "InternalError", message: "x", requestId: "REQ-F200" }))
        )
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(200, {
          body:
            "<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>x</Message><RequestId>REQ-F200</RequestId></Error>"
        })
      ))))
  })

  describe("retries", () => {
    const slowDown = xmlError(
      503,
      errorXml("SlowDown", "Please reduce your request rate.", "REQ-SLOW"),
      { "x-ci-request-id": "REQ-SLOW" }
    )

    it.effect("retries SlowDown and a reset, signing each attempt again", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        const starts = sent.map((request) => parsedAuthorization(request.headers["authorization"]).signTime.start)

        expect(result).toStrictEqual(Either.right({ requestId: "REQ-OK" }))
        expect(sent).toHaveLength(3)
        expect(starts[1]).toBeGreaterThan(starts[0])
        expect(starts[2]).toBeGreaterThan(starts[1])
      }).pipe(Effect.provide(stubLayer(
        TestHttpClient.sequence(slowDown, TestHttpClient.reset, ok("REQ-OK")),
        { retrySchedule: Schedule.spaced("1500 millis").pipe(Schedule.intersect(Schedule.recurs(3))) }
      ))))

    it.effect("waits between attempts with the default schedule", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const fiber = yield* Effect.fork(BatchJobs.cancel(jobId))
        yield* TestClock.adjust("0 millis")
        // Only the first attempt may go out before any time passes.
        expect(yield* TestHttpClient.requests).toHaveLength(1)
        yield* TestClock.adjust("1 minute")
        yield* fiber.await
        expect(yield* TestHttpClient.requests).toHaveLength(2)
      }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(slowDown, ok("REQ-OK"))))))

    it.effect("gives the last SlowDown itself after four attempts", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(4)
        expect(result).toStrictEqual(Either.left(serviceError({
          status: 503,
          code: "SlowDown",
          message: "Please reduce your request rate.",
          requestId: "REQ-SLOW"
        })))
      }).pipe(Effect.provide(stubLayer(() => slowDown))))

    it.effect("can be caught by tag after retries", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const fiber = yield* Effect.fork(
          BatchJobs.cancel(jobId).pipe(
            Effect.catchTag("CiServiceError", (error) => Effect.succeed(`caught ${error.code}`))
          )
        )
        yield* TestClock.adjust("10 minutes")
        expect(yield* fiber.await).toMatchObject({ _tag: "Success", value: "caught SlowDown" })
      }).pipe(Effect.provide(stubLayer(() => slowDown))))

    for (
      const [status, code, message] of [
        [404, "NoSuchKey", "The specified key does not exist."],
        [400, "InvalidArgument", "bad"],
        [403, "AccessDenied", "Access Denied."]
      ] as const
    ) {
      it.effect(`does not retry ${status} ${code}`, () =>
        Effect.gen(function*() {
          const { result, sent } = yield* cancelOutcome()
          expect(sent).toHaveLength(1)
          expect(result).toStrictEqual(
            Either.left(serviceError({ status, code, message, requestId: `REQ-${status}` }))
          )
        }).pipe(Effect.provide(stubLayer(() =>
          xmlError(status, errorXml(code, message, `REQ-${status}`), { "x-ci-request-id": `REQ-${status}` })
        ))))
    }
  })

  describe("lost responses", () => {
    const alreadyCancelled = xmlError(
      400,
      errorXml("InvalidArgument", `The job "${jobId}" is already finished in state Cancel.`, "REQ-2")
    )
    const jobIn = (state: string) =>
      TestHttpClient.respond(200, {
        body: `<Response><JobsDetail><JobId>${jobId}</JobId><State>${state}</State></JobsDetail></Response>`
      })

    it.effect("succeeds when a retry finds the job already cancelled", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(result).toStrictEqual(Either.right({ requestId: "REQ-2" }))
        expect(sent.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toStrictEqual([
          `PUT /inventorytriggerjob/${jobId}`,
          `PUT /inventorytriggerjob/${jobId}`,
          `GET /inventorytriggerjob/${jobId}`
        ])
      }).pipe(Effect.provide(stubLayer(
        TestHttpClient.sequence(TestHttpClient.hang, alreadyCancelled, jobIn("Cancel")),
        { timeout: "2 seconds" }
      ))))

    it.effect("keeps the rejection when the job is not cancelled", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(3)
        expect(result).toMatchObject({ left: { _tag: "CiServiceError", code: "InvalidArgument", requestId: "REQ-2" } })
      }).pipe(Effect.provide(stubLayer(
        TestHttpClient.sequence(TestHttpClient.respond(503), alreadyCancelled, jobIn("Success"))
      ))))

    it.effect("does not look up the job after a first-attempt rejection", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(1)
        expect(result).toMatchObject({ left: { _tag: "CiServiceError", code: "InvalidArgument" } })
      }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(alreadyCancelled, jobIn("Cancel"))))))
  })

  describe("error bodies", () => {
    it.effect("keeps the status and request id of an empty 503 after retries", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(4)
        expect(result).toStrictEqual(Either.left(
          new CiHttpError({ status: 503, requestId: "REQ-EMPTY-503", contentType: undefined, bodyPreview: "" })
        ))
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(503, { headers: { "content-length": "0", "x-ci-request-id": "REQ-EMPTY-503" } })
      ))))

    it.effect("keeps the status and request id of an empty 404 without retrying", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(1)
        expect(result).toStrictEqual(Either.left(
          new CiHttpError({ status: 404, requestId: "REQ-EMPTY-404", contentType: undefined, bodyPreview: "" })
        ))
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(404, { headers: { "content-length": "0", "x-ci-request-id": "REQ-EMPTY-404" } })
      ))))

    const gatewayPage =
      "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"

    it.effect("retries a proxy's HTML 502 and reports it as HTTP", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(4)
        expect(result).toStrictEqual(Either.left(
          new CiHttpError({
            status: 502,
            requestId: "REQ-HTML-502",
            contentType: "text/html",
            bodyPreview: gatewayPage
          })
        ))
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(502, {
          body: gatewayPage,
          headers: { "content-type": "text/html", "x-ci-request-id": "REQ-HTML-502" }
        })
      ))))

    it.effect("leaves the request id undefined when no header carries it", () =>
      Effect.gen(function*() {
        const { result } = yield* cancelOutcome()
        expect(result).toStrictEqual(Either.left(
          new CiHttpError({ status: 502, requestId: undefined, contentType: "text/html", bodyPreview: gatewayPage })
        ))
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(502, { body: gatewayPage, headers: { "content-type": "text/html" } })
      ))))

    it.effect("does not retry a proxy's HTML 403", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(1)
        expect(result).toMatchObject({ left: { _tag: "CiHttpError", status: 403, contentType: "text/html" } })
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(403, {
          body: "<html><body>Forbidden</body></html>",
          headers: { "content-type": "text/html" }
        })
      ))))

    it.effect("accepts an empty Message", () =>
      Effect.gen(function*() {
        const { result } = yield* cancelOutcome()
        expect(result).toStrictEqual(
          Either.left(serviceError({ status: 404, code: "NoSuchKey", requestId: "REQ-404" }))
        )
      }).pipe(Effect.provide(stubLayer(() =>
        xmlError(
          404,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code><Message/><RequestId>REQ-404</RequestId></Error>",
          { "x-ci-request-id": "REQ-404" }
        )
      ))))

    it.effect("takes the request id from x-ci-request-id when the body has none", () =>
      Effect.gen(function*() {
        const { result } = yield* cancelOutcome()
        expect(result).toStrictEqual(
          Either.left(serviceError({ status: 404, code: "NoSuchKey", requestId: "REQ-404" }))
        )
      }).pipe(
        Effect.provide(stubLayer(() =>
          xmlError(404, "<Error><Code>NoSuchKey</Code><Message/></Error>", { "x-ci-request-id": "REQ-404" })
        ))
      ))

    it.effect("takes the request id from x-cos-request-id as a last resort", () =>
      Effect.gen(function*() {
        const { result } = yield* cancelOutcome()
        expect(result).toStrictEqual(
          Either.left(serviceError({ status: 404, code: "NoSuchKey", requestId: "REQ-COS" }))
        )
      }).pipe(
        Effect.provide(stubLayer(() =>
          xmlError(404, "<Error><Code>NoSuchKey</Code><Message/></Error>", { "x-cos-request-id": "REQ-COS" })
        ))
      ))

    it.effect("prefers the body's request id over the header's", () =>
      Effect.gen(function*() {
        const { result } = yield* cancelOutcome()
        expect(result).toMatchObject({ left: { requestId: "REQ-BODY" } })
      }).pipe(Effect.provide(stubLayer(() =>
        xmlError(404, errorXml("NoSuchKey", "gone", "REQ-BODY"), { "x-ci-request-id": "REQ-HEADER" })
      ))))

    it.effect("keeps an unknown code under the generic tag", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(1)
        expect(result).toStrictEqual(Either.left(
          serviceError({ status: 400, code: "SomeFutureCode", message: "new failure", requestId: "REQ-UNK" })
        ))
        expect(result).toMatchObject({ left: { _tag: "CiServiceError" } })
      }).pipe(Effect.provide(stubLayer(() =>
        xmlError(400, errorXml("SomeFutureCode", "new failure", "REQ-UNK"), { "x-ci-request-id": "REQ-UNK" })
      ))))
  })

  describe("transport", () => {
    it.effect("reports a refused connection once, as Other", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* cancelOutcome()
        expect(sent).toHaveLength(1)
        expect(result).toStrictEqual(Either.left(
          new CiTransportError({
            reason: "Other",
            method: "PUT",
            url: cancelUrl,
            description: `connect ECONNREFUSED ${ciHost}`,
            cause: (Either.getLeft(result).pipe((option) =>
              option._tag === "Some" ? option.value : undefined
            ) as CiTransportError)
              .cause
          })
        ))
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.refuse))))
  })
})
