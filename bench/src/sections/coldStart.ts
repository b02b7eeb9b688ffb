import * as Signer from "@effect-cos/signer/Signer"
import * as Redacted from "effect/Redacted"
import { type Program, programFile } from "../build.js"
import { cancelPath, loopbackOrigin, secretId, secretKey } from "../config.js"
import { startWorker } from "../processes.js"
import { formatMillis, measurementRows, type Role, type Row } from "../report.js"
import type { Settings } from "../settings.js"

export const programLabels: ReadonlyArray<{ readonly program: Program; readonly label: string; readonly role: Role }> =
  [
    { program: "cancelOursUndici", label: "effect-cos, NodeHttpClient.layerUndici", role: "ours" },
    { program: "cancelOursFetch", label: "effect-cos, FetchHttpClient.layer", role: "ours" },
    { program: "cancelOfficial", label: "cos-nodejs-sdk-v5, cos.request", role: "official" },
    { program: "cancelNodeHttp", label: "floor: node:http, presigned", role: "floor" }
  ]

/** Milliseconds from spawning `node <bundle>` until it prints that the job is cancelled. */
const timeOneRun = async (program: Program, args: ReadonlyArray<string>): Promise<number> => {
  const start = performance.now()
  const worker = startWorker(programFile(program), args)
  try {
    const line = await worker.nextLine(60_000)
    const millis = performance.now() - start
    if (!line.startsWith("cancelled")) {
      throw new Error(`${program} printed "${line}"`)
    }
    return millis
  } finally {
    // The measurement is over: a keep-alive socket must not hold the next run back.
    await worker.close(0)
  }
}

/** Time from process start to the first completed cancel, for each minified program bundle. */
export const runColdStart = async (settings: Settings, port: number): Promise<Array<Row>> => {
  const origin = loopbackOrigin(port)
  const now = Math.floor(Date.now() / 1000) - 1
  const authorization = Signer.sign({
    method: "PUT",
    pathname: cancelPath,
    query: { cancel: "" },
    headers: { host: new URL(origin).host, "content-length": "0" },
    secretId,
    secretKey: Redacted.make(secretKey),
    keyTime: { start: now, end: now + 3600 }
  })
  const argsOf = (program: Program) => (program === "cancelNodeHttp" ? [origin, authorization] : [origin])

  // One run of each first, so that the file system cache contains every bundle and node itself.
  for (const { program } of programLabels) {
    await timeOneRun(program, argsOf(program))
  }
  const runs = programLabels.map(() => [] as Array<number>)
  for (let run = 0; run < settings.coldStart.runs; run++) {
    for (let i = 0; i < programLabels.length; i++) {
      const index = (i + run) % programLabels.length
      runs[index].push(await timeOneRun(programLabels[index].program, argsOf(programLabels[index].program)))
    }
  }

  return measurementRows({
    section: "3 cold start",
    measurement: "process start to first cancel",
    better: "lower",
    format: formatMillis,
    series: programLabels.map(({ label, role }, i) => ({ implementation: label, role, values: runs[i] }))
  })
}
