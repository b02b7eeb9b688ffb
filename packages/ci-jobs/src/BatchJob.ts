/**
 * The batch data processing job (`/inventorytriggerjob`) as read back from CI.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type * as BatchJobs from "./BatchJobs.js"

/**
 * The states CI documents for batch jobs.
 *
 * @since 0.1.0
 * @category models
 */
export const KnownJobState = Schema.Literal("Submitted", "Running", "Success", "Failed", "Pause", "Cancel")

/**
 * @since 0.1.0
 * @category models
 */
export type KnownJobState = typeof KnownJobState.Type

/**
 * A job's state. A state CI adds later is kept as its raw string rather than rejected.
 *
 * @since 0.1.0
 * @category models
 */
export type JobState = KnownJobState | (string & {})

/**
 * States a job never leaves.
 *
 * @since 0.1.0
 * @category models
 */
export const finalStates: ReadonlySet<JobState> = new Set<JobState>(["Success", "Failed", "Cancel"])

/**
 * Whether a job in this state will not change any more.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isFinal = (state: JobState): boolean => finalStates.has(state)

/**
 * Whether a job in this state can still be cancelled: it has not finished.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCancellable = (state: JobState): boolean =>
  state === "Submitted" || state === "Running" || state === "Pause"

/**
 * The objects a job runs over. CI expects exactly one of the four.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobInput {
  /** Key of a COS inventory `manifest.json`. */
  readonly manifest?: string | undefined
  /** Key of a text file that lists COS object URLs. */
  readonly urlFile?: string | undefined
  /** Object key prefix. */
  readonly prefix?: string | undefined
  /** One object key. */
  readonly object?: string | undefined
}

/**
 * `CallBackMqConfig`: the TDMQ queue that receives callbacks when `callBackType` is `TDMQ`.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallBackMqConfig {
  /** `Queue` or `Topic`. */
  readonly mqMode?: "Queue" | "Topic" | (string & {}) | undefined
  /** The TDMQ region, such as `sh` (Shanghai) or `bj` (Beijing). */
  readonly mqRegion?: string | undefined
  /** The queue or topic name. */
  readonly mqName?: string | undefined
}

/**
 * `Transcode.Container`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TranscodeContainer {
  /** The container format, such as `mp4`, `flv` or `hls`. */
  readonly format?: string | undefined
}

/**
 * `Transcode.Video`. Leaving out both `width` and `height` keeps the source resolution, and
 * leaving out one of them keeps the aspect ratio.
 *
 * @since 0.1.0
 * @category models
 */
export interface TranscodeVideo {
  /** Such as `H.264`, `H.265` or `AV1`. */
  readonly codec?: string | undefined
  /** In pixels, a positive integer. */
  readonly width?: number | undefined
  /** In pixels, a positive integer. */
  readonly height?: number | undefined
  /** Frames per second. */
  readonly fps?: number | undefined
  /** In Kbps, a positive integer. */
  readonly bitrate?: number | undefined
  /** The constant rate factor. */
  readonly crf?: number | undefined
}

/**
 * `Transcode.TimeInterval`: the part of each input to transcode.
 *
 * @since 0.1.0
 * @category models
 */
export interface TranscodeTimeInterval {
  /** In seconds from the start of the input. */
  readonly start?: number | undefined
  /** In seconds. */
  readonly duration?: number | undefined
}

/**
 * `Transcode.Audio`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TranscodeAudio {
  /** Such as `aac` or `mp3`. */
  readonly codec?: string | undefined
  /** In Hz, a positive integer. */
  readonly samplerate?: number | undefined
  /** In Kbps, a positive integer. */
  readonly bitrate?: number | undefined
  /** The number of channels, a positive integer. */
  readonly channels?: number | undefined
}

/**
 * `Transcode.TransConfig`: how CI adapts the output to the input. Values are sent as written, such
 * as `true` for the `is...` switches.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransConfig {
  readonly adjDarMethod?: string | undefined
  readonly isCheckReso?: string | undefined
  readonly resoAdjMethod?: string | undefined
  readonly isCheckVideoBitrate?: string | undefined
  readonly videoBitrateAdjMethod?: string | undefined
  readonly isCheckAudioBitrate?: string | undefined
  readonly audioBitrateAdjMethod?: string | undefined
  readonly deleteMetadata?: string | undefined
  readonly isHdr2Sdr?: string | undefined
}

/**
 * `JobParam.Transcode`: transcoding parameters given inline rather than through a template.
 *
 * @since 0.1.0
 * @category models
 */
export interface Transcode {
  readonly container?: TranscodeContainer | undefined
  readonly video?: TranscodeVideo | undefined
  readonly timeInterval?: TranscodeTimeInterval | undefined
  readonly audio?: TranscodeAudio | undefined
  readonly transConfig?: TransConfig | undefined
}

/**
 * `JobParam.Snapshot`: inline snapshot parameters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  /** `Interval`, `Average` or `KeyFrame`. */
  readonly mode?: "Interval" | "Average" | "KeyFrame" | (string & {}) | undefined
  /** In seconds from the start of the input. */
  readonly start?: number | undefined
  /** Seconds between snapshots. */
  readonly timeInterval?: number | undefined
  /** The number of snapshots, a positive integer. */
  readonly count?: number | undefined
  /** In pixels, a positive integer. */
  readonly width?: number | undefined
  /** In pixels, a positive integer. */
  readonly height?: number | undefined
  /**
   * Image processing applied to each snapshot, such as `imageMogr2/format/png`, which also sets
   * the image format.
   */
  readonly ciParam?: string | undefined
  /**
   * With `Interval` mode: when the input is too short for `count` snapshots, switch to `Average`
   * mode and still take `count` of them.
   */
  readonly isCheckCount?: boolean | undefined
  /** Black-frame detection: with `start` 0, snapshots begin at the first frame that is not black. */
  readonly isCheckBlack?: boolean | undefined
  /**
   * With `isCheckBlack`: the percentage of black pixels, an integer up to 100, from which a frame
   * counts as black. CI suggests 30 to 100.
   */
  readonly blackLevel?: number | undefined
  /** With `isCheckBlack`: the pixel value, an integer from 0 to 255, up to which a pixel counts as black. */
  readonly pixelBlackThreshold?: number | undefined
  /** `OnlySnapshot`, `OnlySprite` or `SnapshotAndSprite`. Sprites are written to `output.spriteObject`. */
  readonly snapshotOutMode?: "OnlySnapshot" | "OnlySprite" | "SnapshotAndSprite" | (string & {}) | undefined
  readonly spriteSnapshotConfig?: SpriteSnapshotConfig | undefined
}

/**
 * `Snapshot.SpriteSnapshotConfig`: how snapshots are laid out on a sprite sheet. `color`,
 * `columns` and `lines` are required in a create request.
 *
 * @since 0.1.0
 * @category models
 */
export interface SpriteSnapshotConfig {
  /** Height of one cell in pixels, from 8 to 4096. */
  readonly cellHeight?: number | undefined
  /** Width of one cell in pixels, from 8 to 4096. CI's default is the snapshot's width. */
  readonly cellWidth?: number | undefined
  /** Background color in FFmpeg's color syntax, such as `White` or `0xFFFFFF`. */
  readonly color?: string | undefined
  /** Cells per row, from 1 to 10000. */
  readonly columns?: number | undefined
  /** Rows, from 1 to 10000. */
  readonly lines?: number | undefined
  /** Outer margin of the sheet in pixels, from 0 to 1024. */
  readonly margin?: number | undefined
  /** Inner padding in pixels, from 0 to 1024. */
  readonly padding?: number | undefined
}

/**
 * `JobParam`: the parameters of an independent-node job.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobParam {
  readonly transcode?: Transcode | undefined
  readonly templateId?: string | undefined
  /** One `WatermarkTemplateId` element each. */
  readonly watermarkTemplateIds?: ReadonlyArray<string> | undefined
  readonly snapshot?: Snapshot | undefined
  /**
   * Every other `JobParam` child, by element name, such as `Watermark`. In a job read back from
   * CI, an element that appears once is one value, even if it was sent as a one-item array.
   */
  readonly otherElements?: BatchJobs.JobParamElements | undefined
}

/**
 * `Output.StreamExtract`: the object one stream of the input is written to.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamExtract {
  /** The stream's index in the input's media info, a non-negative integer. */
  readonly index?: number | undefined
  readonly object?: string | undefined
}

/**
 * The `Output` of a job's operation as CI returns it. Each field may be missing, because jobs name
 * their results with different elements.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobOperationOutput {
  readonly region?: string | undefined
  readonly bucket?: string | undefined
  /** The main result, such as the transcoded file or each snapshot. */
  readonly object?: string | undefined
  /** The sprite sheets of a snapshot job whose `snapshotOutMode` includes sprites. */
  readonly spriteObject?: string | undefined
  /** The background audio of a voice separation job. */
  readonly auObject?: string | undefined
  /** One object per extracted stream. */
  readonly streamExtract?: ReadonlyArray<StreamExtract> | undefined
}

/**
 * A job's `Operation`: what it runs and where the results go. CI returns the one the job was
 * created with, and a field is present only when CI returned its element.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobOperation {
  /** The workflow a `Workflow` job triggers. */
  readonly workflowIds?: string | undefined
  readonly timeInterval?: BatchJobs.TimeInterval | undefined
  readonly queueId?: string | undefined
  readonly userData?: string | undefined
  readonly jobLevel?: number | undefined
  readonly callBackFormat?: string | undefined
  readonly callBackType?: string | undefined
  /** The callback URL. */
  readonly callBack?: string | undefined
  readonly callBackMqConfig?: CallBackMqConfig | undefined
  /** The job kind of an independent-node job, such as `Transcode`. */
  readonly tag?: string | undefined
  readonly jobParam?: JobParam | undefined
  readonly output?: JobOperationOutput | undefined
  readonly freeTranscode?: string | undefined
}

/**
 * A batch job as CI describes it. Text is kept exactly as sent; times are parsed from CI's
 * `%Y-%m-%dT%H:%M:%S%z` form and are `undefined` when CI reports `-` or nothing.
 *
 * @since 0.1.0
 * @category models
 */
export interface BatchJob {
  readonly jobId: string
  readonly name: string | undefined
  /** `Workflow` or `Job`. */
  readonly type: string | undefined
  readonly state: JobState
  /** `Success`, or the error code of a failed job. */
  readonly code: string | undefined
  readonly message: string | undefined
  readonly creationTime: Date | undefined
  readonly startTime: Date | undefined
  readonly endTime: Date | undefined
  /** Percentage done, when CI reports it. */
  readonly progress: number | undefined
  readonly queueId: string | undefined
  /** The job kind of an independent-node job, such as `Transcode`. */
  readonly tag: string | undefined
  readonly input: JobInput
  /**
   * The caller's `UserData`, kept exactly as sent, spaces included. Read from `<UserData>` in the
   * job details, else from the echoed `<Operation>`.
   */
  readonly userData: string | undefined
  /**
   * The operation the job was created with, `undefined` when CI returned none. A number in it is
   * read from any text that `Number` reads as finite once trimmed, such as `+1280` or `.5`, and a
   * bool from any text Go's strconv.ParseBool reads, such as `True` or `1`. A value that still does
   * not fit its field is left out, and the rest of the operation is kept.
   */
  readonly operation?: JobOperation | undefined
  /**
   * The request id of the describe or create response that returned this job, to quote to Tencent
   * Cloud support. Jobs from a list page leave it out, because the page carries it.
   */
  readonly requestId?: string | undefined
}

/**
 * The result of a successful cancel: only the request id, because CI returns an empty body.
 *
 * @since 0.1.0
 * @category models
 */
export interface CancelResult {
  /** From `x-ci-request-id`; quote it to Tencent Cloud support. */
  readonly requestId: string | undefined
}

/**
 * The job id rule: letters, digits and `-`, 1 to 128 characters. CI's own ids are `b` plus 32
 * hex digits. Anything else could change the request path (`/`, `..`) or add a query (`?`, `#`).
 *
 * @since 0.1.0
 * @category validation
 */
export const jobIdPattern: RegExp = /^[A-Za-z0-9-]{1,128}$/

/**
 * CI has no job with this id: describe reported it under `NonExistJobIds`.
 *
 * @since 0.1.0
 * @category errors
 */
export class BatchJobNotFound extends Schema.TaggedError<BatchJobNotFound>()("BatchJobNotFound", {
  jobId: Schema.String,
  requestId: Schema.UndefinedOr(Schema.String)
}) {
  override get message(): string {
    const requestId = this.requestId === undefined ? "" : ` (request id ${this.requestId})`
    return `Batch job ${this.jobId} does not exist${requestId}`
  }
}

/**
 * The wait schedule of `BatchJobs.awaitJob` ended while the job was still running.
 *
 * @since 0.1.0
 * @category errors
 */
export class BatchJobWaitTimeout extends Schema.TaggedError<BatchJobWaitTimeout>()("BatchJobWaitTimeout", {
  jobId: Schema.String,
  /** The state the last describe returned, such as `Running`. The job may still finish later. */
  lastState: Schema.String
}) {
  override get message(): string {
    return `Timed out waiting for batch job ${this.jobId}: it was still ${this.lastState} when the wait schedule ended`
  }
}
