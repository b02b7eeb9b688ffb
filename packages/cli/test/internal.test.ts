import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import { BatchJobWaitTimeout } from "@effect-cos/ci-jobs/BatchJob"
import { CiDecodeError, CiHttpError, CiInvalidInput, CiServiceError } from "@effect-cos/http/CiError"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { jobsUsages } from "../src/internal/commands.js"
import { isYes } from "../src/internal/confirm.js"
import { maxTimerMillis, parseSeconds, parseTimeout } from "../src/internal/connection.js"
import type { CreateFlags } from "../src/internal/createRequest.js"
import { requestFromFlags, requestFromJson } from "../src/internal/createRequest.js"
import { displayText, jobDetailLines, jobJson, renderTable } from "../src/internal/format.js"
import { jsonText } from "../src/internal/output.js"
import { renderProgressBar } from "../src/internal/progress.js"
import { BatchJobFailed, errorJson, finalStateExitCode, report } from "../src/internal/report.js"
import { parseTimeOption } from "../src/internal/time.js"
import { findUnknownOption } from "../src/internal/unknownOption.js"

// The pure parts of cos-ci, checked in-process: the child-process tests cover one case of each.

const invalidField = <A>(result: Either.Either<A, unknown>) =>
  Either.match(result, {
    onLeft: (error) => error instanceof CiInvalidInput ? `${error.field}: ${error.reason}` : String(error),
    onRight: () => "valid"
  })

describe("parseSeconds", () => {
  it("reads seconds as milliseconds", () => {
    expect(parseSeconds("--timeout", "10")).toStrictEqual(Either.right(10_000))
    expect(parseSeconds("--timeout", "2.5")).toStrictEqual(Either.right(2_500))
    expect(parseSeconds("--timeout", "0.001")).toStrictEqual(Either.right(1))
    expect(parseSeconds("--timeout", "2147483.647", maxTimerMillis)).toStrictEqual(Either.right(2_147_483_647))
  })

  const rejected: ReadonlyArray<readonly [string, string]> = [
    ["soon", "must be a number of seconds, such as 10 or 2.5"],
    ["-1", "must be a number of seconds, such as 10 or 2.5"],
    ["0x10", "must be a number of seconds, such as 10 or 2.5"],
    ["1e400", "must be a number of seconds, such as 10 or 2.5"],
    ["", "must be a number of seconds, such as 10 or 2.5"],
    [" 1", "must be a number of seconds, such as 10 or 2.5"],
    ["0", "must be greater than 0"],
    ["0.000", "must be greater than 0"],
    ["0.0001", "must have at most 3 decimal places, because it is read to the millisecond"],
    ["1.2345", "must have at most 3 decimal places, because it is read to the millisecond"],
    ["1000000000", "must be at most 999999999.999 seconds (about 11574.1 days)"]
  ]
  for (const [value, reason] of rejected) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      const message = Option.map(Either.getLeft(parseSeconds("--timeout", value)), (error) => error.message)
      expect(message).toStrictEqual(Option.some(`Invalid --timeout ${JSON.stringify(value)}: ${reason}`))
    })
  }

  it("rejects a value past the longest timer", () => {
    const message = Option.map(
      Either.getLeft(parseSeconds("--timeout", "2147483.648", maxTimerMillis)),
      (error) => error.message
    )
    expect(message).toStrictEqual(
      Option.some("Invalid --timeout \"2147483.648\": must be at most 2147483.647 seconds (about 24.9 days)")
    )
  })
})

describe("parseTimeout", () => {
  const fromVariable = (value: string) => parseTimeout({ source: "COS_CI_TIMEOUT", value })

  it("reads COS_CI_TIMEOUT in seconds or as a duration", () => {
    expect(fromVariable("2.5")).toStrictEqual(Either.right(2_500))
    expect(fromVariable("10 seconds")).toStrictEqual(Either.right(10_000))
    expect(fromVariable("250 millis")).toStrictEqual(Either.right(250))
  })

  it("names the variable in its errors", () => {
    expect(invalidField(fromVariable("9999999"))).toBe(
      "COS_CI_TIMEOUT: must be at most 2147483.647 seconds (about 24.9 days)"
    )
    expect(invalidField(fromVariable("10 sec"))).toBe(
      "COS_CI_TIMEOUT: must be a number of seconds, such as 10 or 2.5, or a duration such as \"10 seconds\""
    )
    expect(invalidField(fromVariable("0 seconds"))).toBe(
      "COS_CI_TIMEOUT: must be from 1 millisecond to 2147483.647 seconds"
    )
    expect(invalidField(fromVariable("30 days"))).toBe(
      "COS_CI_TIMEOUT: must be from 1 millisecond to 2147483.647 seconds"
    )
  })

  it("takes only seconds from --timeout", () => {
    expect(invalidField(parseTimeout({ source: "--timeout", value: "10 seconds" }))).toBe(
      "--timeout: must be a number of seconds, such as 10 or 2.5"
    )
  })
})

describe("parseTimeOption", () => {
  const parse = (value: string, dateOnly: "startOfDay" | "endOfDay" = "startOfDay") =>
    Either.map(parseTimeOption("--since", value, dateOnly), (date) => date.toISOString())

  it("reads times with an offset", () => {
    expect(parse("2026-01-01T00:00:00+08:00")).toStrictEqual(Either.right("2025-12-31T16:00:00.000Z"))
    expect(parse("2026-01-01T00:00:00Z")).toStrictEqual(Either.right("2026-01-01T00:00:00.000Z"))
    expect(parse("2026-01-01T12:30-05:30")).toStrictEqual(Either.right("2026-01-01T18:00:00.000Z"))
    expect(parse("2026-01-02T00:00:00.000Z")).toStrictEqual(Either.right("2026-01-02T00:00:00.000Z"))
    expect(parse("2026-01-02T00:00:00.1234Z")).toStrictEqual(Either.right("2026-01-02T00:00:00.123Z"))
  })

  it("reads a date as a UTC day", () => {
    expect(parse("2026-01-31")).toStrictEqual(Either.right("2026-01-31T00:00:00.000Z"))
    expect(parse("2026-01-31", "endOfDay")).toStrictEqual(Either.right("2026-01-31T23:59:59.999Z"))
    expect(parse("2024-02-29")).toStrictEqual(Either.right("2024-02-29T00:00:00.000Z"))
    expect(parse("0050-01-01")).toStrictEqual(Either.right("0050-01-01T00:00:00.000Z"))
  })

  for (const value of ["2026-01-01T00:00:00", "2026-01-01 00:00:00Z", "yesterday", "1767225600", "2026-1-1", ""]) {
    it(`rejects ${JSON.stringify(value)} for its form`, () => {
      expect(invalidField(parse(value))).toBe(
        "--since: must be an ISO 8601 time with an offset, such as 2026-01-01T00:00:00+08:00 or " +
          "2026-01-01T00:00:00Z, or a date such as 2026-01-01"
      )
    })
  }

  for (
    const value of [
      "2026-02-29",
      "2026-13-01",
      "2026-01-01T24:00:00Z",
      "2026-01-01T00:60:00Z",
      "2026-01-01T00:00:00+24:00"
    ]
  ) {
    it(`rejects ${value} as invalid`, () => {
      expect(invalidField(parse(value))).toBe("--since: is not a valid date and time")
    })
  }
})

describe("renderTable", () => {
  it("aligns columns under a header and leaves the last one unpadded", () => {
    expect(renderTable(["ID", "STATE", "NAME"], [["b1", "Running", "a"], ["b22", "Cancel", "long name"]]))
      .toStrictEqual([
        "ID   STATE    NAME",
        "b1   Running  a",
        "b22  Cancel   long name"
      ])
  })

  it("prints only the header for no rows", () => {
    expect(renderTable(["ID", "NAME"], [])).toStrictEqual(["ID  NAME"])
  })

  it("escapes control characters in text from CI", () => {
    expect(displayText("a\tb\nc\u001b[31md\u007f")).toBe("a\\tb\\nc\\u001b[31md\\u007f")
    expect(displayText("转码任务")).toBe("转码任务")
  })
})

const job: BatchJob.BatchJob = {
  jobId: "b0123456789abcdef0123456789abcdef0",
  name: "nightly",
  type: "Job",
  state: "Failed",
  code: "InternalError",
  message: "The job failed.",
  creationTime: new Date("2026-01-02T03:04:05Z"),
  startTime: new Date("2026-01-02T03:05:00Z"),
  endTime: undefined,
  progress: 40,
  queueId: undefined,
  tag: "Transcode",
  input: { urlFile: "lists/urls.txt" },
  userData: "a b",
  requestId: "REQ-DESCRIBE"
}

describe("job output", () => {
  it("writes every field of BatchJob to JSON, null when absent", () => {
    expect(jobJson(job)).toStrictEqual({
      jobId: "b0123456789abcdef0123456789abcdef0",
      name: "nightly",
      type: "Job",
      state: "Failed",
      code: "InternalError",
      message: "The job failed.",
      creationTime: "2026-01-02T03:04:05.000Z",
      startTime: "2026-01-02T03:05:00.000Z",
      endTime: null,
      progress: 40,
      queueId: null,
      tag: "Transcode",
      input: { manifest: null, urlFile: "lists/urls.txt", prefix: null, object: null },
      userData: "a b",
      requestId: "REQ-DESCRIBE"
    })
  })

  it("writes one aligned line per field", () => {
    expect(jobDetailLines(job)).toContain("input:         url file lists/urls.txt")
    expect(jobDetailLines(job)).toContain("user data:     a b")
    expect(jobDetailLines(job)).toContain("ended:         -")
    expect(jobDetailLines(job)).toContain("request id:    REQ-DESCRIBE")
  })

  it("maps final states to exit codes", () => {
    expect([finalStateExitCode("Success"), finalStateExitCode("Failed"), finalStateExitCode("Cancel")]).toStrictEqual([
      0,
      5,
      6
    ])
  })
})

describe("errorJson", () => {
  it("gives every error the common fields first", () => {
    const error = new CiServiceError({
      status: 400,
      code: "InvalidArgument",
      message: "bad",
      requestId: "R1",
      traceId: undefined,
      resource: undefined
    })
    expect(errorJson(error)).toStrictEqual({
      tag: "CiServiceError",
      code: "InvalidArgument",
      message: "bad",
      status: 400,
      requestId: "R1",
      traceId: null,
      resource: null
    })
    expect(Object.keys(errorJson(new CiInvalidInput({ field: "--size", value: "0", reason: "r" })))).toStrictEqual([
      "tag",
      "code",
      "message",
      "status",
      "requestId",
      "field",
      "value",
      "reason"
    ])
  })
})

describe("report", () => {
  it("escapes control characters in a CI error document", () => {
    const error = new CiServiceError({
      status: 400,
      code: "Bad\u001b[2J",
      message: "evil \u001b]0;pwned\u0007\nline 2",
      requestId: "R\u0007",
      traceId: "T\u001b[0m",
      resource: undefined
    })
    expect(report(error).lines).toStrictEqual([
      "error: Bad\\u001b[2J: evil \\u001b]0;pwned\\u0007\\nline 2",
      "status: 400",
      "request id: R\\u0007",
      "trace id: T\\u001b[0m"
    ])
  })

  it("escapes control characters in a body preview", () => {
    const error = new CiHttpError({
      status: 403,
      requestId: undefined,
      contentType: "text/html\u009b",
      bodyPreview: "<h1>\u001b[5mdenied</h1>"
    })
    expect(report(error).lines).toStrictEqual([
      "error: HTTP 403 without a CI error document (text/html\\u009b)",
      "body: <h1>\\u001b[5mdenied</h1>"
    ])
  })

  it("escapes control characters in a decode failure", () => {
    const error = new CiDecodeError({ status: 200, requestId: "R\r", reason: "bad tag <\u001b>", bodyPreview: "" })
    expect(report(error).lines).toStrictEqual([
      "error: unreadable response: bad tag <\\u001b>",
      "status: 200",
      "request id: R\\r"
    ])
  })

  it("escapes the job state and message of wait failures", () => {
    const timeout = new BatchJobWaitTimeout({ jobId: job.jobId, lastState: "Running\u001b[2J" })
    expect(report(timeout).lines).toStrictEqual([
      `error: timed out waiting for batch job ${job.jobId}, which is still Running\\u001b[2J`,
      "The job goes on. Wait again, or raise --max-wait."
    ])
    const failed = new BatchJobFailed({ job: { ...job, code: "Bad\u0007", message: "line 1\nline 2" } })
    expect(report(failed).lines).toStrictEqual([
      `error: batch job ${job.jobId} ended in state Failed`,
      "code: Bad\\u0007",
      "message: line 1\\nline 2"
    ])
  })
})

describe("findUnknownOption", () => {
  const find = (args: ReadonlyArray<string>) => Option.getOrElse(findUnknownOption(args, jobsUsages), () => "none")

  it("names a misspelt option before a required one", () => {
    expect(find(["jobs", "list", "--stat", "Running", "--bucket", "b-1"])).toBe(
      "unknown option --stat for cos-ci jobs list. Did you mean --state? See cos-ci jobs list --help."
    )
    expect(find(["jobs", "list", "--stat=Running"])).toBe(
      "unknown option --stat for cos-ci jobs list. Did you mean --state? See cos-ci jobs list --help."
    )
    expect(find(["jobs", "cancel", "b1", "--bogus"])).toBe(
      "unknown option --bogus for cos-ci jobs cancel. See cos-ci jobs cancel --help."
    )
  })

  it("accepts known options and their values", () => {
    expect(find(["jobs", "list", "--STATE", "Running", "--size", "-5", "--name", "--stat", "-o", "json"])).toBe("none")
    expect(find(["jobs", "cancel", "--state=Running", "-y", "--dry-run", "--log-level", "debug", "--help"])).toBe(
      "none"
    )
    expect(find(["jobs", "create", "--from-file", "-", "--timeout", "2.5"])).toBe("none")
  })

  it("leaves short options, arguments after -- and other commands to @effect/cli", () => {
    expect(find(["jobs", "cancel", "-yx", "--", "--stat"])).toBe("none")
    expect(find(["jobs", "--stat"])).toBe("none")
    expect(find(["jobs", "submit", "--stat"])).toBe("none")
    expect(find(["--version"])).toBe("none")
  })
})

describe("renderProgressBar", () => {
  it("fills the bar in proportion", () => {
    expect(renderProgressBar("Cancelling", 0, 40)).toBe(`Cancelling [${"-".repeat(30)}] 0/40`)
    expect(renderProgressBar("Cancelling", 12, 40)).toBe(`Cancelling [${"#".repeat(9)}${"-".repeat(21)}] 12/40`)
    expect(renderProgressBar("Cancelling", 40, 40)).toBe(`Cancelling [${"#".repeat(30)}] 40/40`)
  })
})

describe("isYes", () => {
  it("accepts y and yes in any case, and nothing else", () => {
    expect(["y", "Y", "yes", " YES "].map(isYes)).toStrictEqual([true, true, true, true])
    expect(["", "n", "no", "yep", "y y"].map(isYes)).toStrictEqual([false, false, false, false, false])
  })
})

const noFlags: CreateFlags = {
  name: undefined,
  type: undefined,
  manifest: undefined,
  urlFile: undefined,
  prefix: undefined,
  object: undefined,
  uploadedSince: undefined,
  uploadedUntil: undefined,
  workflowId: undefined,
  tag: undefined,
  templateId: undefined,
  queueId: undefined,
  outputRegion: undefined,
  outputBucket: undefined,
  outputObject: undefined,
  userData: undefined,
  jobLevel: undefined,
  callback: undefined,
  callbackFormat: undefined,
  callbackType: undefined,
  jobParam: undefined
}

const usageMessage = <A>(result: Either.Either<A, unknown>) =>
  Either.match(result, {
    onLeft: (error) => (error as { readonly message: string }).message,
    onRight: () => "valid"
  })

describe("requestFromFlags", () => {
  it("builds a workflow request with an upload window", () => {
    const result = requestFromFlags({
      ...noFlags,
      name: "nightly",
      prefix: "uploads/",
      uploadedSince: "2026-01-01",
      uploadedUntil: "2026-01-31",
      workflowId: "w1"
    })
    expect(result).toStrictEqual(Either.right({
      type: "Workflow",
      name: "nightly",
      input: { prefix: "uploads/" },
      timeInterval: { start: new Date("2026-01-01T00:00:00.000Z"), end: new Date("2026-01-31T23:59:59.999Z") },
      workflowIds: "w1"
    }))
  })

  it("builds a job request with output and job parameters", () => {
    const result = requestFromFlags({
      ...noFlags,
      name: "n",
      type: "Job",
      object: "a.mp4",
      tag: "Transcode",
      outputRegion: "ap-guangzhou",
      outputBucket: "out-1250000000",
      outputObject: "o.mp4",
      jobLevel: 1,
      jobParam: "{\"Transcode\":{\"Container\":{\"Format\":\"mp4\"}}}"
    })
    expect(
      Either.map(result, (request) => request.type === "Job" && [request.output, request.jobParam, request.jobLevel])
    )
      .toStrictEqual(Either.right([
        { region: "ap-guangzhou", bucket: "out-1250000000", object: "o.mp4" },
        { Transcode: { Container: { Format: "mp4" } } },
        1
      ]))
  })

  const cases: ReadonlyArray<readonly [string, Partial<CreateFlags>, string]> = [
    ["no name", { prefix: "p", workflowId: "w" }, "--name is required, unless --from-file gives the whole request"],
    [
      "no input",
      { name: "n", workflowId: "w" },
      "give exactly one of --manifest, --url-file, --prefix and --object: none was given"
    ],
    [
      "two inputs",
      { name: "n", prefix: "p", object: "o", workflowId: "w" },
      "give exactly one of --manifest, --url-file, --prefix and --object: got --prefix and --object"
    ],
    [
      "a window without a prefix",
      { name: "n", object: "o", uploadedSince: "2026-01-01", workflowId: "w" },
      "--uploaded-since and --uploaded-until apply only with --prefix"
    ],
    ["a workflow without its id", { name: "n", prefix: "p" }, "--type Workflow needs --workflow-id"],
    [
      "job flags on a workflow",
      { name: "n", prefix: "p", workflowId: "w", tag: "Transcode", queueId: "q" },
      "--tag, --queue-id apply only to --type Job"
    ],
    [
      "a job without a tag",
      { name: "n", type: "Job", prefix: "p" },
      "--type Job needs --tag, the job kind, such as Transcode"
    ],
    [
      "a workflow id on a job",
      { name: "n", type: "Job", prefix: "p", tag: "Transcode", workflowId: "w" },
      "--workflow-id applies only to --type Workflow"
    ],
    [
      "part of the output",
      { name: "n", type: "Job", prefix: "p", tag: "Transcode", outputBucket: "b-1" },
      "give all of --output-region, --output-bucket and --output-object, or none of them"
    ],
    [
      "job parameters that are not an object",
      { name: "n", type: "Job", prefix: "p", tag: "Transcode", jobParam: "[1]" },
      "Invalid --job-param \"[1]\": must be a JSON object of JobParam elements, such as " +
      "{\"Transcode\":{\"Container\":{\"Format\":\"mp4\"}}}"
    ],
    [
      "a bad upload time",
      { name: "n", prefix: "p", workflowId: "w", uploadedUntil: "soon" },
      "Invalid --uploaded-until \"soon\": must be an ISO 8601 time with an offset, such as " +
      "2026-01-01T00:00:00+08:00 or 2026-01-01T00:00:00Z, or a date such as 2026-01-01"
    ]
  ]
  for (const [name, flags, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(usageMessage(requestFromFlags({ ...noFlags, ...flags }))).toBe(message)
    })
  }
})

describe("requestFromJson", () => {
  it("reads a request, drops null fields and parses the times", () => {
    const text = JSON.stringify({
      type: "Workflow",
      name: "nightly",
      input: { manifest: null, urlFile: null, prefix: "uploads/", object: null },
      timeInterval: { start: "2026-01-01T00:00:00+08:00", end: null },
      workflowIds: "w1"
    })
    expect(requestFromJson(text, "request.json")).toStrictEqual(Either.right({
      type: "Workflow",
      name: "nightly",
      input: { prefix: "uploads/" },
      timeInterval: { start: new Date("2025-12-31T16:00:00.000Z"), end: undefined },
      workflowIds: "w1"
    }))
  })

  it("passes the typed blocks of an independent-node job through", () => {
    const request = {
      type: "Job",
      name: "tc",
      input: { prefix: "in/" },
      tag: "Transcode",
      transcode: { container: { format: "mp4" }, video: { codec: "H.264", bitrate: 1000 } },
      watermarkTemplateIds: ["tw1", "tw2"],
      callBackType: "TDMQ",
      callBackMqConfig: { mqMode: "Queue", mqRegion: "bj", mqName: "jobs" },
      freeTranscode: "true"
    }
    expect(requestFromJson(JSON.stringify(request), "request.json")).toStrictEqual(Either.right(request))
  })

  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["text that is not JSON", "{", "--from-file: is not valid JSON: "],
    [
      "a misspelt MQ setting",
      "{\"type\":\"Job\",\"name\":\"n\",\"tag\":\"T\",\"callBackMqConfig\":{\"mqQueue\":\"q\"}}",
      "callBackMqConfig.mqQueue: is not a field of callBackMqConfig; the fields are mqMode, mqRegion, mqName"
    ],
    ["an array", "[]", "--from-file: must contain one JSON object, a CreateJobRequest"],
    ["a missing type", "{\"name\":\"n\"}", "type: must be \"Workflow\" or \"Job\""],
    [
      "a field of the other type",
      "{\"type\":\"Workflow\",\"name\":\"n\",\"tag\":\"Transcode\"}",
      "tag: is not a field of a Workflow request; the fields are type, name, input, timeInterval, workflowIds"
    ],
    [
      "a misspelt input",
      "{\"type\":\"Job\",\"name\":\"n\",\"tag\":\"T\",\"input\":{\"prefx\":\"a/\"}}",
      "input.prefx: is not a field of input; the fields are manifest, urlFile, prefix, object"
    ],
    [
      "a time that is not a string",
      "{\"type\":\"Workflow\",\"name\":\"n\",\"workflowIds\":\"w\",\"timeInterval\":{\"start\":1}}",
      "timeInterval.start: must be a time string"
    ],
    [
      "a time without an offset",
      "{\"type\":\"Workflow\",\"name\":\"n\",\"workflowIds\":\"w\",\"timeInterval\":{\"end\":\"2026-01-01T00:00:00\"}}",
      "timeInterval.end: must be an ISO 8601 time with an offset, such as 2026-01-01T00:00:00+08:00 or " +
      "2026-01-01T00:00:00Z, or a date such as 2026-01-01"
    ]
  ]
  for (const [name, text, expected] of cases) {
    it(`rejects ${name}`, () => {
      expect(invalidField(requestFromJson(text, "request.json"))).toContain(expected)
    })
  }
})

describe("jsonText", () => {
  it("escapes DEL and C1 controls and stays valid JSON", () => {
    const value = { id: "bad\u009b31mid", name: "x\u007fy", plain: "转码 \u00a0ok" }
    const text = jsonText(value)

    expect(text).toBe(
      "{\n  \"id\": \"bad\\u009b31mid\",\n  \"name\": \"x\\u007fy\",\n  \"plain\": \"转码 \u00a0ok\"\n}"
    )
    expect(JSON.parse(text)).toStrictEqual(value)
  })
})
