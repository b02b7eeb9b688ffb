import * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import * as Path from "node:path"
import { leaksIn } from "./capture.js"
import { bucket, credential, faultCases, region, secretId, secretKey, sessionToken } from "./matrix.js"

// cos-ci as a child process against the emulator, with distinctive credentials in its environment and
// logging at the most verbose level. Neither secret nor a signature may reach stdout or stderr.

const repositoryRoot = Path.resolve(import.meta.dirname, "..", "..", "..", "..")
const bin = Path.join(repositoryRoot, "packages", "cli", "bin", "cos-ci.mjs")

/** Every child process is killed after this long, so a hanging `cos-ci` fails its test. */
const childTimeoutMillis = 30_000

const secretEnv = { COS_SECRET_ID: secretId, COS_SECRET_KEY: secretKey, COS_SESSION_TOKEN: sessionToken }

interface Outcome {
  readonly code: number | null
  readonly output: string
}

/** Runs `cos-ci --log-level all <args>` and returns its exit code with stdout and stderr joined. */
const cosCi = (args: ReadonlyArray<string>, env: Record<string, string> = secretEnv) =>
  Effect.async<Outcome>((resume) => {
    const child = ChildProcess.execFile(
      process.execPath,
      [bin, "--log-level", "all", ...args],
      {
        cwd: repositoryRoot,
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env },
        timeout: childTimeoutMillis
      },
      (error, stdout, stderr) => {
        let code: number | null = 0
        if (error !== null) {
          // A process killed by a signal or the timeout has no exit code.
          code = typeof error.code === "number" ? error.code : null
        }
        resume(Effect.succeed({ code, output: `${stdout}\n${stderr}` }))
      }
    )
    return Effect.sync(() => child.kill())
  })

const connection = (
  emulator: { readonly url: string }
) => ["--bucket", bucket, "--region", region, "--endpoint", emulator.url]

/** Finds a loopback port with nothing listening on it. */
const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const injected = faultCases.filter((faultCase) => faultCase.inject !== undefined)

describe.concurrent("cos-ci output", () => {
  for (const output of ["table", "json"]) {
    it.scopedLive(`shows no secret for any fault, --output ${output}`, () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.make({ credentials: [credential] })
        const jobIds: Array<string> = []
        for (const faultCase of injected) {
          const job = yield* emulator.seedJob({ state: "Running" })
          yield* emulator.injectFault({
            fault: faultCase.inject!,
            path: `/inventorytriggerjob/${job.jobId}`,
            times: Infinity
          })
          jobIds.push(job.jobId)
        }

        const outcome = yield* cosCi([
          "jobs",
          "cancel",
          ...jobIds,
          "--concurrency",
          String(jobIds.length),
          "--timeout",
          "1",
          "--output",
          output,
          ...connection(emulator)
        ])

        // A transport failure is the worst outcome, so it decides the exit code.
        expect(outcome.code).toBe(4)
        expect(leaksIn(outcome.output)).toStrictEqual([])
        for (const jobId of jobIds) {
          expect(outcome.output).toContain(jobId)
        }
        expect(outcome.output).toContain("SlowDown")
        expect(outcome.output).toContain("CI request failed, retrying")
      }), childTimeoutMillis + 5_000)

    it.scopedLive(`shows no secret for a signature mismatch, --output ${output}`, () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.make({
          credentials: [{ ...credential, secretKey: Redacted.make("SecretKey-the-emulator-expects") }]
        })
        const job = yield* emulator.seedJob({ state: "Running" })
        const outcome = yield* cosCi(["jobs", "cancel", job.jobId, "--output", output, ...connection(emulator)])

        expect(outcome.code).toBe(3)
        expect(leaksIn(outcome.output)).toStrictEqual([])
        // The emulator's message quotes the signed headers, and the token in it reads <redacted>.
        expect(outcome.output).toContain("SignatureDoesNotMatch")
        expect(outcome.output).toContain("x-ci-security-token=<redacted>")
      }), childTimeoutMillis + 5_000)
  }

  it.scopedLive("shows no secret while it corrects the clock", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make({ credentials: [credential], now: () => Date.now() + 3_600_000 })
      const job = yield* emulator.seedJob({ state: "Running" })
      const outcome = yield* cosCi(["jobs", "cancel", job.jobId, ...connection(emulator)])

      expect(outcome.code).toBe(0)
      expect(leaksIn(outcome.output)).toStrictEqual([])
      expect(outcome.output).toContain("Corrected the signing clock")
    }), childTimeoutMillis + 5_000)

  it.live("shows no secret for an invalid job id", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "../x", "--bucket", bucket, "--region", region])

      expect(outcome.code).toBe(2)
      expect(leaksIn(outcome.output)).toStrictEqual([])
      expect(outcome.output).toContain("Invalid jobId")
    }), childTimeoutMillis + 5_000)

  it.live("shows no secret for a token that cannot be sent", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(
        ["jobs", "describe", "b1", "--bucket", bucket, "--region", region, "--output", "json"],
        { ...secretEnv, COS_SESSION_TOKEN: `${sessionToken} with a space` }
      )

      expect(outcome.code).toBe(2)
      expect(leaksIn(outcome.output)).toStrictEqual([])
      expect(outcome.output).toContain("sessionToken")
    }), childTimeoutMillis + 5_000)

  it.live("shows no secret when the SecretId is missing", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(
        ["jobs", "describe", "b1", "--bucket", bucket, "--region", region, "--output", "json"],
        { COS_SECRET_KEY: secretKey, COS_SESSION_TOKEN: sessionToken }
      )

      expect(outcome.code).toBe(2)
      expect(leaksIn(outcome.output)).toStrictEqual([])
      expect(outcome.output).toContain("COS_SECRET_ID")
    }), childTimeoutMillis + 5_000)

  it.live("shows no secret for a refused connection", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...connection({ url: `http://127.0.0.1:${port}` })])

      expect(outcome.code).toBe(4)
      expect(leaksIn(outcome.output)).toStrictEqual([])
      expect(outcome.output).toContain("ECONNREFUSED")
    }), childTimeoutMillis + 5_000)
})
