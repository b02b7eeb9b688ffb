import * as Redacted from "effect/Redacted"
import type * as Signer from "../Signer.js"
import { canonicalKey, canonicalValue, hmacSha1Hex, type ParameterValue } from "./canonical.js"
import * as Sha1 from "./sha1.js"

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

// Bounded caches of per-name work. A client signs the same few header and parameter names over and
// over, while a program that signs arbitrary names only loses the speed-up.
const maxCachedNames = 256

const canonicalKeys = new Map<string, string>()

const cachedCanonicalKey = (name: string): string => {
  let key = canonicalKeys.get(name)
  if (key === undefined) {
    key = canonicalKey(name)
    if (canonicalKeys.size >= maxCachedNames) {
      canonicalKeys.clear()
    }
    canonicalKeys.set(name, key)
  }
  return key
}

// The canonical key of each header name, or null for a name the default filter does not sign.
const defaultHeaderKeys = new Map<string, string | null>()

const defaultHeaderKey = (name: string): string | null => {
  let key = defaultHeaderKeys.get(name)
  if (key === undefined) {
    key = isSignableHeader(name) ? canonicalKey(name) : null
    if (defaultHeaderKeys.size >= maxCachedNames) {
      defaultHeaderKeys.clear()
    }
    defaultHeaderKeys.set(name, key)
  }
  return key
}

/** Canonical keys and values of the signed headers or parameters, in the order they are signed. */
interface CanonicalList {
  readonly keys: Array<string>
  readonly values: Array<string>
}

/**
 * Sorts by the encoded, lower-cased key, as the published algorithm and the Go, Python and Java SDKs
 * do. An insertion sort is stable, so keys that collide after lower-casing keep their input order,
 * and it is the fastest sort for the handful of entries a request has. Encoded keys are pure ASCII,
 * so comparing UTF-16 code units is byte order.
 */
const sortByKey = ({ keys, values }: CanonicalList): void => {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]
    const value = values[i]
    let j = i - 1
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j]
      values[j + 1] = values[j]
      j -= 1
    }
    keys[j + 1] = key
    values[j + 1] = value
  }
}

const canonicalParameters = (query: Readonly<Record<string, ParameterValue>> | undefined): CanonicalList => {
  const list: CanonicalList = { keys: [], values: [] }
  if (query !== undefined) {
    for (const name of Object.keys(query)) {
      list.keys.push(cachedCanonicalKey(name))
      list.values.push(canonicalValue(query[name]))
    }
  }
  sortByKey(list)
  return list
}

const canonicalHeaders = (
  headers: Readonly<Record<string, ParameterValue>> | undefined,
  shouldSign: ((name: string) => boolean) | undefined
): CanonicalList => {
  const list: CanonicalList = { keys: [], values: [] }
  if (headers !== undefined) {
    for (const name of Object.keys(headers)) {
      const key = shouldSign === undefined ?
        defaultHeaderKey(name) :
        shouldSign(name) ?
        cachedCanonicalKey(name) :
        null
      if (key !== null) {
        list.keys.push(key)
        list.values.push(canonicalValue(headers[name]))
      }
    }
  }
  sortByKey(list)
  return list
}

/** Joins the `key=value` pairs with `&`, which makes one line of the HttpString. */
const joinPairs = ({ keys, values }: CanonicalList): string => {
  let pairs = ""
  for (let i = 0; i < keys.length; i++) {
    pairs += i === 0 ? `${keys[i]}=${values[i]}` : `&${keys[i]}=${values[i]}`
  }
  return pairs
}

/** The SignKey of one key time, with its HMAC key schedule and the `<start>;<end>` text. */
interface KeyTimeEntry {
  readonly start: number
  readonly end: number
  readonly keyTime: string
  readonly signKey: Sha1.HmacKey
}

// The SignKey depends only on the secret and the key time, which a client reuses for every request
// signed within the same second. Keep the last one per secret. The WeakMap lets a dropped secret be
// collected together with its entry.
const lastKeyTime = new WeakMap<Redacted.Redacted<string>, KeyTimeEntry>()

const keyTimeEntry = (secretKey: Redacted.Redacted<string>, start: number, end: number): KeyTimeEntry => {
  const cached = lastKeyTime.get(secretKey)
  if (cached !== undefined && cached.start === start && cached.end === end) {
    return cached
  }
  const keyTime = `${start};${end}`
  // The second HMAC is keyed with SignKey's hex text, not its raw bytes.
  const signKey = Sha1.hmacKey(hmacSha1Hex(Redacted.value(secretKey), keyTime))
  const entry: KeyTimeEntry = { start, end, keyTime, signKey }
  lastKeyTime.set(secretKey, entry)
  return entry
}

// The SecretId and the key time are written into the Authorization value as they are, so a stray
// "&", "=" or ";" would add or split fields there.
const secretIdPattern = /^[\x21-\x7e]+$/
const authorizationSeparators = /[&=;]/
// An HTTP method is a token (RFC 9110): letters, digits and a few symbols, such as M-SEARCH.
const methodPattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

// Every check below is pure, so a value that passed once passes again.
let lastValidSecretId = ""
const lowerCaseMethods = new Map<string, string>()

const validateSecretId = (secretId: string): void => {
  if (secretId === lastValidSecretId) {
    return
  }
  if (!secretIdPattern.test(secretId) || authorizationSeparators.test(secretId)) {
    throw new TypeError("secretId must be printable ASCII without spaces, \"&\", \"=\" or \";\"")
  }
  lastValidSecretId = secretId
}

const validateKeyTime = ({ end, start }: Signer.KeyTime): void => {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end) {
    throw new RangeError(`keyTime must be whole Unix seconds with 0 <= start <= end, got ${start};${end}`)
  }
}

/** Checks the method and returns it in lower case, as the HttpString has it. */
const lowerCaseMethod = (method: string): string => {
  let lower = lowerCaseMethods.get(method)
  if (lower === undefined) {
    if (!methodPattern.test(method)) {
      throw new TypeError(`method must be an HTTP method name, got ${JSON.stringify(method)}`)
    }
    lower = method.toLowerCase()
    if (lowerCaseMethods.size >= maxCachedNames) {
      lowerCaseMethods.clear()
    }
    lowerCaseMethods.set(method, lower)
  }
  return lower
}

/** Everything a signature is made of, before the Authorization value is assembled. */
interface Parts {
  readonly keyTime: string
  readonly headerList: string
  readonly urlParamList: string
  readonly httpString: string
  /** The first two lines of the StringToSign, which the hex SHA-1 of the HttpString follows. */
  readonly stringToSignHead: string
  readonly signature: string
}

// Scratch space for the SHA-1 of the HttpString, which only lives until the HMAC has read it.
const httpStringSha1: Sha1.State = new Int32Array(5)

const computeParts = (input: Signer.SignInput): Parts => {
  validateSecretId(input.secretId)
  validateKeyTime(input.keyTime)
  const method = lowerCaseMethod(input.method)
  const entry = keyTimeEntry(input.secretKey, input.keyTime.start, input.keyTime.end)

  const parameters = canonicalParameters(input.query)
  const headers = canonicalHeaders(input.headers, input.shouldSignHeader)

  // The path is signed decoded, exactly as the resource name, with a leading slash.
  const pathname = input.pathname.startsWith("/") ? input.pathname : `/${input.pathname}`
  const httpString = `${method}\n${pathname}\n${joinPairs(parameters)}\n${joinPairs(headers)}\n`
  const stringToSignHead = `sha1\n${entry.keyTime}\n`
  Sha1.sha1(httpString, httpStringSha1)

  return {
    keyTime: entry.keyTime,
    headerList: headers.keys.join(";"),
    urlParamList: parameters.keys.join(";"),
    httpString,
    stringToSignHead,
    signature: Sha1.hmacHex(entry.signKey, stringToSignHead, httpStringSha1, "\n")
  }
}

const formatAuthorization = (secretId: string, parts: Parts): string =>
  `q-sign-algorithm=sha1&q-ak=${secretId}&q-sign-time=${parts.keyTime}&q-key-time=${parts.keyTime}` +
  `&q-header-list=${parts.headerList}&q-url-param-list=${parts.urlParamList}&q-signature=${parts.signature}`

/** @internal */
export const computeSignature = (input: Signer.SignInput): Signer.Signature => {
  const parts = computeParts(input)
  return {
    keyTime: parts.keyTime,
    headerList: parts.headerList,
    urlParamList: parts.urlParamList,
    httpString: parts.httpString,
    stringToSign: `${parts.stringToSignHead}${Sha1.sha1Hex(parts.httpString)}\n`,
    signature: parts.signature,
    authorization: formatAuthorization(input.secretId, parts)
  }
}

/** @internal */
export const sign = (input: Signer.SignInput): string => formatAuthorization(input.secretId, computeParts(input))
