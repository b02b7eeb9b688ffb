import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { runSoak } from "./soak.js"

// The short soak. `pnpm soak` runs the same check with 10,000 jobs and watches memory.

const jobs = 400

describe("soak", () => {
  it.live(`cancels ${jobs} jobs with transient faults, each exactly once`, () =>
    Effect.gen(function*() {
      const report = yield* runSoak({
        jobs,
        concurrency: 64,
        faultRate: 0.05,
        finishedRate: 0.02,
        seed: 20240601,
        httpClient: FetchHttpClient.layer
      })

      expect(report.problems).toStrictEqual([])
      expect(report.faults).toStrictEqual({ SlowDown: 7, Reset: 7, Empty503: 6 })
      expect(report.cancelled).toBe(392)
      expect(report.rejected).toBe(8)
      expect(report.elapsedMillis).toBeLessThan(15_000)
    }), 30_000)
})
