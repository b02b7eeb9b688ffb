import * as Crypto from "node:crypto"

/** @internal */
export type ParameterValue = string | number | boolean | null | undefined

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

/** @internal */
export const hmacSha1Hex = (key: string, message: string): string =>
  Crypto.createHmac("sha1", key).update(message, "utf8").digest("hex")
