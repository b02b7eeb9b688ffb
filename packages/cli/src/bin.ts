#!/usr/bin/env node
/**
 * The `cos-ci` executable.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Exit from "effect/Exit"
import * as Cli from "./Cli.js"

NodeRuntime.runMain(Cli.run(process.argv), {
  disableErrorReporting: true,
  // Cli.run never fails and returns the exit code.
  teardown: (exit, onExit) =>
    onExit(Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : Cli.ExitCode.Unexpected)
})
