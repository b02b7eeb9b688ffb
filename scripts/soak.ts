// Cancels 10,000 jobs through cancelMany against the emulator, with transient faults on 5 % of them.
// It checks that every job ends with exactly one outcome that matches what the emulator recorded, and
// that the heap returns close to its starting size once the run is over.
//
//   pnpm soak [--jobs 10000] [--concurrency 64] [--client fetch|node:http] [--seed 20240601]
//
// `pnpm soak` runs node with --expose-gc, which the memory check needs. Exits with 1 when a check fails.
import * as Os from "node:os"
import { parseArgs } from "node:util"
import { httpClients } from "../packages/ci-jobs/test/reliability/matrix.js"
import { measureSoak } from "../packages/ci-jobs/test/reliability/soak.js"

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      jobs: { type: "string", default: "10000" },
      concurrency: { type: "string", default: "64" },
      client: { type: "string", default: "fetch" },
      seed: { type: "string", default: "20240601" }
    }
  })
  const gc = globalThis.gc
  if (gc === undefined) {
    console.error("error: the memory check needs node --expose-gc. Run it as: pnpm soak")
    return 2
  }
  const httpClient = httpClients.find((client) => client.name === values.client)
  if (httpClient === undefined) {
    console.error(
      `error: unknown --client ${values.client}; use ${httpClients.map((client) => client.name).join(" or ")}`
    )
    return 2
  }

  const concurrency = Number(values.concurrency)
  const { after, before, failures, peak, report } = await measureSoak({
    jobs: Number(values.jobs),
    concurrency,
    faultRate: 0.05,
    finishedRate: 0.02,
    seed: Number(values.seed),
    httpClient: httpClient.layer
  }, gc)

  const faults = Object.entries(report.faults).map(([kind, count]) => `${count} ${kind}`).join(", ")
  console.log(`soak: ${report.jobs} jobs over ${httpClient.name}, concurrency ${concurrency}, seed ${values.seed}`)
  console.log(
    `machine: ${Os.cpus()[0]?.model ?? "unknown CPU"}, ${Os.availableParallelism()} cores, node ${process.version}`
  )
  console.log(`faults injected: ${faults}`)
  console.log(`outcomes: ${report.cancelled} cancelled, ${report.rejected} rejected as finished`)
  console.log(`requests the emulator received: ${report.requests}`)
  console.log(
    `time: ${(report.elapsedMillis / 1000).toFixed(1)} s, ${
      Math.round(report.jobs / (report.elapsedMillis / 1000))
    } cancels/s`
  )
  console.log(
    `heap used: ${mebibytes(before.heapUsed)} before, ${mebibytes(peak.heapUsed)} at the peak, ` +
      `${mebibytes(after.heapUsed)} after GC`
  )
  console.log(
    `RSS: ${mebibytes(before.rss)} before, ${mebibytes(peak.rss)} at the heap peak, ${mebibytes(after.rss)} after GC`
  )

  if (failures.length > 0) {
    console.error(`FAILED: ${failures.length} problems`)
    for (const failure of failures.slice(0, 20)) {
      console.error(`  ${failure}`)
    }
    return 1
  }
  console.log("OK: every job has exactly one outcome, and each matches what the emulator recorded")
  return 0
}

process.exitCode = await main()
