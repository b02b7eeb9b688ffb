/**
 * The errors a CI call can fail with. Each is a `Schema.TaggedError`, so it can be handled with
 * `Effect.catchTag` and serialized with its schema.
 *
 * - {@link CiServiceError}: CI returned an `<Error>` document.
 * - {@link CiHttpError}: CI, or a proxy in front of it, returned a non-2xx status without a usable
 *   error document: an empty body, an HTML page, malformed XML.
 * - {@link CiTransportError}: no complete response arrived: timeout, reset connection, refused
 *   connection, DNS or TLS failure.
 * - {@link CiDecodeError}: a successful response whose body is not what the operation returns.
 * - {@link CiInvalidInput}: an argument was rejected before any request was sent.
 * - {@link CiCredentialsError}: the credentials provider failed, so nothing was sent.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

const OptionalString = Schema.UndefinedOr(Schema.String)

const maxShownValueLength = 200

/**
 * CI returned an `<Error>` document, on an error status or, rarely, on a 2xx status.
 * `code` is the raw `<Code>`, including codes this library does not know.
 *
 * @since 0.1.0
 * @category errors
 */
export class CiServiceError extends Schema.TaggedError<CiServiceError>()("CiServiceError", {
  /** HTTP status of the response. */
  status: Schema.Number,
  /** The `<Code>` value, such as `AccessDenied` or `SlowDown`. */
  code: Schema.String,
  /** The `<Message>` value; `""` when the element is empty or absent. */
  message: Schema.String,
  /** From `<RequestId>`, else the `x-ci-request-id` header, else `x-cos-request-id`. */
  requestId: OptionalString,
  /** From `<TraceId>`, else the `x-ci-trace-id` header. */
  traceId: OptionalString,
  /** The `<Resource>` value, which COS error documents carry and CI ones usually do not. */
  resource: OptionalString
}) {}

/**
 * A non-2xx response without a usable `<Error>` document, such as an empty 503 or a proxy's HTML page.
 *
 * @since 0.1.0
 * @category errors
 */
export class CiHttpError extends Schema.TaggedError<CiHttpError>()("CiHttpError", {
  status: Schema.Number,
  /** From the `x-ci-request-id` header, else `x-cos-request-id`. */
  requestId: OptionalString,
  /** The `Content-Type` header, if any. */
  contentType: OptionalString,
  /** The first characters of the body, for logs and support tickets. */
  bodyPreview: Schema.String
}) {
  override get message(): string {
    const requestId = this.requestId === undefined ? "" : ` (request id ${this.requestId})`
    const body = this.bodyPreview === "" ? "an empty body" : `a body that is not a CI error document`
    return `CI returned HTTP ${this.status} with ${body}${requestId}`
  }
}

/**
 * The reason no complete response arrived.
 *
 * - `Timeout`: the attempt took longer than the per-attempt timeout, including reading the body.
 * - `ConnectionReset`: the connection was closed or reset before the response was complete.
 * - `Other`: anything else, such as a refused connection, a DNS failure or a TLS error.
 *
 * @since 0.1.0
 * @category models
 */
export const TransportFailure = Schema.Literal("Timeout", "ConnectionReset", "Other")

/**
 * @since 0.1.0
 * @category models
 */
export type TransportFailure = typeof TransportFailure.Type

/**
 * No complete response arrived.
 *
 * @since 0.1.0
 * @category errors
 */
export class CiTransportError extends Schema.TaggedError<CiTransportError>()("CiTransportError", {
  reason: TransportFailure,
  method: Schema.String,
  url: Schema.String,
  /** The message of the HTTP stack, such as `connect ECONNREFUSED 127.0.0.1:9`. */
  description: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `${this.method} ${this.url} failed (${this.reason}): ${this.description}`
  }
}

/**
 * The credentials provider could not supply usable credentials, such as when a call to STS failed.
 * Nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class CiCredentialsError extends Schema.TaggedError<CiCredentialsError>()("CiCredentialsError", {
  /** What went wrong, without any secret. */
  reason: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return `Could not get credentials: ${this.reason}`
  }
}

/**
 * A successful response whose body could not be read as the operation's result.
 *
 * @since 0.1.0
 * @category errors
 */
export class CiDecodeError extends Schema.TaggedError<CiDecodeError>()("CiDecodeError", {
  status: Schema.Number,
  requestId: OptionalString,
  /** The problem with the body. */
  reason: Schema.String,
  bodyPreview: Schema.String
}) {
  override get message(): string {
    const requestId = this.requestId === undefined ? "" : ` (request id ${this.requestId})`
    return `Could not read the CI response: ${this.reason}${requestId}`
  }
}

/**
 * An argument was rejected before any request was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class CiInvalidInput extends Schema.TaggedError<CiInvalidInput>()("CiInvalidInput", {
  /** The option or argument name, such as `jobId` or `bucket`. */
  field: Schema.String,
  /**
   * The rejected value: a string as given, a number, boolean, `Duration`, `null` or `undefined` as
   * `String` writes it, and any other object only by its type, such as `an object`. A secret is
   * `<redacted>`, and so is the user information of an endpoint URL.
   */
  value: Schema.String,
  /** The rule the value breaks. */
  reason: Schema.String
}) {
  override get message(): string {
    // A value of any length can arrive here, such as a mistyped job id; the message keeps its start.
    const shown = this.value.length <= maxShownValueLength ?
      JSON.stringify(this.value) :
      `${JSON.stringify(this.value.slice(0, maxShownValueLength))}… (${this.value.length} characters)`
    return `Invalid ${this.field} ${shown}: ${this.reason}`
  }
}

/**
 * The errors of a request that passed validation.
 *
 * @since 0.1.0
 * @category models
 */
export type CiRequestError = CiServiceError | CiHttpError | CiTransportError

/**
 * Every error of this module.
 *
 * @since 0.1.0
 * @category models
 */
export type CiError = CiRequestError | CiDecodeError | CiInvalidInput | CiCredentialsError

/**
 * @since 0.1.0
 * @category guards
 */
export const isCiError = (u: unknown): u is CiError =>
  Predicate.isTagged(u, "CiServiceError") ||
  Predicate.isTagged(u, "CiHttpError") ||
  Predicate.isTagged(u, "CiTransportError") ||
  Predicate.isTagged(u, "CiDecodeError") ||
  Predicate.isTagged(u, "CiInvalidInput") ||
  Predicate.isTagged(u, "CiCredentialsError")
