import { describe, expect, it } from "@effect/vitest"
import * as Emulator from "@effect-cos/emulator/Emulator"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import * as Path from "node:path"

// `cos-ci` runs as a real child process against the emulator on a loopback port, so these tests
// check exactly what an operator gets: stdout, stderr and the exit code.

// The executable the package's "bin" entry names.
const bin = Path.resolve(import.meta.dirname, "..", "bin", "cos-ci.mjs")

interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const credentials = { COS_SECRET_ID: "AKIDEXAMPLE", COS_SECRET_KEY: "SECRETKEYEXAMPLE" }

const repositoryRoot = Path.resolve(import.meta.dirname, "..", "..", "..")

/** Runs `cos-ci` directly, or with `viaPnpm` as the README shows it: `pnpm -s cos-ci` from the root. */
const cosCi = (args: ReadonlyArray<string>, env: Record<string, string> = credentials, viaPnpm = false) =>
  Effect.async<Outcome>((resume) => {
    const [file, fileArgs] = viaPnpm ? ["pnpm", ["-s", "cos-ci", ...args]] : [process.execPath, [bin, ...args]]
    // Only what the CLI needs: no COS_* variables leak in from the machine running the tests.
    const child = ChildProcess.execFile(
      file,
      fileArgs,
      { cwd: repositoryRoot, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env }, timeout: 30_000, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        let code: number | null = 0
        if (error !== null) {
          // A process killed by a signal or the timeout has no exit code.
          code = typeof error.code === "number" ? error.code : null
        }
        resume(Effect.succeed({ code, stdout, stderr }))
      }
    )
    return Effect.sync(() => child.kill())
  })

const bucketArgs = ["--bucket", "examplebucket-1250000000", "--region", "ap-guangzhou"]

/** Finds a loopback port with nothing listening on it. */
const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

describe("cos-ci", () => {
  it.live("cancels a job on the emulator and prints the request id", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running" })

      const outcome = yield* cosCi(["jobs", "cancel", job.jobId, ...bucketArgs, "--endpoint", emulator.url])
      const [request] = yield* emulator.requests

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toMatch(new RegExp(`^Cancelled batch job ${job.jobId}\\. request id: \\S+\\n$`))
      expect(request.status).toBe(200)
      expect(Option.map(yield* emulator.getJob(job.jobId), (stored) => stored.state)).toStrictEqual(Option.some("Cancel"))
    }).pipe(Effect.scoped))

  it.live("takes bucket, region and endpoint from the environment", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Submitted" })

      const outcome = yield* cosCi(["jobs", "cancel", job.jobId], {
        ...credentials,
        COS_BUCKET: "examplebucket-1250000000",
        COS_REGION: "ap-guangzhou",
        COS_CI_ENDPOINT: emulator.url
      })

      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toContain(`Cancelled batch job ${job.jobId}.`)
    }).pipe(Effect.scoped))

  it.live("exits 3 with code, message and request id when CI rejects the cancel", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Success" })

      const outcome = yield* cosCi(["jobs", "cancel", job.jobId, ...bucketArgs, "--endpoint", emulator.url])
      const lines = outcome.stderr.trimEnd().split("\n")

      expect(outcome.code).toBe(3)
      expect(outcome.stdout).toBe("")
      expect(lines[0]).toMatch(/^error: InvalidArgument: .+/)
      expect(lines[1]).toBe("status: 400")
      expect(lines[2]).toMatch(/^request id: \S+$/)
    }).pipe(Effect.scoped))

  it.live("exits 2 for an invalid job id and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const outcome = yield* cosCi(["jobs", "cancel", "../../workflow/w1", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe(
        "error: Invalid jobId \"../../workflow/w1\": must be 1 to 128 characters, each a letter, a digit or \"-\"\n"
      )
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("exits 2 when the credentials are missing", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], {})
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toContain("error: COS_SECRET_ID is not set")
    }))

  it.live("exits 2 for an invalid bucket", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", "--bucket", "evil.com/x-1", "--region", "ap-guangzhou"])
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toMatch(/^error: Invalid bucket "evil.com\/x-1": /)
    }))

  for (const value of ["soon", "0", "-1", "0x10", "1e400", ""]) {
    it.live(`exits 2 for --timeout ${JSON.stringify(value)}`, () =>
      Effect.gen(function*() {
        const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--timeout", value])
        expect(outcome.code).toBe(2)
        expect(outcome.stderr).toBe(
          `error: Invalid --timeout ${JSON.stringify(value)}: must be a positive number of seconds, such as 10 or 2.5\n`
        )
      }))
  }

  it.live("names every missing credential", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], { COS_SECRET_ID: "AKIDEXAMPLE" })
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe(
        "error: COS_SECRET_KEY is not set\n" +
          "Set COS_SECRET_ID and COS_SECRET_KEY, and COS_SESSION_TOKEN for temporary credentials.\n"
      )
    }))

  it.live("exits 2 for a session token that cannot be sent, and does not print it", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], {
        ...credentials,
        COS_SESSION_TOKEN: "TOPSECRET\nTOKEN"
      })
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).not.toContain("TOPSECRET")
      expect(outcome.stderr).toContain("Invalid sessionToken \"<redacted>\"")
    }))

  it.live("writes a long report completely to a pipe", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      // 500 unknown jobs give about 100 KB on stderr, more than a pipe holds at once.
      const ids = Array.from({ length: 500 }, (_, index) => `b${String(index).padStart(32, "0")}`)
      const outcome = yield* cosCi(
        ["jobs", "cancel", ...ids, "--concurrency", "16", ...bucketArgs, "--endpoint", emulator.url],
        credentials,
        true
      )

      expect(outcome.code).toBe(3)
      expect(outcome.stderr.length).toBeGreaterThan(65_536)
      expect(outcome.stderr.match(/was not cancelled/g)).toHaveLength(500)
      expect(outcome.stderr).toMatch(new RegExp(`batch job ${ids[499]} was not cancelled\\n(  .*\\n)+$`))
    }).pipe(Effect.scoped))

  it.live("exits 4 when nothing listens at the endpoint", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--endpoint", `http://127.0.0.1:${port}`])

      expect(outcome.code).toBe(4)
      expect(outcome.stderr).toContain(`request: PUT http://127.0.0.1:${port}/inventorytriggerjob/b1?cancel`)
    }))

  it.live("exits 4 after a timeout", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 5_000 }, times: Infinity })
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--endpoint", emulator.url, "--timeout", "0.2"])

      expect(outcome.code).toBe(4)
      expect(outcome.stderr).toMatch(/^error: Timeout: no complete response within 200ms\n/)
    }).pipe(Effect.scoped))

  it.live("describes a job", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running", name: "nightly" })
      const outcome = yield* cosCi(["jobs", "describe", job.jobId, ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toContain(`job id:        ${job.jobId}\n`)
      expect(outcome.stdout).toContain("name:          nightly\n")
      expect(outcome.stdout).toContain("state:         Running\n")
    }).pipe(Effect.scoped))

  it.live("cancels several jobs and reports each", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const running = yield* emulator.seedJob({ state: "Running" })
      const finished = yield* emulator.seedJob({ state: "Success" })
      const paused = yield* emulator.seedJob({ state: "Pause" })

      const outcome = yield* cosCi([
        "jobs",
        "cancel",
        running.jobId,
        finished.jobId,
        paused.jobId,
        running.jobId,
        ...bucketArgs,
        "--endpoint",
        emulator.url
      ])
      const stdout = outcome.stdout.trimEnd().split("\n")
      const stderr = outcome.stderr.trimEnd().split("\n")

      expect(outcome.code).toBe(3)
      expect(stdout).toHaveLength(2)
      expect(stdout[0]).toMatch(new RegExp(`^Cancelled batch job ${running.jobId}\\. request id: \\S+$`))
      expect(stdout[1]).toMatch(new RegExp(`^Cancelled batch job ${paused.jobId}\\. request id: \\S+$`))
      expect(stderr[0]).toBe(`error: batch job ${finished.jobId} was not cancelled`)
      expect(stderr[1]).toMatch(/^  error: InvalidArgument: /)
      expect(yield* emulator.requests).toHaveLength(3)
    }).pipe(Effect.scoped))

  it.live("checks every id before cancelling any", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running" })
      const outcome = yield* cosCi(["jobs", "cancel", job.jobId, "b/1", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toMatch(/^error: Invalid jobIds\[1\] "b\/1": /)
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("lists jobs in a state", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const older = yield* emulator.seedJob({ state: "Running", name: "older", creationTime: new Date("2026-01-01T00:00:00Z") })
      yield* emulator.seedJob({ state: "Success", name: "done" })
      const newer = yield* emulator.seedJob({ state: "Running", name: "newer", creationTime: new Date("2026-01-02T00:00:00Z") })

      const outcome = yield* cosCi(["jobs", "list", "--state", "Running", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toBe(
        `${newer.jobId}\tRunning\tWorkflow\t2026-01-02T00:00:00.000Z\tnewer\n` +
          `${older.jobId}\tRunning\tWorkflow\t2026-01-01T00:00:00.000Z\tolder\n`
      )
      expect((yield* emulator.requests)[0].url).toBe("/inventorytriggerjob?size=100&states=Running")
    }).pipe(Effect.scoped))

  it.live("documents every option and its unit", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "--help"], {})
      expect(outcome.code).toBe(0)
      for (const text of ["--bucket", "--region", "--endpoint", "--timeout", "Seconds one attempt may take", "COS_SECRET_ID"]) {
        expect(outcome.stdout).toContain(text)
      }
    }))
})
