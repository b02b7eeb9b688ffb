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

/**
 * Returns the base URL for the bucket: the public CI host over https, or the override.
 * An override must be a bare origin (scheme, host, optional port) so that no part of the
 * request path or query can come from configuration.
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
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return invalid("endpoint", endpoint, "must be an absolute URL such as \"http://127.0.0.1:8080\"")
  }

  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return invalid("endpoint", endpoint, "must use http or https")
  }
  if (url.username !== "" || url.password !== "") {
    return invalid("endpoint", endpoint, "must not contain user information")
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || /[?#]/.test(endpoint)) {
    return invalid("endpoint", endpoint, "must be an origin without a path, query or fragment")
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
