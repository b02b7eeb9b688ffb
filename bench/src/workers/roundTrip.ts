/**
 * One client of the round-trip benchmark, in a process of its own so that no other client's
 * connections, heap or JIT state share it. `build.ts` bundles this module once per client, with an
 * entry that calls `main`. The worker checks first that the client sends the expected signed
 * request and prints `ready`. Then, for each line `<concurrency> <millis>` on standard input, it
 * cancels the same job against the minimal server for that long and prints the round's results.
 *
 * Usage: node --expose-gc roundTrip-<client id>.cjs <server port>
 */
import * as Readline from "node:readline"
import type { ClientKind } from "../clientKinds.js"
import type { Client, MakeClient } from "../clients/client.js"
import { jobId, loopbackOrigin } from "../config.js"
import { quantile } from "../stats.js"
import { checkRequests } from "./requestCheck.js"

export interface RoundResult {
  readonly requests: number
  readonly requestsPerSecond: number
  readonly p50Millis: number
  readonly p99Millis: number
  readonly cpuMicrosPerRequest: number
}

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {})

const measure = async (client: Client, concurrency: number, millis: number): Promise<RoundResult> => {
  const latencies: Array<number> = []
  collectGarbage()

  const cpuBefore = process.cpuUsage()
  const start = performance.now()
  const deadline = start + millis
  await client.run({
    concurrency,
    nextJobId: () => (performance.now() < deadline ? jobId : undefined),
    record: (latency) => latencies.push(latency)
  })
  const elapsed = performance.now() - start
  const cpu = process.cpuUsage(cpuBefore)

  return {
    requests: latencies.length,
    requestsPerSecond: (latencies.length / elapsed) * 1000,
    p50Millis: quantile(latencies, latencies.length, 0.5),
    p99Millis: quantile(latencies, latencies.length, 0.99),
    cpuMicrosPerRequest: (cpu.user + cpu.system) / latencies.length
  }
}

const run = async (kind: ClientKind, make: MakeClient) => {
  await checkRequests(kind, make)
  const client = make(loopbackOrigin(Number(process.argv[2])))
  process.stdout.write("ready\n")

  for await (const line of Readline.createInterface({ input: process.stdin })) {
    const [concurrency, millis] = line.split(" ").map(Number)
    process.stdout.write(JSON.stringify(await measure(client, concurrency, millis)) + "\n")
  }
  await client.close()
}

export const main = (kind: ClientKind, make: MakeClient): void => {
  run(kind, make).catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
