/**
 * Peak memory of one client cancelling many jobs against the minimal server, in a process of its
 * own so that no other client's memory counts. `build.ts` bundles this module once per client,
 * with an entry that calls `main`. Prints `{ "maxRssKiB": ..., "millis": ... }`.
 *
 * Usage: node memory-<client id>.cjs <server port> <jobs> <concurrency>
 */
import type { MakeClient } from "../clients/client.js"
import { jobIdAt, loopbackOrigin } from "../config.js"

const run = async (make: MakeClient) => {
  const [port, jobs, concurrency] = process.argv.slice(2)
  const client = make(loopbackOrigin(Number(port)))
  const jobIds = Array.from({ length: Number(jobs) }, (_, index) => jobIdAt(index))

  const start = performance.now()
  await client.cancelAll(jobIds, Number(concurrency))
  const millis = performance.now() - start
  await client.close()

  // ru_maxrss: the largest resident set size of this process so far, in KiB on Linux.
  process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, millis }) + "\n")
  process.exit(0)
}

export const main = (make: MakeClient): void => {
  run(make).catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
