// Runs the fault matrix over fetch and node:http and the 10,000-job soak, checks every outcome, and
// writes docs/reliability.md and docs/zh-CN/reliability.md. Nothing is written when a check fails.
//
//   pnpm reliability [--soak-jobs 10000]
//
// `pnpm reliability` runs node with --expose-gc, which the soak's memory check needs. Exits with 1
// when a check fails.
import * as Effect from "effect/Effect"
import { parseArgs } from "node:util"
import { httpClients } from "../packages/ci-jobs/test/reliability/matrix.js"
import { currentMachine, reportPaths, runMatrix, writeReports } from "../packages/ci-jobs/test/reliability/report.js"
import { measureSoak } from "../packages/ci-jobs/test/reliability/soak.js"

const main = async (): Promise<number> => {
  const { values } = parseArgs({ options: { "soak-jobs": { type: "string", default: "10000" } } })
  const gc = globalThis.gc
  if (gc === undefined) {
    console.error("error: the soak's memory check needs node --expose-gc. Run it as: pnpm reliability")
    return 2
  }

  console.log("Running the fault matrix...")
  const { mismatches, timings } = await Effect.runPromise(runMatrix)
  console.log(`Running the soak with ${values["soak-jobs"]} jobs...`)
  const soak = await measureSoak({
    jobs: Number(values["soak-jobs"]),
    concurrency: 64,
    faultRate: 0.05,
    finishedRate: 0.02,
    seed: 20240601,
    httpClient: httpClients[0].layer
  }, gc)

  const failures = [...mismatches, ...soak.failures]
  if (failures.length > 0) {
    console.error(`FAILED: ${failures.length} problems, so the reports were not written`)
    for (const failure of failures.slice(0, 20)) {
      console.error(`  ${failure}`)
    }
    return 1
  }

  writeReports(timings, soak, currentMachine())
  console.log(`Wrote ${reportPaths.en} and ${reportPaths.zh}`)
  return 0
}

process.exitCode = await main()
