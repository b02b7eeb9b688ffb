import * as Fs from "node:fs"
import * as Os from "node:os"

/** Describes the CPU, the core count and the current load in one line. */
export const describeMachine = (): string => {
  let model = Os.cpus()[0]?.model ?? "unknown CPU"
  try {
    const line = Fs.readFileSync("/proc/cpuinfo", "utf8").split("\n").find((text) => text.startsWith("model name"))
    if (line !== undefined) {
      model = line.slice(line.indexOf(":") + 1).trim()
    }
  } catch {
    // Not Linux: keep what node:os reports.
  }
  const load = Os.loadavg().map((value) => value.toFixed(2)).join(" ")
  return `${model}, ${Os.availableParallelism()} cores, ${Os.platform()} ${Os.arch()}, load average at the start ${load}`
}

const readVersion = (packageJson: URL): string => {
  try {
    return (JSON.parse(Fs.readFileSync(packageJson, "utf8")) as { readonly version: string }).version
  } catch {
    return "unknown"
  }
}

/** Versions of node and of every library the benchmarks compare. */
export const describeVersions = (): string => {
  const resolve = (specifier: string) => new URL(import.meta.resolve(specifier))
  const ours = readVersion(new URL("../../packages/signer/package.json", import.meta.url))
  return [
    `node ${process.version}`,
    `@effect-cos/* ${ours}`,
    `effect ${readVersion(resolve("effect/package.json"))}`,
    `@effect/platform ${readVersion(resolve("@effect/platform/package.json"))}`,
    `@effect/platform-node ${readVersion(resolve("@effect/platform-node/package.json"))}`,
    `undici ${readVersion(resolve("undici/package.json"))}`,
    `cos-nodejs-sdk-v5 ${readVersion(resolve("cos-nodejs-sdk-v5/package.json"))}`,
    `esbuild ${readVersion(resolve("esbuild/package.json"))}`
  ].join(", ")
}
