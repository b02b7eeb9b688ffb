import { clientWorkerFile } from "../build.js"
import { clientKinds } from "../clientKinds.js"
import { runWorker } from "../processes.js"
import { formatKiB, measurementRows, type Row } from "../report.js"
import type { Settings } from "../settings.js"

/** The clients a user would pick, and the floor: the references add nothing to this comparison. */
const memoryClients = clientKinds.filter((kind) => kind.role !== "reference")

/** Peak RSS of a fresh process per client and run, cancelling distinct jobs at a fixed concurrency. */
export const runMemory = async (settings: Settings, port: number): Promise<Array<Row>> => {
  const { concurrency, jobs, runs } = settings.memory
  const results = memoryClients.map(() => [] as Array<number>)
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < memoryClients.length; i++) {
      const index = (i + run) % memoryClients.length
      const output = await runWorker(clientWorkerFile("memory", memoryClients[index]), [
        String(port),
        String(jobs),
        String(concurrency)
      ])
      results[index].push((JSON.parse(output) as { readonly maxRssKiB: number }).maxRssKiB)
    }
  }
  return measurementRows({
    section: "5 memory",
    measurement: `peak RSS, ${jobs} cancels at concurrency ${concurrency}`,
    better: "lower",
    format: formatKiB,
    series: memoryClients.map((kind, i) => ({ implementation: kind.label, role: kind.role, values: results[i] }))
  })
}
