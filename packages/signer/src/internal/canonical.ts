import * as Crypto from "node:crypto"

/** @internal */
export type ParameterValue = string | number | boolean | null | undefined

/** @internal */
export interface CanonicalList {
  /** Encoded, lower-cased keys joined by `;` (the `q-header-list` or `q-url-param-list` value). */
  readonly keyList: string
  /** `key=value` pairs joined by `&` (one line of the HttpString). */
  readonly pairs: string
}

const unreserved = /^[A-Za-z0-9\-_.~]*$/

/**
 * Percent-encodes a string the way the COS signature expects: UTF-8 bytes, upper-case hex,
 * everything except `A-Z a-z 0-9 - _ . ~` escaped, so space is `%20` and `!'()*` are escaped too.
 *
 * @internal
 */
export const encode = (value: string): string => {
  if (unreserved.test(value)) {
    return value
  }
  // encodeURIComponent leaves `!'()*` alone; the signature requires them escaped.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => "%" + char.charCodeAt(0).toString(16).toUpperCase()
  )
}

/** @internal */
export const canonicalKey = (name: string): string => encode(name).toLowerCase()

/** @internal */
export const canonicalValue = (value: ParameterValue): string =>
  value === null || value === undefined ? "" : encode(String(value))

/**
 * Builds the key list and the `key=value` line for a set of parameters or headers.
 * Both are ordered by the encoded, lower-cased key, as the published algorithm and the Go,
 * Python and Java SDKs do. The sort is stable, so keys that collide after lower-casing keep
 * their input order.
 *
 * @internal
 */
export const canonicalize = (entries: Iterable<readonly [string, ParameterValue]>): CanonicalList => {
  const items: Array<{ readonly key: string; readonly value: string }> = []
  for (const [name, value] of entries) {
    items.push({ key: canonicalKey(name), value: canonicalValue(value) })
  }

  // Encoded keys are pure ASCII, so comparing UTF-16 code units is byte order.
  items.sort((a, b) => {
    if (a.key === b.key) {
      return 0
    }
    return a.key < b.key ? -1 : 1
  })

  return {
    keyList: items.map((item) => item.key).join(";"),
    pairs: items.map((item) => `${item.key}=${item.value}`).join("&")
  }
}

/** @internal */
export const hmacSha1Hex = (key: string, message: string): string =>
  Crypto.createHmac("sha1", key).update(message, "utf8").digest("hex")

/** @internal */
export const sha1Hex = (message: string): string => Crypto.createHash("sha1").update(message, "utf8").digest("hex")
