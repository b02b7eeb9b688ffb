import * as Redacted from "effect/Redacted"
import type * as Signer from "../Signer.js"
import { canonicalize, hmacSha1Hex, type ParameterValue, sha1Hex } from "./canonical.js"

// Headers that every official SDK (Node 3.0.0, Python, Java) agrees may be signed. Anything a proxy
// or the HTTP stack adds on its own (user-agent, accept*, connection, date) is deliberately absent.
const signableHeaderNames: ReadonlySet<string> = new Set([
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-length",
  "content-md5",
  "content-type",
  "expect",
  "expires",
  "host",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-unmodified-since",
  "origin",
  "pic-operations",
  "range",
  "transfer-encoding"
])

/** @internal */
export const signableHeaders: ReadonlyArray<string> = Array.from(signableHeaderNames)

/** @internal */
export const isSignableHeader = (name: string): boolean => {
  const lower = name.toLowerCase()
  return signableHeaderNames.has(lower) || lower.startsWith("x-cos-") || lower.startsWith("x-ci-")
}

/** @internal */
export const formatKeyTime = (keyTime: Signer.KeyTime): string => `${keyTime.start};${keyTime.end}`

/** @internal */
export const signKey = (secretKey: Redacted.Redacted<string>, keyTime: Signer.KeyTime): Redacted.Redacted<string> =>
  Redacted.make(hmacSha1Hex(Redacted.value(secretKey), formatKeyTime(keyTime)))

const selectHeaders = (
  headers: Readonly<Record<string, ParameterValue>>,
  shouldSign: (name: string) => boolean
): Array<readonly [string, ParameterValue]> => {
  const selected: Array<readonly [string, ParameterValue]> = []
  for (const name of Object.keys(headers)) {
    if (shouldSign(name)) {
      selected.push([name, headers[name]])
    }
  }
  return selected
}

// The SignKey depends only on the secret and the key time, which a client reuses for every request
// signed within the same second. Remember the last one per secret; the WeakMap lets a dropped
// secret be collected together with its entry.
const lastSignKey = new WeakMap<Redacted.Redacted<string>, { readonly keyTime: string; readonly signKey: string }>()

const cachedSignKey = (secretKey: Redacted.Redacted<string>, keyTime: string): string => {
  const cached = lastSignKey.get(secretKey)
  if (cached !== undefined && cached.keyTime === keyTime) {
    return cached.signKey
  }
  const signKey = hmacSha1Hex(Redacted.value(secretKey), keyTime)
  lastSignKey.set(secretKey, { keyTime, signKey })
  return signKey
}

// The SecretId and the key time are written into the Authorization value as they are, so a stray
// "&", "=" or ";" would add or split fields there.
const secretIdPattern = /^[\x21-\x7e]+$/
const authorizationSeparators = /[&=;]/

const validateInput = (input: Signer.SignInput): void => {
  if (!secretIdPattern.test(input.secretId) || authorizationSeparators.test(input.secretId)) {
    throw new TypeError("secretId must be printable ASCII without spaces, \"&\", \"=\" or \";\"")
  }
  const { end, start } = input.keyTime
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end) {
    throw new RangeError(`keyTime must be whole Unix seconds with 0 <= start <= end, got ${start};${end}`)
  }
  // An HTTP method is a token (RFC 9110): letters, digits and a few symbols, such as M-SEARCH.
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(input.method)) {
    throw new TypeError(`method must be an HTTP method name, got ${JSON.stringify(input.method)}`)
  }
}

/** @internal */
export const computeSignature = (input: Signer.SignInput): Signer.Signature => {
  validateInput(input)
  const keyTime = formatKeyTime(input.keyTime)
  const key = cachedSignKey(input.secretKey, keyTime)

  const parameters = canonicalize(Object.entries(input.query ?? {}))
  const headers = canonicalize(selectHeaders(input.headers ?? {}, input.shouldSignHeader ?? isSignableHeader))

  // The path is signed decoded, exactly as the resource name, with a leading slash.
  const pathname = input.pathname.startsWith("/") ? input.pathname : `/${input.pathname}`
  const httpString = [input.method.toLowerCase(), pathname, parameters.pairs, headers.pairs, ""].join("\n")
  const stringToSign = ["sha1", keyTime, sha1Hex(httpString), ""].join("\n")

  // The second HMAC is keyed with SignKey's hex text, not its raw bytes.
  const signature = hmacSha1Hex(key, stringToSign)

  const authorization = [
    "q-sign-algorithm=sha1",
    `q-ak=${input.secretId}`,
    `q-sign-time=${keyTime}`,
    `q-key-time=${keyTime}`,
    `q-header-list=${headers.keyList}`,
    `q-url-param-list=${parameters.keyList}`,
    `q-signature=${signature}`
  ].join("&")

  return {
    keyTime,
    headerList: headers.keyList,
    urlParamList: parameters.keyList,
    httpString,
    stringToSign,
    signature,
    authorization
  }
}

/** @internal */
export const sign = (input: Signer.SignInput): string => computeSignature(input).authorization
