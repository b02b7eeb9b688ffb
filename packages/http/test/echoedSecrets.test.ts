import * as CiClient from "@effect-cos/http/CiClient"
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
