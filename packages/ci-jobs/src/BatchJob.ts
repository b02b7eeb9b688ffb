/**
 * The batch data processing job (`/inventorytriggerjob`) as read back from CI.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

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
