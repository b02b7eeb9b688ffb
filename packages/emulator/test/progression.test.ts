import type * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import {
  expectError,
  expectXmlResponse,
  fixedNow,
  fixedNowCiTime,
  fixedNowSeconds,
  sendSigned,
  type SignedRequest,
  startEmulator,
  workflowBody
} from "./helpers.js"

const progression = { submittedMillis: 10_000, runningMillis: 60_000 } as const

/** `fixedNow` plus `seconds`, in the CI time format (Beijing time). */
const ciTimeAfter = (seconds: number): string => {
  const shifted = new Date(fixedNow + seconds * 1000 + 8 * 3_600_000)
  return `${shifted.toISOString().slice(0, 19)}+0800`
}

/** Signs for two days from one minute before `fixedNow`, so requests stay valid while a test moves its clock. */
const send = (emulator: Emulator.Emulator.Service, request: SignedRequest) =>
  sendSigned(emulator, { keyTime: { start: fixedNowSeconds - 60, end: fixedNowSeconds + 2 * 86_400 }, ...request })

const describeJob = (emulator: Emulator.Emulator.Service, jobId: string) =>
  Effect.map(
    send(emulator, { method: "GET", path: `/inventorytriggerjob/${jobId}` }),
    (result) => expectXmlResponse(result)["JobsDetail"] as Record<string, string>
  )

const createJob = (emulator: Emulator.Emulator.Service, name = "progressing") =>
  Effect.map(
    send(emulator, {
      method: "POST",
      path: "/inventorytriggerjob",
      headers: { "content-type": "application/xml" },
      body: workflowBody(name)
    }),
    (result) => expectXmlResponse(result)["JobsDetail"] as Record<string, string>
  )

const cancelJob = (emulator: Emulator.Emulator.Service, jobId: string) =>
  send(emulator, { method: "PUT", path: `/inventorytriggerjob/${jobId}`, query: [["cancel", undefined]], body: "" })

const storedJob = (emulator: Emulator.Emulator.Service, jobId: string) =>
  Effect.map(emulator.getJob(jobId), Option.getOrThrow)

/** Returns the names of the listed jobs, after checking the response. */
const listNames = (emulator: Emulator.Emulator.Service, query: ReadonlyArray<readonly [string, string]>) =>
  Effect.map(send(emulator, { method: "GET", path: "/inventorytriggerjob", query }), (result) => {
    const jobs = expectXmlResponse(result)["JobsDetail"]
    const list: ReadonlyArray<Record<string, string>> = jobs === undefined ? [] : Array.isArray(jobs) ? jobs : [jobs]
    return list.map((job) => job["Name"])
  })

describe("progression", () => {
  it.scopedLive("is off by default", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now })
      const created = yield* createJob(emulator)
      const seeded = yield* emulator.seedJob({ state: "Running", progress: 40 })
      now = fixedNow + 86_400_000

      const createdDetail = yield* describeJob(emulator, created["JobId"]!)
      const seededDetail = yield* describeJob(emulator, seeded.jobId)

      expect(createdDetail["State"]).toBe("Submitted")
      expect(createdDetail["StartTime"]).toBe("-")
      expect(seededDetail["State"]).toBe("Running")
      expect(seededDetail["Progress"]).toBe("40")
      expect(seededDetail["EndTime"]).toBe("-")
    }))

  it.scopedLive("Submitted becomes Running after submittedMillis", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const created = yield* createJob(emulator)
      const jobId = created["JobId"]!

      now = fixedNow + 9_999
      const before = yield* describeJob(emulator, jobId)
      now = fixedNow + 10_000
      const after = yield* describeJob(emulator, jobId)
      const stored = yield* storedJob(emulator, jobId)

      expect(created["State"]).toBe("Submitted")
      expect(before["State"]).toBe("Submitted")
      expect(before["StartTime"]).toBe("-")
      expect(before["Progress"]).toBeUndefined()
      expect(after["State"]).toBe("Running")
      expect(after["CreationTime"]).toBe(fixedNowCiTime)
      expect(after["StartTime"]).toBe(ciTimeAfter(10))
      expect(after["EndTime"]).toBe("-")
      expect(after["Progress"]).toBe("0")
      expect(stored.state).toBe("Running")
      expect(stored.startTime).toEqual(new Date(fixedNow + 10_000))
    }))

  it.scopedLive("Progress grows linearly while Running", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const job = yield* emulator.seedJob({ name: "linear" })

      const progressAt = (millis: number) =>
        Effect.gen(function*() {
          now = fixedNow + millis
          return (yield* describeJob(emulator, job.jobId))["Progress"]
        })

      expect(yield* progressAt(10_000 + 15_000)).toBe("25")
      expect(yield* progressAt(10_000 + 30_000)).toBe("50")
      expect(yield* progressAt(10_000 + 59_999)).toBe("99")
    }))

  it.scopedLive("Running becomes Success after runningMillis", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const job = yield* emulator.seedJob({ name: "finishing" })

      now = fixedNow + 69_999
      const running = yield* describeJob(emulator, job.jobId)
      now = fixedNow + 70_000
      const finished = yield* describeJob(emulator, job.jobId)
      now = fixedNow + 3_600_000
      const later = yield* describeJob(emulator, job.jobId)
      const stored = yield* storedJob(emulator, job.jobId)

      expect(running["State"]).toBe("Running")
      expect(finished["State"]).toBe("Success")
      expect(finished["Code"]).toBe("Success")
      expect(finished["StartTime"]).toBe(ciTimeAfter(10))
      expect(finished["EndTime"]).toBe(ciTimeAfter(70))
      expect(finished["Progress"]).toBe("100")
      expect(later).toEqual(finished)
      expect(stored.endTime).toEqual(new Date(fixedNow + 70_000))
    }))

  it.scopedLive("seeded Running job finishes runningMillis after its start", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const job = yield* emulator.seedJob({
        state: "Running",
        creationTime: new Date(fixedNow - 60_000),
        startTime: new Date(fixedNow - 30_000),
        progress: 40
      })

      const running = yield* describeJob(emulator, job.jobId)
      now = fixedNow + 30_000
      const finished = yield* describeJob(emulator, job.jobId)

      // From 40 at the start, 30 of 60 seconds cover half of the remaining 60 points.
      expect(job.progress).toBe(70)
      expect(running["State"]).toBe("Running")
      expect(running["Progress"]).toBe("70")
      expect(running["StartTime"]).toBe(ciTimeAfter(-30))
      expect(finished["State"]).toBe("Success")
      expect(finished["EndTime"]).toBe(ciTimeAfter(30))
    }))

  it.scopedLive("zero durations finish a job at once", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator({ progression: { submittedMillis: 0, runningMillis: 0 } })
      const created = yield* createJob(emulator)

      expect(created["State"]).toBe("Success")
      expect(created["StartTime"]).toBe(fixedNowCiTime)
      expect(created["EndTime"]).toBe(fixedNowCiTime)
      expect(created["Progress"]).toBe("100")
    }))

  it.scopedLive("cancel while Submitted stays Cancel", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const job = yield* emulator.seedJob()

      now = fixedNow + 5_000
      const cancelled = yield* cancelJob(emulator, job.jobId)
      now = fixedNow + 3_600_000
      const detail = yield* describeJob(emulator, job.jobId)

      expect(cancelled.status).toBe(200)
      expect(detail["State"]).toBe("Cancel")
      expect(detail["StartTime"]).toBe("-")
      expect(detail["EndTime"]).toBe(ciTimeAfter(5))
      expect(detail["Progress"]).toBeUndefined()
    }))

  it.scopedLive("cancel while Running keeps start and progress", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const job = yield* emulator.seedJob()

      now = fixedNow + 40_000
      const cancelled = yield* cancelJob(emulator, job.jobId)
      now = fixedNow + 3_600_000
      const detail = yield* describeJob(emulator, job.jobId)

      expect(cancelled.status).toBe(200)
      expect(detail["State"]).toBe("Cancel")
      expect(detail["StartTime"]).toBe(ciTimeAfter(10))
      expect(detail["EndTime"]).toBe(ciTimeAfter(40))
      expect(detail["Progress"]).toBe("50")
    }))

  it.scopedLive("cancel after Success is rejected", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const job = yield* emulator.seedJob()

      now = fixedNow + 70_000
      const result = yield* cancelJob(emulator, job.jobId)

      const error = expectError(result, 400, "InvalidArgument")
      expect(error["Message"]).toBe(`The job "${job.jobId}" is already finished in state Success.`)
      expect((yield* storedJob(emulator, job.jobId)).state).toBe("Success")
    }))

  it.scopedLive("Pause and Failed stop progression", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const paused = yield* emulator.seedJob({ name: "paused" })
      const failed = yield* emulator.seedJob({ name: "failed" })

      now = fixedNow + 40_000
      yield* emulator.setJobState(paused.jobId, "Pause")
      yield* emulator.setJobState(failed.jobId, "Failed")
      now = fixedNow + 3_600_000
      const pausedDetail = yield* describeJob(emulator, paused.jobId)
      const failedDetail = yield* describeJob(emulator, failed.jobId)

      expect(pausedDetail["State"]).toBe("Pause")
      expect(pausedDetail["StartTime"]).toBe(ciTimeAfter(10))
      expect(pausedDetail["EndTime"]).toBe("-")
      expect(pausedDetail["Progress"]).toBe("50")
      expect(failedDetail["State"]).toBe("Failed")
      expect(failedDetail["Code"]).toBe("InternalError")
      expect(failedDetail["EndTime"]).toBe(ciTimeAfter(40))
    }))

  it.scopedLive("setJobState Submitted restarts from now", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      const job = yield* emulator.seedJob()
      now = fixedNow + 20_000
      yield* emulator.setJobState(job.jobId, "Pause")

      now = fixedNow + 100_000
      yield* emulator.setJobState(job.jobId, "Submitted")
      const submitted = yield* storedJob(emulator, job.jobId)
      now = fixedNow + 110_000
      const running = yield* storedJob(emulator, job.jobId)
      now = fixedNow + 170_000
      const finished = yield* storedJob(emulator, job.jobId)

      expect(submitted.state).toBe("Submitted")
      expect(running.state).toBe("Running")
      expect(running.startTime).toEqual(new Date(fixedNow + 110_000))
      // Paused 10 s into its 60 s run, the job resumes from the progress it had.
      expect(running.progress).toBe(16)
      expect(finished.state).toBe("Success")
      expect(finished.endTime).toEqual(new Date(fixedNow + 170_000))
    }))

  it.scopedLive("list filters use the progressed state", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      // At fixedNow: a and e have finished, b and f are running, c is still submitted.
      const seeds = [
        { name: "a", ageSeconds: 100, type: "Workflow", workflowId: "w1" },
        { name: "e", ageSeconds: 80, type: "Job", workflowId: undefined },
        { name: "d", ageSeconds: 50, type: "Workflow", workflowId: "w2" },
        { name: "b", ageSeconds: 40, type: "Workflow", workflowId: "w1" },
        { name: "f", ageSeconds: 20, type: "Job", workflowId: undefined },
        { name: "c", ageSeconds: 5, type: "Workflow", workflowId: "w2" }
      ] as const
      const jobs = yield* Effect.forEach(seeds, (seed) =>
        emulator.seedJob({
          name: seed.name,
          type: seed.type,
          workflowId: seed.workflowId,
          creationTime: new Date(fixedNow - seed.ageSeconds * 1000)
        }))
      yield* emulator.setJobState(jobs[2]!.jobId, "Pause")
      const jobIdOf = (name: string) => jobs.find((job) => job.name === name)!.jobId

      expect(yield* listNames(emulator, [["states", "Running"]])).toEqual(["f", "b"])
      expect(yield* listNames(emulator, [["states", "Success"]])).toEqual(["e", "a"])
      expect(yield* listNames(emulator, [["states", "Submitted"]])).toEqual(["c"])
      expect(yield* listNames(emulator, [["states", "Pause"]])).toEqual(["d"])
      expect(yield* listNames(emulator, [["states", "Running,Submitted"], ["orderByTime", "Asc"]])).toEqual([
        "b",
        "f",
        "c"
      ])
      expect(yield* listNames(emulator, [["states", "Running"], ["type", "Job"]])).toEqual(["f"])
      expect(yield* listNames(emulator, [["states", "Success"], ["workflowId", "w1"]])).toEqual(["a"])
      expect(yield* listNames(emulator, [["states", "Success"], ["jobId", jobIdOf("b")]])).toEqual([])
      expect(yield* listNames(emulator, [["states", "Running"], ["name", "b"]])).toEqual(["b"])
      expect(yield* listNames(emulator, [["states", "Success"], ["startCreationTime", ciTimeAfter(-90)]])).toEqual([
        "e"
      ])
      expect(yield* listNames(emulator, [["states", "Running"], ["endCreationTime", ciTimeAfter(-30)]])).toEqual(["b"])

      // 30 seconds later, c is running, b has finished and the paused d has not moved.
      now = fixedNow + 30_000
      expect(yield* listNames(emulator, [["states", "Running"]])).toEqual(["c", "f"])
      expect(yield* listNames(emulator, [["states", "Success"]])).toEqual(["b", "e", "a"])
      expect(yield* listNames(emulator, [["states", "Submitted"]])).toEqual([])
      expect(yield* listNames(emulator, [["states", "Pause"]])).toEqual(["d"])
      expect(yield* listNames(emulator, [["states", "Success"], ["jobId", jobIdOf("b")]])).toEqual(["b"])
    }))

  it.scopedLive("pages over jobs that reached Success", () =>
    Effect.gen(function*() {
      let now = fixedNow
      const emulator = yield* startEmulator({ now: () => now, progression })
      yield* Effect.forEach(["one", "two", "three", "four"], (name, index) =>
        emulator.seedJob({ name, creationTime: new Date(fixedNow + index * 20_000) }))
      // At +90 s, "one" (90 s old) and "two" (70 s old) have finished; "three" and "four" are running.
      now = fixedNow + 90_000

      const page = (token: string | undefined) => {
        const query: Array<readonly [string, string]> = [["states", "Success"], ["size", "1"], ["orderByTime", "Asc"]]
        if (token !== undefined) {
          query.push(["nextToken", token])
        }
        return Effect.map(send(emulator, { method: "GET", path: "/inventorytriggerjob", query }), expectXmlResponse)
      }
      const first = yield* page(undefined)
      const second = yield* page(first["NextToken"])

      expect(first["JobsDetail"]["Name"]).toBe("one")
      expect(first["NextToken"]).toMatch(/^[0-9a-f]{32}$/)
      expect(second["JobsDetail"]["Name"]).toBe("two")
      expect(second["NextToken"]).toBeUndefined()
      expect(yield* listNames(emulator, [["states", "Running"], ["orderByTime", "Asc"]])).toEqual(["three", "four"])
    }))

  it.effect("invalid durations fail to start", () =>
    Effect.gen(function*() {
      const results = yield* Effect.forEach([
        { submittedMillis: -1, runningMillis: 0 },
        { submittedMillis: 0, runningMillis: Number.NaN },
        { submittedMillis: Infinity, runningMillis: 0 }
      ], (invalid) => Effect.flip(Effect.scoped(startEmulator({ progression: invalid }))))

      expect(results.map((error) => error.message)).toEqual([
        "progression.submittedMillis must be a finite number of milliseconds >= 0, got -1",
        "progression.runningMillis must be a finite number of milliseconds >= 0, got NaN",
        "progression.submittedMillis must be a finite number of milliseconds >= 0, got Infinity"
      ])
    }))
})
