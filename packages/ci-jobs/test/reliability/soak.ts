import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as Emulator from "@effect-cos/emulator/Emulator"
import * as CiClient from "@effect-cos/http/CiClient"
import * as CiRetry from "@effect-cos/http/CiRetry"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { bucket, credential, region } from "./matrix.js"

// Many cancels through cancelMany against the emulator, with transient faults on a share of them.
// The short run is a test, and `pnpm soak` runs 10,000 jobs and also watches memory.

export type TransientFault = "SlowDown" | "Reset" | "Empty503"

export const transientFaults: ReadonlyArray<TransientFault> = ["SlowDown", "Reset", "Empty503"]

const faultOf = (kind: TransientFault): Emulator.Fault => {
  switch (kind) {
    case "SlowDown":
      return {
        _tag: "Reply",
        status: 503,
        headers: { "content-type": "application/xml" },
        body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
      }
    case "Reset":
      return { _tag: "Reset" }
    case "Empty503":
      return { _tag: "Reply", status: 503 }
  }
}

export interface SoakOptions {
  readonly jobs: number
  /** How many cancels run at once, as `cancelMany` takes it. */
  readonly concurrency: number
  /** Share of the jobs whose first cancel meets a transient fault, from 0 to 1. */
  readonly faultRate: number
  /** Share of the jobs that have already finished, so the emulator rejects their cancel. */
  readonly finishedRate: number
  /** Seed of the choice of faulted and finished jobs. */
  readonly seed: number
  readonly httpClient: Layer.Layer<HttpClient.HttpClient>
}

export interface SoakReport {
  readonly jobs: number
  readonly concurrency: number
  readonly faults: Readonly<Record<TransientFault, number>>
  /** Jobs whose cancel succeeded. */
  readonly cancelled: number
  /** Jobs whose cancel failed with `InvalidArgument` because they had finished. */
  readonly rejected: number
  /** Requests the emulator received. */
  readonly requests: number
  readonly elapsedMillis: number
  /** Every disagreement between the outcomes, the plan and the emulator. Empty when the run is correct. */
  readonly problems: ReadonlyArray<string>
}

interface PlannedJob {
  readonly jobId: string
  readonly finished: boolean
  readonly fault: TransientFault | undefined
}

/** mulberry32: a small seeded generator, so that a run can be repeated exactly. */
const randomGenerator = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Picks `count` distinct indexes below `size`. */
const pick = (random: () => number, size: number, count: number): ReadonlySet<number> => {
  const indexes = Array.from({ length: size }, (_, index) => index)
  for (let index = 0; index < count; index++) {
    const other = index + Math.floor(random() * (size - index))
    ;[indexes[index], indexes[other]] = [indexes[other], indexes[index]]
  }
  return new Set(indexes.slice(0, count))
}

/** The requests the emulator should receive for a job, each as `METHOD status-or-code-or-fault`. */
const expectedTrace = (job: PlannedJob): ReadonlyArray<string> => {
  const first = job.fault === undefined ? [] : [`PUT ${job.fault === "Reset" ? "Reset" : "Reply"}`]
  if (!job.finished) {
    return [...first, "PUT 200"]
  }
  // A cancel rejected after a retry reads the job, to tell whether an earlier attempt had cancelled it.
  return job.fault === undefined ? ["PUT InvalidArgument"] : [...first, "PUT InvalidArgument", "GET 200"]
}

const traceEntry = (request: Emulator.ReceivedRequest): string =>
  `${request.method} ${
    request.fault === "Reset" || request.fault === "Reply" ? request.fault : request.code ?? request.status
  }`

const jobIdOf = (request: Emulator.ReceivedRequest): string => request.url.split("?")[0].split("/")[2] ?? ""

/** Runs the soak on a fresh emulator and checks every outcome against the plan and the emulator's log. */
export const runSoak = (options: SoakOptions): Effect.Effect<SoakReport, Emulator.EmulatorStartError> =>
  Effect.scoped(Effect.gen(function*() {
    const random = randomGenerator(options.seed)
    const faulted = pick(random, options.jobs, Math.round(options.jobs * options.faultRate))
    const finished = pick(random, options.jobs, Math.round(options.jobs * options.finishedRate))

    const emulator = yield* Emulator.make({ credentials: [credential], requestLogLimit: options.jobs * 4 })
    const plan: Array<PlannedJob> = []
    const faults: Record<TransientFault, number> = { SlowDown: 0, Reset: 0, Empty503: 0 }
    let faultedSoFar = 0
    for (let index = 0; index < options.jobs; index++) {
      const isFinished = finished.has(index)
      const job = yield* emulator.seedJob({ state: isFinished ? "Success" : "Running" })
      // The faulted jobs take the three kinds in turn, so each gets a third of them.
      const fault = faulted.has(index) ? transientFaults[faultedSoFar % transientFaults.length] : undefined
      if (fault !== undefined) {
        faultedSoFar += 1
        faults[fault] += 1
        yield* emulator.injectFault({ fault: faultOf(fault), method: "PUT", path: `/inventorytriggerjob/${job.jobId}` })
      }
      plan.push({ jobId: job.jobId, finished: isFinished, fault })
    }

    const client = CiClient.layer({
      bucket,
      region,
      endpoint: emulator.url,
      credentials: credential,
      timeout: "10 seconds",
      retrySchedule: CiRetry.defaultSchedule
    }).pipe(Layer.provide(options.httpClient), Layer.orDie)

    const reported = new Map<string, number>()
    const started = Date.now()
    const outcomes = yield* BatchJobs.cancelMany(plan.map((job) => job.jobId), {
      concurrency: options.concurrency,
      onOutcome: (outcome) =>
        Effect.sync(() => {
          reported.set(outcome.jobId, (reported.get(outcome.jobId) ?? 0) + 1)
        })
    }).pipe(Effect.provide(client), Effect.orDie)
    const elapsedMillis = Date.now() - started

    const requests = yield* emulator.requests
    const traces = new Map<string, Array<Emulator.ReceivedRequest>>()
    for (const request of requests) {
      const own = traces.get(jobIdOf(request)) ?? []
      own.push(request)
      traces.set(jobIdOf(request), own)
    }

    const problems: Array<string> = []
    if (outcomes.length !== plan.length) {
      problems.push(`${plan.length} jobs, ${outcomes.length} outcomes`)
    }
    let cancelled = 0
    let rejected = 0
    for (const [index, job] of plan.entries()) {
      const outcome = outcomes[index]
      if (outcome?.jobId !== job.jobId) {
        problems.push(`outcome ${index} is for ${outcome?.jobId}, expected ${job.jobId}`)
        continue
      }
      const times = reported.get(job.jobId) ?? 0
      if (times !== 1) {
        problems.push(`${job.jobId}: reported ${times} times`)
      }

      const trace = (traces.get(job.jobId) ?? []).map(traceEntry)
      const expected = expectedTrace(job)
      if (trace.join(", ") !== expected.join(", ")) {
        problems.push(`${job.jobId}: the emulator received [${trace.join(", ")}], expected [${expected.join(", ")}]`)
      }

      // The outcome must match the emulator's response to the last cancel it received.
      const lastPut = (traces.get(job.jobId) ?? []).filter((request) => request.method === "PUT").at(-1)
      const result = outcome.result
      const stored = Option.getOrUndefined(Option.map(yield* emulator.getJob(job.jobId), (value) => value.state))
      if (Either.isRight(result)) {
        cancelled += 1
        if (job.finished || lastPut?.status !== 200 || stored !== "Cancel") {
          problems.push(
            `${job.jobId}: reported cancelled, but the emulator sent ${lastPut?.status} and stores ${stored}`
          )
        }
      } else {
        const error = result.left
        const code = error._tag === "CiServiceError" ? error.code : error._tag
        if (code === "InvalidArgument") {
          rejected += 1
        }
        if (!job.finished || code !== lastPut?.code || stored !== "Success") {
          problems.push(`${job.jobId}: reported ${code}, but the emulator sent ${lastPut?.code} and stores ${stored}`)
        }
      }
    }

    return {
      jobs: options.jobs,
      concurrency: options.concurrency,
      faults,
      cancelled,
      rejected,
      requests: requests.length,
      elapsedMillis,
      problems
    }
  }))

/** How much the heap may stay above its starting size after a soak and a full GC. */
export const heapGrowthLimitBytes = 8 * 1024 * 1024

const warmUpJobs = 200

export interface MemoryUsage {
  readonly heapUsed: number
  readonly rss: number
}

export interface MeasuredSoak {
  readonly report: SoakReport
  readonly before: MemoryUsage
  /** The sample with the largest heap during the run, taken every 100 ms. */
  readonly peak: MemoryUsage
  readonly after: MemoryUsage
  /** Everything that went wrong: the report's problems, and a heap that did not shrink back. */
  readonly failures: ReadonlyArray<string>
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

const collectGarbage = async (gc: () => void) => {
  // Sockets and timers of the run close over the next turns of the event loop, so collect after them.
  for (let round = 0; round < 3; round++) {
    await sleep(200)
    gc()
  }
}

const usage = (): MemoryUsage => {
  const { heapUsed, rss } = process.memoryUsage()
  return { heapUsed, rss }
}

/**
 * Runs a soak and measures the heap before, during and after it. `gc` is the function that
 * `node --expose-gc` provides.
 */
export const measureSoak = async (options: SoakOptions, gc: () => void): Promise<MeasuredSoak> => {
  // A short run first loads and compiles every module the soak uses, so that the heap measured
  // before the soak already contains them.
  await Effect.runPromise(runSoak({ ...options, jobs: Math.min(warmUpJobs, options.jobs) }))
  await collectGarbage(gc)
  const before = usage()
  let peak = before
  const sampler = setInterval(() => {
    const current = usage()
    if (current.heapUsed > peak.heapUsed) {
      peak = current
    }
  }, 100)

  const report = await Effect.runPromise(runSoak(options)).finally(() => clearInterval(sampler))
  await collectGarbage(gc)
  const after = usage()

  const heapGrowth = after.heapUsed - before.heapUsed
  const failures = [
    ...report.problems,
    ...(report.cancelled + report.rejected === report.jobs ?
      [] :
      [`${report.cancelled} cancelled and ${report.rejected} rejected do not add up to ${report.jobs} jobs`]),
    ...(heapGrowth <= heapGrowthLimitBytes ?
      [] :
      [`the heap stayed ${mebibytes(heapGrowth)} above its start, more than ${mebibytes(heapGrowthLimitBytes)}`])
  ]
  return { report, before, peak, after, failures }
}
