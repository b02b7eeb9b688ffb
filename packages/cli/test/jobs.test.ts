import * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { bucketArgs, cosCi, cosCiOnTerminal, hasScript } from "./helpers.js"

// create, list, cancel with a filter, and wait, each run as a child process against the emulator.

const endpointArgs = (emulator: Emulator.Emulator.Service) => [...bucketArgs, "--endpoint", emulator.url]

const isoSeconds = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/)

const stateOf = (emulator: Emulator.Emulator.Service, jobId: string) =>
  Effect.map(emulator.getJob(jobId), Option.map((job) => job.state))

describe("cos-ci jobs create", () => {
  it.live("creates a job from flags and prints it as JSON", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const outcome = yield* cosCi([
        "jobs",
        "create",
        "--name",
        "transcode-uploads",
        "--type",
        "Job",
        "--prefix",
        "uploads/",
        "--uploaded-since",
        "2026-01-01T00:00:00+08:00",
        "--tag",
        "Transcode",
        "--template-id",
        "t1",
        "--queue-id",
        "p1",
        "--output-region",
        "ap-guangzhou",
        "--output-bucket",
        "examplebucket-1250000000",
        "--output-object",
        "out/${InventoryTriggerJobId}.mp4",
        "--user-data",
        "a b",
        "--job-level",
        "1",
        "--callback",
        "http://127.0.0.1:9/callback",
        "--callback-format",
        "JSON",
        "--callback-type",
        "Url",
        "--job-param",
        "{\"Transcode\":{\"Container\":{\"Format\":\"mp4\"}}}",
        "--output",
        "json",
        ...endpointArgs(emulator)
      ])
      const [request] = yield* emulator.requests

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(request.method).toBe("POST")
      expect(request.body).toBe(
        "<Request><Name>transcode-uploads</Name><Type>Job</Type><Input><Prefix>uploads/</Prefix></Input>" +
          "<Operation><TimeInterval><Start>2026-01-01T00:00:00+0800</Start></TimeInterval><QueueId>p1</QueueId>" +
          "<UserData>a b</UserData><JobLevel>1</JobLevel><CallBackFormat>JSON</CallBackFormat>" +
          "<CallBackType>Url</CallBackType><CallBack>http://127.0.0.1:9/callback</CallBack><Tag>Transcode</Tag>" +
          "<JobParam><TemplateId>t1</TemplateId><Transcode><Container><Format>mp4</Format></Container></Transcode>" +
          "</JobParam><Output><Region>ap-guangzhou</Region><Bucket>examplebucket-1250000000</Bucket>" +
          "<Object>out/${InventoryTriggerJobId}.mp4</Object></Output></Operation></Request>"
      )
      const printed = JSON.parse(outcome.stdout)
      expect(printed).toStrictEqual({
        jobId: expect.stringMatching(/^b[0-9a-f]{32}$/),
        name: "transcode-uploads",
        type: "Job",
        state: "Submitted",
        code: "Success",
        message: "",
        creationTime: isoSeconds,
        startTime: null,
        endTime: null,
        progress: null,
        queueId: "p1",
        tag: "Transcode",
        input: { manifest: null, urlFile: null, prefix: "uploads/", object: null },
        userData: "a b",
        requestId: request.requestId
      })
      expect(request.requestId).toMatch(/^[A-Za-z0-9+/]+=*$/)
      expect(yield* stateOf(emulator, printed.jobId)).toStrictEqual(Option.some("Submitted"))
    }).pipe(Effect.scoped))

  it.live("creates a job from a JSON file", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const directory = Fs.mkdtempSync(Path.join(Os.tmpdir(), "cos-ci-"))
      const file = Path.join(directory, "request.json")
      // The input has the null fields that `describe --output json` prints.
      Fs.writeFileSync(
        file,
        JSON.stringify({
          type: "Workflow",
          name: "from-file",
          input: { manifest: "inventory/manifest.json", urlFile: null, prefix: null, object: null },
          workflowIds: "w0123456789abcdef"
        })
      )
      const outcome = yield* cosCi(["jobs", "create", "--from-file", file, ...endpointArgs(emulator)])
      Fs.rmSync(directory, { recursive: true })
      const [request] = yield* emulator.requests

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(request.body).toBe(
        "<Request><Name>from-file</Name><Type>Workflow</Type><Input><Manifest>inventory/manifest.json</Manifest>" +
          "</Input><Operation><WorkflowIds>w0123456789abcdef</WorkflowIds></Operation></Request>"
      )
      expect(outcome.stdout).toMatch(
        /^job id: {8}b[0-9a-f]{32}\nname: {10}from-file\ntype: {10}Workflow\nstate: {9}Submitted\n/
      )
    }).pipe(Effect.scoped))

  it.live("names the bad field of a request file and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const request = JSON.stringify({ type: "Job", name: "n", tag: "Transcode", input: { prefx: "uploads/" } })
      const outcome = yield* cosCi(["jobs", "create", "--from-file", "-", ...endpointArgs(emulator)], {
        stdin: request
      })

      expect(outcome.code).toBe(2)
      expect(outcome.stdout).toBe("")
      expect(outcome.stderr).toBe(
        "error: Invalid input.prefx \"uploads/\": is not a field of input; the fields are manifest, urlFile, prefix, object\n"
      )
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("rejects two inputs and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const outcome = yield* cosCi([
        "jobs",
        "create",
        "--name",
        "n",
        "--workflow-id",
        "w1",
        "--prefix",
        "a/",
        "--object",
        "b.mp4",
        ...endpointArgs(emulator)
      ])

      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe(
        "error: give exactly one of --manifest, --url-file, --prefix and --object: got --prefix and --object\n"
      )
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("tells how to check for the job after a 503", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.injectFault({ fault: { _tag: "Reply", status: 503 }, method: "POST" })
      const outcome = yield* cosCi([
        "jobs",
        "create",
        "--name",
        "nightly run",
        "--workflow-id",
        "w1",
        "--prefix",
        "a/",
        ...endpointArgs(emulator)
      ])

      expect(outcome.code).toBe(3)
      expect(outcome.stdout).toBe("")
      expect(outcome.stderr).toBe(
        "error: HTTP 503 without a CI error document\n" +
          "The job may have been created. Check with: cos-ci jobs list --name 'nightly run'\n"
      )
      // A create is not retried after a 5xx, because CI may have started the job.
      expect(yield* emulator.requests).toHaveLength(1)
    }).pipe(Effect.scoped))
})

describe("cos-ci jobs create --from-file checks", () => {
  const limit = 1024 * 1024
  const request = JSON.stringify({ type: "Workflow", name: "padded", input: { prefix: "a/" }, workflowIds: "w1" })
  // Valid JSON of exactly `size` bytes: the request followed by spaces.
  const paddedRequest = (size: number) => request + " ".repeat(size - request.length)

  const withFile = <A, E, R>(content: string | Uint8Array, use: (file: string) => Effect.Effect<A, E, R>) =>
    Effect.acquireUseRelease(
      Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "cos-ci-"))),
      (directory) => {
        const file = Path.join(directory, "request.json")
        Fs.writeFileSync(file, content)
        return use(file)
      },
      (directory) => Effect.sync(() => Fs.rmSync(directory, { recursive: true }))
    )

  it.live("rejects a file one byte over 1 MiB and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* withFile(paddedRequest(limit + 1), (file) =>
        Effect.gen(function*() {
          const outcome = yield* cosCi(["jobs", "create", "--from-file", file, ...endpointArgs(emulator)])

          expect(outcome.code).toBe(2)
          expect(outcome.stdout).toBe("")
          expect(outcome.stderr).toBe(
            `error: Invalid --from-file "${file}": is larger than 1048576 bytes (1 MiB), the limit for a request file\n`
          )
        }))
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("rejects a file that is not UTF-8 and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      // "视频" in GBK, as an editor set to a Chinese code page saves it.
      const gbkName = Uint8Array.from([0xca, 0xd3, 0xc6, 0xb5])
      const content = Buffer.concat([
        Buffer.from("{\"type\":\"Workflow\",\"name\":\""),
        gbkName,
        Buffer.from("\",\"input\":{\"prefix\":\"a/\"},\"workflowIds\":\"w1\"}")
      ])
      yield* withFile(content, (file) =>
        Effect.gen(function*() {
          const outcome = yield* cosCi(["jobs", "create", "--from-file", file, ...endpointArgs(emulator)])

          expect(outcome.code).toBe(2)
          expect(outcome.stdout).toBe("")
          expect(outcome.stderr).toBe(
            `error: Invalid --from-file "${file}": is not valid UTF-8 text; save the file as UTF-8\n`
          )
        }))
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))

  it.live("accepts a file of exactly 1 MiB", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const outcome = yield* withFile(
        paddedRequest(limit),
        (file) => cosCi(["jobs", "create", "--from-file", file, ...endpointArgs(emulator)])
      )
      const requests = yield* emulator.requests

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(requests).toHaveLength(1)
      expect(requests[0].body).toContain("<Name>padded</Name>")
    }).pipe(Effect.scoped))

  it.live("rejects more than 1 MiB on stdin and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const outcome = yield* cosCi(["jobs", "create", "--from-file", "-", ...endpointArgs(emulator)], {
        stdin: paddedRequest(4 * limit)
      })

      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe(
        "error: Invalid --from-file \"-\": is larger than 1048576 bytes (1 MiB), the limit for a request file\n"
      )
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))
})

describe("cos-ci jobs list", () => {
  for (
    const [args, message] of [
      [
        ["--until", "9999-12-31"],
        "error: Invalid --until \"9999-12-31T23:59:59.999Z\": must fall between the years 0000 and 9999 in Beijing time\n"
      ],
      [
        ["--job-id", "a_b"],
        "error: Invalid --job-id \"a_b\": must be 1 to 128 characters, each a letter, a digit or \"-\"\n"
      ]
    ] as const
  ) {
    it.live(`names the flag of a rejected ${args[0]}`, () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.make()
        const outcome = yield* cosCi(["jobs", "list", ...args, ...endpointArgs(emulator)])

        expect(outcome.code).toBe(2)
        expect(outcome.stderr).toBe(message)
        expect(yield* emulator.requests).toHaveLength(0)
      }).pipe(Effect.scoped))
  }

  it.live("sends every filter and follows the pages", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const seed = (time: string, extra: Partial<Emulator.SeedJob> = {}) =>
        emulator.seedJob({
          state: "Running",
          name: "nightly",
          workflowId: "w1",
          creationTime: new Date(time),
          ...extra
        })
      const first = yield* seed("2026-01-10T00:00:00Z")
      const second = yield* seed("2026-01-20T00:00:00Z", { state: "Pause" })
      yield* seed("2026-01-31T15:00:01Z")
      yield* seed("2025-12-31T23:59:59Z")
      yield* seed("2026-01-15T00:00:00Z", { state: "Success" })
      yield* seed("2026-01-15T00:00:00Z", { type: "Job" })
      yield* seed("2026-01-15T00:00:00Z", { workflowId: "w2" })
      yield* seed("2026-01-15T00:00:00Z", { name: "other" })

      const outcome = yield* cosCi([
        "jobs",
        "list",
        "--state",
        "Running",
        "--state",
        "Pause",
        "--type",
        "Workflow",
        "--workflow-id",
        "w1",
        "--name",
        "nightly",
        "--since",
        "2026-01-01",
        "--until",
        "2026-01-31T23:00:00+08:00",
        "--order",
        "asc",
        "--size",
        "1",
        ...endpointArgs(emulator)
      ])
      const urls = (yield* emulator.requests).map((request) => request.url)

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toBe(
        "JOB ID                             TYPE      STATE    PROGRESS  CREATED (UTC)         NAME\n" +
          `${first.jobId}  Workflow  Running  -         2026-01-10T00:00:00Z  nightly\n` +
          `${second.jobId}  Workflow  Pause    -         2026-01-20T00:00:00Z  nightly\n`
      )
      const query = "size=1&type=Workflow&orderByTime=Asc&states=Running%2CPause" +
        "&startCreationTime=2026-01-01T08%3A00%3A00%2B0800&endCreationTime=2026-01-31T23%3A00%3A00%2B0800" +
        "&workflowId=w1&name=nightly"
      expect(urls).toHaveLength(2)
      expect(urls[0]).toBe(`/inventorytriggerjob?${query}`)
      expect(urls[1]).toMatch(new RegExp(`^/inventorytriggerjob\\?nextToken=[0-9a-f]+&${query}$`))
    }).pipe(Effect.scoped))

  it.live("reports in JSON that --limit cut the listing short", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const older = yield* emulator.seedJob({ name: "a", creationTime: new Date("2026-01-01T00:00:00Z") })
      const newer = yield* emulator.seedJob({ name: "b", creationTime: new Date("2026-01-02T00:00:00Z") })
      yield* emulator.seedJob({ name: "c", creationTime: new Date("2025-12-01T00:00:00Z") })

      const outcome = yield* cosCi([
        "jobs",
        "list",
        "--limit",
        "2",
        "--size",
        "2",
        "-o",
        "json",
        ...endpointArgs(emulator)
      ])
      const printed = JSON.parse(outcome.stdout)

      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(Object.keys(printed)).toStrictEqual(["jobs", "nextToken", "truncated"])
      expect(printed.jobs.map((job: { jobId: string }) => job.jobId)).toStrictEqual([newer.jobId, older.jobId])
      expect(printed.jobs[0]).toStrictEqual({
        jobId: newer.jobId,
        name: "b",
        type: "Workflow",
        state: "Submitted",
        code: "Success",
        message: "",
        creationTime: "2026-01-02T00:00:00.000Z",
        startTime: null,
        endTime: null,
        progress: null,
        queueId: null,
        tag: null,
        // The emulator's default input for a seeded job.
        input: { manifest: null, urlFile: null, prefix: "input/", object: null },
        userData: null,
        requestId: null
      })
      expect(printed.nextToken).toBeNull()
      expect(printed.truncated).toBe(true)
      // The third job, which shows that more match, is on the second page.
      expect(yield* emulator.requests).toHaveLength(2)
    }).pipe(Effect.scoped))

  it.live("reads one page at a time with --single-page and --next-token", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const jobs = []
      for (const day of ["03", "02", "01"]) {
        jobs.push(yield* emulator.seedJob({ name: day, creationTime: new Date(`2026-01-${day}T00:00:00Z`) }))
      }
      const ids = (printed: { jobs: ReadonlyArray<{ jobId: string }> }) => printed.jobs.map((job) => job.jobId)

      const firstOutcome = yield* cosCi([
        "jobs",
        "list",
        "--single-page",
        "--size",
        "2",
        "-o",
        "json",
        ...endpointArgs(emulator)
      ])
      const firstPage = JSON.parse(firstOutcome.stdout)
      expect(firstOutcome.code).toBe(0)
      expect(ids(firstPage)).toStrictEqual([jobs[0].jobId, jobs[1].jobId])
      expect(firstPage.nextToken).toMatch(/^[0-9a-f]+$/)
      expect(firstPage.truncated).toBe(true)

      const secondOutcome = yield* cosCi([
        "jobs",
        "list",
        "--next-token",
        firstPage.nextToken,
        "--size",
        "2",
        ...endpointArgs(emulator)
      ])
      expect(secondOutcome.code).toBe(0)
      expect(secondOutcome.stderr).toBe("")
      expect(secondOutcome.stdout.split("\n").slice(1)).toStrictEqual([
        `${jobs[2].jobId}  Workflow  Submitted  -         2026-01-01T00:00:00Z  01`,
        ""
      ])
      expect((yield* emulator.requests).map((request) => request.url)).toStrictEqual([
        "/inventorytriggerjob?size=2",
        `/inventorytriggerjob?nextToken=${firstPage.nextToken}&size=2`
      ])
    }).pipe(Effect.scoped))

  it.live("escapes control characters in the next page token", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      yield* emulator.injectFault({
        fault: {
          _tag: "Reply",
          status: 200,
          headers: { "content-type": "application/xml" },
          body: "<Response><NextToken>abc\u001b[2J</NextToken></Response>"
        }
      })
      const outcome = yield* cosCi(["jobs", "list", "--single-page", ...endpointArgs(emulator)])

      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toBe("")
      expect(outcome.stderr).toBe("No batch jobs match.\nMore jobs match. Next page: --next-token abc\\u001b[2J\n")
    }).pipe(Effect.scoped))

  it.live("rejects a time without an offset in JSON and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const outcome = yield* cosCi([
        "jobs",
        "list",
        "--since",
        "2026-01-01T00:00:00",
        "-o",
        "json",
        ...endpointArgs(emulator)
      ])
      const reason = "must be an ISO 8601 time with an offset, such as 2026-01-01T00:00:00+08:00 or " +
        "2026-01-01T00:00:00Z, or a date such as 2026-01-01"

      expect(outcome.code).toBe(2)
      expect(outcome.stdout).toBe("")
      expect(JSON.parse(outcome.stderr)).toStrictEqual({
        error: {
          tag: "CiInvalidInput",
          code: null,
          message: `Invalid --since "2026-01-01T00:00:00": ${reason}`,
          status: null,
          requestId: null,
          field: "--since",
          value: "2026-01-01T00:00:00",
          reason
        }
      })
      expect(yield* emulator.requests).toHaveLength(0)
    }).pipe(Effect.scoped))
})

describe("cos-ci jobs cancel with a filter", () => {
  /** Two unfinished nightly jobs, a finished one and an unfinished one of another name. */
  const seedNightlyJobs = (emulator: Emulator.Emulator.Service) =>
    Effect.gen(function*() {
      const running = yield* emulator.seedJob({
        state: "Running",
        name: "nightly",
        creationTime: new Date("2026-01-02T00:00:00Z")
      })
      const submitted = yield* emulator.seedJob({
        state: "Submitted",
        name: "nightly",
        creationTime: new Date("2026-01-01T00:00:00Z")
      })
      const finished = yield* emulator.seedJob({ state: "Success", name: "nightly" })
      const other = yield* emulator.seedJob({ state: "Running", name: "other" })
      return { running, submitted, finished, other }
    })

  it.live("lists the jobs and sends no cancel with --dry-run", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { running, submitted } = yield* seedNightlyJobs(emulator)
      const outcome = yield* cosCi(["jobs", "cancel", "--name", "nightly", "--dry-run", ...endpointArgs(emulator)])

      expect(outcome.code).toBe(0)
      expect(outcome.stdout).toBe(
        "JOB ID                             TYPE      STATE      PROGRESS  CREATED (UTC)         NAME\n" +
          `${running.jobId}  Workflow  Running    -         2026-01-02T00:00:00Z  nightly\n` +
          `${submitted.jobId}  Workflow  Submitted  -         2026-01-01T00:00:00Z  nightly\n`
      )
      expect(outcome.stderr).toBe("Dry run: 2 batch jobs would be cancelled. No cancel request was sent.\n")
      expect((yield* emulator.requests).map((request) => `${request.method} ${request.url}`)).toStrictEqual([
        "GET /inventorytriggerjob?size=100&states=Submitted%2CRunning%2CPause&name=nightly"
      ])
    }).pipe(Effect.scoped))

  it.live("needs --yes when stdin is not a terminal, and sends nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { running } = yield* seedNightlyJobs(emulator)
      const outcome = yield* cosCi(["jobs", "cancel", "--state", "Running", ...endpointArgs(emulator)])

      expect(outcome.code).toBe(2)
      expect(outcome.stdout).toBe("")
      expect(outcome.stderr).toBe(
        "error: cancelling the jobs a filter selects needs a confirmation, and stdin is not a terminal: " +
          "add --yes to cancel them, or --dry-run to list them first\n"
      )
      expect(yield* emulator.requests).toHaveLength(0)
      expect(yield* stateOf(emulator, running.jobId)).toStrictEqual(Option.some("Running"))
    }).pipe(Effect.scoped))

  it.live("cancels the matching jobs with --yes, without a progress bar on a pipe", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { finished, other, running, submitted } = yield* seedNightlyJobs(emulator)
      const outcome = yield* cosCi(["jobs", "cancel", "--name", "nightly", "--yes", ...endpointArgs(emulator)])
      const stdout = outcome.stdout.trimEnd().split("\n")

      // stderr stays empty: no bar, no escape sequences, when it is not a terminal.
      expect(outcome.stderr).toBe("")
      expect(outcome.code).toBe(0)
      expect(stdout).toHaveLength(2)
      expect(stdout[0]).toMatch(new RegExp(`^Cancelled batch job ${running.jobId}\\. request id: \\S+$`))
      expect(stdout[1]).toMatch(new RegExp(`^Cancelled batch job ${submitted.jobId}\\. request id: \\S+$`))
      expect(yield* stateOf(emulator, running.jobId)).toStrictEqual(Option.some("Cancel"))
      expect(yield* stateOf(emulator, submitted.jobId)).toStrictEqual(Option.some("Cancel"))
      expect(yield* stateOf(emulator, finished.jobId)).toStrictEqual(Option.some("Success"))
      expect(yield* stateOf(emulator, other.jobId)).toStrictEqual(Option.some("Running"))
      expect((yield* emulator.requests).map((request) => request.method).sort()).toStrictEqual(["GET", "PUT", "PUT"])
    }).pipe(Effect.scoped))

  /** A nightly job with a valid id, and one whose id from the listing breaks the job id rule. */
  const seedInvalidId = (emulator: Emulator.Emulator.Service) =>
    Effect.gen(function*() {
      const valid = yield* emulator.seedJob({
        state: "Running",
        name: "nightly",
        creationTime: new Date("2026-01-02T00:00:00Z")
      })
      const invalid = yield* emulator.seedJob({
        jobId: "bad\u009bid",
        state: "Running",
        name: "nightly",
        creationTime: new Date("2026-01-01T00:00:00Z")
      })
      return { valid, invalid }
    })

  const invalidIdLines = (verb: string) =>
    `error: batch job bad\\u009bid ${verb}\n` +
    "  error: Invalid jobId \"bad\\u009bid\": must be 1 to 128 characters, each a letter, a digit or \"-\"\n"

  it.live("cancels the rest past an invalid listed id", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { invalid, valid } = yield* seedInvalidId(emulator)
      const outcome = yield* cosCi(["jobs", "cancel", "--name", "nightly", "--yes", ...endpointArgs(emulator)])

      expect(outcome.code).toBe(3)
      expect(outcome.stdout).toMatch(new RegExp(`^Cancelled batch job ${valid.jobId}\\. request id: \\S+\n$`))
      expect(outcome.stderr).toBe(invalidIdLines("was not cancelled"))
      expect(yield* stateOf(emulator, valid.jobId)).toStrictEqual(Option.some("Cancel"))
      expect(yield* stateOf(emulator, invalid.jobId)).toStrictEqual(Option.some("Running"))
      expect((yield* emulator.requests).map((request) => `${request.method} ${request.url}`)).toStrictEqual([
        "GET /inventorytriggerjob?size=100&states=Submitted%2CRunning%2CPause&name=nightly",
        `PUT /inventorytriggerjob/${valid.jobId}?cancel`
      ])
    }).pipe(Effect.scoped))

  it.live("reports an invalid listed id in a dry run", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { valid } = yield* seedInvalidId(emulator)
      const outcome = yield* cosCi(["jobs", "cancel", "--name", "nightly", "--dry-run", ...endpointArgs(emulator)])

      expect(outcome.code).toBe(3)
      expect(outcome.stdout).toBe(
        "JOB ID                             TYPE      STATE    PROGRESS  CREATED (UTC)         NAME\n" +
          `${valid.jobId}  Workflow  Running  -         2026-01-02T00:00:00Z  nightly\n`
      )
      expect(outcome.stderr).toBe(
        invalidIdLines("would not be cancelled") +
          "Dry run: 1 batch job would be cancelled. No cancel request was sent.\n"
      )
      expect(yield* emulator.requests).toHaveLength(1)
    }).pipe(Effect.scoped))

  it.live("reports an invalid listed id in JSON", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { invalid, valid } = yield* seedInvalidId(emulator)
      const outcome = yield* cosCi([
        "jobs",
        "cancel",
        "--name",
        "nightly",
        "--yes",
        "-o",
        "json",
        ...endpointArgs(emulator)
      ])
      const reason = "must be 1 to 128 characters, each a letter, a digit or \"-\""

      expect(outcome.code).toBe(3)
      expect(
        JSON.parse(outcome.stdout).results.map((result: Record<string, unknown>) => ({
          ...result,
          job: (result.job as { readonly jobId: string }).jobId
        }))
      ).toStrictEqual([
        { jobId: valid.jobId, cancelled: true, requestId: expect.any(String), error: null, job: valid.jobId },
        {
          jobId: invalid.jobId,
          cancelled: false,
          requestId: null,
          error: {
            tag: "CiInvalidInput",
            code: null,
            message: `Invalid jobId "bad\u009bid": ${reason}`,
            status: null,
            requestId: null,
            field: "jobId",
            value: invalid.jobId,
            reason
          },
          job: invalid.jobId
        }
      ])
      expect(JSON.parse(outcome.stderr)).toStrictEqual({
        error: {
          tag: "CancelFailed",
          code: null,
          message: "1 of 2 batch jobs were not cancelled",
          status: null,
          requestId: null,
          failed: 1,
          total: 2
        }
      })
    }).pipe(Effect.scoped))

  it.live.skipIf(!hasScript)("asks on a terminal and shows a progress bar", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const { other, running, submitted } = yield* seedNightlyJobs(emulator)
      const { code, output } = yield* cosCiOnTerminal(
        ["jobs", "cancel", "--name", "nightly", ...endpointArgs(emulator)],
        { prompt: "Cancel 2 batch jobs? [y/N] ", answer: "y\n" }
      )

      expect(code).toBe(0)
      expect(output).toContain(`${running.jobId}  Workflow  Running    -         2026-01-02T00:00:00Z  nightly\r\n`)
      expect(output).toContain("Cancel 2 batch jobs? [y/N] ")
      expect(output).toContain(`\rCancelling [${"#".repeat(30)}] 2/2\u001b[K`)
      expect(output).toMatch(new RegExp(`Cancelled batch job ${running.jobId}\\. request id: \\S+\\r\\n`))
      expect(output).toMatch(new RegExp(`Cancelled batch job ${submitted.jobId}\\. request id: \\S+\\r\\n`))
      expect(yield* stateOf(emulator, running.jobId)).toStrictEqual(Option.some("Cancel"))
      expect(yield* stateOf(emulator, other.jobId)).toStrictEqual(Option.some("Running"))
    }).pipe(Effect.scoped))
})

describe("cos-ci jobs cancel --output json", () => {
  it.live("prints one result per job and a summary error", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const running = yield* emulator.seedJob({ state: "Running" })
      const finished = yield* emulator.seedJob({ state: "Success" })
      const outcome = yield* cosCi([
        "jobs",
        "cancel",
        running.jobId,
        finished.jobId,
        "-o",
        "json",
        ...endpointArgs(emulator)
      ])
      const printed = JSON.parse(outcome.stdout)

      expect(outcome.code).toBe(3)
      expect(printed).toStrictEqual({
        dryRun: false,
        results: [
          { jobId: running.jobId, cancelled: true, requestId: expect.any(String), error: null, job: null },
          {
            jobId: finished.jobId,
            cancelled: false,
            requestId: null,
            error: {
              tag: "CiServiceError",
              code: "InvalidArgument",
              message: `The job "${finished.jobId}" is already finished in state Success.`,
              status: 400,
              requestId: expect.any(String),
              traceId: expect.any(String),
              resource: null
            },
            job: null
          }
        ]
      })
      expect(JSON.parse(outcome.stderr)).toStrictEqual({
        error: {
          tag: "CancelFailed",
          code: null,
          message: "1 of 2 batch jobs were not cancelled",
          status: null,
          requestId: null,
          failed: 1,
          total: 2
        }
      })
    }).pipe(Effect.scoped))
})

describe("cos-ci jobs wait", () => {
  it.live("waits until the job succeeds and exits 0", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running", name: "nightly" })
      const run = yield* Effect.fork(
        cosCi(["jobs", "wait", job.jobId, "--interval", "0.1", "--max-wait", "20", ...endpointArgs(emulator)])
      )
      // Finish the job once cos-ci has seen it running.
      yield* emulator.requests.pipe(
        Effect.repeat({ schedule: Schedule.spaced("50 millis"), until: (requests) => requests.length > 0 }),
        Effect.timeout("15 seconds")
      )
      yield* emulator.setJobState(job.jobId, "Success")
      const outcome = yield* Fiber.join(run)
      const requests = yield* emulator.requests

      expect(outcome.code).toBe(0)
      expect(outcome.stderr).toBe(`batch job ${job.jobId}: Running\n`)
      expect(outcome.stdout).toContain(`job id:        ${job.jobId}\nname:          nightly\ntype:          Workflow\n`)
      expect(outcome.stdout).toContain("state:         Success\n")
      expect(requests.length).toBeGreaterThanOrEqual(2)
      expect(new Set(requests.map((request) => `${request.method} ${request.url}`))).toStrictEqual(
        new Set([`GET /inventorytriggerjob/${job.jobId}`])
      )
    }).pipe(Effect.scoped))

  it.live("exits 5 for a failed job", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Failed", code: "InvalidInput", message: "No such object." })
      const outcome = yield* cosCi(["jobs", "wait", job.jobId, "-o", "json", ...endpointArgs(emulator)])

      expect(outcome.code).toBe(5)
      expect(JSON.parse(outcome.stdout)).toMatchObject({
        jobId: job.jobId,
        state: "Failed",
        code: "InvalidInput",
        message: "No such object."
      })
      expect(JSON.parse(outcome.stderr)).toStrictEqual({
        error: {
          tag: "BatchJobFailed",
          code: "InvalidInput",
          message: "No such object.",
          status: null,
          requestId: null,
          jobId: job.jobId,
          state: "Failed"
        }
      })
      expect(yield* emulator.requests).toHaveLength(1)
    }).pipe(Effect.scoped))

  it.live("exits 7 when --max-wait runs out", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running", progress: 40 })
      const outcome = yield* cosCi([
        "jobs",
        "wait",
        job.jobId,
        "--interval",
        "0.1",
        "--max-wait",
        "0.5",
        ...endpointArgs(emulator)
      ])

      expect(outcome.code).toBe(7)
      expect(outcome.stdout).toBe("")
      expect(outcome.stderr).toBe(
        `batch job ${job.jobId}: Running, 40%\n` +
          `error: timed out waiting for batch job ${job.jobId}, which is still Running\n` +
          "The job goes on. Wait again, or raise --max-wait.\n"
      )
      expect((yield* emulator.requests).length).toBeGreaterThanOrEqual(2)
    }).pipe(Effect.scoped))

  it.live("escapes control characters in the state it reports", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.make()
      const job = yield* emulator.seedJob({ state: "Running" })
      // Every describe returns a state CI does not define, which is not final, so the wait runs out.
      yield* emulator.injectFault({
        method: "GET",
        times: Infinity,
        fault: {
          _tag: "Reply",
          status: 200,
          headers: { "content-type": "application/xml" },
          body: `<Response><JobsDetail><Code>Success</Code><Message></Message><JobId>${job.jobId}</JobId>` +
            "<Name>n</Name><Type>Workflow</Type><State>Running\u001b[2J</State>" +
            "<CreationTime>2026-01-02T08:00:00+0800</CreationTime><Input><Prefix>a/</Prefix></Input>" +
            "<Operation></Operation></JobsDetail></Response>"
        }
      })
      const outcome = yield* cosCi([
        "jobs",
        "wait",
        job.jobId,
        "--interval",
        "0.1",
        "--max-wait",
        "0.3",
        ...endpointArgs(emulator)
      ])

      expect(outcome.code).toBe(7)
      expect(outcome.stdout).toBe("")
      expect(outcome.stderr).toBe(
        `batch job ${job.jobId}: Running\\u001b[2J\n` +
          `error: timed out waiting for batch job ${job.jobId}, which is still Running\\u001b[2J\n` +
          "The job goes on. Wait again, or raise --max-wait.\n"
      )
    }).pipe(Effect.scoped))
})
