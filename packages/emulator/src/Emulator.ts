/**
 * A local HTTP server that emulates the Tencent Cloud CI batch-job API (`/inventorytriggerjob`) and
 * verifies the COS signature of every request, for integration tests and demos without a cloud account.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as server from "./internal/server.js"

/**
 * A key pair the emulator accepts. With a `sessionToken`, every request signed with this
 * `secretId` must carry the token in the `x-ci-security-token` header, as STS temporary
 * credentials do.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credential {
  readonly secretId: string
  readonly secretKey: Redacted.Redacted<string>
  readonly sessionToken?: Redacted.Redacted<string> | undefined
}

/**
 * The states of a batch job, as CI spells them.
 *
 * @since 0.1.0
 * @category models
 */
export type JobState = "Submitted" | "Running" | "Success" | "Failed" | "Pause" | "Cancel"

/**
 * The two kinds of batch job: `Workflow` runs existing workflows, `Job` runs one job template.
 *
 * @since 0.1.0
 * @category models
 */
export type JobType = "Workflow" | "Job"

/**
 * The content of an XML element kept as plain data: text, child elements, or the values of an
 * element that was repeated.
 *
 * @since 0.1.0
 * @category models
 */
export type XmlValue = string | XmlElement | ReadonlyArray<string | XmlElement>

/**
 * Child elements by name, in document order.
 *
 * @since 0.1.0
 * @category models
 */
export interface XmlElement {
  readonly [name: string]: XmlValue
}

/**
 * The `Input` of a job. A job created over HTTP has exactly one of these fields.
 *
 * @since 0.1.0
 * @category models
 */
export interface JobInput {
  readonly manifest?: string | undefined
  readonly urlFile?: string | undefined
  readonly prefix?: string | undefined
  readonly object?: string | undefined
}

/**
 * A batch job as the emulator stores it. `JobsDetail` in responses is rendered from these fields.
 *
 * @since 0.1.0
 * @category models
 */
export interface Job {
  /** `b` followed by 32 lower-case hex digits for jobs the emulator creates. */
  readonly jobId: string
  readonly name: string
  readonly type: JobType
  readonly state: JobState
  readonly creationTime: Date
  /** Rendered as `-` when unset. */
  readonly startTime?: Date | undefined
  /** Rendered as `-` when unset. */
  readonly endTime?: Date | undefined
  /** `Success`, or an error code when `state` is `Failed`. */
  readonly code: string
  readonly message: string
  /** Percentage from 0 to 100. The `Progress` element is omitted when unset. */
  readonly progress?: number | undefined
  readonly queueId?: string | undefined
  /** The job kind of a `Job`-type job, such as `Transcode`. Not rendered for `Workflow` jobs. */
  readonly tag?: string | undefined
  readonly input: JobInput
  /** The `Operation` element of the create request, echoed back in every `JobsDetail`. */
  readonly operation: XmlElement
}

/**
 * A job to put into the store directly, without an HTTP request. Every field is optional:
 * `jobId` defaults to a fresh id, `name` to `seeded-job`, `type` to `Workflow`, `state` to
 * `Submitted` and `creationTime` to the emulator clock. `startTime` defaults to `creationTime` for
 * `Running`, `Success` and `Failed` jobs, and `endTime` to `creationTime` for `Success`, `Failed`
 * and `Cancel` jobs. A `Failed` job gets code `InternalError` and message `The job failed.` unless
 * they are given; other jobs get `Success` and an empty message. `input`
 * defaults to `{ prefix: "input/" }`, and `operation` to an element built from `tag`
 * (default `Transcode`) and `queueId` for `Job` jobs, or from `workflowId` for `Workflow` jobs.
 *
 * @since 0.1.0
 * @category models
 */
export interface SeedJob {
  /** Seeding an id that already exists replaces that job. */
  readonly jobId?: string | undefined
  readonly name?: string | undefined
  readonly type?: JobType | undefined
  readonly state?: JobState | undefined
  /** Must lie between 1970 and the year 10889, because list page tokens encode it; `seedJob` dies otherwise. */
  readonly creationTime?: Date | undefined
  readonly startTime?: Date | undefined
  readonly endTime?: Date | undefined
  readonly code?: string | undefined
  readonly message?: string | undefined
  readonly progress?: number | undefined
  readonly queueId?: string | undefined
  readonly tag?: string | undefined
  /** Used for the default `operation` of a `Workflow` job. Defaults to `w` followed by 32 zeros. */
  readonly workflowId?: string | undefined
  readonly input?: JobInput | undefined
  readonly operation?: XmlElement | undefined
}

/**
 * A scripted misbehaviour for one request.
 *
 * - `Delay`: waits `millis` of wall-clock time, then handles the request normally.
 * - `Reply`: sends `status`, exactly `headers` and `body` (default empty) with no signature check.
 *   `Content-Length` is computed from `body` unless `headers` sets it. No `Date`,
 *   `x-ci-request-id` or `Server` header is added.
 * - `Reset`: reads the request, then destroys the socket without sending anything.
 * - `StallMidBody`: sends the status, `headers` and a `Content-Length` for the whole `body`, then
 *   the first half of the body's bytes, and never finishes the response.
 * - `ResetMidBody`: sends what `StallMidBody` sends, then resets the connection (TCP RST) 50 ms
 *   later, so the client sees the headers and then a connection reset in the middle of the body.
 * - `Hang`: reads the request and sends nothing. The connection stays open until the client
 *   closes it or the emulator closes.
 *
 * @since 0.1.0
 * @category faults
 */
export type Fault =
  | { readonly _tag: "Delay"; readonly millis: number }
  | {
    readonly _tag: "Reply"
    readonly status: number
    readonly headers?: Record<string, string> | undefined
    readonly body?: string | undefined
  }
  | { readonly _tag: "Reset" }
  | {
    readonly _tag: "StallMidBody"
    readonly status: number
    readonly headers?: Record<string, string> | undefined
    readonly body: string
  }
  | {
    readonly _tag: "ResetMidBody"
    readonly status: number
    readonly headers?: Record<string, string> | undefined
    readonly body: string
  }
  | { readonly _tag: "Hang" }

/**
 * A fault and the requests it applies to. Rules are tried in the order they were injected. The
 * first rule whose `method` and `path` match is used, and its count goes down by one.
 *
 * @since 0.1.0
 * @category faults
 */
export interface FaultRule {
  readonly fault: Fault
  /** How many requests the rule applies to. A positive integer or `Infinity`, default 1. */
  readonly times?: number | undefined
  /** Matches the request method case-insensitively. Every method when omitted. */
  readonly method?: string | undefined
  /** Matches the raw request path without the query, exactly. Every path when omitted. */
  readonly path?: string | undefined
}

/**
 * One request as the emulator received it, and what it sent back.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReceivedRequest {
  readonly method: string
  /** The raw request target, such as `/inventorytriggerjob/b01?cancel`. */
  readonly url: string
  /** Header names and values in the order and case they were received. */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>
  /** Header values by lower-case name. Repeated headers are joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  /** The body decoded as UTF-8, at most the first 1 MiB. */
  readonly body: string
  /** The status sent; `undefined` for `Reset`, `StallMidBody`, `ResetMidBody` and `Hang` faults. */
  readonly status: number | undefined
  /** The `<Code>` of an error the emulator generated; `undefined` for successes and faults. */
  readonly code: string | undefined
  /** The fault applied to this request, if any. */
  readonly fault: Fault["_tag"] | undefined
  /**
   * The `x-ci-request-id` the emulator sent. `undefined` when a `Reset`, `Reply`, `StallMidBody`,
   * `ResetMidBody` or `Hang` fault replaced the response, or when the client left first.
   */
  readonly requestId: string | undefined
}

/**
 * The durations after which jobs move through their states on their own, in milliseconds of the
 * emulator clock (`EmulatorOptions.now`). A `Submitted` job becomes `Running` `submittedMillis` after it entered
 * `Submitted`, and a `Running` job becomes `Success` `runningMillis` after it started running.
 * States are computed from the clock on every read, so moving a test clock moves the jobs with no
 * timer. `Pause`, `Failed`, `Cancel` and `Success` jobs stay where they are.
 *
 * @since 0.1.0
 * @category models
 */
export interface Progression {
  /** Time from entering `Submitted` to `Running`. A finite number >= 0. */
  readonly submittedMillis: number
  /** Time from `Running` to `Success`. A finite number >= 0. */
  readonly runningMillis: number
}

/**
 * Settings for {@link make} and {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1. Default 0, which picks a free port. */
  readonly port?: number | undefined
  /** Accepted key pairs. Default `[defaultCredential]`. SecretIds must be unique. */
  readonly credentials?: ReadonlyArray<Credential> | undefined
  /**
   * The clock in epoch milliseconds, default `Date.now`. Used for signature windows, job
   * timestamps and the `Date` response header. `Delay` faults wait in wall-clock time regardless.
   */
  readonly now?: (() => number) | undefined
  /**
   * Default `true`. In strict mode `host` must be in `q-header-list` and every query parameter of the
   * request must be in `q-url-param-list`. Non-strict mode accepts unsigned query parameters, such
   * as an unsigned `?cancel`, and an unsigned `Host`.
   */
  readonly strict?: boolean | undefined
  /** How many seconds the start of `q-sign-time` may lie after the emulator clock. Default 900. */
  readonly futureSkewSeconds?: number | undefined
  /** How many requests the log keeps; older entries are dropped first. Default 1000. */
  readonly requestLogLimit?: number | undefined
  /**
   * Default `false`: jobs never change state on their own, and only cancel requests and
   * `setJobState` move them. With a {@link Progression}, jobs move from `Submitted` through
   * `Running` to `Success` as the `now` clock advances.
   */
  readonly progression?: Progression | false | undefined
}

/**
 * The placeholder key pair accepted by default: SecretId `AKIDEXAMPLE`, SecretKey
 * `SECRETKEYEXAMPLE`. It is public and grants nothing outside the emulator.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCredential: Credential = {
  secretId: "AKIDEXAMPLE",
  secretKey: Redacted.make("SECRETKEYEXAMPLE")
}

/**
 * The emulator could not start: an option is invalid or the port could not be bound.
 *
 * @since 0.1.0
 * @category errors
 */
export class EmulatorStartError extends Data.TaggedError("EmulatorStartError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * No job with this id is stored.
 *
 * @since 0.1.0
 * @category errors
 */
export class JobNotFoundError extends Data.TaggedError("JobNotFoundError")<{
  readonly jobId: string
}> {
  override get message(): string {
    return `no job with id "${this.jobId}" is stored in the emulator`
  }
}

/**
 * The running emulator.
 *
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("@effect-cos/emulator/Emulator")<Emulator, Emulator.Service>() {}

/**
 * @since 0.1.0
 * @category models
 */
export declare namespace Emulator {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Base URL without a trailing slash, such as `http://127.0.0.1:41234`. */
    readonly url: string
    readonly port: number
    readonly credentials: ReadonlyArray<Credential>
    /**
     * Stores a job as given (see {@link SeedJob} for the defaults) and returns it as describe would
     * show it now, so with a {@link Progression} it may already have moved on.
     */
    readonly seedJob: (job?: SeedJob) => Effect.Effect<Job>
    /** Returns the job as describe and list show it now, with any {@link Progression} applied. */
    readonly getJob: (jobId: string) => Effect.Effect<Option.Option<Job>>
    /**
     * Moves a job to `state` with no transition check. `Running`, `Success` and `Failed` set
     * `startTime`, and `Success`, `Failed` and `Cancel` set `endTime`, each only when unset, from the
     * emulator clock. `Failed` sets code `InternalError` and message `The job failed.` when they
     * were `Success` and empty. Every other state resets them to `Success` and empty. With a
     * {@link Progression}, the job first takes the state it has reached by now, and its
     * progression restarts from now when `state` is `Submitted` or `Running`.
     */
    readonly setJobState: (jobId: string, state: JobState) => Effect.Effect<void, JobNotFoundError>
    /** Adds a rule after the existing ones. Dies on a `times` that is not a positive integer or `Infinity`. */
    readonly injectFault: (rule: FaultRule) => Effect.Effect<void>
    /** Received requests, oldest first. */
    readonly requests: Effect.Effect<ReadonlyArray<ReceivedRequest>>
    readonly clearRequests: Effect.Effect<void>
  }
}

/**
 * Starts the emulator on 127.0.0.1. Closing the scope closes the server and destroys every open
 * connection, including stalled responses, and interrupts requests that are still being handled.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options?: EmulatorOptions
): Effect.Effect<Emulator.Service, EmulatorStartError, Scope.Scope> =>
  // internal/server.ts imports this module's error classes, so server.make is read on call, not at load.
  server.make(options ?? {})

/**
 * A layer that runs the emulator for the lifetime of the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: EmulatorOptions): Layer.Layer<Emulator, EmulatorStartError> =>
  Layer.scoped(Emulator, make(options))
