import { bundleSize, programFile } from "../build.js"
import { formatBytes, measurementRows, type Row } from "../report.js"
import { programLabels } from "./coldStart.js"

/** Size of each minified one-job cancel program, as it is and gzipped. */
export const runBundleSize = (): Array<Row> => {
  // The floor program contains no library, so a ratio to it would compare nothing.
  const programs = programLabels.filter(({ role }) => role !== "floor")
  const sizes = programs.map(({ program }) => bundleSize(programFile(program)))
  const rows = (measurement: string, pick: (size: typeof sizes[number]) => number) =>
    measurementRows({
      section: "4 bundle size",
      measurement,
      better: "lower",
      format: formatBytes,
      series: programs.map(({ label, role }, i) => ({ implementation: label, role, values: [pick(sizes[i])] }))
    })
  return [
    ...rows("esbuild --minify, gzip -9", (size) => size.gzipBytes),
    ...rows("esbuild --minify", (size) => size.bytes)
  ]
}
