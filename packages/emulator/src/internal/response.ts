import * as Data from "effect/Data"

/**
 * An error response: sent with an `<Error>` body, `x-ci-trace-id` and any extra `headers`.
 *
 * @internal
 */
export class CiError extends Data.TaggedError("CiError")<{
  readonly status: number
  readonly code: string
  readonly message: string
  readonly headers?: Readonly<Record<string, string>> | undefined
}> {}

/** @internal */
export const invalidArgument = (message: string): CiError =>
  new CiError({ status: 400, code: "InvalidArgument", message })

/** @internal */
export const signatureDoesNotMatch = (message: string): CiError =>
  new CiError({ status: 403, code: "SignatureDoesNotMatch", message })

/**
 * A successful response. A body is sent with `Content-Type: application/xml`; an empty body is
 * sent with no `Content-Type` at all, as CI does for cancel.
 *
 * @internal
 */
export interface Success {
  readonly status: number
  readonly body: string
}
