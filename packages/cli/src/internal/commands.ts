import * as Command from "@effect/cli/Command"
import type * as Usage from "@effect/cli/Usage"
import { cancel } from "./cancel.js"
import { create } from "./create.js"
import { describe } from "./describe.js"
import { list } from "./list.js"
import { wait } from "./wait.js"

const jobs = Command.make("jobs").pipe(
  Command.withDescription("Batch data processing jobs (/inventorytriggerjob)."),
  Command.withSubcommands([create, describe, list, cancel, wait])
)

/** @internal */
export const command = Command.make("cos-ci").pipe(
  Command.withDescription("Tencent Cloud CI (数据万象) batch jobs from the command line."),
  Command.withSubcommands([jobs])
)

/**
 * The usage of each `jobs` subcommand by name, which lists the options it takes.
 *
 * @internal
 */
export const jobsUsages: Readonly<Record<string, Usage.Usage>> = {
  create: Command.getUsage(create),
  describe: Command.getUsage(describe),
  list: Command.getUsage(list),
  cancel: Command.getUsage(cancel),
  wait: Command.getUsage(wait)
}
