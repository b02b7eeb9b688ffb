import type * as Headers from "@effect/platform/Headers"
import * as Either from "effect/Either"
import { CiHttpError, CiServiceError } from "../CiError.js"
import * as CiXml from "../CiXml.js"

/** How much of an unusable body an error keeps. */
const previewLength = 256

/** @internal */
export interface Exchange {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: string
  /**
   * Values the request carried that must not come back in an error: the session token and the
   * Authorization value. A server or proxy can quote what it received, such as the signed headers
   * in a SignatureDoesNotMatch message.
   */
  readonly sentSecrets?: ReadonlyArray<string> | undefined
}

const header = (headers: Headers.Headers, name: string): string | undefined => {
  const value = headers[name]
  return value === undefined || value === "" ? undefined : value
}

// HTTP stacks join a repeated header with ", ". CI's request ids are base64 text without commas, so
// the first value is one whole id.
const firstValue = (value: string | undefined): string | undefined => {
  if (value === undefined) {
    return undefined
  }
  const first = value.split(",")[0].trim()
  return first === "" ? undefined : first
}

/**
 * CI puts its request id in `x-ci-request-id`; requests that pass through COS front ends carry
 * `x-cos-request-id` instead.
 *
 * @internal
 */
export const requestIdHeader = (headers: Headers.Headers): string | undefined =>
  firstValue(header(headers, "x-ci-request-id")) ?? firstValue(header(headers, "x-cos-request-id"))

/** @internal */
export const preview = (body: string): string =>
  body.length <= previewLength ? body : `${body.slice(0, previewLength)}…`

const nonEmpty = (value: string | undefined): string | undefined => (value === "" ? undefined : value)

// Gateways in front of CI sometimes reply in JSON. The Go SDK accepts the same shape.
const parseJsonError = (exchange: Exchange): CiServiceError | undefined => {
  let document: unknown
  try {
    document = JSON.parse(exchange.body)
  } catch {
    return undefined
  }
  if (typeof document !== "object" || document === null) {
    return undefined
  }
  const fields = document as Record<string, unknown>
  const text = (name: string) => (typeof fields[name] === "string" ? fields[name] as string : undefined)
  const code = nonEmpty(text("code") ?? text("Code"))
  if (code === undefined) {
    return undefined
  }
  return new CiServiceError({
    status: exchange.status,
    code,
    message: text("message") ?? text("Message") ?? "",
    requestId: nonEmpty(text("request_id") ?? text("RequestId")) ?? requestIdHeader(exchange.headers),
    traceId: header(exchange.headers, "x-ci-trace-id"),
    resource: undefined
  })
}

/**
 * Reads an `<Error>` document. Only `<Code>` is required: `<Message/>` may be empty and
 * `<RequestId>`, `<TraceId>` and `<Resource>` may be missing, in which case the headers fill in
 * the ids. Returns `undefined` when the body is not such a document.
 *
 * @internal
 */
export const parseServiceError = (exchange: Exchange): CiServiceError | undefined => {
  const contentType = header(exchange.headers, "content-type") ?? ""
  if (contentType.includes("json")) {
    return parseJsonError(exchange)
  }

  const document = CiXml.parse(exchange.body)
  if (Either.isLeft(document)) {
    return undefined
  }
  const error = CiXml.root(document.right, "Error")
  if (error === undefined) {
    return undefined
  }
  const code = nonEmpty(CiXml.text(error, "Code"))
  if (code === undefined) {
    return undefined
  }

  return new CiServiceError({
    status: exchange.status,
    code,
    message: CiXml.text(error, "Message") ?? "",
    requestId: nonEmpty(CiXml.text(error, "RequestId")) ?? requestIdHeader(exchange.headers),
    traceId: nonEmpty(CiXml.text(error, "TraceId")) ?? header(exchange.headers, "x-ci-trace-id"),
    resource: nonEmpty(CiXml.text(error, "Resource"))
  })
}

// A cheap test that keeps the XML parser away from ordinary success bodies. An `<Error>` root may
// follow a byte order mark, white space, the XML declaration, other processing instructions and
// comments, in any number. Each comment or instruction ends at its first `-->` or `?>`, so the
// pattern cannot backtrack into it and runs in time linear in the body.
const errorDocumentStart = /^[\s\uFEFF]*(?:(?:<\?(?:(?!\?>)[\s\S])*\?>|<!--(?:(?!-->)[\s\S])*-->)\s*)*<Error[\s>]/
const mayBeErrorDocument = (body: string): boolean => errorDocumentStart.test(body)

/**
 * Turns a complete response into the body a caller can use, or into the typed error it stands
 * for. Classification goes by status first and only then looks at the body, so no body, however
 * broken, can hide the status.
 *
 * @internal
 */
export const classify = (exchange: Exchange): Either.Either<Exchange, CiServiceError | CiHttpError> => {
  const isSuccess = exchange.status >= 200 && exchange.status < 300

  if (isSuccess) {
    // An empty body, such as the one cancel returns, is never parsed.
    if (exchange.body === "" || !mayBeErrorDocument(exchange.body)) {
      return Either.right(exchange)
    }
    const error = parseServiceError(exchange)
    return error === undefined ? Either.right(exchange) : Either.left(error)
  }

  const error = exchange.body === "" ? undefined : parseServiceError(exchange)
  if (error !== undefined) {
    return Either.left(error)
  }
  return Either.left(
    new CiHttpError({
      status: exchange.status,
      requestId: requestIdHeader(exchange.headers),
      contentType: header(exchange.headers, "content-type"),
      bodyPreview: preview(exchange.body)
    })
  )
}

const redactedText = "<redacted>"

// Matches one hex digit in either case, as percent-encoding and character references allow.
const caselessHex = (code: number, width: number): string =>
  Array.from(
    code.toString(16).padStart(width, "0"),
    (digit) => /[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit
  ).join("")

const escapeRegExp = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")

// The names HTML escapers use for ASCII characters. Any other character is matched by its number.
const characterEntities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&apos;"
}

/**
 * Matches a character of a secret in each form a server or proxy may quote it in: as sent,
 * percent-encoded (upper- or lower-case hex), as an HTML character reference (named, decimal or
 * hex) and JSON-escaped (`\/` or `\u002f`). Letters and digits match only themselves, because no
 * escaper in these formats changes them.
 */
const characterPattern = (character: string): string => {
  if (/^[A-Za-z0-9]$/.test(character)) {
    return character
  }
  const code = character.codePointAt(0)!
  const forms = [
    escapeRegExp(character),
    Array.from(new TextEncoder().encode(character), (byte) => `%${caselessHex(byte, 2)}`).join(""),
    `&#0*${code};`,
    `&#[xX]0*${caselessHex(code, 1)};`
  ]
  const entity = characterEntities[character]
  if (entity !== undefined) {
    forms.push(entity)
  }
  if (code <= 0xffff) {
    forms.push(`\\\\u${caselessHex(code, 4)}`)
  }
  if (character === "/" || character === "\"" || character === "\\") {
    forms.push(`\\\\${escapeRegExp(character)}`)
  }
  return `(?:${forms.join("|")})`
}

/**
 * Builds one pattern that matches any of the secrets in any of the forms of
 * {@link characterPattern}, also when the forms are mixed. Longer secrets come first, so that the
 * whole Authorization value wins over the signature inside it.
 */
const secretsPattern = (secrets: ReadonlyArray<string>): RegExp =>
  new RegExp(
    [...secrets]
      .sort((a, b) => b.length - a.length)
      .map((secret) => Array.from(secret, characterPattern).join(""))
      .join("|"),
    "g"
  )

const redactText = (text: string, secrets: RegExp): string => text.replace(secrets, redactedText)

const redactOptional = (text: string | undefined, secrets: RegExp): string | undefined =>
  text === undefined ? undefined : redactText(text, secrets)

/**
 * Returns the preview of a body for an error message, with every secret the request sent redacted
 * in any of the encodings of {@link characterPattern}.
 *
 * @internal
 */
export const redactedPreview = (body: string, sentSecrets: ReadonlyArray<string> | undefined): string => {
  const sent = (sentSecrets ?? []).filter((secret) => secret !== "")
  return preview(sent.length === 0 ? body : redactText(body, secretsPattern(sent)))
}

/**
 * Replaces the exchange's `sentSecrets` wherever the error of {@link classify} quotes them, in any
 * of the encodings of {@link characterPattern}. The preview is cut again from the redacted body, so
 * that the cut cannot leave the start of a secret behind.
 *
 * @internal
 */
export const redactSecrets = (
  error: CiServiceError | CiHttpError,
  exchange: Exchange
): CiServiceError | CiHttpError => {
  const sent = (exchange.sentSecrets ?? []).filter((secret) => secret !== "")
  if (sent.length === 0) {
    return error
  }
  // Built only for an error, so that a successful response pays nothing for it.
  const secrets = secretsPattern(sent)
  if (error._tag === "CiServiceError") {
    return new CiServiceError({
      status: error.status,
      code: redactText(error.code, secrets),
      message: redactText(error.message, secrets),
      requestId: redactOptional(error.requestId, secrets),
      traceId: redactOptional(error.traceId, secrets),
      resource: redactOptional(error.resource, secrets)
    })
  }
  return new CiHttpError({
    status: error.status,
    requestId: redactOptional(error.requestId, secrets),
    contentType: redactOptional(error.contentType, secrets),
    bodyPreview: preview(redactText(exchange.body, secrets))
  })
}
