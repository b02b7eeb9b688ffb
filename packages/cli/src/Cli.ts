/**
 * `cos-ci`, a command line for Tencent Cloud CI batch jobs.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { command } from "./internal/commands.js"
import * as internal from "./internal/report.js"

/**
 * The exit codes of `cos-ci`:
 *
 * - `0` the command succeeded;
 * - `1` an unexpected failure, such as a bug;
 * - `2` invalid input: a bad argument or option, or missing credentials; nothing was sent;
 * - `3` CI, or a proxy in front of it, rejected the request or returned something unreadable;
 * - `4` no complete response arrived: timeout, reset or refused connection, DNS or TLS failure.
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
 * Runs `cos-ci` with the given process arguments (`process.argv`: the first two are skipped)
 * and returns the exit code. Failures are printed to stderr with their code, message and request
 * id; nothing fails past this function.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<ExitCode> =>
  Command.run(command, { name: "cos-ci", version: "0.1.0" })(argv).pipe(
    Effect.as(ExitCode.Success),
    Effect.catchAll((error) => {
      const report = internal.report(error)
      return Effect.as(Effect.forEach(report.lines, (line) => Console.error(line)), report.exitCode)
    }),
    Effect.catchAllDefect((defect) =>
      Effect.as(Console.error(`error: unexpected failure: ${String(defect)}`), ExitCode.Unexpected)
    ),
    Effect.provide(NodeContext.layer)
  )
