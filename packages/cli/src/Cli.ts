/**
 * `cos-ci`, a command line for Tencent Cloud CI batch jobs.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as NodeContext from "@effect/platform-node/NodeContext"
import type * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import { command, jobsUsages } from "./internal/commands.js"
import { displayText } from "./internal/format.js"
import { type OutputFormat, printErrorJson, printErrorLine, writeIfOpen } from "./internal/output.js"
import * as internal from "./internal/report.js"
import { findUnknownOption } from "./internal/unknownOption.js"

/**
 * The exit codes of `cos-ci`:
 *
 * - `0` the command succeeded;
 * - `1` an unexpected failure, such as a bug;
 * - `2` invalid input, and nothing was sent: a bad argument or option, options that do not go
 *   together, missing credentials, or a filter-based cancel without `--yes` when stdin is not a terminal;
 * - `3` CI, or a proxy in front of it, rejected the request or returned something unreadable;
 * - `4` no complete response arrived: timeout, reset or refused connection, DNS or TLS failure;
 * - `5` `jobs wait`: the job ended in state `Failed`;
 * - `6` `jobs wait`: the job ended in state `Cancel`;
 * - `7` `jobs wait`: `--max-wait` ran out before the job finished.
 *
 * @since 0.1.0
 * @category models
 */
export const ExitCode = internal.ExitCode

/**
 * @since 0.1.0
 * @category models
 */
export type ExitCode = internal.ExitCode

/**
 * The version `cos-ci --version` prints, that of the package.
 *
 * @since 0.1.0
 * @category models
 */
export const version = "0.1.0"

/**
 * Reads the output format from the arguments. @effect/cli reports a usage error before the command
 * has parsed its own `--output`, so the format of that report is decided here.
 */
const requestedFormat = (argv: ReadonlyArray<string>): OutputFormat => {
  let format: string | undefined
  for (const [index, arg] of argv.entries()) {
    if (index < 2) {
      continue
    }
    if (arg === "--output" || arg === "-o") {
      format = argv[index + 1]
    } else if (arg.startsWith("--output=")) {
      format = arg.slice("--output=".length)
    }
  }
  return format === "json" ? "json" : "table"
}

/** A console that drops what @effect/cli prints to stderr, for the usage error to be printed as JSON. */
const withoutErrorOutput = (console: Console.Console): Console.Console => ({
  ...console,
  error: () => Effect.void,
  unsafe: { ...console.unsafe, error: () => {} }
})

// @effect/cli 0.77 writes its help and usage errors with ANSI colours and has no setting to turn
// them off, so they are removed here. Only @effect/cli writes through `Console`, because cos-ci
// writes its own output to the streams directly.
const ansiStyle = /\u001b\[[0-9;]*m/g

const withoutStyles = (args: ReadonlyArray<unknown>): Array<unknown> =>
  args.map((arg) => typeof arg === "string" ? arg.replace(ansiStyle, "") : arg)

// A stream gets colours only when it is a terminal and NO_COLOR is unset or empty, following the
// no-color.org convention.
const allowsColor = (stream: NodeJS.WriteStream): boolean =>
  stream.isTTY === true && (process.env["NO_COLOR"] ?? "") === ""

/** A console that writes `log` and `error` without colours where the stream should have none. */
const withColorChoice = (console: Console.Console): Console.Console => {
  const plainLog = !allowsColor(process.stdout)
  const plainError = !allowsColor(process.stderr)
  return {
    ...console,
    log: plainLog ? (...args) => console.log(...withoutStyles(args)) : console.log,
    error: plainError ? (...args) => console.error(...withoutStyles(args)) : console.error,
    unsafe: {
      ...console.unsafe,
      log: plainLog ? (...args) => console.unsafe.log(...withoutStyles(args)) : console.unsafe.log,
      error: plainError ? (...args) => console.unsafe.error(...withoutStyles(args)) : console.unsafe.error
    }
  }
}

// Logs, which `--log-level` turns on, go to stderr so that stdout carries only the command's output,
// such as the single JSON document of `--output json`. A log line may quote an error message from CI,
// and logfmt leaves control characters as they are.
const stderrLogger = Logger.make((options) => {
  writeIfOpen(process.stderr, `${displayText(Logger.logfmtLogger.log(options))}\n`)
})

/**
 * Runs `cos-ci` with the given process arguments (`process.argv`: the first two are skipped)
 * and returns the exit code. Failures are printed to stderr with their code, message and request
 * id, as text or, with `--output json`, as a JSON error object. Nothing fails past this function.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<ExitCode> => {
  const format = requestedFormat(argv)
  const unknownOption = findUnknownOption(argv.slice(2), jobsUsages)
  if (Option.isSome(unknownOption)) {
    return internal.printFailure(format, new internal.UsageError({ message: unknownOption.value }))
  }
  const cli = Command.run(command, { name: "cos-ci", version })(argv)
  const quietCli = Effect.consoleWith((console) =>
    Effect.withConsole(cli, withColorChoice(format === "json" ? withoutErrorOutput(console) : console))
  )
  return quietCli.pipe(
    Effect.as(ExitCode.Success),
    Effect.catchAll((error) => internal.printFailure(format, error)),
    Effect.catchAllDefect((defect) => {
      const message = `unexpected failure: ${displayText(String(defect))}`
      const printed = format === "json" ?
        printErrorJson({ error: { tag: "Unexpected", code: null, message, status: null, requestId: null } }) :
        printErrorLine(`error: ${message}`)
      return Effect.as(printed, ExitCode.Unexpected)
    }),
    Effect.provide(NodeContext.layer),
    Effect.provide(Logger.replace(Logger.defaultLogger, stderrLogger))
  )
}
