import * as ValidationError from "@effect/cli/ValidationError"
import type * as CiError from "@effect-cos/http/CiError"
import * as ConfigError from "effect/ConfigError"
import * as Predicate from "effect/Predicate"

/** @internal */
export const ExitCode = {
  Success: 0,
  Unexpected: 1,
  InvalidInput: 2,
  ServiceError: 3,
  TransportError: 4
} as const

/** @internal */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

/** @internal */
export interface Report {
  readonly exitCode: ExitCode
  /** Lines for stderr; empty when something else already printed the problem. */
  readonly lines: ReadonlyArray<string>
}

type BatchJobNotFound = { readonly _tag: "BatchJobNotFound"; readonly jobId: string; readonly requestId: string | undefined }
type BatchJobWaitTimeout = { readonly _tag: "BatchJobWaitTimeout"; readonly message: string }

/** Every failure a command can end with. */
export type CommandError =
  | CiError.CiError
  | BatchJobNotFound
  | BatchJobWaitTimeout
  | ConfigError.ConfigError
  | ValidationError.ValidationError

const requestIdLine = (requestId: string | undefined): ReadonlyArray<string> =>
  requestId === undefined ? [] : [`request id: ${requestId}`]

const configLines = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  // The only settings read from Config are the credentials, so name the variable to set.
  const missing = /Expected (\w+) to exist/.exec(String(error))
  if (missing !== null) {
    return [`error: ${missing[1]} is not set`, "Set COS_SECRET_ID and COS_SECRET_KEY (and COS_SESSION_TOKEN for temporary credentials)."]
  }
  return [`error: invalid configuration: ${String(error)}`]
}

/**
 * Chooses the exit code for a failure and the lines that describe it: code, message and request id,
 * so that an operator can act on it or quote it to support.
 *
 * @internal
 */
export const report = (error: CommandError): Report => {
  if (ValidationError.isValidationError(error)) {
    // @effect/cli has already printed the usage problem.
    return { exitCode: ExitCode.InvalidInput, lines: [] }
  }
  if (ConfigError.isConfigError(error)) {
    return { exitCode: ExitCode.InvalidInput, lines: configLines(error) }
  }

  switch (error._tag) {
    case "CiInvalidInput":
      return { exitCode: ExitCode.InvalidInput, lines: [`error: ${error.message}`] }
    case "CiServiceError":
      return {
        exitCode: ExitCode.ServiceError,
        lines: [
          `error: ${error.code}: ${error.message === "" ? "(no message)" : error.message}`,
          `status: ${error.status}`,
          ...requestIdLine(error.requestId),
          ...(error.traceId === undefined ? [] : [`trace id: ${error.traceId}`])
        ]
      }
    case "CiHttpError":
      return {
        exitCode: ExitCode.ServiceError,
        lines: [
          `error: HTTP ${error.status} without a CI error document` +
          (error.contentType === undefined ? "" : ` (${error.contentType})`),
          ...requestIdLine(error.requestId),
          ...(error.bodyPreview === "" ? [] : [`body: ${error.bodyPreview}`])
        ]
      }
    case "CiDecodeError":
      return {
        exitCode: ExitCode.ServiceError,
        lines: [`error: unreadable response: ${error.reason}`, `status: ${error.status}`, ...requestIdLine(error.requestId)]
      }
    case "BatchJobNotFound":
      return {
        exitCode: ExitCode.ServiceError,
        lines: [`error: batch job ${error.jobId} does not exist`, ...requestIdLine(error.requestId)]
      }
    case "BatchJobWaitTimeout":
      return { exitCode: ExitCode.ServiceError, lines: [`error: ${error.message}`] }
    case "CiTransportError":
      return {
        exitCode: ExitCode.TransportError,
        lines: [`error: ${error.reason}: ${error.description}`, `request: ${error.method} ${error.url}`]
      }
  }
}

/** @internal */
export const isCommandError = (u: unknown): u is CommandError =>
  ValidationError.isValidationError(u) || ConfigError.isConfigError(u) || Predicate.hasProperty(u, "_tag")
