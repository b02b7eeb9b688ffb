import * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import {
  bin,
  bucketArgs,
  closedPort,
  cosCi,
  cosCiWithClosedPipe,
  credentials,
  hasScript,
  repositoryRoot
} from "./helpers.js"

/** Runs `cos-ci --help` on a pseudo-terminal through `script`, with NO_COLOR set to `noColor`. */
const helpOnTerminal = (noColor: string) =>
  Effect.async<string>((resume) => {
    const child = ChildProcess.spawn("script", ["-qec", `'${process.execPath}' '${bin}' --help`, "/dev/null"], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? "", NO_COLOR: noColor },
      timeout: 30_000
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    child.on("close", () => resume(Effect.succeed(output)))
    return Effect.sync(() => child.kill())
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
      expect(Option.map(yield* emulator.getJob(job.jobId), (stored) => stored.state)).toStrictEqual(
        Option.some("Cancel")
      )
    }).pipe(Effect.scoped))

  it.live("takes bucket, region and endpoint from the environment", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Submitted" })

      const outcome = yield* cosCi(["jobs", "cancel", job.jobId], {
        env: {
          ...credentials,
          COS_BUCKET: "examplebucket-1250000000",
          COS_REGION: "ap-guangzhou",
          COS_CI_ENDPOINT: emulator.url
        }
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
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], { env: {} })
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toContain(
        "error: COS_SECRET_ID and COS_SECRET_KEY (or TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY) are not set\n"
      )
    }))

  it.live("exits 2 for an invalid bucket", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", "--bucket", "evil.com/x-1", "--region", "ap-guangzhou"])
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toMatch(/^error: Invalid bucket "evil.com\/x-1": /)
    }))

  it.live("exits 2 for an invalid --timeout", () =>
    Effect.gen(function*() {
      // The other rejected values are checked in-process by internal.test.ts.
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["0x10", "must be a number of seconds, such as 10 or 2.5"],
        ["9999999", "must be at most 2147483.647 seconds (about 24.9 days)"],
        ["0.0001", "must have at most 3 decimal places, because it is read to the millisecond"]
      ]
      for (const [value, reason] of cases) {
        const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--timeout", value])
        expect(outcome.code).toBe(2)
        expect(outcome.stderr).toBe(`error: Invalid --timeout "${value}": ${reason}\n`)
      }
    }))

  it.live("takes the timeout from COS_CI_TIMEOUT", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 5_000 }, times: Infinity })
      const env = { ...credentials, COS_CI_ENDPOINT: emulator.url }

      // Seconds, as --timeout takes them, and the duration form CiClient.layerConfig reads.
      for (const value of ["0.2", "200 millis"]) {
        const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], {
          env: { ...env, COS_CI_TIMEOUT: value }
        })
        expect(outcome.code).toBe(4)
        expect(outcome.stderr).toMatch(/^error: Timeout: no complete response within 200ms\n/)
      }

      const overridden = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--timeout", "0.3"], {
        env: { ...env, COS_CI_TIMEOUT: "soon" }
      })
      expect(overridden.code).toBe(4)
      expect(overridden.stderr).toMatch(/^error: Timeout: no complete response within 300ms\n/)
    }).pipe(Effect.scoped))

  it.live("exits 2 for an invalid COS_CI_TIMEOUT and names it", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], {
        env: { ...credentials, COS_CI_TIMEOUT: "0" }
      })
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe("error: Invalid COS_CI_TIMEOUT \"0\": must be greater than 0\n")
    }))

  it.live("rejects the COS_CI_TIMEOUT texts the library rejects", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const notATime = "must be a number of seconds, such as 10 or 2.5, or a duration such as \"10 seconds\""
      const outOfRange = "must be from 1 millisecond to 2147483.647 seconds"
      // The same texts as the COS_CI_TIMEOUT cases of CiClient.layerConfig in the http package.
      const cases: ReadonlyArray<readonly [string, string]> = [
        [" 10", notATime],
        ["10 ", notATime],
        [" 10 seconds", notATime],
        ["0.0001", "must have at most 3 decimal places, because it is read to the millisecond"],
        ["1.0001", "must have at most 3 decimal places, because it is read to the millisecond"],
        ["500 micros", outOfRange],
        ["0.5 nanos", outOfRange],
        ["999999 nanos", outOfRange]
      ]
      for (const [value, reason] of cases) {
        const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--endpoint", emulator.url], {
          env: { ...credentials, COS_CI_TIMEOUT: value }
        })
        expect(outcome.code).toBe(2)
        expect(outcome.stderr).toBe(`error: Invalid COS_CI_TIMEOUT ${JSON.stringify(value)}: ${reason}\n`)
      }
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("reads a COS_CI_TIMEOUT of 1 millisecond", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.injectFault({ fault: { _tag: "Delay", millis: 5_000 }, times: Infinity })

      for (const value of ["0.001", "1000000 nanos"]) {
        const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--endpoint", emulator.url], {
          env: { ...credentials, COS_CI_TIMEOUT: value }
        })
        expect(outcome.code).toBe(4)
        expect(outcome.stderr).toMatch(/^error: Timeout: no complete response within 1ms\n/)
      }
    }).pipe(Effect.scoped))

  it.live("exits 2 for an endpoint with a password and hides it", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi([
        "jobs",
        "cancel",
        "b1",
        ...bucketArgs,
        "--endpoint",
        "http://u:TOPSECRET@127.0.0.1:18080"
      ])

      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe(
        "error: Invalid endpoint \"http://<redacted>@127.0.0.1:18080\": must not contain user information\n"
      )
    }))

  it.live("exits 2 for an endpoint port out of range", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--endpoint", "http://127.0.0.1:99999"])

      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe(
        "error: Invalid endpoint \"http://127.0.0.1:99999\": must have a port from 1 to 65535\n"
      )
    }))

  it.live("escapes control characters in a CI error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.injectFault({
        fault: {
          _tag: "Reply",
          status: 400,
          headers: { "content-type": "application/xml" },
          body: "<Error><Code>Bad\u001b[2J</Code><Message>evil \u001b]0;pwned\u0007</Message>" +
            "<RequestId>R\u001b[1m</RequestId><TraceId>T\u009b0m</TraceId></Error>"
        }
      })
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(3)
      expect(outcome.stderr).toBe(
        "error: Bad\\u001b[2J: evil \\u001b]0;pwned\\u0007\n" +
          "status: 400\n" +
          "request id: R\\u001b[1m\n" +
          "trace id: T\\u009b0m\n"
      )
    }).pipe(Effect.scoped))

  it.live("keeps a multi-line message inside its job's report", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const first = yield* emulator.seedJob({ state: "Running" })
      const second = yield* emulator.seedJob({ state: "Running" })
      yield* emulator.injectFault({
        method: "PUT",
        fault: {
          _tag: "Reply",
          status: 400,
          headers: { "content-type": "application/xml" },
          body: "<Error><Code>InvalidArgument</Code><Message>first line\nerror: forged line</Message>" +
            "<RequestId>R1</RequestId></Error>"
        }
      })
      const outcome = yield* cosCi([
        "jobs",
        "cancel",
        first.jobId,
        second.jobId,
        "--concurrency",
        "1",
        ...bucketArgs,
        "--endpoint",
        emulator.url
      ])

      expect(outcome.code).toBe(3)
      expect(outcome.stdout).toMatch(new RegExp(`^Cancelled batch job ${second.jobId}\\. request id: \\S+\\n$`))
      expect(outcome.stderr).toBe(
        `error: batch job ${first.jobId} was not cancelled\n` +
          "  error: InvalidArgument: first line\\nerror: forged line\n" +
          "  status: 400\n" +
          "  request id: R1\n"
      )
    }).pipe(Effect.scoped))

  it.live("escapes control characters in the body of an HTTP error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      // 403 is not retried, so the reply reaches the report.
      yield* emulator.injectFault({
        fault: {
          _tag: "Reply",
          status: 403,
          headers: { "content-type": "text/html" },
          body: "<h1>denied\u001b]0;pwned\u0007</h1>"
        }
      })
      const outcome = yield* cosCi(["jobs", "describe", "b1", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(3)
      expect(outcome.stderr).toBe(
        "error: HTTP 403 without a CI error document (text/html)\n" +
          "body: <h1>denied\\u001b]0;pwned\\u0007</h1>\n"
      )
    }).pipe(Effect.scoped))

  it.live("escapes control characters in an unreadable response", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.injectFault({
        fault: {
          _tag: "Reply",
          status: 200,
          headers: { "content-type": "application/xml" },
          body: "<Response\u001b[2J></Response\u001b[2J>"
        }
      })
      const outcome = yield* cosCi(["jobs", "describe", "b1", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(3)
      expect(outcome.stderr).toMatch(/^error: unreadable response: .*Response\\u001b\[2J.*\nstatus: 200\n$/)
      expect(outcome.stderr).not.toContain("\u001b")
    }).pipe(Effect.scoped))

  it.live("names a misspelt option that comes before --bucket", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const outcome = yield* cosCi(["jobs", "list", "--stat", "Running", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.code).toBe(2)
      expect(outcome.stdout).toBe("")
      expect(outcome.stderr).toBe(
        "error: unknown option --stat for cos-ci jobs list. Did you mean --state? See cos-ci jobs list --help.\n"
      )
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("shows --state and job ids as optional in --help", () =>
    Effect.gen(function*() {
      const list = yield* cosCi(["jobs", "list", "--help"], { env: {} })
      const cancel = yield* cosCi(["jobs", "cancel", "--help"], { env: {} })

      expect(list.code).toBe(0)
      expect(list.stdout).toContain("$ list [--state Submitted | Running | Success | Failed | Pause | Cancel...] [")
      expect(cancel.code).toBe(0)
      expect(cancel.stdout).toContain("$ cancel [--state Submitted | Running | Pause...] [")
      expect(cancel.stdout).toContain(" [<jobId>...]\n")
    }))

  it.live("finishes its work when the reader closes stdout", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      // About 330 KB of JSON, far more than a 64 KiB pipe buffer takes at once.
      for (let index = 0; index < 600; index++) {
        yield* emulator.seedJob({ state: "Running" })
      }
      const outcome = yield* cosCiWithClosedPipe(
        ["jobs", "list", "--limit", "600", "-o", "json", ...bucketArgs, "--endpoint", emulator.url],
        "stdout"
      )

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      // Every page of 100 was read.
      expect(yield* emulator.requests).toHaveLength(6)
    }).pipe(Effect.scoped))

  it.live("cancels every job when the reader closes stderr", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const jobs = yield* Effect.forEach(Array.from({ length: 5 }), () => emulator.seedJob({ state: "Running" }))
      // The first cancel is throttled once, so a debug log line goes to the closed stderr before any job is cancelled.
      yield* emulator.injectFault({ method: "PUT", fault: { _tag: "Reply", status: 503 } })
      const outcome = yield* cosCiWithClosedPipe(
        [
          "jobs",
          "cancel",
          ...jobs.map((job) => job.jobId),
          "--concurrency",
          "1",
          "--log-level",
          "debug",
          ...bucketArgs,
          "--endpoint",
          emulator.url
        ],
        "stderr"
      )

      expect(outcome.code).toBe(0)
      expect(outcome.stdout.match(/^Cancelled batch job /gm)).toHaveLength(5)
      for (const job of jobs) {
        expect(Option.map(yield* emulator.getJob(job.jobId), (stored) => stored.state)).toStrictEqual(
          Option.some("Cancel")
        )
      }
    }).pipe(Effect.scoped))

  it.live("names every missing credential", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], { env: { COS_SECRET_ID: "AKIDEXAMPLE" } })
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe(
        "error: COS_SECRET_KEY (or TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY) is not set\n" +
          "Set COS_SECRET_ID and COS_SECRET_KEY, and COS_SESSION_TOKEN for temporary credentials. " +
          "The TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN names work too.\n"
      )
    }))

  it.live("takes the credentials from the TENCENTCLOUD_* names", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running" })
      const outcome = yield* cosCi(["jobs", "cancel", job.jobId, ...bucketArgs, "--endpoint", emulator.url], {
        env: { TENCENTCLOUD_SECRET_ID: "AKIDEXAMPLE", TENCENTCLOUD_SECRET_KEY: "SECRETKEYEXAMPLE" }
      })
      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toContain(`Cancelled batch job ${job.jobId}.`)
    }).pipe(Effect.scoped))

  it.live("exits 2 for a session token that cannot be sent, and does not print it", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "b1", ...bucketArgs], {
        env: { ...credentials, COS_SESSION_TOKEN: "TOPSECRET\nTOKEN" }
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
        { viaPnpm: true }
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
      const outcome = yield* cosCi([
        "jobs",
        "cancel",
        "b1",
        ...bucketArgs,
        "--endpoint",
        emulator.url,
        "--timeout",
        "0.2"
      ])

      expect(outcome.code).toBe(4)
      expect(outcome.stderr).toMatch(/^error: Timeout: no complete response within 200ms\n/)
    }).pipe(Effect.scoped))

  it.live("describes a job", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({
        state: "Running",
        name: "nightly",
        type: "Job",
        tag: "Transcode",
        progress: 40,
        queueId: "p0123456789abcdef",
        input: { prefix: "uploads/" },
        creationTime: new Date("2026-01-02T03:04:05Z"),
        startTime: new Date("2026-01-02T03:05:00Z")
      })
      const outcome = yield* cosCi(["jobs", "describe", job.jobId, ...bucketArgs, "--endpoint", emulator.url])
      const [request] = yield* emulator.requests

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toBe(
        `job id:        ${job.jobId}\n` +
          "name:          nightly\n" +
          "type:          Job\n" +
          "state:         Running\n" +
          "code:          Success\n" +
          "message:       -\n" +
          "created:       2026-01-02T03:04:05Z\n" +
          "started:       2026-01-02T03:05:00Z\n" +
          "ended:         -\n" +
          "progress:      40%\n" +
          "tag:           Transcode\n" +
          "queue id:      p0123456789abcdef\n" +
          "input:         prefix uploads/\n" +
          "user data:     -\n" +
          `request id:    ${request.requestId}\n`
      )
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
      expect(stderr[1]).toMatch(/^ {2}error: InvalidArgument: /)
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

  it.live("lists jobs in a state as a table", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const older = yield* emulator.seedJob({
        state: "Running",
        name: "older",
        creationTime: new Date("2026-01-01T00:00:00Z")
      })
      yield* emulator.seedJob({ state: "Success", name: "done" })
      const newer = yield* emulator.seedJob({
        state: "Running",
        name: "newer\tone",
        type: "Job",
        progress: 5,
        creationTime: new Date("2026-01-02T00:00:00Z")
      })

      const outcome = yield* cosCi(["jobs", "list", "--state", "Running", ...bucketArgs, "--endpoint", emulator.url])

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      // A tab in a name is shown escaped, so that it cannot break the columns.
      expect(outcome.stdout).toBe(
        "JOB ID                             TYPE      STATE    PROGRESS  CREATED (UTC)         NAME\n" +
          `${newer.jobId}  Job       Running  5%        2026-01-02T00:00:00Z  newer\\tone\n` +
          `${older.jobId}  Workflow  Running  -         2026-01-01T00:00:00Z  older\n`
      )
      expect((yield* emulator.requests).map((request) => request.url)).toStrictEqual([
        "/inventorytriggerjob?size=100&states=Running"
      ])
    }).pipe(Effect.scoped))

  it.live("documents every option and its unit", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "cancel", "--help"], { env: {} })
      expect(outcome.code).toBe(0)
      for (
        const text of [
          "--bucket",
          "--region",
          "--endpoint",
          "--timeout",
          "Seconds one attempt may take",
          "COS_SECRET_ID",
          "--output",
          "--state",
          "--yes",
          "--dry-run",
          "--concurrency"
        ]
      ) {
        expect(outcome.stdout).toContain(text)
      }
    }))

  it.live("writes --help without colours to a pipe", () =>
    Effect.gen(function*() {
      for (const noColor of ["1", ""]) {
        const outcome = yield* cosCi(["--help"], { env: { NO_COLOR: noColor } })

        expect(outcome.code).toBe(0)
        expect(outcome.stdout).toMatch(/^cos-ci\n\ncos-ci 0\.1\.0\n\nUSAGE\n/)
        expect(outcome.stdout).not.toContain("\u001b")
      }
    }))

  it.live.skipIf(!hasScript)("colours --help on a terminal unless NO_COLOR is set", () =>
    Effect.gen(function*() {
      const coloured = yield* helpOnTerminal("")
      const plain = yield* helpOnTerminal("1")

      expect(coloured).toContain("\u001b[0;1mUSAGE\u001b[0m")
      expect(plain).toContain("USAGE")
      expect(plain).not.toContain("\u001b")
    }))

  it.live("prints the version of the package", () =>
    Effect.gen(function*() {
      const packageJson = JSON.parse(Fs.readFileSync(Path.resolve(import.meta.dirname, "..", "package.json"), "utf8"))
      const outcome = yield* cosCi(["--version"], { env: {} })

      expect(outcome.code).toBe(0)
      expect(outcome.stdout.trim()).toBe(packageJson.version)
    }))

  it.live("prints a bash completion script", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["--completions", "bash"], { env: {} })

      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toMatch(/^function _cos-ci_bash_completions\(\) \{\n/)
      expect(outcome.stdout).toContain("complete -F _cos-ci_bash_completions")
      for (const subcommand of ["create", "describe", "list", "cancel", "wait"]) {
        expect(outcome.stdout).toContain(`cos__ci,jobs,${subcommand})`)
      }
    }))

  it.live("reports a usage error as JSON with --output json", () =>
    Effect.gen(function*() {
      const outcome = yield* cosCi(["jobs", "list", "--state", "Done", "--output", "json", ...bucketArgs])

      expect(outcome.code).toBe(2)
      expect(outcome.stdout).toBe("")
      expect(JSON.parse(outcome.stderr)).toStrictEqual({
        error: {
          tag: "UsageError",
          code: null,
          message: "Expected one of the following cases: Submitted, Running, Success, Failed, Pause, Cancel",
          status: null,
          requestId: null
        }
      })
    }))
  it.live("keeps stdout pure JSON with logs on", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running" })
      // One throttled attempt, so the client logs its retry.
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 503, body: "" } })
      const outcome = yield* cosCi([
        "jobs",
        "cancel",
        job.jobId,
        ...bucketArgs,
        "--endpoint",
        emulator.url,
        "--output",
        "json",
        "--log-level",
        "all"
      ])

      expect(outcome.code).toBe(0)
      expect(JSON.parse(outcome.stdout)).toMatchObject({ results: [{ jobId: job.jobId, cancelled: true }] })
      expect(outcome.stderr).toContain("CI request failed, retrying")
    }).pipe(Effect.scoped))
})
