import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { sendRaw, signRequest } from "./helpers.js"

const packageDirectory = Path.dirname(Path.dirname(fileURLToPath(import.meta.url)))

interface Run {
  readonly child: ChildProcess.ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly exited: Promise<number | null>
}

const spawnBin = (args: ReadonlyArray<string>): Run => {
  const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", "src/bin.ts", ...args], {
    cwd: packageDirectory,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8")
  })
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8")
  })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** Starts the runner and kills it when the scope closes, whatever the test did. */
const spawnScoped = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(Effect.sync(() => spawnBin(args)), (run) =>
    Effect.sync(() => {
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill("SIGKILL")
      }
    }))

const waitForExit = (run: Run) =>
  Effect.promise(() => run.exited).pipe(
    Effect.timeoutFail({ duration: 15_000, onTimeout: () => new Error("the runner did not exit within 15 s") })
  )

const waitForOutput = (run: Run, text: string) =>
  Effect.gen(function*() {
    while (!run.stdout().includes(text)) {
      if (run.child.exitCode !== null) {
        return yield* Effect.fail(new Error(`the runner exited early: ${run.stderr()}`))
      }
      yield* Effect.sleep("50 millis")
    }
  }).pipe(
    Effect.timeoutFail({ duration: 15_000, onTimeout: () => new Error(`no "${text}" on stdout within 15 s`) })
  )

describe("bin", () => {
  for (const args of [["--port", "abc"], ["--port", "65536"], ["--port", "-1"], ["--unknown"]]) {
    it.scopedLive(`rejects ${args.join(" ")} with exit code 2`, () =>
      Effect.gen(function*() {
        const run = yield* spawnScoped(args)
        const code = yield* waitForExit(run)

        expect(code).toBe(2)
        expect(run.stderr()).toContain("Usage: pnpm emulator [--port N]")
        expect(run.stdout()).toBe("")
      }))
  }

  for (
    const [args, message] of [
      [["--run-after", "soon"], "Invalid --run-after \"soon\": expected a number of seconds from 0 to 86400."],
      [["--succeed-after=-1"], "Invalid --succeed-after \"-1\": expected a number of seconds from 0 to 86400."],
      [["--succeed-after", "86401"], "Invalid --succeed-after \"86401\": expected a number of seconds from 0 to 86400."]
    ] as const
  ) {
    it.scopedLive(`rejects ${args.join(" ")} with exit code 2 and names the option`, () =>
      Effect.gen(function*() {
        const run = yield* spawnScoped(args)
        const code = yield* waitForExit(run)

        expect(code).toBe(2)
        expect(run.stderr()).toContain(message)
        expect(run.stdout()).toBe("")
      }))
  }

  it.scopedLive("rejects a port that fetch refuses", () =>
    Effect.gen(function*() {
      const run = yield* spawnScoped(["--port", "6000"])
      const code = yield* waitForExit(run)

      expect(code).toBe(2)
      expect(run.stderr()).toContain(
        "Invalid --port \"6000\": fetch, which cos-ci uses, refuses to connect to this port."
      )
    }))

  it.scopedLive("names the invalid port", () =>
    Effect.gen(function*() {
      const run = yield* spawnScoped(["--port", "abc"])
      yield* waitForExit(run)

      expect(run.stderr()).toContain("Invalid --port \"abc\": expected an integer from 0 to 65535.")
    }))

  it.scopedLive("serves a seeded running job and stops on SIGTERM", () =>
    Effect.gen(function*() {
      const run = yield* spawnScoped(["--port", "0"])
      yield* waitForOutput(run, "Press Ctrl+C to stop.")

      const output = run.stdout()
      const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output)
      const jobId = /Seeded a Running job: (b[0-9a-f]{32})/.exec(output)
      expect(url).not.toBeNull()
      expect(jobId).not.toBeNull()
      expect(output).toContain("SecretId:  AKIDEXAMPLE")
      expect(output).toContain("SecretKey: SECRETKEYEXAMPLE")
      expect(output).toContain("Jobs keep their state until they are cancelled.")
      expect(output).toContain(
        "  COS_SECRET_ID=AKIDEXAMPLE COS_SECRET_KEY=SECRETKEYEXAMPLE \\\n" +
          `    pnpm -s cos-ci jobs cancel ${jobId![1]} --bucket examplebucket-1250000000 --region ap-guangzhou \\\n` +
          `    --endpoint ${url![1]}\n`
      )

      const port = Number(url![2])
      const now = Date.now()
      const result = yield* sendRaw(
        port,
        signRequest(port, {
          method: "GET",
          path: `/inventorytriggerjob/${jobId![1]}`,
          keyTime: { start: Math.floor(now / 1000) - 60, end: Math.floor(now / 1000) + 900 }
        })
      )
      expect(result.status).toBe(200)
      expect(result.body).toContain("<State>Running</State>")

      run.child.kill("SIGTERM")
      const code = yield* waitForExit(run)
      expect(code).toBe(0)
      expect(run.stdout()).toContain("Emulator stopped.")
    }))

  it.scopedLive("moves jobs on their own with --succeed-after, keeping the default --run-after", () =>
    Effect.gen(function*() {
      const run = yield* spawnScoped(["--succeed-after", "0.3"])
      yield* waitForOutput(run, "Press Ctrl+C to stop.")

      const output = run.stdout()
      expect(output).toContain(
        "Jobs run 5 s after they are submitted and succeed 0.3 s after they start running."
      )
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)![1])
      const jobId = /Seeded a Running job: (b[0-9a-f]{32})/.exec(output)![1]

      // The seeded job started running when it was seeded, so it has succeeded 0.3 s later.
      yield* Effect.sleep("600 millis")
      const now = Math.floor(Date.now() / 1000)
      const result = yield* sendRaw(
        port,
        signRequest(port, {
          method: "GET",
          path: `/inventorytriggerjob/${jobId}`,
          keyTime: { start: now - 60, end: now + 900 }
        })
      )
      expect(result.status).toBe(200)
      expect(result.body).toContain("<State>Success</State>")
    }))
})
