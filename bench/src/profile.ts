/**
 * `pnpm bench --profile <client id>`: runs one round-trip client under `node --cpu-prof` and prints
 * where its CPU time went, by package and by source file. The worker bundles are not minified, and
 * esbuild starts each bundled module with a `// <path>` comment line, so a sample's line number in
 * the bundle leads back to the module it came from.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { clientWorkerFile } from "./build.js"
import type { ClientKind } from "./clientKinds.js"
import { startWorker } from "./processes.js"

/** Settings of a profile run: the client, the number of cancels in flight, and the duration. */
export interface ProfileOptions {
  readonly kind: ClientKind
  readonly concurrency: number
  readonly seconds: number
}

/** The parts of a `.cpuprofile` file that this report reads. */
interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  }>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** Finds the first line (zero-based) of every module in a bundle, in order, with the module's path. */
const moduleStarts = (bundle: string): Array<{ readonly line: number; readonly path: string }> => {
  const starts: Array<{ readonly line: number; readonly path: string }> = []
  const lines = Fs.readFileSync(bundle, "utf8").split("\n")
  for (let line = 0; line < lines.length; line++) {
    const text = lines[line]
    if (text.startsWith("// ") && /\.(c|m)?(j|t)s$/.test(text)) {
      starts.push({ line, path: text.slice(3) })
    }
  }
  return starts
}

/** Returns the module of a bundle line: the last module that starts at or before it. */
const moduleAt = (starts: ReadonlyArray<{ readonly line: number; readonly path: string }>, line: number) => {
  let low = 0
  let high = starts.length - 1
  let found = "(bundle entry)"
  while (low <= high) {
    const middle = (low + high) >> 1
    if (starts[middle].line <= line) {
      found = starts[middle].path
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return found
}

/** Shortens a module path to the package-relative path of a dependency, or the workspace path. */
const sourceName = (path: string): string => {
  const dependency = path.lastIndexOf("node_modules/")
  return dependency === -1 ? path.replace(/^(\.\.\/)+/, "") : path.slice(dependency + "node_modules/".length)
}

/** Returns the package a source file belongs to, for the split by package. */
const packageOf = (source: string): string => {
  if (source.startsWith("(")) {
    return source
  }
  if (source.startsWith("node:")) {
    return "node built-ins"
  }
  if (source.startsWith("wasm:")) {
    return "WebAssembly"
  }
  if (source.startsWith("packages/")) {
    return `effect-cos (${source.split("/")[1]})`
  }
  if (source.startsWith("src/")) {
    return "benchmark driver"
  }
  const parts = source.split("/")
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]
}

/** Sums the self time in milliseconds of every source file, from a profile and the bundle it ran. */
const selfTimeBySource = (profile: CpuProfile, bundle: string): Map<string, number> => {
  const starts = moduleStarts(bundle)
  const bundleUrl = `file://${bundle}`
  const sourceOfNode = new Map<number, string>()
  for (const node of profile.nodes) {
    const { functionName, lineNumber, url } = node.callFrame
    if (url === bundleUrl) {
      sourceOfNode.set(node.id, sourceName(moduleAt(starts, lineNumber)))
    } else if (url === "") {
      // (garbage collector), (program), (idle) and V8 builtins without a script.
      sourceOfNode.set(node.id, functionName.startsWith("(") ? functionName : "(native code)")
    } else {
      sourceOfNode.set(node.id, url)
    }
  }

  const millis = new Map<string, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const source = sourceOfNode.get(profile.samples[i]) ?? "(unknown)"
    millis.set(source, (millis.get(source) ?? 0) + profile.timeDeltas[i] / 1000)
  }
  return millis
}

const renderShares = (title: string, millis: Map<string, number>, limit: number): string => {
  const busy = [...millis].filter(([name]) => name !== "(idle)")
  const total = busy.reduce((sum, [, value]) => sum + value, 0)
  const rows = busy.sort((a, b) => b[1] - a[1]).slice(0, limit)
  const width = Math.max(title.length, ...rows.map(([name]) => name.length))
  return [
    `${title.padEnd(width)}  self ms   share`,
    ...rows.map(([name, value]) =>
      `${name.padEnd(width)}  ${value.toFixed(0).padStart(7)}  ${((value / total) * 100).toFixed(1).padStart(5)} %`
    )
  ].join("\n")
}

/**
 * Profiles one client: it cancels against the minimal server on `port` for one second to warm up
 * and then for `options.seconds`, all under `--cpu-prof`, and returns the report to print. Idle time
 * is left out of the shares, so they add up to the time the process was busy.
 */
export const runProfile = async (options: ProfileOptions, port: number): Promise<string> => {
  const directory = Fs.mkdtempSync(Path.join(Os.tmpdir(), "effect-cos-profile-"))
  try {
    const bundle = clientWorkerFile("roundTrip", options.kind)
    const worker = startWorker(bundle, [String(port)], ["--cpu-prof", `--cpu-prof-dir=${directory}`])
    const ready = await worker.nextLine(60_000)
    if (ready !== "ready") {
      throw new Error(`the client printed "${ready}" instead of "ready"`)
    }
    worker.send(`${options.concurrency} 1000`)
    await worker.nextLine(60_000)
    worker.send(`${options.concurrency} ${options.seconds * 1000}`)
    const round = JSON.parse(await worker.nextLine(options.seconds * 1000 + 60_000)) as { requests: number }
    await worker.close()

    // Node writes the profile when the process exits.
    const file = Fs.readdirSync(directory).find((name) => name.endsWith(".cpuprofile"))
    if (file === undefined) {
      throw new Error(`node wrote no .cpuprofile into ${directory}`)
    }
    const profile = JSON.parse(Fs.readFileSync(Path.join(directory, file), "utf8")) as CpuProfile
    const bySource = selfTimeBySource(profile, Path.resolve(bundle))
    const byPackage = new Map<string, number>()
    for (const [source, value] of bySource) {
      const name = packageOf(source)
      byPackage.set(name, (byPackage.get(name) ?? 0) + value)
    }

    return [
      `profile: ${options.kind.label}, concurrency ${options.concurrency}, ${options.seconds} s after 1 s of warm-up`,
      `measured round: ${round.requests} cancels; the profile also covers start-up and warm-up`,
      "",
      renderShares("package", byPackage, 20),
      "",
      renderShares("source file", bySource, 25)
    ].join("\n")
  } finally {
    Fs.rmSync(directory, { recursive: true, force: true })
  }
}
