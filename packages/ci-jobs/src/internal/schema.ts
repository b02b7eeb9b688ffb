/**
 * The schemas between CI's XML elements and this package's models. Each struct field names its
 * element with `Schema.fromKey`, and fields are declared in the order they are written: the order
 * of the Go SDK's structs (`InventoryTriggerJobOperation` and the media job blocks in
 * cos-go-sdk-v5 `ci_media.go`), whose test pins one request body.
 *
 * On the wire every value is element text: numbers are decimal text and times CI's
 * `2022-02-25T12:00:00+0800`. `xmlBinding.ts` maps these wire shapes onto XML.
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as BatchJobs from "../BatchJobs.js"
import { formatTime, parseTime } from "./time.js"
import { AbsentTextsId, otherElementsKey } from "./xmlBinding.js"

// Values: element text to TypeScript.

/** Writes a number without an exponent: `String(0.0000001)` is `1e-7`, which is not decimal. */
const decimalText = (value: number): string => {
  const text = String(value)
  const match = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(text)
  if (match === null) {
    return text
  }
  const [, sign, digit, fraction = "", exponent] = match
  return `${sign}0.${"0".repeat(Number(exponent) - 1)}${digit}${fraction}`
}

/**
 * Reads any text that `Number` reads as a finite number once the spaces around it are trimmed:
 * `1280`, ` 25 `, `+1280`, `.5`, `1e-7`, and also `0x10`. Empty text and `Infinity` are rejected.
 */
const readNumber = (text: string): number | undefined => {
  const trimmed = text.trim()
  const value = Number(trimmed)
  return trimmed !== "" && Number.isFinite(value) ? value : undefined
}

/**
 * A number, written as decimal text such as `1280` or `29.97`. Reading also accepts the other
 * forms {@link readNumber} takes, because the values CI echoes are the caller's free-form text.
 * An empty element has no value.
 */
const DecimalNumber = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (text, _, ast) => {
    const value = readNumber(text)
    return value === undefined ?
      ParseResult.fail(new ParseResult.Type(ast, text, `"${text}" is not a number`)) :
      ParseResult.succeed(value)
  },
  encode: (value) => ParseResult.succeed(decimalText(value))
}).annotations({ [AbsentTextsId]: [""] })

/**
 * A time in CI's `%Y-%m-%dT%H:%M:%S%z` form, written in Beijing time. An empty element and `-`
 * mean CI has not set it yet.
 */
const CiTime = Schema.transformOrFail(Schema.String, Schema.DateFromSelf, {
  strict: true,
  decode: (text, _, ast) =>
    Either.match(parseTime(text), {
      onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, text, reason)),
      onRight: (date) =>
        date === undefined ?
          ParseResult.fail(new ParseResult.Type(ast, text, `"${text}" is not a time`)) :
          ParseResult.succeed(date)
    }),
  encode: (date) => ParseResult.succeed(formatTime(date))
}).annotations({ [AbsentTextsId]: ["", "-"] })

// The texts Go's strconv.ParseBool accepts. An echoed value is the caller's text, which may use any of them.
const trueTexts: ReadonlyArray<string> = ["1", "t", "T", "TRUE", "true", "True"]
const falseTexts: ReadonlyArray<string> = ["0", "f", "F", "FALSE", "false", "False"]

/**
 * A bool, written as `true` or `false` as Go's encoding/xml writes it. Reading also accepts the
 * other texts of Go's strconv.ParseBool, such as `True` and `1`. An empty element has no value.
 */
const BooleanText = Schema.transformOrFail(Schema.String, Schema.Boolean, {
  strict: true,
  decode: (text, _, ast) => {
    if (trueTexts.includes(text)) {
      return ParseResult.succeed(true)
    }
    return falseTexts.includes(text) ?
      ParseResult.succeed(false) :
      ParseResult.fail(new ParseResult.Type(ast, text, `"${text}" is not true or false`))
  },
  encode: (value) => ParseResult.succeed(value ? "true" : "false")
}).annotations({ [AbsentTextsId]: [""] })

const progressPattern = /^(\d{1,3}(?:\.\d+)?)%?$/

/** A job's percentage done: `42`, also `42%`, with spaces around it ignored. */
const Progress = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (text, _, ast) => {
    const match = progressPattern.exec(text.trim())
    return match === null ?
      ParseResult.fail(new ParseResult.Type(ast, text, `"${text}" is not a number`)) :
      ParseResult.succeed(Number(match[1]))
  },
  encode: (value) => ParseResult.succeed(decimalText(value))
}).annotations({ [AbsentTextsId]: ["", "-"] })

// Fields.

/** A child element that may be missing. Its field is left out of the model when it is. */
const optionalElement = <A, I>(name: string, schema: Schema.Schema<A, I>) =>
  Schema.optional(schema).pipe(Schema.fromKey(name))

/** A child element that must be present. */
const requiredElement = <A, I>(name: string, schema: Schema.Schema<A, I>) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(name))

/** A child element that may be missing, whose field is always there and `undefined` when it is. */
const reportedElement = <A, I>(name: string, schema: Schema.Schema<A, I>) =>
  Schema.optionalToRequired(schema, Schema.UndefinedOr(Schema.typeSchema(schema)), {
    decode: Option.getOrUndefined,
    encode: Option.fromNullable
  }).pipe(Schema.fromKey(name))

const optionalText = (name: string) => optionalElement(name, Schema.String)

const optionalNumber = (name: string) => optionalElement(name, DecimalNumber)

const optionalBoolean = (name: string) => optionalElement(name, BooleanText)

// Models.

/**
 * `Input`: the objects a job runs over. Every field is always there, `undefined` when its element
 * is missing.
 *
 * @internal
 */
export const JobInput = Schema.Struct({
  manifest: reportedElement("Manifest", Schema.String),
  urlFile: reportedElement("UrlFile", Schema.String),
  prefix: reportedElement("Prefix", Schema.String),
  object: reportedElement("Object", Schema.String)
})

/** `Operation.TimeInterval`: a window on object upload times. */
const TimeInterval = Schema.Struct({
  start: optionalElement("Start", CiTime),
  end: optionalElement("End", CiTime)
})

/** `CallBackMqConfig`, in the Go SDK's `NotifyConfigCallBackMqConfig` order. */
const CallBackMqConfig = Schema.Struct({
  mqMode: optionalText("MqMode"),
  mqRegion: optionalText("MqRegion"),
  mqName: optionalText("MqName")
})

const TranscodeContainer = Schema.Struct({
  format: optionalText("Format")
})

const TranscodeVideo = Schema.Struct({
  codec: optionalText("Codec"),
  width: optionalNumber("Width"),
  height: optionalNumber("Height"),
  fps: optionalNumber("Fps"),
  bitrate: optionalNumber("Bitrate"),
  crf: optionalNumber("Crf")
})

const TranscodeTimeInterval = Schema.Struct({
  start: optionalNumber("Start"),
  duration: optionalNumber("Duration")
})

const TranscodeAudio = Schema.Struct({
  codec: optionalText("Codec"),
  samplerate: optionalNumber("Samplerate"),
  bitrate: optionalNumber("Bitrate"),
  channels: optionalNumber("Channels")
})

const TransConfig = Schema.Struct({
  adjDarMethod: optionalText("AdjDarMethod"),
  isCheckReso: optionalText("IsCheckReso"),
  resoAdjMethod: optionalText("ResoAdjMethod"),
  isCheckVideoBitrate: optionalText("IsCheckVideoBitrate"),
  videoBitrateAdjMethod: optionalText("VideoBitrateAdjMethod"),
  isCheckAudioBitrate: optionalText("IsCheckAudioBitrate"),
  audioBitrateAdjMethod: optionalText("AudioBitrateAdjMethod"),
  deleteMetadata: optionalText("DeleteMetadata"),
  isHdr2Sdr: optionalText("IsHdr2Sdr")
})

/** `JobParam.Transcode`, in the order of the Go SDK's `Transcode`. */
const Transcode = Schema.Struct({
  container: optionalElement("Container", TranscodeContainer),
  video: optionalElement("Video", TranscodeVideo),
  timeInterval: optionalElement("TimeInterval", TranscodeTimeInterval),
  audio: optionalElement("Audio", TranscodeAudio),
  transConfig: optionalElement("TransConfig", TransConfig)
})

/** `Snapshot.SpriteSnapshotConfig`, in the order of the Go SDK's `SpriteSnapshotConfig`. */
const SpriteSnapshotConfig = Schema.Struct({
  cellHeight: optionalNumber("CellHeight"),
  cellWidth: optionalNumber("CellWidth"),
  color: optionalText("Color"),
  columns: optionalNumber("Columns"),
  lines: optionalNumber("Lines"),
  margin: optionalNumber("Margin"),
  padding: optionalNumber("Padding")
})

/** `JobParam.Snapshot`, in the order of the Go SDK's `Snapshot`. */
const Snapshot = Schema.Struct({
  mode: optionalText("Mode"),
  start: optionalNumber("Start"),
  timeInterval: optionalNumber("TimeInterval"),
  count: optionalNumber("Count"),
  width: optionalNumber("Width"),
  height: optionalNumber("Height"),
  ciParam: optionalText("CIParam"),
  isCheckCount: optionalBoolean("IsCheckCount"),
  isCheckBlack: optionalBoolean("IsCheckBlack"),
  blackLevel: optionalNumber("BlackLevel"),
  pixelBlackThreshold: optionalNumber("PixelBlackThreshold"),
  snapshotOutMode: optionalText("SnapshotOutMode"),
  spriteSnapshotConfig: optionalElement("SpriteSnapshotConfig", SpriteSnapshotConfig)
})

const JobParamValue: Schema.Schema<BatchJobs.JobParamValue> = Schema.Union(
  Schema.String,
  Schema.suspend(() => JobParamElements),
  Schema.Array(Schema.Union(Schema.String, Schema.suspend(() => JobParamElements)))
)

/** Free-form `JobParam` children by element name, kept as text, child elements and repetitions. */
const JobParamElements: Schema.Schema<BatchJobs.JobParamElements> = Schema.Record({
  key: Schema.String,
  value: Schema.suspend(() => JobParamValue)
})

/**
 * `JobParam`: the modelled blocks in the order of the Go SDK's
 * `InventoryTriggerJobOperationJobParam`, then every other child, free-form.
 */
// NOTE: free-form children follow the modelled blocks. The Go SDK writes some of them
// (MediaResult, MediaInfo, Watermark) before TemplateId. Whether CI depends on this order is unknown.
const JobParam = Schema.Struct({
  transcode: optionalElement("Transcode", Transcode),
  templateId: optionalText("TemplateId"),
  watermarkTemplateIds: optionalElement("WatermarkTemplateId", Schema.Array(Schema.String)),
  snapshot: optionalElement("Snapshot", Snapshot),
  otherElements: Schema.optional(JobParamElements).pipe(Schema.fromKey(otherElementsKey))
})

/** `Output.StreamExtract`: where one stream of the input goes. */
const StreamExtract = Schema.Struct({
  index: optionalNumber("Index"),
  object: optionalText("Object")
})

/** `Output`, in the order of the Go SDK's `JobOutput`. */
const JobOperationOutput = Schema.Struct({
  region: optionalText("Region"),
  bucket: optionalText("Bucket"),
  object: optionalText("Object"),
  spriteObject: optionalText("SpriteObject"),
  auObject: optionalText("AuObject"),
  streamExtract: optionalElement("StreamExtract", Schema.Array(StreamExtract))
})

/**
 * `Operation`, in the order of the Go SDK's `InventoryTriggerJobOperation`.
 *
 * @internal
 */
export const JobOperation = Schema.Struct({
  workflowIds: optionalText("WorkflowIds"),
  timeInterval: optionalElement("TimeInterval", TimeInterval),
  queueId: optionalText("QueueId"),
  userData: optionalText("UserData"),
  jobLevel: optionalNumber("JobLevel"),
  callBackFormat: optionalText("CallBackFormat"),
  callBackType: optionalText("CallBackType"),
  callBack: optionalText("CallBack"),
  callBackMqConfig: optionalElement("CallBackMqConfig", CallBackMqConfig),
  tag: optionalText("Tag"),
  jobParam: optionalElement("JobParam", JobParam),
  output: optionalElement("Output", JobOperationOutput),
  freeTranscode: optionalText("FreeTranscode")
})

/**
 * The `<Request>` body of create.
 *
 * @internal
 */
export const CreateRequest = Schema.Struct({
  name: requiredElement("Name", Schema.String),
  type: requiredElement("Type", Schema.Literal("Workflow", "Job")),
  input: requiredElement("Input", JobInput),
  operation: requiredElement("Operation", JobOperation)
})

const emptyInput: typeof JobInput.Type = {
  manifest: undefined,
  urlFile: undefined,
  prefix: undefined,
  object: undefined
}

const JobsDetailElements = Schema.Struct({
  jobId: requiredElement("JobId", Schema.NonEmptyString),
  name: reportedElement("Name", Schema.String),
  type: reportedElement("Type", Schema.String),
  state: requiredElement("State", Schema.NonEmptyString),
  code: reportedElement("Code", Schema.String),
  message: reportedElement("Message", Schema.String),
  creationTime: reportedElement("CreationTime", CiTime),
  startTime: reportedElement("StartTime", CiTime),
  endTime: reportedElement("EndTime", CiTime),
  progress: reportedElement("Progress", Progress),
  queueId: reportedElement("QueueId", Schema.String),
  tag: reportedElement("Tag", Schema.String),
  input: Schema.optionalToRequired(JobInput, Schema.typeSchema(JobInput), {
    decode: Option.getOrElse(() => emptyInput),
    encode: Option.some
  }).pipe(Schema.fromKey("Input")),
  userData: reportedElement("UserData", Schema.String),
  operation: reportedElement("Operation", JobOperation)
})

/**
 * One `<JobsDetail>` as a `BatchJob`. `userData` comes from `<UserData>`, else from the echoed
 * `<Operation>`.
 *
 * @internal
 */
export const JobsDetail = Schema.transform(JobsDetailElements, Schema.typeSchema(JobsDetailElements), {
  strict: true,
  decode: (job) => ({ ...job, userData: job.userData ?? job.operation?.userData }),
  encode: (job) => job
})
