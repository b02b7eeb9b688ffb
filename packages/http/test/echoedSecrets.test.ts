import * as CiClient from "@effect-cos/http/CiClient"
import { CiHttpError, CiServiceError } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as Signer from "@effect-cos/signer/Signer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import { errorXml, jobId, options, runWithClock, stubLayer } from "./fixtures.js"

// A server or proxy can quote what it received, such as the signed headers of a request, session
// token included. Errors must not pass such quotes on.

const token = "Token+/=with-encoded-characters"

const temporaryOptions: Partial<CiClient.CiClientOptions> = {
  credentials: { ...options.credentials as CiClient.Credentials, sessionToken: Redacted.make(token) },
  retrySchedule: Schedule.stop
}

const cancel = Effect.flatMap(
  CiClient.CiClient,
  (client) => client.send({ method: "PUT", path: ["inventorytriggerjob", jobId], query: { cancel: "" } })
)

/** Replies with `status` and a body built from the request it responds to. */
const echo = (
  status: number,
  body: (request: TestHttpClient.RecordedRequest) => string,
  contentType = "application/xml"
) =>
  stubLayer(
    (request) => TestHttpClient.respond(status, { body: body(request), headers: { "content-type": contentType } }),
    temporaryOptions
  )

const quoted = (request: TestHttpClient.RecordedRequest) =>
  `token ${token}, encoded ${Signer.encode(token)}, authorization ${request.headers["authorization"]}`

// The Authorization value contains "&", which an XML document must escape.
const quotedXml = (request: TestHttpClient.RecordedRequest) => quoted(request).replaceAll("&", "&amp;")

/** Returns the secrets that `text` still contains. */
const leaks = (text: string) => [token, Signer.encode(token), "q-signature="].filter((secret) => text.includes(secret))

describe("secrets quoted by the server", () => {
  it.effect("are redacted in a CiServiceError", () =>
    Effect.gen(function*() {
      const error = yield* runWithClock(cancel).pipe(Effect.flip)

      expect(error).toMatchObject({ _tag: "CiServiceError", status: 403, code: "SignatureDoesNotMatch" })
      expect(error.message).toBe("token <redacted>, encoded <redacted>, authorization <redacted>")
      expect(leaks(error.message)).toStrictEqual([])
    }).pipe(Effect.provide(echo(403, (request) => errorXml("SignatureDoesNotMatch", quotedXml(request))))))

  it.effect("are redacted in a CiServiceError inside a 2xx", () =>
    Effect.gen(function*() {
      const error = yield* runWithClock(cancel).pipe(Effect.flip)

      expect(error).toMatchObject({ _tag: "CiServiceError", status: 200, code: "InternalError" })
      expect(error.message).toBe("token <redacted>, encoded <redacted>, authorization <redacted>")
      expect(leaks(error.message)).toStrictEqual([])
    }).pipe(Effect.provide(echo(200, (request) => errorXml("InternalError", quotedXml(request))))))

  it.effect("are redacted in the body preview of a CiHttpError", () =>
    Effect.gen(function*() {
      const error = yield* runWithClock(cancel).pipe(Effect.flip)

      const preview = error._tag === "CiHttpError" ? error.bodyPreview : ""
      expect(error).toMatchObject({ _tag: "CiHttpError", status: 502 })
      expect(preview).toBe(
        "<html>token <redacted>, encoded <redacted>, authorization <redacted></html>"
      )
    }).pipe(Effect.provide(echo(502, (request) => `<html>${quoted(request)}</html>`, "text/html"))))

  it.effect("are redacted when the preview would cut them", () =>
    Effect.gen(function*() {
      const error = yield* runWithClock(cancel).pipe(Effect.flip)
      const preview = error._tag === "CiHttpError" ? error.bodyPreview : ""

      // The token starts 250 characters in, so a preview cut at 256 characters before redacting
      // would keep its first six characters.
      expect(preview).toBe(`${"x".repeat(250)}<redac…`)
    }).pipe(Effect.provide(echo(503, () => `${"x".repeat(250)}${token}`, "text/plain"))))

  it.effect("leave an error that quotes nothing unchanged", () =>
    Effect.gen(function*() {
      const error = yield* runWithClock(cancel).pipe(Effect.flip)

      expect(error).toMatchObject({ _tag: "CiServiceError", code: "AccessDenied", message: "Access Denied." })
    }).pipe(Effect.provide(echo(403, () => errorXml("AccessDenied", "Access Denied.")))))
})

describe("secrets quoted in another encoding", () => {
  const stsToken = "STSTOKEN/ab+cd==&x"

  const everyCharacter = (text: string, replace: (code: number) => string) =>
    text.replace(/[^A-Za-z0-9]/g, (character) => replace(character.charCodeAt(0)))

  const encodings: ReadonlyArray<readonly [string, (text: string) => string]> = [
    ["HTML-escaped", (text) => text.replaceAll("&", "&amp;")],
    ["written as decimal character references", (text) => everyCharacter(text, (code) => `&#${code};`)],
    [
      "written as hex character references",
      (text) => everyCharacter(text, (code) => `&#x${code.toString(16).toUpperCase()};`)
    ],
    [
      "written as lower-case hex character references",
      (text) => everyCharacter(text, (code) => `&#x${code.toString(16)};`)
    ],
    ["JSON-escaped", (text) => JSON.stringify(text).slice(1, -1).replaceAll("/", "\\/")],
    [
      "written as JSON \\u escapes",
      (text) => everyCharacter(text, (code) => `\\u${code.toString(16).padStart(4, "0")}`)
    ],
    ["percent-encoded", Signer.encode],
    [
      "percent-encoded in lower case",
      (text) => Signer.encode(text).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())
    ]
  ]

  const stsOptions: Partial<CiClient.CiClientOptions> = {
    credentials: { ...options.credentials as CiClient.Credentials, sessionToken: Redacted.make(stsToken) },
    retrySchedule: Schedule.stop
  }

  /** Sends a cancel, and returns its error and the requests the stub received. */
  const cancelFailure = Effect.gen(function*() {
    const error = yield* Effect.flip(runWithClock(cancel))
    const sent = yield* TestHttpClient.requests
    return { error, sent }
  })

  /** Lists the forms of the token and of the Authorization value that no rendering of an error may contain. */
  const secretForms = (authorization: string) => {
    const signature = /q-signature=([0-9a-f]+)/.exec(authorization)![1]
    return [
      stsToken,
      authorization,
      signature,
      ...encodings.flatMap(([, encode]) => [encode(stsToken), encode(authorization)])
    ]
  }

  const expectRedacted = (renderings: ReadonlyArray<string>, authorization: string) => {
    for (const rendering of renderings) {
      for (const secret of secretForms(authorization)) {
        expect(rendering).not.toContain(secret)
      }
    }
  }

  for (const [name, encode] of encodings) {
    it.effect(`are redacted when ${name}`, () =>
      Effect.gen(function*() {
        const { error, sent } = yield* cancelFailure
        const authorization = sent[0].headers["authorization"]

        expect(error).toStrictEqual(
          new CiHttpError({
            status: 400,
            requestId: undefined,
            contentType: "text/html",
            bodyPreview: "<html><p>token <redacted></p><p>authorization <redacted></p></html>"
          })
        )
        expect(sent).toHaveLength(1)
        const preview = error._tag === "CiHttpError" ? error.bodyPreview : ""
        expectRedacted([String(error), JSON.stringify(error), error.message, preview], authorization)
      }).pipe(Effect.provide(stubLayer(
        (request) =>
          TestHttpClient.respond(400, {
            headers: { "content-type": "text/html" },
            body: `<html><p>token ${encode(stsToken)}</p>` +
              `<p>authorization ${encode(request.headers["authorization"])}</p></html>`
          }),
        stsOptions
      ))))
  }

  it.effect("are redacted in a CiServiceError message in mixed encodings", () =>
    Effect.gen(function*() {
      const { error, sent } = yield* cancelFailure
      const authorization = sent[0].headers["authorization"]

      expect(error).toStrictEqual(
        new CiServiceError({
          status: 400,
          code: "InvalidToken",
          message: "token <redacted>, again <redacted>, authorization <redacted>",
          requestId: undefined,
          traceId: undefined,
          resource: undefined
        })
      )
      expect(sent).toHaveLength(1)
      expectRedacted([String(error), JSON.stringify(error), error.message], authorization)
    }).pipe(Effect.provide(stubLayer(
      (request) => {
        // Percent-encoded "/" in lower case next to a raw "+", then the token JSON-escaped. In the
        // XML document "&amp;" stands for "&", so the message quotes the Authorization HTML-escaped.
        const mixed = stsToken.replace("/", "%2f")
        const quoted = `token ${mixed}, again ${stsToken.replaceAll("/", "\\/")}, authorization ` +
          request.headers["authorization"].replaceAll("&", "&amp;amp;")
        return TestHttpClient.respond(400, {
          headers: { "content-type": "application/xml" },
          body: errorXml("InvalidToken", quoted.replaceAll("&x", "&amp;x"))
        })
      },
      stsOptions
    ))))
})
