import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import type * as CiError from "@effect-cos/http/CiError"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { displayText } from "./format.js"
import { type OutputFormat, printErrorJson, printErrorLines } from "./output.js"

/** @internal */
export const ExitCode = {
  Success: 0,
  Unexpected: 1,
  InvalidInput: 2,
  ServiceError: 3,
  TransportError: 4,
  JobFailed: 5,
  JobCancelled: 6,
  WaitTimedOut: 7
} as const

/** @internal */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

/**
 * A command that has already reported its failures and only needs to end with this exit code.
 *
 * @internal
 */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{ readonly exitCode: ExitCode }> {}

/**
 * Options that do not fit together, or a required one that is missing. Nothing was sent.
 *
 * @internal
 */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/**
 * `wait` saw the job end in state `Failed`.
 *
 * @internal
 */
export class BatchJobFailed extends Data.TaggedError("BatchJobFailed")<{ readonly job: BatchJob.BatchJob }> {}

/**
 * `wait` saw the job end in state `Cancel`.
 *
 * @internal
 */
export class BatchJobCancelled extends Data.TaggedError("BatchJobCancelled")<{ readonly job: BatchJob.BatchJob }> {}

/**
 * Some cancels of a `cancel` with several jobs failed. Each failure has been reported with its job.
 *
 * @internal
 */
export class CancelFailed extends Data.TaggedError("CancelFailed")<{
  readonly failed: number
  readonly total: number
  /** The exit code of the worst failure. */
  readonly exitCode: ExitCode
}> {}

/** @internal */
export type CommandError =
  | CiError.CiError
  | BatchJob.BatchJobNotFound
  | BatchJob.BatchJobWaitTimeout
  | BatchJobFailed
  | BatchJobCancelled
  | CancelFailed
  | UsageError
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
  requestId === undefined ? [] : [`request id: ${displayText(requestId)}`]

/** Collects the names of the settings a `ConfigError` reports as missing. */
interface MissingSetting {
  /** The variable, or the variables and their alternatives, such as `A and B (or C and D)`. */
  readonly text: string
  readonly plural: boolean
}

const joinAnd = (names: ReadonlyArray<string>): string =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`

/** Collects what a `ConfigError` reports as missing, keeping alternatives together. */
const missingSettings = (error: ConfigError.ConfigError): ReadonlyArray<MissingSetting> => {
  switch (error._op) {
    case "MissingData":
      return [{ text: error.path.join("."), plural: false }]
    case "And":
      return [...missingSettings(error.left), ...missingSettings(error.right)]
    case "Or": {
      // Values read from one set of variables, else another: either set would do.
      const left = missingSettings(error.left)
      const right = missingSettings(error.right)
      if (left.length === 0 || right.length === 0) {
        return [...left, ...right]
      }
      const first = joinAnd(left.map((setting) => setting.text))
      const second = joinAnd(right.map((setting) => setting.text))
      return [{ text: `${first} (or ${second})`, plural: left.length > 1 }]
    }
    default:
      return []
  }
}

const credentialsHint = "Set COS_SECRET_ID and COS_SECRET_KEY, and COS_SESSION_TOKEN for temporary credentials. " +
  "The TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN names work too."

const configLines = (error: ConfigError.ConfigError): ReadonlyArray<string> => {
  // Credentials are the only settings read from Config alone, so name the variables to set.
  const missing = missingSettings(error)
  if (missing.length > 0) {
    return [
      ...missing.map((setting) => `error: ${setting.text} ${setting.plural ? "are" : "is"} not set`),
      credentialsHint
    ]
  }
  return [`error: invalid configuration: ${String(error)}`]
}

/**
 * Renders an @effect/cli usage error as plain text, without colours and blank lines.
 *
 * @internal
 */
export const validationMessage = (error: ValidationError.ValidationError): string => {
  const text = ValidationError.isHelpRequested(error) ? "help requested" : HelpDoc.toAnsiText(error.error)
  return text
    // Removes the ANSI colour sequences (SGR) that @effect/cli adds.
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n")
}

/**
 * Chooses the exit code of `wait` for a job in a final state.
 *
 * @internal
 */
export const finalStateExitCode = (state: BatchJob.JobState): ExitCode => {
  switch (state) {
    case "Failed":
      return ExitCode.JobFailed
    case "Cancel":
      return ExitCode.JobCancelled
    default:
      return ExitCode.Success
  }
}

/**
 * Chooses the exit code for a failure and the lines that describe it: code, message and request id,
 * so that an operator can act on it or quote it to support. Text from the response, and values
 * derived from it, pass through `displayText`, so that one line stays one line and no escape
 * sequence reaches the terminal.
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
    case "CancelFailed":
      // Each failed cancel has been printed with its job.
      return { exitCode: error.exitCode, lines: [] }
    case "UsageError":
      return { exitCode: ExitCode.InvalidInput, lines: [`error: ${error.message}`] }
    case "CiInvalidInput":
      // The value may be a job id from a listing. JSON quoting in the message leaves DEL and C1 as they are.
      return { exitCode: ExitCode.InvalidInput, lines: [`error: ${displayText(error.message)}`] }
    case "CiCredentialsError":
      return {
        exitCode: ExitCode.InvalidInput,
        lines: [`error: could not get credentials: ${displayText(error.reason)}`]
      }
    case "CiServiceError":
      return {
        exitCode: ExitCode.ServiceError,
        lines: [
          `error: ${displayText(error.code)}: ${error.message === "" ? "(no message)" : displayText(error.message)}`,
          `status: ${error.status}`,
          ...requestIdLine(error.requestId),
          ...(error.traceId === undefined ? [] : [`trace id: ${displayText(error.traceId)}`])
        ]
      }
    case "CiHttpError": {
      const contentType = error.contentType === undefined ? "" : ` (${displayText(error.contentType)})`
      return {
        exitCode: ExitCode.ServiceError,
        lines: [
          `error: HTTP ${error.status} without a CI error document${contentType}`,
          ...requestIdLine(error.requestId),
          ...(error.bodyPreview === "" ? [] : [`body: ${displayText(error.bodyPreview)}`])
        ]
      }
    }
    case "CiDecodeError":
      return {
        exitCode: ExitCode.ServiceError,
        lines: [
          `error: unreadable response: ${displayText(error.reason)}`,
          `status: ${error.status}`,
          ...requestIdLine(error.requestId)
        ]
      }
    case "BatchJobNotFound":
      return {
        exitCode: ExitCode.ServiceError,
        lines: [`error: batch job ${displayText(error.jobId)} does not exist`, ...requestIdLine(error.requestId)]
      }
    case "CiTransportError":
      return {
        exitCode: ExitCode.TransportError,
        lines: [
          `error: ${error.reason}: ${displayText(error.description)}`,
          `request: ${error.method} ${displayText(error.url)}`
        ]
      }
    case "BatchJobWaitTimeout":
      return {
        exitCode: ExitCode.WaitTimedOut,
        lines: [
          `error: timed out waiting for batch job ${displayText(error.jobId)}, ` +
          `which is still ${displayText(error.lastState)}`,
          "The job goes on. Wait again, or raise --max-wait."
        ]
      }
    case "BatchJobFailed":
      return {
        exitCode: ExitCode.JobFailed,
        lines: [
          `error: batch job ${displayText(error.job.jobId)} ended in state Failed`,
          ...(error.job.code === undefined ? [] : [`code: ${displayText(error.job.code)}`]),
          ...(error.job.message === undefined || error.job.message === "" ?
            [] :
            [`message: ${displayText(error.job.message)}`])
        ]
      }
    case "BatchJobCancelled":
      return {
        exitCode: ExitCode.JobCancelled,
        lines: [`error: batch job ${displayText(error.job.jobId)} ended in state Cancel`]
      }
  }
}

/**
 * Converts an error to the `error` object of JSON output. Every error has `tag`, `code`, `message`,
 * `status` and `requestId`, `null` where they do not apply, followed by the fields of its kind.
 *
 * @internal
 */
export const errorJson = (error: CommandError): Record<string, unknown> => {
  const base = (tag: string, message: string) => ({ tag, code: null, message, status: null, requestId: null })
  if (ValidationError.isValidationError(error)) {
    return base("UsageError", validationMessage(error))
  }
  if (ConfigError.isConfigError(error)) {
    const missing = missingSettings(error).map((setting) => setting.text)
    return missing.length > 0 ?
      { ...base("MissingCredentials", `Not set: ${missing.join(", ")}. ${credentialsHint}`), missing } :
      base("ConfigError", String(error))
  }

  switch (error._tag) {
    case "CommandFailed":
      return base("CommandFailed", `cos-ci failed with exit code ${error.exitCode}`)
    case "CancelFailed":
      return {
        ...base("CancelFailed", `${error.failed} of ${error.total} batch jobs were not cancelled`),
        failed: error.failed,
        total: error.total
      }
    case "UsageError":
      return base("UsageError", error.message)
    case "CiInvalidInput":
      return { ...base(error._tag, error.message), field: error.field, value: error.value, reason: error.reason }
    case "CiCredentialsError":
      return { ...base(error._tag, error.message), reason: error.reason }
    case "CiServiceError":
      return {
        tag: error._tag,
        code: error.code,
        message: error.message,
        status: error.status,
        requestId: error.requestId ?? null,
        traceId: error.traceId ?? null,
        resource: error.resource ?? null
      }
    case "CiHttpError":
      return {
        ...base(error._tag, error.message),
        status: error.status,
        requestId: error.requestId ?? null,
        contentType: error.contentType ?? null,
        bodyPreview: error.bodyPreview
      }
    case "CiDecodeError":
      return {
        ...base(error._tag, error.message),
        status: error.status,
        requestId: error.requestId ?? null,
        reason: error.reason,
        bodyPreview: error.bodyPreview
      }
    case "CiTransportError":
      return {
        ...base(error._tag, error.message),
        reason: error.reason,
        method: error.method,
        url: error.url,
        description: error.description
      }
    case "BatchJobNotFound":
      return { ...base(error._tag, error.message), requestId: error.requestId ?? null, jobId: error.jobId }
    case "BatchJobWaitTimeout":
      return { ...base(error._tag, error.message), jobId: error.jobId, lastState: error.lastState }
    case "BatchJobFailed":
      return {
        ...base(error._tag, error.job.message ?? `Batch job ${error.job.jobId} ended in state Failed`),
        code: error.job.code ?? null,
        jobId: error.job.jobId,
        state: error.job.state
      }
    case "BatchJobCancelled":
      return {
        ...base(error._tag, `Batch job ${error.job.jobId} ended in state Cancel`),
        jobId: error.job.jobId,
        state: error.job.state
      }
  }
}

/**
 * Prints a failure in the chosen format: lines of text, or `{ "error": { … } }`, on stderr.
 * Returns the exit code.
 *
 * @internal
 */
export const printFailure = (format: OutputFormat, error: CommandError): Effect.Effect<ExitCode> => {
  const { exitCode, lines } = report(error)
  if (format === "json") {
    // A failure that was already printed item by item has no error object of its own.
    return error instanceof CommandFailed ?
      Effect.succeed(exitCode) :
      Effect.as(printErrorJson({ error: errorJson(error) }), exitCode)
  }
  return Effect.as(printErrorLines(lines), exitCode)
}

/**
 * Prints any failure of a command in the chosen format, then fails with `CommandFailed`, so that
 * `Cli.run` only sets the exit code.
 *
 * @internal
 */
export const reportFailures =
  (format: OutputFormat) => <A, R>(effect: Effect.Effect<A, CommandError, R>): Effect.Effect<A, CommandFailed, R> =>
    Effect.catchAll(effect, (error) =>
      error instanceof CommandFailed ?
        Effect.fail(error) :
        Effect.flatMap(printFailure(format, error), (exitCode) => Effect.fail(new CommandFailed({ exitCode }))))
