import type * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Either from "effect/Either"
import { UsageError } from "./report.js"
import { parseTimeOption } from "./time.js"

/**
 * The request flags of `create`, `undefined` where not given.
 *
 * @internal
 */
export interface CreateFlags {
  readonly name: string | undefined
  readonly type: "Workflow" | "Job" | undefined
  readonly manifest: string | undefined
  readonly urlFile: string | undefined
  readonly prefix: string | undefined
  readonly object: string | undefined
  readonly uploadedSince: string | undefined
  readonly uploadedUntil: string | undefined
  readonly workflowId: string | undefined
  readonly tag: string | undefined
  readonly templateId: string | undefined
  readonly queueId: string | undefined
  readonly outputRegion: string | undefined
  readonly outputBucket: string | undefined
  readonly outputObject: string | undefined
  readonly userData: string | undefined
  readonly jobLevel: number | undefined
  readonly callback: string | undefined
  readonly callbackFormat: string | undefined
  readonly callbackType: string | undefined
  readonly jobParam: string | undefined
}

/**
 * The flag of each `CreateJobRequest` field, to name the flag when the library rejects a field of
 * a request built from flags.
 *
 * @internal
 */
export const flagOfField: Readonly<Record<string, string>> = {
  name: "--name",
  type: "--type",
  "input.manifest": "--manifest",
  "input.urlFile": "--url-file",
  "input.prefix": "--prefix",
  "input.object": "--object",
  "timeInterval.start": "--uploaded-since",
  "timeInterval.end": "--uploaded-until",
  workflowIds: "--workflow-id",
  tag: "--tag",
  templateId: "--template-id",
  queueId: "--queue-id",
  "output.region": "--output-region",
  "output.bucket": "--output-bucket",
  "output.object": "--output-object",
  userData: "--user-data",
  jobLevel: "--job-level",
  callBack: "--callback",
  callBackFormat: "--callback-format",
  callBackType: "--callback-type",
  jobParam: "--job-param"
}

const jobOnlyFlags = [
  ["tag", "--tag"],
  ["templateId", "--template-id"],
  ["queueId", "--queue-id"],
  ["outputRegion", "--output-region"],
  ["outputBucket", "--output-bucket"],
  ["outputObject", "--output-object"],
  ["userData", "--user-data"],
  ["jobLevel", "--job-level"],
  ["callback", "--callback"],
  ["callbackFormat", "--callback-format"],
  ["callbackType", "--callback-type"],
  ["jobParam", "--job-param"]
] as const

const inputFlags = [
  ["manifest", "--manifest"],
  ["urlFile", "--url-file"],
  ["prefix", "--prefix"],
  ["object", "--object"]
] as const

/**
 * Flags that `--from-file` replaces.
 *
 * @internal
 */
export const requestFlagNames = (flags: CreateFlags): ReadonlyArray<string> =>
  [
    ["name", "--name"],
    ["type", "--type"],
    ...inputFlags,
    ["uploadedSince", "--uploaded-since"],
    ["uploadedUntil", "--uploaded-until"],
    ["workflowId", "--workflow-id"],
    ...jobOnlyFlags
  ].filter(([key]) => flags[key as keyof CreateFlags] !== undefined).map(([, flag]) => flag)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const invalidJson = (field: string, value: string, error: unknown) =>
  new CiInvalidInput({ field, value, reason: `is not valid JSON: ${(error as Error).message}` })

const parseJobParam = (text: string): Either.Either<BatchJobs.JobParamElements, CiInvalidInput> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return Either.left(invalidJson("--job-param", text, error))
  }
  return isRecord(value) ?
    Either.right(value as BatchJobs.JobParamElements) :
    Either.left(
      new CiInvalidInput({
        field: "--job-param",
        value: text,
        reason: "must be a JSON object of JobParam elements, such as " +
          "{\"Transcode\":{\"Container\":{\"Format\":\"mp4\"}}}"
      })
    )
}

/**
 * Builds a `CreateJobRequest` from the flags of `create`. Checks which flags go together, and
 * `BatchJobs.create` checks the values themselves.
 *
 * @internal
 */
export const requestFromFlags = (
  flags: CreateFlags
): Either.Either<BatchJobs.CreateJobRequest, UsageError | CiInvalidInput> =>
  Either.gen(function*() {
    const usage = (message: string) => Either.left(new UsageError({ message }))
    if (flags.name === undefined) {
      return yield* usage("--name is required, unless --from-file gives the whole request")
    }

    const inputs = inputFlags.filter(([key]) => flags[key] !== undefined)
    if (inputs.length !== 1) {
      const found = inputs.length === 0 ? "none was given" : `got ${inputs.map(([, flag]) => flag).join(" and ")}`
      return yield* usage(`give exactly one of --manifest, --url-file, --prefix and --object: ${found}`)
    }
    const [inputKey] = inputs[0]
    const input = { [inputKey]: flags[inputKey] }

    const hasInterval = flags.uploadedSince !== undefined || flags.uploadedUntil !== undefined
    if (hasInterval && flags.prefix === undefined) {
      return yield* usage("--uploaded-since and --uploaded-until apply only with --prefix")
    }
    const timeInterval = hasInterval ?
      {
        start: flags.uploadedSince === undefined ?
          undefined :
          yield* parseTimeOption("--uploaded-since", flags.uploadedSince, "startOfDay"),
        end: flags.uploadedUntil === undefined ?
          undefined :
          yield* parseTimeOption("--uploaded-until", flags.uploadedUntil, "endOfDay")
      } :
      undefined

    const type = flags.type ?? "Workflow"
    if (type === "Workflow") {
      const jobOnly = jobOnlyFlags.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag)
      if (jobOnly.length > 0) {
        return yield* usage(`${jobOnly.join(", ")} apply only to --type Job`)
      }
      if (flags.workflowId === undefined) {
        return yield* usage("--type Workflow needs --workflow-id")
      }
      const request: BatchJobs.CreateWorkflowJobRequest = {
        type,
        name: flags.name,
        input,
        timeInterval,
        workflowIds: flags.workflowId
      }
      return request
    }

    if (flags.workflowId !== undefined) {
      return yield* usage("--workflow-id applies only to --type Workflow")
    }
    if (flags.tag === undefined) {
      return yield* usage("--type Job needs --tag, the job kind, such as Transcode")
    }
    const outputParts = [flags.outputRegion, flags.outputBucket, flags.outputObject]
    const outputGiven = outputParts.filter((part) => part !== undefined).length
    if (outputGiven !== 0 && outputGiven !== 3) {
      return yield* usage("give all of --output-region, --output-bucket and --output-object, or none of them")
    }
    const request: BatchJobs.CreateNodeJobRequest = {
      type,
      name: flags.name,
      input,
      timeInterval,
      tag: flags.tag,
      templateId: flags.templateId,
      jobParam: flags.jobParam === undefined ? undefined : yield* parseJobParam(flags.jobParam),
      output: outputGiven === 3 ?
        { region: flags.outputRegion!, bucket: flags.outputBucket!, object: flags.outputObject! } :
        undefined,
      queueId: flags.queueId,
      userData: flags.userData,
      jobLevel: flags.jobLevel,
      callBack: flags.callback,
      callBackFormat: flags.callbackFormat,
      callBackType: flags.callbackType
    }
    return request
  })

const commonFields = ["type", "name", "input", "timeInterval"]
const requestFields: Readonly<Record<"Workflow" | "Job", ReadonlyArray<string>>> = {
  Workflow: [...commonFields, "workflowIds"],
  Job: [
    ...commonFields,
    "tag",
    "templateId",
    "jobParam",
    "output",
    "queueId",
    "userData",
    "jobLevel",
    "callBack",
    "callBackFormat",
    "callBackType",
    "callBackMqConfig",
    "transcode",
    "snapshot",
    "watermarkTemplateIds",
    "freeTranscode"
  ]
}
// Nested objects whose field names are checked here. transcode and snapshot go to BatchJobs.create
// whole, which rejects their unknown fields itself.
const nestedFields: Readonly<Record<string, ReadonlyArray<string>>> = {
  input: ["manifest", "urlFile", "prefix", "object"],
  output: ["region", "bucket", "object", "spriteObject", "auObject", "streamExtract"],
  timeInterval: ["start", "end"],
  callBackMqConfig: ["mqMode", "mqRegion", "mqName"]
}

const describeValue = (value: unknown): string =>
  typeof value === "string" ? value : JSON.stringify(value) ?? String(value)

/**
 * Drops the fields whose value is `null`, which JSON writers use for an absent value, such as the
 * `input` of a job printed by `describe --output json`, and rejects fields the request does not have.
 */
const checkFields = (
  path: string,
  record: Record<string, unknown>,
  allowed: ReadonlyArray<string>,
  objectName: string
): Either.Either<Record<string, unknown>, CiInvalidInput> => {
  const present: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (!allowed.includes(key)) {
      return Either.left(
        new CiInvalidInput({
          field: `${path}${key}`,
          value: describeValue(value),
          reason: `is not a field of ${objectName}; the fields are ${allowed.join(", ")}`
        })
      )
    }
    if (value !== null) {
      present[key] = value
    }
  }
  return Either.right(present)
}

const parseIntervalTime = (field: string, value: unknown, dateOnly: "startOfDay" | "endOfDay") => {
  if (value === undefined) {
    return Either.right(undefined)
  }
  return typeof value === "string" ?
    parseTimeOption(field, value, dateOnly) :
    Either.left(new CiInvalidInput({ field, value: describeValue(value), reason: "must be a time string" }))
}

/**
 * Reads a `CreateJobRequest` from the JSON text of `--from-file`. Checks the JSON, the `type` and
 * the field names, and turns the `timeInterval` times from ISO 8601 strings into dates.
 * `BatchJobs.create` checks the values themselves. `source` names the file in messages.
 *
 * @internal
 */
export const requestFromJson = (
  text: string,
  source: string
): Either.Either<BatchJobs.CreateJobRequest, CiInvalidInput> =>
  Either.gen(function*() {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      return yield* Either.left(invalidJson("--from-file", source, error))
    }
    if (!isRecord(parsed)) {
      return yield* Either.left(
        new CiInvalidInput({
          field: "--from-file",
          value: source,
          reason: "must contain one JSON object, a CreateJobRequest"
        })
      )
    }
    const type = parsed["type"]
    if (type !== "Workflow" && type !== "Job") {
      return yield* Either.left(
        new CiInvalidInput({
          field: "type",
          value: describeValue(type ?? ""),
          reason: "must be \"Workflow\" or \"Job\""
        })
      )
    }

    const request = yield* checkFields("", parsed, requestFields[type], `a ${type} request`)
    for (const [field, allowed] of Object.entries(nestedFields)) {
      if (isRecord(request[field])) {
        request[field] = yield* checkFields(`${field}.`, request[field], allowed, field)
      }
    }
    const interval = request["timeInterval"]
    if (isRecord(interval)) {
      const start = yield* parseIntervalTime("timeInterval.start", interval["start"], "startOfDay")
      const end = yield* parseIntervalTime("timeInterval.end", interval["end"], "endOfDay")
      request["timeInterval"] = start === undefined && end === undefined ? undefined : { start, end }
    }
    // BatchJobs.create checks every value and names the field of a wrong one.
    return request as unknown as BatchJobs.CreateJobRequest
  })
