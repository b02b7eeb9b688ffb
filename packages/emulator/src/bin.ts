/**
 * Foreground runner behind `pnpm emulator`: starts the emulator on 127.0.0.1, seeds one running
 * job and serves until SIGINT or SIGTERM.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import { parseArgs } from "node:util"
import * as Emulator from "./Emulator.js"

const defaultRunAfterSeconds = 5
const defaultSucceedAfterSeconds = 30

/** The longest accepted delay, one day. A larger value is more likely milliseconds given as seconds. */
const maxProgressSeconds = 86_400

const usage = `Usage: pnpm emulator [--port N] [--run-after SECONDS] [--succeed-after SECONDS]

Starts the Tencent Cloud CI batch-job emulator on 127.0.0.1 and logs every request.

Options:
  --port N                 TCP port to listen on, from 0 to 65535 (default 0: a free port)
  --run-after SECONDS      Move each Submitted job to Running after this many seconds
  --succeed-after SECONDS  Move each Running job to Success after this many seconds
  --help                   Print this help

Jobs change state on their own only when --run-after or --succeed-after is given; the other
one then takes its default (${defaultRunAfterSeconds} and ${defaultSucceedAfterSeconds} seconds). Without them, only cancel requests
move a job.`

/** Exit status for invalid command-line arguments, as most Unix tools use. */
const usageExitCode = 2

const exitWithUsageError = (message: string): never => {
  process.stderr.write(`${message}\n\n${usage}\n`)
  process.exit(usageExitCode)
}

const parsePort = (text: string | undefined): number => {
  if (text === undefined) {
    return 0
  }
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN
  if (!(port >= 0 && port <= 65535)) {
    return exitWithUsageError(`Invalid --port "${text}": expected an integer from 0 to 65535.`)
  }
  return port
}

const parseSeconds = (option: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) {
    return fallback
  }
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
  if (!(seconds >= 0 && seconds <= maxProgressSeconds)) {
    return exitWithUsageError(
      `Invalid ${option} "${text}": expected a number of seconds from 0 to ${maxProgressSeconds}.`
    )
  }
  return seconds
}

// Ports that fetch refuses to connect to ("bad ports" in the WHATWG Fetch standard), so the
// fetch-based clients, cos-ci among them, could not reach an emulator listening there.
const fetchBlockedPorts: ReadonlySet<number> = new Set([
  1,
  7,
  9,
  11,
  13,
  15,
  17,
  19,
  20,
  21,
  22,
  23,
  25,
  37,
  42,
  43,
  53,
  69,
  77,
  79,
  87,
  95,
  101,
  102,
  103,
  104,
  109,
  110,
  111,
  113,
  115,
  117,
  119,
  123,
  135,
  137,
  139,
  143,
  161,
  179,
  389,
  427,
  465,
  512,
  513,
  514,
  515,
  526,
  530,
  531,
  532,
  540,
  548,
  554,
  556,
  563,
  587,
  601,
  636,
  989,
  990,
  993,
  995,
  1719,
  1720,
  1723,
  2049,
  3659,
  4045,
  4190,
  5060,
  5061,
  6000,
  6566,
  6665,
  6666,
  6667,
  6668,
  6669,
  6679,
  6697,
  10080
])

interface CommandLine {
  readonly port: number
  readonly progression: Emulator.Progression | false
}

const parseCommandLine = (): CommandLine => {
  let values: {
    readonly port?: string | undefined
    readonly "run-after"?: string | undefined
    readonly "succeed-after"?: string | undefined
    readonly help?: boolean | undefined
  }
  try {
    values = parseArgs({
      options: {
        port: { type: "string" },
        "run-after": { type: "string" },
        "succeed-after": { type: "string" },
        help: { type: "boolean" }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (error) {
    return exitWithUsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help === true) {
    process.stdout.write(`${usage}\n`)
    process.exit(0)
  }
  const port = parsePort(values.port)
  if (fetchBlockedPorts.has(port)) {
    return exitWithUsageError(`Invalid --port "${port}": fetch, which cos-ci uses, refuses to connect to this port.`)
  }

  const runAfter = values["run-after"]
  const succeedAfter = values["succeed-after"]
  const progression: Emulator.Progression | false = runAfter === undefined && succeedAfter === undefined
    ? false
    : {
      submittedMillis: parseSeconds("--run-after", runAfter, defaultRunAfterSeconds) * 1000,
      runningMillis: parseSeconds("--succeed-after", succeedAfter, defaultSucceedAfterSeconds) * 1000
    }
  return { port, progression }
}

const describeProgression = (progression: Emulator.Progression | false): string =>
  progression === false
    ? "Jobs keep their state until they are cancelled."
    : `Jobs run ${progression.submittedMillis / 1000} s after they are submitted and succeed ` +
      `${progression.runningMillis / 1000} s after they start running.`

const program = ({ port, progression }: CommandLine) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.make({ port, progression })
    const job = yield* emulator.seedJob({ name: "demo-running-job", state: "Running", progress: 40 })
    const credential = emulator.credentials[0]!

    yield* Console.log(
      [
        `CI batch-job emulator listening on ${emulator.url}`,
        "",
        "Local placeholder credentials (accepted only by this emulator):",
        `  SecretId:  ${credential.secretId}`,
        `  SecretKey: ${Redacted.value(credential.secretKey)}`,
        "",
        describeProgression(progression),
        `Seeded a Running job: ${job.jobId}`,
        "Cancel it from another terminal in the repository with:",
        `  COS_SECRET_ID=${credential.secretId} COS_SECRET_KEY=${Redacted.value(credential.secretKey)} \\`,
        `    pnpm -s cos-ci jobs cancel ${job.jobId} --bucket examplebucket-1250000000 --region ap-guangzhou \\`,
        `    --endpoint ${emulator.url}`,
        "",
        "Press Ctrl+C to stop."
      ].join("\n")
    )
    yield* Effect.addFinalizer(() => Console.log("Emulator stopped."))
    return yield* Effect.never
  }).pipe(
    Effect.scoped,
    Effect.catchTag("EmulatorStartError", (error) =>
      Console.error(`Could not start the emulator: ${error.message}`).pipe(
        Effect.zipRight(Effect.sync(() => {
          process.exitCode = 1
        }))
      )),
    // Request lines are logged at debug level by the emulator.
    Logger.withMinimumLogLevel(LogLevel.Debug)
  )

NodeRuntime.runMain(program(parseCommandLine()))
