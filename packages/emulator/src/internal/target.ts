import * as Signer from "@effect-cos/signer/Signer"
import * as Either from "effect/Either"
import { type CiError, invalidArgument } from "./response.js"

/**
 * A request target split into its decoded parts.
 *
 * @internal
 */
export interface Target {
  /** The path with each segment percent-decoded, as the signature covers it. */
  readonly path: string
  /** The decoded path segments after the leading slash; `/a/b%2Fc` gives `["a", "b/c"]`. */
  readonly segments: ReadonlyArray<string>
  /** Query parameters in request order, decoded. A value-less `?cancel` has the value `""`. */
  readonly query: ReadonlyArray<readonly [string, string]>
}

/**
 * Returns the raw path of a request target, without the query.
 *
 * @internal
 */
export const rawPathOf = (url: string): string => {
  const queryStart = url.indexOf("?")
  return queryStart < 0 ? url : url.slice(0, queryStart)
}

const decode = (text: string, what: string): Either.Either<string, CiError> => {
  try {
    return Either.right(decodeURIComponent(text))
  } catch {
    return Either.left(invalidArgument(`${what} contains a malformed percent-escape: "${text}"`))
  }
}

/**
 * Splits and decodes a raw request target. Decoding uses `decodeURIComponent`, so `+` stays a
 * plus sign, as the signature expects. `URLSearchParams` would turn it into a space. A parameter
 * repeated under the same signed name is rejected, because the signature can cover only one value.
 *
 * @internal
 */
export const parseTarget = (url: string): Either.Either<Target, CiError> =>
  Either.gen(function*() {
    if (!url.startsWith("/")) {
      return yield* Either.left(invalidArgument(`the request target must start with "/", got "${url}"`))
    }

    const rawPath = rawPathOf(url)
    const rawSegments = rawPath.slice(1).split("/")
    const segments: Array<string> = []
    for (const segment of rawSegments) {
      segments.push(yield* decode(segment, "the request path"))
    }

    const query: Array<readonly [string, string]> = []
    const seen = new Set<string>()
    const rawQuery = url.slice(rawPath.length + 1)
    for (const part of rawQuery === "" ? [] : rawQuery.split("&")) {
      if (part === "") {
        continue
      }
      const separator = part.indexOf("=")
      const name = yield* decode(separator < 0 ? part : part.slice(0, separator), "a query parameter name")
      const value = separator < 0 ? "" : yield* decode(part.slice(separator + 1), "a query parameter value")

      const key = Signer.canonicalKey(name)
      if (seen.has(key)) {
        return yield* Either.left(invalidArgument(`query parameter "${name}" appears more than once`))
      }
      seen.add(key)
      query.push([name, value])
    }

    return { path: `/${segments.join("/")}`, segments, query }
  })
