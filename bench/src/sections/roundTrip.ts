import { clientWorkerFile } from "../build.js"
import { clientKinds } from "../clientKinds.js"
import { startWorker } from "../processes.js"
import { formatMicros, formatMillis, formatRate, measurementRows, type Row } from "../report.js"
import type { Settings } from "../settings.js"
import type { RoundResult } from "../workers/roundTrip.js"

/**
 * Cancel round trips against the minimal server on `port`. Every client runs in its own process and
 * only one runs at a time, in rounds that rotate the order.
 */
export const runRoundTrip = async (settings: Settings, port: number): Promise<Array<Row>> => {
  const clients = clientKinds.map((kind) => ({
    kind,
    worker: startWorker(clientWorkerFile("roundTrip", kind), [String(port)], ["--expose-gc"])
  }))
  try {
    for (const { worker } of clients) {
      const line = await worker.nextLine(60_000)
      if (line !== "ready") {
        throw new Error(`a round-trip client printed "${line}" instead of "ready"`)
      }
    }

    const round = async (worker: typeof clients[number]["worker"], concurrency: number, millis: number) => {
      worker.send(`${concurrency} ${millis}`)
      return JSON.parse(await worker.nextLine(millis + 60_000)) as RoundResult
    }

    const rows: Array<Row> = []
    const { concurrencies, roundMillis, rounds, warmupMillis } = settings.roundTrip
    for (const concurrency of concurrencies) {
      for (const { worker } of clients) {
        await round(worker, concurrency, warmupMillis)
      }
      const results = clients.map(() => [] as Array<RoundResult>)
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < clients.length; i++) {
          const index = (i + r) % clients.length
          results[index].push(await round(clients[index].worker, concurrency, roundMillis))
        }
      }

      const metric = (
        name: string,
        better: "higher" | "lower",
        format: (value: number) => string,
        pick: (result: RoundResult) => number
      ) =>
        measurementRows({
          section: "2 cancel round trip",
          measurement: `concurrency ${concurrency}: ${name}`,
          better,
          format,
          series: clients.map(({ kind }, i) => ({
            implementation: kind.label,
            role: kind.role,
            values: results[i].map(pick)
          }))
        })
      rows.push(
        ...metric("requests/s", "higher", formatRate, (result) => result.requestsPerSecond),
        ...metric("p50 latency", "lower", formatMillis, (result) => result.p50Millis),
        ...metric("p99 latency", "lower", formatMillis, (result) => result.p99Millis),
        ...metric("CPU time per request", "lower", formatMicros, (result) => result.cpuMicrosPerRequest)
      )
    }
    return rows
  } finally {
    await Promise.all(clients.map(({ worker }) => worker.close()))
  }
}
