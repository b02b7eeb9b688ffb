import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Signer from "@effect-cos/signer/Signer"
import * as Redacted from "effect/Redacted"

/** The header that carries an STS session token on CI hosts. */
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

/**
 * Returns the headers to add to a request so that it is signed: `Authorization`, and the session
 * token when there is one. Host, path and query are taken from the final URL, so what is signed is
 * what the HTTP stack sends, whatever the request's own headers contain.
 *
 * @internal
 */
export const signatureHeaders = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  credentials: SigningCredentials,
  nowSeconds: number
): Record<string, string> => {
  const extra: Record<string, string> = {}
  if (credentials.sessionToken !== undefined) {
    extra[securityTokenHeader] = Redacted.value(credentials.sessionToken)
  }

  // Start a second early, as the official SDKs do, to absorb a server clock that is slightly behind.
  const start = Math.floor(nowSeconds) - 1
  const headers: Record<string, string> = { ...request.headers, ...extra, host: url.host }

  const authorization = Signer.sign({
    method: request.method,
    pathname: decode(url.pathname),
    query: parseQuery(url.search),
    headers,
    secretId: credentials.secretId,
    secretKey: credentials.secretKey,
    keyTime: { start, end: start + signatureTtlSeconds }
  })

  return { ...extra, authorization }
}
