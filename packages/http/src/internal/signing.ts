import * as Signer from "@effect-cos/signer/Signer"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { CiInvalidInput } from "../CiError.js"

/**
 * The header that carries an STS session token on CI hosts.
 *
 * @internal
 */
export const securityTokenHeader = "x-ci-security-token"

/**
 * How long a signature stays valid. It only has to outlive one attempt, and a short window limits
 * what a leaked Authorization header is worth.
 *
 * @internal
 */
export const signatureTtlSeconds = 900

/** @internal */
export interface SigningCredentials {
  readonly secretId: string
  readonly secretKey: Redacted.Redacted<string>
  readonly sessionToken?: Redacted.Redacted<string> | undefined
  readonly expiration?: Date | undefined
  /** The header that carries the session token. */
  readonly tokenHeader: string
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    // Not percent-encoded by this client; sign it as it is so that the server reports the mismatch.
    return text
  }
}

const parseQuery = (search: string): Record<string, string> => {
  const query: Record<string, string> = {}
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (part === "") {
      continue
    }
    const separator = part.indexOf("=")
    const key = separator < 0 ? part : part.slice(0, separator)
    query[decode(key)] = separator < 0 ? "" : decode(part.slice(separator + 1))
  }
  return query
}

// What a header value may contain once leading and trailing whitespace is trimmed: visible ASCII,
// spaces and tabs. HTTP stacks reject control characters, and bytes above 0x7e go on the wire as
// Latin-1 while the signature encodes UTF-8, so such a value could never be signed correctly.
const headerValuePattern = /^[\t\x20-\x7e]*$/

// HTTP stacks drop leading and trailing spaces and tabs from header values before sending them.
const trimHeaderValue = (value: string): string => value.replace(/^[\t ]+|[\t ]+$/g, "")

const redactedHeaders: ReadonlySet<string> = new Set(["authorization", "x-ci-security-token", "x-cos-security-token"])

const invalidHeader = (name: string, value: string, reason: string) =>
  Either.left(
    new CiInvalidInput({
      field: `headers.${name}`,
      value: redactedHeaders.has(name) ? "<redacted>" : value,
      reason
    })
  )

/**
 * Returns the request with its `Authorization` header, and the session token when there is one.
 *
 * Host, path and query are signed from the final URL, which is what every HTTP stack sends. Header
 * values are signed and sent trimmed, as HTTP transmits them. A `host` header or a value that cannot
 * be sent as it is signed fails with `CiInvalidInput` instead of a signature the server rejects.
 *
 * @internal
 */
export const signRequest = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  credentials: SigningCredentials,
  nowSeconds: number
): Either.Either<HttpClientRequest.HttpClientRequest, CiInvalidInput> => {
  const extra: Record<string, string> = {}
  if (credentials.sessionToken !== undefined) {
    extra[credentials.tokenHeader] = Redacted.value(credentials.sessionToken)
  }

  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...request.headers, ...extra })) {
    if (name === "host") {
      // fetch ignores a Host header while node:http sends it, so it could not be signed for both.
      return invalidHeader(name, value, "cannot be set: the host is taken from the endpoint URL")
    }
    const trimmed = trimHeaderValue(value)
    if (!headerValuePattern.test(trimmed)) {
      return invalidHeader(name, value, "must contain only visible ASCII characters, spaces and tabs")
    }
    headers[name] = trimmed
  }

  // Start a second early, as the official SDKs do, to absorb a server clock that is slightly behind.
  // A signature never outlives the credentials that made it.
  const start = Math.max(0, Math.floor(nowSeconds) - 1)
  const expiry = credentials.expiration === undefined ? Infinity : Math.floor(credentials.expiration.getTime() / 1000)
  const end = Math.max(start, Math.min(start + signatureTtlSeconds, expiry))
  const authorization = Signer.sign({
    method: request.method,
    pathname: decode(url.pathname),
    query: parseQuery(url.search),
    headers: { ...headers, host: url.host },
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
    keyTime: { start, end }
  })

  return Either.right(HttpClientRequest.setHeaders(request, { ...headers, authorization }))
}
