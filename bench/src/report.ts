import { pairedRatio, summarize, type Summary } from "./stats.js"

/** The part an implementation plays in a comparison: one of ours, the official SDK, the floor, or neither. */
export type Role = "ours" | "official" | "floor" | "reference"

/** One implementation's result for one measurement, with its ratios to the official SDK and the floor. */
export interface Row {
  readonly section: string
  readonly measurement: string
  readonly better: "higher" | "lower"
  readonly implementation: string
  readonly role: Role
  readonly summary: Summary
  readonly format: (value: number) => string
  /** The median over rounds of this value divided by the official SDK's in the same round. */
  readonly versusOfficial: number | undefined
  readonly versusFloor: number | undefined
}

export interface Series {
  readonly implementation: string
  readonly role: Role
  /** One value per round or run, in the order of the rounds, so that the i-th values of two series pair up. */
  readonly values: ReadonlyArray<number>
}

/** Builds the rows of one measurement, pairing every series with the official SDK's and the floor's. */
export const measurementRows = (options: {
  readonly section: string
  readonly measurement: string
  readonly better: "higher" | "lower"
  readonly format: (value: number) => string
  readonly series: ReadonlyArray<Series>
}): Array<Row> => {
  const official = options.series.find((series) => series.role === "official")
  const floor = options.series.find((series) => series.role === "floor")
  const ratio = (series: Series, reference: Series | undefined) =>
    reference === undefined || reference === series ? undefined : pairedRatio(series.values, reference.values)
  return options.series.map((series) => ({
    section: options.section,
    measurement: options.measurement,
    better: options.better,
    implementation: series.implementation,
    role: series.role,
    summary: summarize(series.values),
    format: options.format,
    versusOfficial: ratio(series, official),
    versusFloor: ratio(series, floor)
  }))
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })

export const formatRate = (value: number): string => grouped.format(value)
export const formatMillis = (value: number): string => `${value.toFixed(value < 10 ? 3 : 1)} ms`
export const formatMicros = (value: number): string => `${value.toFixed(1)} µs`
export const formatKiB = (value: number): string => `${(value / 1024).toFixed(1)} MiB`
export const formatBytes = (value: number): string => `${(value / 1024).toFixed(1)} KiB`

const formatRatio = (ratio: number | undefined): string => (ratio === undefined ? "" : `${ratio.toFixed(2)}x`)

/** Renders the rows as one Markdown table, which reads as plain text in a terminal too. */
export const renderTable = (rows: ReadonlyArray<Row>): string => {
  const header = ["section", "measurement", "implementation", "median", "min–max", "n", "vs SDK", "vs floor"]
  const body = rows.map((row) => [
    row.section,
    `${row.measurement} (${row.better} is better)`,
    row.implementation,
    row.format(row.summary.median),
    row.summary.runs === 1 ? "" : `${row.format(row.summary.min)}–${row.format(row.summary.max)}`,
    String(row.summary.runs),
    formatRatio(row.versusOfficial),
    formatRatio(row.versusFloor)
  ])
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column].length)))
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`
  return [
    line(header),
    line(widths.map((width) => "-".repeat(width))),
    ...body.map(line)
  ].join("\n")
}

/** A target from the benchmark's brief, checked against one row's ratio. */
export interface Target {
  readonly description: string
  readonly ratio: number | undefined
  readonly met: boolean
}

export const renderTargets = (targets: ReadonlyArray<Target>): string =>
  targets.map((target) =>
    `- ${target.met ? "met" : "NOT met"}: ${target.description} (measured ${formatRatio(target.ratio) || "n/a"})`
  ).join("\n")
