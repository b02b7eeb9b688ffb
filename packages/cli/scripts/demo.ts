/**
 * The demo behind `pnpm demo`. It starts the CI emulator on a free loopback port and runs `cos-ci`
 * in this process against it, over real HTTP with real signatures. `jobs create` starts a job,
 * `jobs list` shows it, `jobs cancel` cancels it and `jobs describe` reads it back. The demo exits
 * with 0 only when the job ends in state `Cancel` and the cancel printed a request id.
 */
import * as Emulator from "@effect-cos/emulator/Emulator"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Cli from "../src/Cli.js"
import { Output } from "../src/internal/output.js"

const bucket = "examplebucket-1250000000"
const region = "ap-guangzhou"

/** Runs `cos-ci` with these arguments, prints the command and what it printed, and returns its stdout. */
const cosCi = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    yield* Console.log(`\n$ cos-ci ${args.map((arg) => /^[\w./:=@-]+$/.test(arg) ? arg : `'${arg}'`).join(" ")}`)
    let stdout = ""
    const exitCode = yield* Cli.run(["node", "cos-ci", ...args]).pipe(
      Effect.provideService(Output, {
        stdout: (text) => {
          stdout += text
          process.stdout.write(text)
        },
        stderr: (text) => process.stderr.write(text)
      })
    )
    if (exitCode !== Cli.ExitCode.Success) {
      return yield* Effect.dieMessage(`cos-ci ${args.join(" ")} exited with ${exitCode}`)
    }
    return stdout
  })

const program = Effect.gen(function*() {
  const emulator = yield* Emulator.make()
  const [credential] = emulator.credentials
  yield* Console.log(`CI emulator listening on ${emulator.url}`)
  yield* Console.log(
    `COS_BUCKET=${bucket} COS_REGION=${region} COS_CI_ENDPOINT=${emulator.url} ` +
      `COS_SECRET_ID=${credential.secretId} COS_SECRET_KEY=<the emulator's placeholder key>`
  )

  // cos-ci reads these settings from the environment; here they come from a ConfigProvider instead.
  const environment = ConfigProvider.fromMap(
    new Map([
      ["COS_BUCKET", bucket],
      ["COS_REGION", region],
      ["COS_CI_ENDPOINT", emulator.url],
      ["COS_SECRET_ID", credential.secretId],
      ["COS_SECRET_KEY", Redacted.value(credential.secretKey)]
    ])
  )

  const created = yield* cosCi([
    "jobs",
    "create",
    "--name",
    "demo-transcode",
    "--type",
    "Job",
    "--tag",
    "Transcode",
    "--prefix",
    "uploads/",
    "--template-id",
    "t1460606b9752148c4ab182f55163ba7cd",
    "--output-region",
    region,
    "--output-bucket",
    bucket,
    "--output-object",
    "out/${InventoryTriggerJobId}.mp4",
    "--output",
    "json"
  ]).pipe(Effect.withConfigProvider(environment))
  const jobId: string = JSON.parse(created).jobId

  yield* cosCi(["jobs", "list"]).pipe(Effect.withConfigProvider(environment))
  const cancelled = yield* cosCi(["jobs", "cancel", jobId]).pipe(Effect.withConfigProvider(environment))
  yield* cosCi(["jobs", "describe", jobId]).pipe(Effect.withConfigProvider(environment))

  // The emulator verified the Authorization of every request. Show what it received and returned.
  yield* Console.log("")
  for (const request of yield* emulator.requests) {
    yield* Console.log(`emulator: ${request.method} ${request.url} -> ${request.status} (signature verified)`)
  }

  const requestId = /request id: (\S+)/.exec(cancelled)?.[1]
  const state = Option.map(yield* emulator.getJob(jobId), (job) => job.state)
  yield* Console.log(`\nCancel request id: ${requestId ?? "(none)"}`)
  yield* Console.log(`Job ${jobId} is now in state: ${Option.getOrElse(state, () => "(unknown)")}`)

  if (requestId === undefined || requestId === "(none)") {
    return yield* Effect.dieMessage("the cancel printed no request id")
  }
  if (!Option.contains(state, "Cancel")) {
    return yield* Effect.dieMessage(`expected state Cancel, got ${Option.getOrElse(state, () => "no job")}`)
  }
}).pipe(Effect.scoped)

NodeRuntime.runMain(program)
