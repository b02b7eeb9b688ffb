import * as Signer from "@effect-cos/signer/Signer"
import * as Either from "effect/Either"
import type { CiInvalidInput } from "../CiError.js"
import { describeValue, invalid, requireString, typeName } from "./options.js"

// Both values become labels of the host name, so anything outside a DNS label could move the
// request to another host: `.` adds labels, `/`, `@`, `:` and `?` end the authority.
const bucketPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+$/
const regionPattern = /^[a-z]+(?:-[a-z0-9]+)+$/
const maxLabelLength = 63

/** @internal */
export const validateBucket = (value: unknown): Either.Either<string, CiInvalidInput> => {
  const checked = requireString("bucket", value)
  if (Either.isLeft(checked)) {
    return checked
  }
  const bucket = checked.right
  if (bucket.length === 0 || bucket.length > maxLabelLength) {
    return invalid("bucket", bucket, `must be 1 to ${maxLabelLength} characters`)
  }
  if (!bucketPattern.test(bucket)) {
    return invalid(
      "bucket",
      bucket,
      "must be <BucketName>-<APPID>: lower-case letters, digits and \"-\", ending in \"-\" and the numeric APPID"
    )
  }
  return Either.right(bucket)
}

/** @internal */
export const validateRegion = (value: unknown): Either.Either<string, CiInvalidInput> => {
  const checked = requireString("region", value)
  if (Either.isLeft(checked)) {
    return checked
  }
  const region = checked.right
  if (region.length === 0 || region.length > maxLabelLength) {
    return invalid("region", region, `must be 1 to ${maxLabelLength} characters`)
  }
  if (!regionPattern.test(region)) {
    return invalid(
      "region",
      region,
      "must be a region id such as \"ap-guangzhou\": lower-case letters, digits and \"-\""
    )
  }
  return Either.right(region)
}

// The scheme, the authority and the rest of an absolute URL, found in the text without parsing it.
// Like the URL parser, the pattern skips leading controls and spaces and also ends the authority at
// a backslash.
const authorityPattern = /^([\u0000-\u0020]*[A-Za-z][A-Za-z0-9+.-]*:[/\\]*)([^/?#\\]*)(.*)$/s

const redactedUserInfo = "<redacted>"

/**
 * Replaces the user information of an endpoint, which may contain a password, with `<redacted>`, so
 * that an error can quote the rest. The text need not be a valid URL.
 */
const redactUserInfo = (endpoint: string): string => {
  // The URL parser drops tabs and line breaks anywhere, so they cannot hide the user information.
  const parts = authorityPattern.exec(endpoint.replace(/[\t\n\r]/g, ""))
  if (parts === null) {
    return endpoint
  }
  const [, scheme, authority, rest] = parts
  // The user information ends at the last "@", because a password may contain "@" too.
  const at = authority.lastIndexOf("@")
  return at === -1 ? endpoint : `${scheme}${redactedUserInfo}${authority.slice(at)}${rest}`
}

const maxPort = 65535

// Whether the URL parser rejected an endpoint for its port alone: the digits after the host are
// above 65535, and the same text without them parses.
const hasOutOfRangePort = (endpoint: string): boolean => {
  const parts = authorityPattern.exec(endpoint)
  if (parts === null) {
    return false
  }
  const [, scheme, authority, rest] = parts
  const port = /:(\d+)$/.exec(authority)
  return port !== null && Number(port[1]) > maxPort &&
    URL.canParse(`${scheme}${authority.slice(0, port.index)}${rest}`)
}

const portReason = `must have a port from 1 to ${maxPort}`

/**
 * Returns the base URL for the bucket: the public CI host over https, or the override.
 * An override must be a bare origin (scheme, host, optional port) so that no part of the
 * request path or query can come from configuration. An error quotes the override with its
 * user information, if any, redacted.
 *
 * @internal
 */
export const resolveEndpoint = (options: {
  readonly bucket: string
  readonly region: string
  readonly endpoint?: unknown
}): Either.Either<URL, CiInvalidInput> => {
  if (options.endpoint === undefined) {
    return Either.right(new URL(`https://${options.bucket}.ci.${options.region}.myqcloud.com`))
  }
  if (typeof options.endpoint !== "string") {
    return invalid("endpoint", describeValue(options.endpoint), `must be a string, not ${typeName(options.endpoint)}`)
  }

  const endpoint = options.endpoint
  const redactedEndpoint = redactUserInfo(endpoint)
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return hasOutOfRangePort(endpoint) ?
      invalid("endpoint", redactedEndpoint, portReason) :
      invalid("endpoint", redactedEndpoint, "must be an absolute URL such as \"http://127.0.0.1:8080\"")
  }

  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return invalid("endpoint", redactedEndpoint, "must use http or https")
  }
  if (url.username !== "" || url.password !== "") {
    // Should the pattern miss what the parser found, the value is rebuilt from the parsed URL.
    const value = redactedEndpoint === endpoint ?
      `${url.protocol}//${redactedUserInfo}@${url.host}${url.pathname}${url.search}${url.hash}` :
      redactedEndpoint
    return invalid("endpoint", value, "must not contain user information")
  }
  // The URL parser accepts port 0, which no connection can reach.
  if (url.port === "0") {
    return invalid("endpoint", redactedEndpoint, portReason)
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || /[?#]/.test(endpoint)) {
    return invalid("endpoint", redactedEndpoint, "must be an origin without a path, query or fragment")
  }
  return Either.right(new URL(url.origin))
}

/**
 * Checks that a path segment or query value can be sent and signed: a lone UTF-16 surrogate has no
 * UTF-8 form, so it can be neither percent-encoded nor signed.
 *
 * @internal
 */
export const validateText = (field: string, value: string): Either.Either<string, CiInvalidInput> =>
  value.isWellFormed() ? Either.right(value) : invalid(field, value, "contains a lone UTF-16 surrogate")

/**
 * Builds the request URL from unencoded path segments and query parameters. Everything is encoded
 * with the signature's own encoding, so the path and query on the wire decode to exactly what is
 * signed. A parameter whose value is `""` is sent as a bare key (`?cancel`).
 *
 * @internal
 */
export const buildUrl = (
  endpoint: URL,
  segments: ReadonlyArray<string>,
  query: Readonly<Record<string, string>>
): string => {
  const path = segments.map(Signer.encode).join("/")
  const parameters = Object.entries(query).map(([key, value]) =>
    value === "" ? Signer.encode(key) : `${Signer.encode(key)}=${Signer.encode(value)}`
  )
  const search = parameters.length === 0 ? "" : `?${parameters.join("&")}`
  return `${endpoint.origin}/${path}${search}`
}
