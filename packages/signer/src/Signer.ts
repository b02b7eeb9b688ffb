/**
 * The COS XML request signature (`q-sign-algorithm=sha1`) used by Tencent Cloud COS and CI.
 *
 * Every function here is pure: time is an input (`keyTime`), nothing is read from the clock or
 * the environment, and the secret key only ever leaves its `Redacted` wrapper inside an HMAC.
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import * as authorization from "./internal/authorization.js"
import * as canonical from "./internal/canonical.js"
import * as internal from "./internal/signature.js"

/**
 * A query parameter or header value. `null` and `undefined` sign as the empty string and numbers
 * and booleans as their `String` form. Values are never trimmed.
 *
 * @since 0.1.0
 * @category models
 */
export type ParameterValue = string | number | boolean | null | undefined

/**
 * The validity window of a signature, in whole Unix seconds. Used for both `q-sign-time` and
 * `q-key-time`.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyTime {
  readonly start: number
  readonly end: number
}

/**
 * The parts of a request that a signature covers.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignInput {
  /** HTTP method, in any case. */
  readonly method: string
  /**
   * The request path, decoded (`/exampleobject(腾讯云)`, not `/exampleobject(%E8%85%BE...)`).
   * A missing leading slash is added.
   */
  readonly pathname: string
  /** Query parameters as decoded key/value pairs; a value-less sub-resource such as `?cancel` is `""`. */
  readonly query?: Readonly<Record<string, ParameterValue>> | undefined
  /** Request headers as sent. Only those accepted by `shouldSignHeader` are signed. */
  readonly headers?: Readonly<Record<string, ParameterValue>> | undefined
  readonly secretId: string
  readonly secretKey: Redacted.Redacted<string>
  readonly keyTime: KeyTime
  /**
   * Chooses the headers to sign by name. Defaults to {@link isSignableHeader}. Pass your own
   * predicate to sign headers outside the allow-list, such as `date`.
   */
  readonly shouldSignHeader?: ((name: string) => boolean) | undefined
}

/**
 * A signature with the intermediate strings that produced it, for debugging and for servers that
 * verify signatures.
 *
 * @since 0.1.0
 * @category models
 */
export interface Signature {
  /** `<start>;<end>`, used as both `q-sign-time` and `q-key-time`. */
  readonly keyTime: string
  /** The `q-header-list` value: signed header names, encoded, lower-cased and sorted, joined by `;`. */
  readonly headerList: string
  /** The `q-url-param-list` value, built like `headerList` from the query parameter names. */
  readonly urlParamList: string
  /** Method, path, parameters and headers, one per line, with a trailing newline (the "FormatString"). */
  readonly httpString: string
  /** `sha1`, the key time and the SHA-1 hex digest of `httpString`, one per line, with a trailing newline. */
  readonly stringToSign: string
  /** Hex HMAC-SHA1 of `stringToSign`, keyed with the SignKey. */
  readonly signature: string
  /** The complete `Authorization` header value. */
  readonly authorization: string
}

/**
 * A parsed `Authorization` header value.
 *
 * @since 0.1.0
 * @category models
 */
export interface ParsedAuthorization {
  readonly secretId: string
  readonly signTime: KeyTime
  readonly keyTime: KeyTime
  /** Signed header names as they appear in `q-header-list` (encoded and lower-cased). */
  readonly headerList: ReadonlyArray<string>
  /** Signed parameter names as they appear in `q-url-param-list` (encoded and lower-cased). */
  readonly urlParamList: ReadonlyArray<string>
  readonly signature: string
}

/**
 * Computes the `Authorization` header value for a request.
 *
 * Throws `TypeError` for a `secretId` that is not printable ASCII or contains `&`, `=` or `;`, or a
 * `method` that is not an HTTP token, and `RangeError` for a key time that is not whole non-negative
 * seconds with `start <= end`: each would produce an Authorization that no server accepts.
 *
 * @example
 * ```ts
 * import * as Redacted from "effect/Redacted"
 * import * as Signer from "@effect-cos/signer/Signer"
 *
 * const authorization = Signer.sign({
 *   method: "PUT",
 *   pathname: "/inventorytriggerjob/b0123456789abcdef0123456789abcdef0",
 *   query: { cancel: "" },
 *   headers: { host: "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com", "content-length": "0" },
 *   secretId: "AKIDEXAMPLE",
 *   secretKey: Redacted.make("SECRETKEYEXAMPLE"),
 *   keyTime: { start: 1700000000, end: 1700000900 }
 * })
 * ```
 *
 * @since 0.1.0
 * @category signing
 */
export const sign: (input: SignInput) => string = internal.sign

/**
 * Computes the signature and returns every intermediate string next to the `Authorization` value.
 *
 * @since 0.1.0
 * @category signing
 */
export const computeSignature: (input: SignInput) => Signature = internal.computeSignature

/**
 * Derives the SignKey, the hex HMAC-SHA1 of the key time keyed with the secret key. Anyone holding
 * it can sign requests for the whole window, so it stays `Redacted`.
 *
 * @since 0.1.0
 * @category signing
 */
export const signKey: (secretKey: Redacted.Redacted<string>, keyTime: KeyTime) => Redacted.Redacted<string> =
  internal.signKey

/**
 * The default header filter. Matches case-insensitively: `host`, `content-length`, `content-type`,
 * `content-md5` and the other standard headers listed in {@link signableHeaders}, plus every name
 * that starts with `x-cos-` or `x-ci-`. Headers that proxies and HTTP stacks add or rewrite on their
 * own, such as `user-agent`, `accept*`, `connection` and `date`, are not signed.
 *
 * @since 0.1.0
 * @category headers
 */
export const isSignableHeader: (name: string) => boolean = internal.isSignableHeader

/**
 * The lower-case names of the standard headers that {@link isSignableHeader} accepts, besides the
 * `x-cos-` and `x-ci-` prefixes.
 *
 * @since 0.1.0
 * @category headers
 */
export const signableHeaders: ReadonlyArray<string> = internal.signableHeaders

/**
 * Percent-encodes a string as the signature does: UTF-8, upper-case hex, only
 * `A-Z a-z 0-9 - _ . ~` left as they are. Space becomes `%20` and `!'()*` are escaped.
 * Throws `URIError` for a string with a lone UTF-16 surrogate, which has no UTF-8 form.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode: (value: string) => string = canonical.encode

/**
 * The form a header or parameter name takes in `q-header-list` and `q-url-param-list`: encoded,
 * then lower-cased.
 *
 * @since 0.1.0
 * @category encoding
 */
export const canonicalKey: (name: string) => string = canonical.canonicalKey

/**
 * Formats a key time as `<start>;<end>`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatKeyTime: (keyTime: KeyTime) => string = internal.formatKeyTime

/**
 * Parses an `Authorization` header value. Every one of the seven `q-*` fields must appear exactly
 * once, the algorithm must be `sha1` and the signature 40 lower-case hex digits. The field order
 * is not checked. Returns the reason on the left when the value is malformed.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseAuthorization: (header: string) => Either.Either<ParsedAuthorization, string> =
  authorization.parseAuthorization
