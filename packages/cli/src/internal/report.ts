import * as ValidationError from "@effect/cli/ValidationError"
import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import type * as CiError from "@effect-cos/http/CiError"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"

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

/**
 * A command that has already reported its failures and only needs to end with this exit code.
 *
 * @internal
 */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{ readonly exitCode: ExitCode }> {}

/** @internal */
export type CommandError =
  | CiError.CiError
  | BatchJob.BatchJobNotFound
  | CommandFailed
  | ConfigError.ConfigError
  | ValidationError.ValidationError

/** @internal */
export interface Report {
  readonly exitCode: ExitCode
  /** Lines for stderr; empty when something else already printed the problem. */
  readonly lines: ReadonlyArray<string>
}

const requestIdLine = (requestId: string | undefined): ReadonlyArray<string> =>
  requestId === undefined ? [] : [`request id: ${requestId}`]

/** Collects the names of the settings a `ConfigError` reports as missing. */
const missingSettings = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  switch (error._op) {
    case "MissingData":
      return [error.path.join(".")]
    case "And":
    case "Or":
      return [...missingSettings(error.left), ...missingSettings(error.right)]
    default:
      return []
  }
}

const configLines = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  // Credentials are the only settings read from Config alone, so name the variables to set.
  const missing = [...new Set(missingSettings(error))]
  if (missing.length > 0) {
    return [
      ...missing.map((name) => `error: ${name} is not set`),
      "Set COS_SECRET_ID and COS_SECRET_KEY, and COS_SESSION_TOKEN for temporary credentials."
    ]
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
    case "CommandFailed":
      return { exitCode: error.exitCode, lines: [] }
    case "CiInvalidInput":
      return { exitCode: ExitCode.InvalidInput, lines: [`error: ${error.message}`] }
    case "CiCredentialsError":
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
    case "CiHttpError": {
      const contentType = error.contentType === undefined ? "" : ` (${error.contentType})`
      return {
        exitCode: ExitCode.ServiceError,
        lines: [
          `error: HTTP ${error.status} without a CI error document${contentType}`,
          ...requestIdLine(error.requestId),
          ...(error.bodyPreview === "" ? [] : [`body: ${error.bodyPreview}`])
        ]
      }
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
    case "CiTransportError":
      return {
        exitCode: ExitCode.TransportError,
        lines: [`error: ${error.reason}: ${error.description}`, `request: ${error.method} ${error.url}`]
      }
  }
}
