/**
 * Operations on CI batch data processing jobs (`/inventorytriggerjob`). Each one needs a
 * `CiClient` from `@effect-cos/http`, validates its arguments before sending anything, and runs in
 * its own span named after it.
 *
 * @since 0.1.0
 */
import type * as CiClient from "@effect-cos/http/CiClient"
import type * as CiError from "@effect-cos/http/CiError"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as Schedule from "effect/Schedule"
import type * as Stream from "effect/Stream"
import type * as BatchJob from "./BatchJob.js"
import * as internal from "./internal/batchJobs.js"
import * as internalCreate from "./internal/create.js"
import * as internalList from "./internal/list.js"

/**
 * Errors of {@link cancel}.
 *
 * @since 0.1.0
 * @category models
 */
export type CancelError = CiClient.SendError

/**
 * Errors of {@link describe}.
 *
 * @since 0.1.0
 * @category models
 */
export type DescribeError = CiClient.SendError | BatchJob.BatchJobNotFound

/**
 * Cancels a batch job: `PUT /inventorytriggerjob/<jobId>?cancel`, with `cancel` signed.
 *
 * The job id must be 1 to 128 letters, digits or `-`; any other id fails with `CiInvalidInput`
 * and nothing is sent. CI returns an empty body for a successful cancel, so the result is the
 * request id alone. Errors CI reports, such as a job that already finished, come back as
 * `CiServiceError` with CI's code.
 *
 * @example
 * ```ts
 * import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
 * import * as Effect from "effect/Effect"
 *
 * const program = BatchJobs.cancel("b0123456789abcdef0123456789abcdef0").pipe(
 *   Effect.tap(({ requestId }) => Effect.log(`cancelled, request id ${requestId}`)),
 *   Effect.catchTag("CiServiceError", (error) => Effect.logError(`${error.code}: ${error.message}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const cancel: (jobId: string) => Effect.Effect<BatchJob.CancelResult, CancelError, CiClient.CiClient> =
  internal.cancel

/**
 * Reads one batch job: `GET /inventorytriggerjob/<jobId>`. Fails with `BatchJobNotFound` when CI
 * reports the id under `NonExistJobIds`. The job's `requestId` is that of the response.
 *
 * @since 0.1.0
 * @category operations
 */
export const describe: (jobId: string) => Effect.Effect<BatchJob.BatchJob, DescribeError, CiClient.CiClient> =
  internal.describe

/**
 * A window on object upload times. Either end may be left out, and CI then uses 0 for the start
 * and the present for the end. Only meaningful with `input.prefix`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TimeInterval {
  readonly start?: Date | undefined
  readonly end?: Date | undefined
}

/**
 * Fields both kinds of batch job share.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateJobCommon {
  /** 1 to 128 characters. */
  readonly name: string
  /** The objects to run over: exactly one of `manifest`, `urlFile`, `prefix` and `object`. */
  readonly input: BatchJob.JobInput
  readonly timeInterval?: TimeInterval | undefined
}

/**
 * A batch job that runs an existing workflow over the input objects (`Type` `Workflow`).
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateWorkflowJobRequest extends CreateJobCommon {
  readonly type: "Workflow"
  /** The workflow to trigger, sent as `Operation.WorkflowIds`. */
  readonly workflowIds: string
}

/**
 * A value inside `JobParam`: text, child elements by name, or an array that repeats the element
 * once per item (such as several `WatermarkTemplateId`).
 *
 * @since 0.1.0
 * @category models
 */
export type JobParamValue = string | JobParamElements | ReadonlyArray<string | JobParamElements>

/**
 * Child elements of `JobParam`, by element name, written in the record's key order.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobParamElements {
  readonly [name: string]: JobParamValue
}

/**
 * The destination of an independent-node job's results. It names at least one result: `object`,
 * `spriteObject`, `auObject` or `streamExtract`. Object keys may contain CI placeholders such as
 * `${InventoryTriggerJobId}`.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobOutput {
  readonly region: string
  /** `<BucketName>-<APPID>`. */
  readonly bucket: string
  /** The main result, such as the transcoded file or each snapshot. */
  readonly object?: string | undefined
  /** The sprite sheets of a snapshot job whose `snapshotOutMode` includes sprites. */
  readonly spriteObject?: string | undefined
  /** The background audio of a voice separation job. */
  readonly auObject?: string | undefined
  /** One object per extracted stream, for a stream extraction job. */
  readonly streamExtract?: ReadonlyArray<{ readonly index: number; readonly object: string }> | undefined
}

/**
 * A batch job that runs one job kind over the input objects (`Type` `Job`, which CI calls an
 * independent node).
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateNodeJobRequest extends CreateJobCommon {
  readonly type: "Job"
  /** The job kind, such as `Transcode`, `Snapshot` or `Animation`. */
  readonly tag: string
  /** Sent as `JobParam.Transcode`. */
  readonly transcode?: BatchJob.Transcode | undefined
  /** Sent as `JobParam.TemplateId`. */
  readonly templateId?: string | undefined
  /** Sent as one `JobParam.WatermarkTemplateId` each. */
  readonly watermarkTemplateIds?: ReadonlyArray<string> | undefined
  /** Sent as `JobParam.Snapshot`. */
  readonly snapshot?: BatchJob.Snapshot | undefined
  /**
   * Other `JobParam` children, such as `Watermark`, written after the blocks above. Names must be
   * XML element names, and must not repeat a block set above. Values are not checked against what
   * the tag accepts.
   */
  readonly jobParam?: JobParamElements | undefined
  readonly output?: JobOutput | undefined
  readonly queueId?: string | undefined
  /** Returned unchanged in the job details and callbacks. */
  readonly userData?: string | undefined
  /** Job priority, a non-negative integer. CI's default is 0. */
  readonly jobLevel?: number | undefined
  /** The callback URL. */
  readonly callBack?: string | undefined
  readonly callBackFormat?: "XML" | "JSON" | (string & {}) | undefined
  readonly callBackType?: "Url" | "TDMQ" | (string & {}) | undefined
  /** The queue that receives callbacks when `callBackType` is `TDMQ`. */
  readonly callBackMqConfig?: BatchJob.CallBackMqConfig | undefined
  /** Sent as `Operation.FreeTranscode`, unchanged. The batch-job documentation does not list its values. */
  readonly freeTranscode?: string | undefined
}

/**
 * The request of {@link create}: a workflow job or an independent-node job, discriminated by
 * `type`.
 *
 * @since 0.1.0
 * @category models
 */
export type CreateJobRequest = CreateWorkflowJobRequest | CreateNodeJobRequest

/**
 * The errors of {@link create}.
 *
 * @since 0.1.0
 * @category models
 */
export type CreateError = CiClient.SendError

/**
 * Starts a batch job: `POST /inventorytriggerjob` with a `<Request>` body, returning the job as CI
 * reports it.
 *
 * Every field is checked before anything is sent, and a bad one fails with `CiInvalidInput` naming
 * it (`name`, `input`, `output.bucket`, `transcode.video.width`,
 * `jobParam.Transcode.Container.Format`, ...). So does a key the request does not have, such as
 * `input.prefx`, or `snapshot` set on a `Workflow` request. Absent optional fields are left out of
 * the body rather than sent empty. The job's `operation` returns the request's operation as CI
 * stored it, and its `requestId` is that of the response.
 *
 * CI has no idempotency key for this call, so it is retried only after throttling (status 429 or
 * `SlowDown`), which CI returns without starting anything. After a timeout, a reset connection or
 * a 5xx the job may or may not exist: the call fails with that error, and `list` with `name`
 * tells which.
 *
 * @example
 * ```ts
 * import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
 *
 * const job = BatchJobs.create({
 *   type: "Job",
 *   name: "transcode-uploads",
 *   input: { prefix: "uploads/" },
 *   tag: "Transcode",
 *   templateId: "t1460606b9752148c4ab182f55163ba7cd",
 *   output: { region: "ap-guangzhou", bucket: "examplebucket-1250000000", object: "out/${InventoryTriggerJobId}.mp4" }
 * })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const create: (request: CreateJobRequest) => Effect.Effect<BatchJob.BatchJob, CreateError, CiClient.CiClient> =
  internalCreate.create

/**
 * Filters and paging for {@link list} and {@link listAll}. Only the options given are sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** The `nextToken` of the previous page. */
  readonly nextToken?: string | undefined
  /** Jobs per page, 1 to 100. CI's default is 10. */
  readonly size?: number | undefined
  readonly type?: "Workflow" | "Job" | undefined
  /** Order by creation time. CI's default is `Desc`. */
  readonly orderByTime?: "Desc" | "Asc" | undefined
  /** Only jobs in these states. CI's default is `All`, which cannot be combined with other states. */
  readonly states?: ReadonlyArray<BatchJob.KnownJobState | "All"> | undefined
  /** Only jobs created at or after this time. */
  readonly startCreationTime?: Date | undefined
  /** Only jobs created at or before this time. */
  readonly endCreationTime?: Date | undefined
  readonly workflowId?: string | undefined
  readonly jobId?: string | undefined
  readonly name?: string | undefined
}

/**
 * One page of {@link list}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListPage {
  /** The jobs in the order CI sent them, empty when none match. */
  readonly jobs: ReadonlyArray<BatchJob.BatchJob>
  /** The `nextToken` of the next page, or `undefined` when CI sent none or an empty one. */
  readonly nextToken: string | undefined
  /** From `x-ci-request-id`, else the body's `<RequestId>`. */
  readonly requestId: string | undefined
}

/**
 * The errors of {@link list} and {@link listAll}.
 *
 * @since 0.1.0
 * @category models
 */
export type ListError = CiClient.SendError

/**
 * Reads one page of batch jobs: `GET /inventorytriggerjob` with the options as query parameters
 * (`states=Running%2CFailed`, times as `2022-02-25T12:00:00+0800` in Beijing time).
 *
 * Invalid options fail with `CiInvalidInput` before anything is sent. Job fields are kept as
 * text: a job id `0123` and a token `1e5` stay strings.
 *
 * @since 0.1.0
 * @category operations
 */
export const list: (options?: ListOptions) => Effect.Effect<ListPage, ListError, CiClient.CiClient> = internalList.list

/**
 * Every page of batch jobs that match, in order, each with its `nextToken`: the stream to use when
 * you need to know where you are, for example to resume a listing later from a token. It pages like
 * {@link listAll}, which yields the jobs of these pages one by one.
 *
 * @since 0.1.0
 * @category operations
 */
export const listPages: (options?: ListOptions) => Stream.Stream<ListPage, ListError, CiClient.CiClient> =
  internalList.listPages

/**
 * Every batch job that matches, page by page. A page is requested only when the stream is pulled
 * past the previous one. Paging stops at a page without a `nextToken`, and after `limit` jobs when
 * given (a positive integer). An empty page that has a `nextToken` is followed, because a server
 * that filters after paging can send one in the middle of the list.
 *
 * Fails with `CiDecodeError` where paging would otherwise never end. That is when a page returns a
 * `NextToken` already sent in this run, or after 100 empty pages in a row. It is also after 3 pages
 * in a row whose jobs had all been listed already.
 *
 * @example
 * ```ts
 * import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
 * import * as Stream from "effect/Stream"
 *
 * const failed = BatchJobs.listAll({ states: ["Failed"], size: 100, limit: 500 }).pipe(Stream.runCollect)
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const listAll: (
  options?: ListOptions & { readonly limit?: number | undefined }
) => Stream.Stream<BatchJob.BatchJob, ListError, CiClient.CiClient> = internalList.listAll

/**
 * The default schedule of {@link awaitJob}: a describe every 5 seconds, for at most 30 minutes
 * after the first describe.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultAwaitSchedule: Schedule.Schedule<unknown, unknown> = internal.defaultAwaitSchedule

/**
 * Options of {@link awaitJob}.
 *
 * @since 0.1.0
 * @category models
 */
export interface AwaitOptions {
  /**
   * The schedule between describes, which receives the last job read. Defaults to
   * {@link defaultAwaitSchedule}. When it ends, the wait fails with `BatchJobWaitTimeout`.
   */
  readonly schedule?: Schedule.Schedule<unknown, BatchJob.BatchJob> | undefined
  /** Runs after every describe with the job read, for example to show its progress. */
  readonly onPoll?: ((job: BatchJob.BatchJob) => Effect.Effect<void>) | undefined
}

/**
 * The errors of {@link awaitJob}.
 *
 * @since 0.1.0
 * @category models
 */
export type AwaitError = DescribeError | BatchJob.BatchJobWaitTimeout

/**
 * Describes a job until it reaches a final state (`Success`, `Failed` or `Cancel`) and returns it.
 * A failed job is a result, not an error: check `state` and `code`.
 *
 * Errors of {@link describe} end the wait unchanged, because describe has already retried what
 * can be retried. When the schedule ends first, fails with `BatchJobWaitTimeout` carrying the
 * last state.
 *
 * @since 0.1.0
 * @category operations
 */
export const awaitJob: (
  jobId: string,
  options?: AwaitOptions
) => Effect.Effect<BatchJob.BatchJob, AwaitError, CiClient.CiClient> = internal.awaitJob

/**
 * The result of cancelling one job in {@link cancelMany}.
 *
 * @since 0.1.0
 * @category models
 */
export interface CancelOutcome {
  readonly jobId: string
  readonly result: Either.Either<BatchJob.CancelResult, CancelError>
}

/**
 * Options of {@link cancelMany}.
 *
 * @since 0.1.0
 * @category models
 */
export interface CancelManyOptions {
  /** How many cancels run at once, 1 to 64. Default 4. */
  readonly concurrency?: number | undefined
  /** Runs as soon as each job's cancel has finished, in completion order, for example to show progress. */
  readonly onOutcome?: ((outcome: CancelOutcome) => Effect.Effect<void>) | undefined
}

/**
 * Cancels many jobs, at most `concurrency` at a time (1 to 64, default 4).
 *
 * Every id is checked first: one invalid id fails the whole call with `CiInvalidInput` (its field
 * names the position, such as `jobIds[2]`) and nothing is sent. Repeated ids are cancelled once,
 * at their first position. A failed cancel does not fail the call. Each outcome contains its own
 * result, in input order.
 *
 * @since 0.1.0
 * @category operations
 */
export const cancelMany: (
  jobIds: Iterable<string>,
  options?: CancelManyOptions
) => Effect.Effect<ReadonlyArray<CancelOutcome>, CiError.CiInvalidInput, CiClient.CiClient> = internal.cancelMany
