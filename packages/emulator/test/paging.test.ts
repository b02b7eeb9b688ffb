import type * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { expectXmlResponse, fixedNow, type RawRequest, sendSigned, startEmulator } from "./helpers.js"

type Query = ReadonlyArray<readonly [string, string]>

const listPage = (emulator: Emulator.Emulator.Service, query: Query, tamper?: (request: RawRequest) => RawRequest) =>
  Effect.map(
    sendSigned(emulator, { method: "GET", path: "/inventorytriggerjob", query, tamper }),
    (result) => {
      const response = expectXmlResponse(result)
      const jobs = response["JobsDetail"]
      const list: ReadonlyArray<Record<string, string>> = jobs === undefined ? [] : Array.isArray(jobs) ? jobs : [jobs]
      return { jobs: list, nextToken: response["NextToken"] as string | undefined }
    }
  )

/** Follows NextToken from the first page to the last and returns the job ids of every page. */
const listAllPages = (emulator: Emulator.Emulator.Service, query: Query) =>
  Effect.gen(function*() {
    const pages: Array<ReadonlyArray<string>> = []
    let token: string | undefined
    do {
      const page = yield* listPage(emulator, token === undefined ? query : [...query, ["nextToken", token]])
      pages.push(page.jobs.map((job) => job["JobId"]!))
      token = page.nextToken
      // A broken cursor could loop forever; 250 jobs never need more than 10 pages.
      expect(pages.length).toBeLessThanOrEqual(10)
    } while (token !== undefined)
    return pages
  })

/** Seeds `count` jobs, three per creation second, so paging also crosses jobs with equal times. */
const seedJobs = (emulator: Emulator.Emulator.Service, count: number) =>
  Effect.forEach(Array.from({ length: count }, (_, index) => index), (index) =>
    emulator.seedJob({
      name: `job-${index}`,
      creationTime: new Date(fixedNow - (count - Math.floor(index / 3)) * 1000)
    }))

describe("paging", () => {
  it.scopedLive("250 jobs in pages of 100, newest first", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const jobs = yield* seedJobs(emulator, 250)

      const pages = yield* listAllPages(emulator, [["size", "100"]])

      expect(pages.map((page) => page.length)).toEqual([100, 100, 50])
      expect(pages.flat()).toEqual(jobs.map((job) => job.jobId).reverse())
      expect(new Set(pages.flat()).size).toBe(250)
    }))

  it.scopedLive("250 jobs in pages of 100, oldest first", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const jobs = yield* seedJobs(emulator, 250)

      const pages = yield* listAllPages(emulator, [["size", "100"], ["orderByTime", "Asc"]])

      expect(pages.map((page) => page.length)).toEqual([100, 100, 50])
      expect(pages.flat()).toEqual(jobs.map((job) => job.jobId))
      expect(new Set(pages.flat()).size).toBe(250)
    }))

  it.scopedLive("last page with exactly one job", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const jobs = yield* seedJobs(emulator, 101)

      const desc = yield* listAllPages(emulator, [["size", "100"]])
      const asc = yield* listAllPages(emulator, [["size", "100"], ["orderByTime", "Asc"]])

      expect(desc.map((page) => page.length)).toEqual([100, 1])
      expect(desc[1]).toEqual([jobs[0]!.jobId])
      expect(asc.map((page) => page.length)).toEqual([100, 1])
      expect(asc[1]).toEqual([jobs[100]!.jobId])
    }))

  it.scopedLive("single matching job has no NextToken", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const jobs = yield* seedJobs(emulator, 5)

      const bySize = yield* listPage(emulator, [["size", "1"], ["name", "job-2"]])
      const byId = yield* listPage(emulator, [["jobId", jobs[4]!.jobId]])

      expect(bySize.jobs.map((job) => job["Name"])).toEqual(["job-2"])
      expect(bySize.nextToken).toBeUndefined()
      expect(byId.jobs.map((job) => job["JobId"])).toEqual([jobs[4]!.jobId])
      expect(byId.nextToken).toBeUndefined()
    }))

  it.scopedLive("name with special characters matches exactly", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const name = "任务 a+b&c=d/x"
      const others = [
        "任务 a b&c=d/x",
        "任务 a+b",
        "任务 a+b&c=d/x ",
        "任务 A+B&C=D/X",
        "任务 a%2Bb&c=d/x",
        "a+b&c=d/x"
      ]
      yield* Effect.forEach([...others, name], (jobName) => emulator.seedJob({ name: jobName }))

      const encoded = yield* listPage(emulator, [["name", name]])
      // The signature covers the decoded value, so a literal "+" on the request line signs the same.
      const literalPlus = yield* listPage(emulator, [["name", name]], (request) => ({
        ...request,
        target: request.target.replaceAll("%2B", "+")
      }))

      expect(encoded.jobs.map((job) => job["Name"])).toEqual([name])
      expect(literalPlus.jobs.map((job) => job["Name"])).toEqual([name])
    }))
})
