#!/usr/bin/env node
/**
 * The `cos-ci` executable.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Cli from "./Cli.js"
import { ignoreClosedPipes } from "./internal/output.js"

ignoreClosedPipes()

NodeRuntime.runMain(Cli.run(process.argv), {
  disableErrorReporting: true,
  // Cli.run installs a logger that writes to stderr; the pretty logger would write to stdout.
  disablePrettyLogger: true,
  teardown: (exit, onExit) => {
    if (Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)) {
      // Interrupted by SIGINT or SIGTERM: exit at once, as shells expect (128 + SIGINT).
      onExit(130)
      return
    }
    // Cli.run returns the exit code and does not fail. Setting process.exitCode, rather than calling
    // process.exit, lets Node finish writing stdout and stderr to a pipe before the process ends.
    process.exitCode = Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : Cli.ExitCode.Unexpected
    onExit(0)
  }
})
