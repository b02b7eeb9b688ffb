import * as Esbuild from "esbuild"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Zlib from "node:zlib"
import { type ClientKind, clientKinds } from "./clientKinds.js"

const root = Path.resolve(import.meta.dirname, "..")

/** The folder of the bundles, bench/dist, which git ignores. */
export const outDir = Path.join(root, "dist")

export const workerFile = (name: string): string => Path.join(outDir, "workers", `${name}.cjs`)

/** The bundle of a per-client worker (`roundTrip` or `memory`) for one client. */
export const clientWorkerFile = (worker: "roundTrip" | "memory", kind: ClientKind): string =>
  workerFile(`${worker}-${kind.id}`)
export const programFile = (name: string): string => Path.join(outDir, "programs", `${name}.cjs`)

const workers = ["server", "signing"]

/** The one-job cancel programs that the cold-start and bundle-size benchmarks compare. */
export const programs = ["cancelOursFetch", "cancelOursUndici", "cancelOfficial", "cancelNodeHttp"] as const
export type Program = typeof programs[number]

/**
 * Bundles the workers and the programs. Everything the benchmarks run is a bundle run by plain
 * `node`, so no client pays for a TypeScript loader and each is built the same way. The workers are
 * left readable for profiling, and the programs are minified, as an application would ship them.
 */
export const buildAll = async (): Promise<void> => {
  for (const folder of ["workers", "programs"]) {
    Fs.rmSync(Path.join(outDir, folder), { recursive: true, force: true })
  }
  const common: Esbuild.BuildOptions = {
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    logLevel: "warning",
    absWorkingDir: root
  }
  await Esbuild.build({
    ...common,
    entryPoints: workers.map((name) => `src/workers/${name}.ts`),
    outdir: Path.join(outDir, "workers")
  })
  // One bundle per client and worker, so that a client's process loads only that client's code.
  for (const kind of clientKinds) {
    await Esbuild.build({
      ...common,
      stdin: {
        contents: [
          `import { make } from "./clients/${kind.module}.js"`,
          `import { clientKind } from "./clientKinds.js"`,
          `import { main as roundTrip } from "./workers/roundTrip.js"`,
          `roundTrip(clientKind(${JSON.stringify(kind.id)}), make)`
        ].join("\n"),
        resolveDir: Path.join(root, "src"),
        loader: "ts"
      },
      outfile: clientWorkerFile("roundTrip", kind)
    })
    await Esbuild.build({
      ...common,
      stdin: {
        contents: [
          `import { make } from "./clients/${kind.module}.js"`,
          `import { main as memory } from "./workers/memory.js"`,
          "memory(make)"
        ].join("\n"),
        resolveDir: Path.join(root, "src"),
        loader: "ts"
      },
      outfile: clientWorkerFile("memory", kind)
    })
  }
  await Esbuild.build({
    ...common,
    entryPoints: programs.map((name) => `src/programs/${name}.ts`),
    outdir: Path.join(outDir, "programs"),
    minify: true
  })
}

/** Size of a bundle in bytes, as it is and gzipped at the highest level. */
export const bundleSize = (file: string): { readonly bytes: number; readonly gzipBytes: number } => {
  const contents = Fs.readFileSync(file)
  return { bytes: contents.length, gzipBytes: Zlib.gzipSync(contents, { level: 9 }).length }
}
