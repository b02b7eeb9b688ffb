import type * as Emulator from "../Emulator.js"
import { newJobId } from "./ids.js"
import type { NewJob } from "./jobRequest.js"

/**
 * A stored job and its insertion number, which orders jobs created in the same millisecond.
 *
 * @internal
 */
export interface Entry {
  readonly job: Emulator.Job
  readonly sequence: number
}

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
 * The emulator's jobs, kept in memory for the lifetime of one emulator.
 *
 * @internal
 */
export class JobStore {
  private readonly entries = new Map<string, Entry>()
  private nextSequence = 0

  constructor(private readonly now: () => number) {}

  private put(job: Emulator.Job): Emulator.Job {
    this.nextSequence += 1
    this.entries.set(job.jobId, { job, sequence: this.nextSequence })
    return job
  }

  private replace(job: Emulator.Job): Emulator.Job {
    const entry = this.entries.get(job.jobId)!
    this.entries.set(job.jobId, { job, sequence: entry.sequence })
    return job
  }

  create(fields: NewJob): Emulator.Job {
    return this.put({
      jobId: newJobId(),
      name: fields.name,
      type: fields.type,
      state: "Submitted",
      creationTime: new Date(this.now()),
      code: "Success",
      message: "",
      queueId: fields.queueId,
      tag: fields.tag,
      input: fields.input,
      operation: fields.operation
    })
  }

  /** Throws on a creation time that page tokens cannot carry; the service turns that into a defect. */
  seed(seed: Emulator.SeedJob): Emulator.Job {
    const creationTime = seed.creationTime ?? new Date(this.now())
    const creationMillis = creationTime.getTime()
    if (!(creationMillis >= 0 && creationMillis <= maxCreationMillis)) {
      throw new RangeError(`SeedJob.creationTime must lie between 1970 and the year 10889, got ${creationTime}`)
    }

    const type = seed.type ?? "Workflow"
    const state = seed.state ?? "Submitted"
    const tag = seed.tag ?? (type === "Job" ? defaultTag : undefined)
    const failed = state === "Failed"

    return this.put({
      jobId: seed.jobId ?? newJobId(),
      name: seed.name ?? "seeded-job",
      type,
      state,
      creationTime,
      startTime: seed.startTime ?? (startsRunning(state) ? creationTime : undefined),
      endTime: seed.endTime ?? (isFinished(state) ? creationTime : undefined),
      code: seed.code ?? (failed ? failedCode : "Success"),
      message: seed.message ?? (failed ? failedMessage : ""),
      progress: seed.progress,
      queueId: seed.queueId,
      tag,
      input: seed.input ?? { prefix: "input/" },
      operation: seed.operation ?? defaultOperation(seed, type, tag)
    })
  }

  get(jobId: string): Emulator.Job | undefined {
    return this.entries.get(jobId)?.job
  }

  /** Returns `undefined` when no job has this id. */
  setState(jobId: string, state: Emulator.JobState): Emulator.Job | undefined {
    const job = this.get(jobId)
    if (job === undefined) {
      return undefined
    }

    const now = new Date(this.now())
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
    })
  }

  /** Moves an unfinished job to `Cancel` with the current time as its end time. */
  cancel(job: Emulator.Job): Emulator.Job {
    return this.replace({ ...job, state: "Cancel", endTime: new Date(this.now()) })
  }

  /**
   * Returns all entries ordered by creation time, then by insertion. `Desc` is the exact reverse
   * of `Asc`, so the newest job comes first.
   */
  sorted(order: "Asc" | "Desc"): ReadonlyArray<Entry> {
    const ascending = Array.from(this.entries.values()).sort((a, b) =>
      a.job.creationTime.getTime() - b.job.creationTime.getTime() || a.sequence - b.sequence
    )
    return order === "Asc" ? ascending : ascending.reverse()
  }
}
