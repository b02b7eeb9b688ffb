import type * as Emulator from "../Emulator.js"
import { newJobId } from "./ids.js"
import type { NewJob } from "./jobRequest.js"
import { resolveJob } from "./progression.js"

/**
 * A job and its insertion number, which orders jobs created in the same millisecond.
 *
 * @internal
 */
export interface Entry {
  readonly job: Emulator.Job
  readonly sequence: number
}

/** A job as stored, and the time its stored state began, from which its progression is computed. */
interface StoredEntry extends Entry {
  readonly sinceMillis: number
}

/**
 * The result of a cancel request: the job was cancelled, had already finished, or does not exist.
 *
 * @internal
 */
export type CancelOutcome =
  | { readonly _tag: "Cancelled"; readonly job: Emulator.Job }
  | { readonly _tag: "Finished"; readonly job: Emulator.Job }
  | { readonly _tag: "NotFound" }

/** Page tokens carry the creation time in 12 hex digits, which bounds the times a job can have. */
const maxCreationMillis = 2 ** 48 - 1

const defaultWorkflowId = `w${"0".repeat(32)}`
const defaultTag = "Transcode"
const failedCode = "InternalError"
const failedMessage = "The job failed."

const startsRunning = (state: Emulator.JobState): boolean =>
  state === "Running" || state === "Success" || state === "Failed"

/**
 * Whether a job in this state has ended and can no longer be cancelled.
 *
 * @internal
 */
export const isFinished = (state: Emulator.JobState): boolean =>
  state === "Success" || state === "Failed" || state === "Cancel"

const defaultOperation = (seed: Emulator.SeedJob, type: Emulator.JobType, tag: string | undefined) => {
  if (type === "Workflow") {
    return { WorkflowIds: seed.workflowId ?? defaultWorkflowId }
  }
  return seed.queueId === undefined ? { Tag: tag ?? defaultTag } : { Tag: tag ?? defaultTag, QueueId: seed.queueId }
}

/**
 * The emulator's jobs, kept in memory for the lifetime of one emulator. Jobs are stored with the
 * state they were last given, and every read computes the state they have reached by the clock's
 * current time, so the store needs no timer.
 *
 * @internal
 */
export class JobStore {
  private readonly entries = new Map<string, StoredEntry>()
  private nextSequence = 0

  constructor(
    private readonly now: () => number,
    private readonly progression: Emulator.Progression | undefined
  ) {}

  private resolve(entry: StoredEntry, nowMillis: number): Emulator.Job {
    return resolveJob(entry.job, entry.sinceMillis, this.progression, nowMillis)
  }

  /** Stores a new job whose state began at `sinceMillis` and returns it as it is at `nowMillis`. */
  private put(job: Emulator.Job, sinceMillis: number, nowMillis: number): Emulator.Job {
    this.nextSequence += 1
    const entry = { job, sequence: this.nextSequence, sinceMillis }
    this.entries.set(job.jobId, entry)
    return this.resolve(entry, nowMillis)
  }

  /** Stores a new state of an existing job that began at `sinceMillis`, keeping its place in the order. */
  private replace(job: Emulator.Job, sinceMillis: number): Emulator.Job {
    const entry = this.entries.get(job.jobId)!
    this.entries.set(job.jobId, { job, sequence: entry.sequence, sinceMillis })
    return job
  }

  create(fields: NewJob): Emulator.Job {
    const nowMillis = this.now()
    return this.put(
      {
        jobId: newJobId(),
        name: fields.name,
        type: fields.type,
        state: "Submitted",
        creationTime: new Date(nowMillis),
        code: "Success",
        message: "",
        queueId: fields.queueId,
        tag: fields.tag,
        input: fields.input,
        operation: fields.operation
      },
      nowMillis,
      nowMillis
    )
  }

  /** Throws on a creation time that page tokens cannot carry; the service turns that into a defect. */
  seed(seed: Emulator.SeedJob): Emulator.Job {
    const nowMillis = this.now()
    const creationTime = seed.creationTime ?? new Date(nowMillis)
    const creationMillis = creationTime.getTime()
    if (!(creationMillis >= 0 && creationMillis <= maxCreationMillis)) {
      throw new RangeError(`SeedJob.creationTime must lie between 1970 and the year 10889, got ${creationTime}`)
    }

    const type = seed.type ?? "Workflow"
    const state = seed.state ?? "Submitted"
    const tag = seed.tag ?? (type === "Job" ? defaultTag : undefined)
    const failed = state === "Failed"
    const startTime = seed.startTime ?? (startsRunning(state) ? creationTime : undefined)

    // A seeded Submitted job progresses from its creation time, a Running one from its start time.
    const sinceMillis = state === "Running" && startTime !== undefined ? startTime.getTime() : creationMillis

    return this.put(
      {
        jobId: seed.jobId ?? newJobId(),
        name: seed.name ?? "seeded-job",
        type,
        state,
        creationTime,
        startTime,
        endTime: seed.endTime ?? (isFinished(state) ? creationTime : undefined),
        code: seed.code ?? (failed ? failedCode : "Success"),
        message: seed.message ?? (failed ? failedMessage : ""),
        progress: seed.progress,
        queueId: seed.queueId,
        tag,
        input: seed.input ?? { prefix: "input/" },
        operation: seed.operation ?? defaultOperation(seed, type, tag)
      },
      sinceMillis,
      nowMillis
    )
  }

  get(jobId: string): Emulator.Job | undefined {
    const entry = this.entries.get(jobId)
    return entry === undefined ? undefined : this.resolve(entry, this.now())
  }

  /**
   * Moves the job from the state it has reached by now to `state`, which begins now. Returns
   * `undefined` when no job has this id.
   */
  setState(jobId: string, state: Emulator.JobState): Emulator.Job | undefined {
    const entry = this.entries.get(jobId)
    if (entry === undefined) {
      return undefined
    }

    const nowMillis = this.now()
    const job = this.resolve(entry, nowMillis)
    const now = new Date(nowMillis)
    let code = "Success"
    let message = ""
    if (state === "Failed") {
      code = job.code === "Success" ? failedCode : job.code
      message = job.message === "" ? failedMessage : job.message
    }

    return this.replace({
      ...job,
      state,
      startTime: job.startTime ?? (startsRunning(state) ? now : undefined),
      endTime: job.endTime ?? (isFinished(state) ? now : undefined),
      code,
      message
    }, nowMillis)
  }

  /**
   * Cancels the job unless it has finished by now. A cancelled job keeps the start time and
   * progress it had reached, gets the current time as its end time and no longer progresses.
   */
  cancel(jobId: string): CancelOutcome {
    const entry = this.entries.get(jobId)
    if (entry === undefined) {
      return { _tag: "NotFound" }
    }

    const nowMillis = this.now()
    const job = this.resolve(entry, nowMillis)
    if (isFinished(job.state)) {
      return { _tag: "Finished", job }
    }
    const cancelled = this.replace({ ...job, state: "Cancel", endTime: new Date(nowMillis) }, nowMillis)
    return { _tag: "Cancelled", job: cancelled }
  }

  /**
   * Returns all jobs, as they are now, ordered by creation time, then by insertion. `Desc` is
   * the exact reverse of `Asc`, so the newest job comes first. The clock is read once, so every
   * job is resolved at the same time.
   */
  sorted(order: "Asc" | "Desc"): ReadonlyArray<Entry> {
    const nowMillis = this.now()
    const ascending = Array.from(this.entries.values()).sort((a, b) =>
      a.job.creationTime.getTime() - b.job.creationTime.getTime() || a.sequence - b.sequence
    )
    const resolved = ascending.map((entry) => ({ job: this.resolve(entry, nowMillis), sequence: entry.sequence }))
    return order === "Asc" ? resolved : resolved.reverse()
  }
}
