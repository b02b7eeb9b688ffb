import type { CiInvalidInput } from "@effect-cos/http/CiError"
import * as Either from "effect/Either"
import type * as BatchJob from "../BatchJob.js"
import type * as BatchJobs from "../BatchJobs.js"
import type { CreateRequest } from "./schema.js"
import {
  describeValue,
  invalid,
  isRecord,
  validateInteger,
  validateNumber,
  validateOptionalXmlText,
  validateTime,
  validateTimeOrder,
  validateXmlText
} from "./validate.js"

/**
 * A create request after validation, in the shape the `CreateRequest` schema encodes.
 *
 * @internal
 */
export type CreateRequestModel = typeof CreateRequest.Type

const maxNameLength = 128

// Deep enough for any JobParam block CI documents, and it stops a cyclic record.
const maxJobParamDepth = 16

// ASCII-only XML names: enough for every CI element, and nothing that could close or open a tag.
const elementNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/

const inputFields = ["manifest", "urlFile", "prefix", "object"] as const

const timeIntervalFields = ["start", "end"]

const commonRequestFields = ["type", "name", "input", "timeInterval"]

const workflowRequestFields = [...commonRequestFields, "workflowIds"]

// The fields of CreateNodeJobRequest in the order of its declaration.
const nodeRequestFields = [
  ...commonRequestFields,
  "tag",
  "transcode",
  "templateId",
  "watermarkTemplateIds",
  "snapshot",
  "jobParam",
  "output",
  "queueId",
  "userData",
  "jobLevel",
  "callBack",
  "callBackFormat",
  "callBackType",
  "callBackMqConfig",
  "freeTranscode"
]

const validateName = (name: unknown): Either.Either<string, CiInvalidInput> =>
  Either.flatMap(validateXmlText("name", name), (text) => {
    const length = [...text].length
    return length <= maxNameLength ?
      Either.right(text) :
      invalid("name", text, `must be 1 to ${maxNameLength} characters, got ${length}`)
  })

const validateInput = (input: unknown): Either.Either<CreateRequestModel["input"], CiInvalidInput> =>
  Either.gen(function*() {
    if (!isRecord(input)) {
      return yield* invalid(
        "input",
        describeValue(input),
        "must be an object with one of manifest, urlFile, prefix or object"
      )
    }
    yield* rejectUnknownFields("input", input, inputFields)
    const present = inputFields.filter((field) => input[field] !== undefined)
    if (present.length !== 1) {
      return yield* invalid("input", present.join(","), "must set exactly one of manifest, urlFile, prefix and object")
    }
    const field = present[0]
    const value = yield* validateXmlText(`input.${field}`, input[field])
    return { manifest: undefined, urlFile: undefined, prefix: undefined, object: undefined, [field]: value }
  })

const validateTimeInterval = (interval: unknown): Either.Either<BatchJobs.TimeInterval | undefined, CiInvalidInput> =>
  Either.gen(function*() {
    if (interval === undefined) {
      return undefined
    }
    if (!isRecord(interval)) {
      return yield* invalid("timeInterval", describeValue(interval), "must be an object with start and/or end")
    }
    yield* rejectUnknownFields("timeInterval", interval, timeIntervalFields)
    if (interval.start !== undefined) {
      yield* validateTime("timeInterval.start", interval.start)
    }
    if (interval.end !== undefined) {
      yield* validateTime("timeInterval.end", interval.end)
    }
    yield* validateTimeOrder({ start: "timeInterval.start", end: "timeInterval.end" }, interval.start, interval.end)
    return { start: interval.start as Date | undefined, end: interval.end as Date | undefined }
  })

type Validator<A> = (field: string, value: unknown) => Either.Either<A, CiInvalidInput>

const optionalText: Validator<string | undefined> = validateOptionalXmlText

const optionalInteger = (min: number): Validator<number | undefined> => (field, value) =>
  value === undefined ? Either.right(undefined) : validateInteger(field, value, min, Number.MAX_SAFE_INTEGER)

const boundedInteger = (min: number, max: number): Validator<number | undefined> => (field, value) =>
  value === undefined ? Either.right(undefined) : validateInteger(field, value, min, max)

const requiredInteger = (min: number, max: number): Validator<number> => (field, value) =>
  value === undefined ? invalid(field, "", "is required") : validateInteger(field, value, min, max)

const requiredText: Validator<string> = validateXmlText

const optionalBoolean: Validator<boolean | undefined> = (field, value) =>
  value === undefined || typeof value === "boolean" ?
    Either.right(value) :
    invalid(field, describeValue(value), "must be true or false")

const optionalNumber: Validator<number | undefined> = (field, value) =>
  value === undefined ? Either.right(undefined) : validateNumber(field, value, 0, Number.MAX_SAFE_INTEGER)

/** Fails on the first key of `value` that is not one of `names`, rather than dropping it. */
const rejectUnknownFields = (
  path: string,
  value: Readonly<Record<string, unknown>>,
  names: ReadonlyArray<string>
): Either.Either<void, CiInvalidInput> => {
  const unknown = Object.keys(value).find((key) => !names.includes(key))
  return unknown === undefined ?
    Either.void :
    invalid(`${path}.${unknown}`, describeValue(value[unknown]), `is not a field of ${path}: use ${names.join(", ")}`)
}

/**
 * Checks an optional block of the request model: each field with its validator, in the order
 * given, which is the body order. Unknown keys are rejected rather than dropped, and so is a
 * block without any field set, which would send nothing.
 */
const validateBlock =
  <A extends object>(fields: { readonly [K in keyof A]-?: Validator<A[K]> }): Validator<A | undefined> =>
  (path, value) =>
    Either.gen(function*() {
      if (value === undefined) {
        return undefined
      }
      if (!isRecord(value)) {
        return yield* invalid(path, describeValue(value), "must be an object")
      }
      const names = Object.keys(fields)
      yield* rejectUnknownFields(path, value, names)
      const block: Record<string, unknown> = {}
      for (const name of names) {
        const validate: Validator<unknown> = fields[name as keyof A]
        block[name] = yield* validate(`${path}.${name}`, value[name])
      }
      if (Object.values(block).every((field) => field === undefined)) {
        return yield* invalid(path, "{}", "must set at least one field; leave it out instead")
      }
      return block as A
    })

const validateTranscode = validateBlock<BatchJob.Transcode>({
  container: validateBlock<BatchJob.TranscodeContainer>({ format: optionalText }),
  video: validateBlock<BatchJob.TranscodeVideo>({
    codec: optionalText,
    width: optionalInteger(1),
    height: optionalInteger(1),
    fps: optionalNumber,
    bitrate: optionalInteger(1),
    crf: optionalNumber
  }),
  timeInterval: validateBlock<BatchJob.TranscodeTimeInterval>({ start: optionalNumber, duration: optionalNumber }),
  audio: validateBlock<BatchJob.TranscodeAudio>({
    codec: optionalText,
    samplerate: optionalInteger(1),
    bitrate: optionalInteger(1),
    channels: optionalInteger(1)
  }),
  transConfig: validateBlock<BatchJob.TransConfig>({
    adjDarMethod: optionalText,
    isCheckReso: optionalText,
    resoAdjMethod: optionalText,
    isCheckVideoBitrate: optionalText,
    videoBitrateAdjMethod: optionalText,
    isCheckAudioBitrate: optionalText,
    audioBitrateAdjMethod: optionalText,
    deleteMetadata: optionalText,
    isHdr2Sdr: optionalText
  })
})

// The ranges are those of CI's snapshot template documentation. CI calls 30 to 100 a reference
// range for BlackLevel, so only the percentage bounds are enforced.
const validateSpriteSnapshotConfig = validateBlock<BatchJob.SpriteSnapshotConfig>({
  cellHeight: boundedInteger(8, 4096),
  cellWidth: boundedInteger(8, 4096),
  color: requiredText,
  columns: requiredInteger(1, 10_000),
  lines: requiredInteger(1, 10_000),
  margin: boundedInteger(0, 1024),
  padding: boundedInteger(0, 1024)
})

// NOTE: Snapshot's image format has no element of its own in the Go and Java SDK structs, so it
// is not modelled: set it through ciParam (`imageMogr2/format/png`) or a free-form jobParam block.
const validateSnapshot = validateBlock<BatchJob.Snapshot>({
  mode: optionalText,
  start: optionalNumber,
  timeInterval: optionalNumber,
  count: optionalInteger(1),
  width: optionalInteger(1),
  height: optionalInteger(1),
  ciParam: optionalText,
  isCheckCount: optionalBoolean,
  isCheckBlack: optionalBoolean,
  blackLevel: boundedInteger(0, 100),
  pixelBlackThreshold: boundedInteger(0, 255),
  snapshotOutMode: optionalText,
  spriteSnapshotConfig: validateSpriteSnapshotConfig
})

// The Go SDK's NotifyConfigCallBackMqConfig order.
const validateCallBackMqConfig = validateBlock<BatchJob.CallBackMqConfig>({
  mqMode: optionalText,
  mqRegion: optionalText,
  mqName: optionalText
})

const validateTemplateIds = (
  field: string,
  value: unknown
): Either.Either<ReadonlyArray<string> | undefined, CiInvalidInput> =>
  Either.gen(function*() {
    if (value === undefined) {
      return undefined
    }
    if (!Array.isArray(value)) {
      return yield* invalid(field, describeValue(value), "must be an array of template ids")
    }
    if (value.length === 0) {
      return yield* invalid(field, "[]", "must not be an empty array; leave it out instead")
    }
    const ids: Array<string> = []
    for (const [index, id] of value.entries()) {
      ids.push(yield* validateXmlText(`${field}[${index}]`, id))
    }
    return ids
  })

/**
 * Checks the caller's extra `JobParam` children: text, nested records, and arrays as repeated
 * elements. Empty values are rejected, because they would become empty elements and how CI reads
 * those is not documented.
 */
const validateJobParamValue = (path: string, value: unknown, depth: number): Either.Either<void, CiInvalidInput> =>
  Either.gen(function*() {
    if (depth > maxJobParamDepth) {
      return yield* invalid(path, "[nested]", `must not nest deeper than ${maxJobParamDepth} levels`)
    }
    if (typeof value === "string") {
      yield* validateXmlText(path, value)
      return
    }
    if (Array.isArray(value)) {
      if (value.length === 0) {
        return yield* invalid(path, "[]", "must not be an empty array; leave the element out instead")
      }
      for (const [index, item] of value.entries()) {
        if (Array.isArray(item)) {
          return yield* invalid(`${path}[${index}]`, "[array]", "must be text or an object, not an array")
        }
        yield* validateJobParamValue(`${path}[${index}]`, item, depth + 1)
      }
      return
    }
    if (isRecord(value)) {
      if (Object.keys(value).length === 0) {
        return yield* invalid(path, "{}", "must not be an empty object; leave the element out instead")
      }
      return yield* validateJobParamElements(path, value, depth + 1)
    }
    return yield* invalid(path, describeValue(value), "must be text, an object or an array")
  })

const validateJobParamElements = (
  path: string,
  elements: Readonly<Record<string, unknown>>,
  depth: number
): Either.Either<void, CiInvalidInput> =>
  Either.gen(function*() {
    for (const [name, value] of Object.entries(elements)) {
      if (!elementNamePattern.test(name)) {
        return yield* invalid(
          path,
          name,
          "has a key that is not an XML element name: use letters, digits, \"_\", \"-\" and \".\", not starting with a digit"
        )
      }
      yield* validateJobParamValue(`${path}.${name}`, value, depth)
    }
  })

// The typed JobParam fields and the element each one writes.
const jobParamBlocks = [
  ["transcode", "Transcode"],
  ["templateId", "TemplateId"],
  ["watermarkTemplateIds", "WatermarkTemplateId"],
  ["snapshot", "Snapshot"]
] as const

const validateJobParam = (request: BatchJobs.CreateNodeJobRequest): Either.Either<BatchJob.JobParam, CiInvalidInput> =>
  Either.gen(function*() {
    const jobParam: BatchJob.JobParam = {
      transcode: yield* validateTranscode("transcode", request.transcode),
      templateId: yield* validateOptionalXmlText("templateId", request.templateId),
      watermarkTemplateIds: yield* validateTemplateIds("watermarkTemplateIds", request.watermarkTemplateIds),
      snapshot: yield* validateSnapshot("snapshot", request.snapshot)
    }
    const others: unknown = request.jobParam
    if (others === undefined) {
      return jobParam
    }
    if (!isRecord(others)) {
      return yield* invalid("jobParam", describeValue(others), "must be an object of JobParam elements")
    }
    for (const [field, element] of jobParamBlocks) {
      if (jobParam[field] !== undefined && others[element] !== undefined) {
        return yield* invalid(`jobParam.${element}`, describeValue(others[element]), `duplicates ${field}; set one`)
      }
    }
    yield* validateJobParamElements("jobParam", others, 1)
    return { ...jobParam, otherElements: others as BatchJobs.JobParamElements }
  })

const validateStreamExtract = (
  field: string,
  value: unknown
): Either.Either<ReadonlyArray<BatchJob.StreamExtract> | undefined, CiInvalidInput> =>
  Either.gen(function*() {
    if (value === undefined) {
      return undefined
    }
    if (!Array.isArray(value) || value.length === 0) {
      return yield* invalid(field, describeValue(value), "must be a non-empty array of { index, object }")
    }
    const streams: Array<BatchJob.StreamExtract> = []
    for (const [position, stream] of value.entries()) {
      const path = `${field}[${position}]`
      if (!isRecord(stream)) {
        return yield* invalid(path, describeValue(stream), "must be an object with index and object")
      }
      yield* rejectUnknownFields(path, stream, ["index", "object"])
      streams.push({
        index: yield* requiredInteger(0, Number.MAX_SAFE_INTEGER)(`${path}.index`, stream.index),
        object: yield* validateXmlText(`${path}.object`, stream.object)
      })
    }
    return streams
  })

const outputFields = ["region", "bucket", "object", "spriteObject", "auObject", "streamExtract"]

const validateOutput = (output: unknown): Either.Either<BatchJob.JobOperationOutput | undefined, CiInvalidInput> =>
  Either.gen(function*() {
    if (output === undefined) {
      return undefined
    }
    if (!isRecord(output)) {
      return yield* invalid("output", describeValue(output), "must be an object with region, bucket and object")
    }
    yield* rejectUnknownFields("output", output, outputFields)

    const validated = {
      region: yield* validateXmlText("output.region", output.region),
      bucket: yield* validateXmlText("output.bucket", output.bucket),
      object: yield* validateOptionalXmlText("output.object", output.object),
      spriteObject: yield* validateOptionalXmlText("output.spriteObject", output.spriteObject),
      auObject: yield* validateOptionalXmlText("output.auObject", output.auObject),
      streamExtract: yield* validateStreamExtract("output.streamExtract", output.streamExtract)
    }
    const results = [validated.object, validated.spriteObject, validated.auObject, validated.streamExtract]
    if (results.every((result) => result === undefined)) {
      return yield* invalid(
        "output",
        "[object]",
        "must name a result: set object, spriteObject, auObject or streamExtract"
      )
    }
    return validated
  })

const validateWorkflowOperation = (
  request: BatchJobs.CreateWorkflowJobRequest
): Either.Either<BatchJob.JobOperation, CiInvalidInput> =>
  Either.gen(function*() {
    return {
      workflowIds: yield* validateXmlText("workflowIds", request.workflowIds),
      timeInterval: yield* validateTimeInterval(request.timeInterval)
    }
  })

const validateNodeOperation = (
  request: BatchJobs.CreateNodeJobRequest
): Either.Either<BatchJob.JobOperation, CiInvalidInput> =>
  Either.gen(function*() {
    const tag = yield* validateXmlText("tag", request.tag)
    return {
      timeInterval: yield* validateTimeInterval(request.timeInterval),
      queueId: yield* validateOptionalXmlText("queueId", request.queueId),
      userData: yield* validateOptionalXmlText("userData", request.userData),
      // NOTE: only the lower bound is checked. The batch-job documentation gives no upper bound, so
      // an unsupported level reaches CI.
      jobLevel: request.jobLevel === undefined ?
        undefined :
        yield* validateInteger("jobLevel", request.jobLevel, 0, Number.MAX_SAFE_INTEGER),
      callBackFormat: yield* validateOptionalXmlText("callBackFormat", request.callBackFormat),
      callBackType: yield* validateOptionalXmlText("callBackType", request.callBackType),
      callBack: yield* validateOptionalXmlText("callBack", request.callBack),
      callBackMqConfig: yield* validateCallBackMqConfig("callBackMqConfig", request.callBackMqConfig),
      tag,
      jobParam: yield* validateJobParam(request),
      output: yield* validateOutput(request.output),
      freeTranscode: yield* validateOptionalXmlText("freeTranscode", request.freeTranscode)
    }
  })

/**
 * Rejects a top-level key that the request's type does not have, rather than dropping it. A Job
 * field on a Workflow request is rejected only when it is set, because it is a field of the
 * request union and an `undefined` one sends nothing.
 */
const rejectUnknownRequestFields = (
  request: Readonly<Record<string, unknown>>,
  type: "Workflow" | "Job"
): Either.Either<void, CiInvalidInput> => {
  const names = type === "Workflow" ? workflowRequestFields : nodeRequestFields
  for (const [key, value] of Object.entries(request)) {
    if (names.includes(key)) {
      continue
    }
    if (type === "Workflow" && nodeRequestFields.includes(key)) {
      if (value === undefined) {
        continue
      }
      return invalid(
        key,
        describeValue(value),
        `is a field of Job requests only: a Workflow request takes ${names.join(", ")}`
      )
    }
    return invalid(key, describeValue(value), `is not a field of a ${type} request: use ${names.join(", ")}`)
  }
  return Either.void
}

/**
 * Checks every field of a create request and returns it as the request model. Fails on the first
 * problem, checked in this order: name, type, unknown keys, input, then the operation in body
 * order with `tag` first.
 *
 * @internal
 */
export const validateCreateRequest = (
  request: BatchJobs.CreateJobRequest
): Either.Either<CreateRequestModel, CiInvalidInput> =>
  Either.gen(function*() {
    if (!isRecord(request)) {
      return yield* invalid("request", describeValue(request), "must be an object")
    }
    const name = yield* validateName(request.name)
    if (request.type !== "Workflow" && request.type !== "Job") {
      return yield* invalid(
        "type",
        describeValue((request as { readonly type: unknown }).type),
        "must be \"Workflow\" or \"Job\""
      )
    }
    yield* rejectUnknownRequestFields(request, request.type)
    const input = yield* validateInput(request.input)
    const operation = request.type === "Workflow" ?
      yield* validateWorkflowOperation(request) :
      yield* validateNodeOperation(request)
    return { name, type: request.type, input, operation }
  })
