import { workerFile } from "../build.js"
import { runWorker } from "../processes.js"
import { formatRate, measurementRows, type Row, type Series } from "../report.js"
import type { Settings } from "../settings.js"

interface CaseResult {
  readonly name: string
  readonly opsPerSecond: Readonly<Record<string, ReadonlyArray<number>>>
}

const implementations: ReadonlyArray<Omit<Series, "values"> & { readonly id: string }> = [
  { id: "ours", implementation: "effect-cos, Signer.sign", role: "ours" },
  { id: "oursNewKeyTime", implementation: "effect-cos, Signer.sign, new key time every call", role: "reference" },
  { id: "official", implementation: "cos-nodejs-sdk-v5, COS.getAuthorization", role: "official" },
  { id: "floor", implementation: "floor: node:crypto SHA-1 + HMAC-SHA1, SignKey cached", role: "floor" }
]

/** Signatures per second of each signer on three requests, in one child process. */
export const runSigning = async (settings: Settings): Promise<Array<Row>> => {
  const output = await runWorker(workerFile("signing"), [
    String(settings.signing.rounds),
    String(settings.signing.roundMillis)
  ])
  const cases = JSON.parse(output) as ReadonlyArray<CaseResult>
  return cases.flatMap((result) =>
    measurementRows({
      section: "1 signing",
      measurement: `${result.name}: signatures/s`,
      better: "higher",
      format: formatRate,
      series: implementations
        .filter(({ id }) => result.opsPerSecond[id] !== undefined)
        .map(({ id, implementation, role }) => ({ implementation, role, values: result.opsPerSecond[id] }))
    })
  )
}
