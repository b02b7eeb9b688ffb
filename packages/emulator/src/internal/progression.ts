import type * as Emulator from "../Emulator.js"

/**
 * Returns why a progression setting is invalid, or `undefined` when it can be used.
 *
 * @internal
 */
export const checkProgression = (progression: Emulator.Progression): string | undefined => {
  for (const field of ["submittedMillis", "runningMillis"] as const) {
    const value = progression[field]
    if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) {
      return `progression.${field} must be a finite number of milliseconds >= 0, got ${value}`
    }
  }
  return undefined
}

const clampPercent = (value: number): number => Math.min(100, Math.max(0, value))

/** Computes a job that has been running since `startMillis`, or finished `runningMillis` later. */
const runFrom = (
  job: Emulator.Job,
  startMillis: number,
  startTime: Date,
  progression: Emulator.Progression,
  nowMillis: number
): Emulator.Job => {
  const endMillis = startMillis + progression.runningMillis
  if (nowMillis >= endMillis) {
    return { ...job, state: "Success", startTime, endTime: new Date(endMillis), progress: 100 }
  }

  // Progress grows linearly from the stored value (0 when unset) and reaches 100 only at Success.
  const startProgress = clampPercent(job.progress ?? 0)
  const elapsed = Math.max(0, nowMillis - startMillis)
  const progress = Math.floor(startProgress + (100 - startProgress) * elapsed / progression.runningMillis)
  return { ...job, state: "Running", startTime, progress }
}

/**
 * Returns the job in the state it has reached at `nowMillis`, progressing on its own since its
 * stored state began at `sinceMillis`. Only `Submitted` and `Running` jobs progress. Without a
 * progression the stored job is returned unchanged. The result is computed, not stored, so the
 * same inputs always give the same job.
 *
 * @internal
 */
export const resolveJob = (
  job: Emulator.Job,
  sinceMillis: number,
  progression: Emulator.Progression | undefined,
  nowMillis: number
): Emulator.Job => {
  if (progression === undefined) {
    return job
  }
  switch (job.state) {
    case "Submitted": {
      const startMillis = sinceMillis + progression.submittedMillis
      if (nowMillis < startMillis) {
        return job
      }
      return runFrom(job, startMillis, new Date(startMillis), progression, nowMillis)
    }
    case "Running":
      return runFrom(job, sinceMillis, job.startTime ?? new Date(sinceMillis), progression, nowMillis)
    default:
      return job
  }
}
