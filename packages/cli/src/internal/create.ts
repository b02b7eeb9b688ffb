import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { clientLayer, connection } from "./connection.js"
import { type CreateFlags, flagOfField, requestFlagNames, requestFromFlags, requestFromJson } from "./createRequest.js"
import { printJob } from "./describe.js"
import { type OutputFormat, outputOption, printErrorLine } from "./output.js"
import { type CommandError, CommandFailed, printFailure, reportFailures, UsageError } from "./report.js"

const optionalText = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional)

const createOptions = {
  fromFile: optionalText(
    "from-file",
    "Read the whole request from this JSON file, at most 1 MiB, in the CreateJobRequest shape of " +
      "@effect-cos/ci-jobs, instead of the flags below. - reads standard input."
  ),
  name: optionalText("name", "Job name, 1 to 128 characters. Required without --from-file."),
  type: Options.choice("type", ["Workflow", "Job"] as const).pipe(
    Options.withDescription(
      "Workflow: run an existing workflow (--workflow-id) over the objects. Job: run one job kind (--tag) over " +
        "them. Default: Workflow."
    ),
    Options.optional
  ),
  manifest: optionalText("manifest", "Input: key of a COS inventory manifest.json. Give exactly one input."),
  urlFile: optionalText("url-file", "Input: key of a text file that lists COS object URLs."),
  prefix: optionalText("prefix", "Input: every object whose key starts with this prefix."),
  object: optionalText("object", "Input: one object key."),
  uploadedSince: optionalText(
    "uploaded-since",
    "With --prefix: only objects uploaded at or after this time, in the form of jobs list --since."
  ),
  uploadedUntil: optionalText(
    "uploaded-until",
    "With --prefix: only objects uploaded at or before this time. A date means the end of that day (UTC)."
  ),
  workflowId: optionalText("workflow-id", "--type Workflow: the workflow to run. Required for Workflow."),
  tag: optionalText("tag", "--type Job: the job kind, such as Transcode, Snapshot or Animation. Required for Job."),
  templateId: optionalText("template-id", "--type Job: the template of the job kind."),
  queueId: optionalText("queue-id", "--type Job: the queue to run in."),
  outputRegion: optionalText("output-region", "--type Job: region of the output bucket, such as ap-guangzhou."),
  outputBucket: optionalText("output-bucket", "--type Job: output bucket, <BucketName>-<APPID>."),
  outputObject: optionalText(
    "output-object",
    "--type Job: output object key, which may use CI placeholders such as ${InventoryTriggerJobId}. " +
      "Give all three --output-* flags or none."
  ),
  userData: optionalText("user-data", "--type Job: text returned unchanged in the job details and callbacks."),
  jobLevel: Options.integer("job-level").pipe(
    Options.withDescription("--type Job: job priority, an integer from 0. CI's default: 0."),
    Options.optional
  ),
  callback: optionalText("callback", "--type Job: the callback URL."),
  callbackFormat: Options.choice("callback-format", ["XML", "JSON"] as const).pipe(
    Options.withDescription("--type Job: format of the callback body."),
    Options.optional
  ),
  callbackType: Options.choice("callback-type", ["Url", "TDMQ"] as const).pipe(
    Options.withDescription("--type Job: how the callback is sent."),
    Options.optional
  ),
  jobParam: optionalText(
    "job-param",
    "--type Job: other JobParam elements as a JSON object, such as " +
      "'{\"Transcode\":{\"Container\":{\"Format\":\"mp4\"}}}'."
  ),
  output: outputOption,
  ...connection
}

type CreateCommandOptions = Command.Command.ParseConfig<typeof createOptions>

// The largest request file --from-file reads, 1 MiB. A create request is a few KB, so a larger input is a
// mistake, such as the wrong file.
const maxRequestFileBytes = 1024 * 1024

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

const unreadable = (path: string, message: string) =>
  new CiInvalidInput({ field: "--from-file", value: path, reason: `cannot be read: ${message}` })

/**
 * Reads the request file, or stdin for `-`, as UTF-8. It stops reading one byte past the limit, so
 * that a path such as /dev/zero fails at once rather than filling the memory.
 */
const readRequestText = (path: string) =>
  Effect.gen(function*() {
    const fileSystem = yield* FileSystem.FileSystem
    const bytes: Stream.Stream<Uint8Array, CiInvalidInput> = path === "-" ?
      NodeStream.fromReadable(() => process.stdin, (error) => unreadable(path, String(error))) :
      fileSystem.stream(path, { bytesToRead: maxRequestFileBytes + 1 }).pipe(
        Stream.mapError((error) => unreadable(path, error.message))
      )

    const chunks: Array<Uint8Array> = []
    let size = 0
    yield* Stream.runForEachWhile(bytes, (chunk) =>
      Effect.sync(() => {
        chunks.push(chunk)
        size += chunk.length
        return size <= maxRequestFileBytes
      }))
    if (size > maxRequestFileBytes) {
      return yield* new CiInvalidInput({
        field: "--from-file",
        value: path,
        reason: `is larger than ${maxRequestFileBytes} bytes (1 MiB), the limit for a request file`
      })
    }

    // A file saved in another encoding, such as GBK, would otherwise turn every non-ASCII character
    // into U+FFFD and create a job over names and prefixes that do not exist.
    try {
      return strictUtf8.decode(Buffer.concat(chunks))
    } catch {
      return yield* new CiInvalidInput({
        field: "--from-file",
        value: path,
        reason: "is not valid UTF-8 text; save the file as UTF-8"
      })
    }
  })

const flagsOf = (options: CreateCommandOptions): CreateFlags => ({
  name: Option.getOrUndefined(options.name),
  type: Option.getOrUndefined(options.type),
  manifest: Option.getOrUndefined(options.manifest),
  urlFile: Option.getOrUndefined(options.urlFile),
  prefix: Option.getOrUndefined(options.prefix),
  object: Option.getOrUndefined(options.object),
  uploadedSince: Option.getOrUndefined(options.uploadedSince),
  uploadedUntil: Option.getOrUndefined(options.uploadedUntil),
  workflowId: Option.getOrUndefined(options.workflowId),
  tag: Option.getOrUndefined(options.tag),
  templateId: Option.getOrUndefined(options.templateId),
  queueId: Option.getOrUndefined(options.queueId),
  outputRegion: Option.getOrUndefined(options.outputRegion),
  outputBucket: Option.getOrUndefined(options.outputBucket),
  outputObject: Option.getOrUndefined(options.outputObject),
  userData: Option.getOrUndefined(options.userData),
  jobLevel: Option.getOrUndefined(options.jobLevel),
  callback: Option.getOrUndefined(options.callback),
  callbackFormat: Option.getOrUndefined(options.callbackFormat),
  callbackType: Option.getOrUndefined(options.callbackType),
  jobParam: Option.getOrUndefined(options.jobParam)
})

/**
 * Whether CI may have started the job although the create failed: the response was lost, was a
 * 5xx, or came back unreadable. CI has no idempotency key, so only a listing shows whether it exists.
 */
const mayHaveStarted = (error: CommandError): boolean => {
  switch (error._tag) {
    case "CiTransportError":
      return error.reason !== "Other"
    case "CiServiceError":
    case "CiHttpError":
      return error.status >= 500
    case "CiDecodeError":
      return true
    default:
      return false
  }
}

// Quotes a value for a POSIX shell unless it is plainly safe as it is.
const shellQuote = (value: string) => /^[A-Za-z0-9_./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`

/**
 * Sends the create. After a failure that may have started the job, the report ends with the
 * command that lists jobs of this name.
 */
const createJob = (format: OutputFormat, request: BatchJobs.CreateJobRequest) =>
  BatchJobs.create(request).pipe(
    Effect.catchAll((error): Effect.Effect<never, BatchJobs.CreateError | CommandFailed> => {
      if (!mayHaveStarted(error)) {
        return Effect.fail(error)
      }
      return Effect.gen(function*() {
        const exitCode = yield* printFailure(format, error)
        if (format === "table") {
          yield* printErrorLine(
            `The job may have been created. Check with: cos-ci jobs list --name ${shellQuote(request.name)}`
          )
        }
        return yield* new CommandFailed({ exitCode })
      })
    })
  )

/** @internal */
export const create = Command.make("create", createOptions, (options) =>
  Effect.gen(function*() {
    const flags = flagsOf(options)
    let request: BatchJobs.CreateJobRequest
    if (Option.isSome(options.fromFile)) {
      const conflicting = requestFlagNames(flags)
      if (conflicting.length > 0) {
        return yield* new UsageError({ message: `--from-file cannot be combined with ${conflicting.join(", ")}` })
      }
      const text = yield* readRequestText(options.fromFile.value)
      request = yield* requestFromJson(text, options.fromFile.value)
    } else {
      request = yield* requestFromFlags(flags)
    }

    const job = yield* createJob(options.output, request).pipe(
      Effect.mapError((error) =>
        // Name the flag rather than the request field it was copied to.
        error._tag === "CiInvalidInput" && Option.isNone(options.fromFile) && flagOfField[error.field] !== undefined ?
          new CiInvalidInput({ field: flagOfField[error.field], value: error.value, reason: error.reason }) :
          error
      )
    )
    yield* printJob(options.output, job)
  }).pipe(
    Effect.provide(clientLayer(options)),
    reportFailures(options.output)
  )).pipe(
    Command.withDescription(
      "Start a batch job (POST /inventorytriggerjob) from flags or from a JSON file, and print the new job. " +
        "CI has no idempotency key for this request, so it is retried only after throttling."
    )
  )
