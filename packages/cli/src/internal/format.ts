import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"

/**
 * Makes text from CI safe to print on a terminal: control characters, which could break a table
 * row or send escape sequences, are shown as `\n`, `\t` or `\u001b`.
 *
 * @internal
 */
export const displayText = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (character) => {
    switch (character) {
      case "\n":
        return "\\n"
      case "\r":
        return "\\r"
      case "\t":
        return "\\t"
      default:
        return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`
    }
  })

/**
 * Lays out rows under a header row, each column as wide as its widest cell and two spaces between
 * columns. The last column is not padded, so it may hold long text such as a job name.
 *
 * Widths count UTF-16 code units, so a column after one with wide characters, such as Chinese
 * text, is not aligned on a terminal. Keep such text in the last column.
 *
 * @internal
 */
export const renderTable = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>
): ReadonlyArray<string> => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
  const renderRow = (row: ReadonlyArray<string>) =>
    row.map((cell, column) => column === row.length - 1 ? cell : cell.padEnd(widths[column])).join("  ").trimEnd()
  return [renderRow(header), ...rows.map(renderRow)]
}

/**
 * A time as ISO 8601 UTC to the second, such as `2026-01-02T00:00:00Z`: CI reports times to the
 * second, so the milliseconds of `toISOString` are always zero.
 *
 * @internal
 */
export const formatTableTime = (date: Date | undefined): string =>
  date === undefined ? "-" : date.toISOString().replace(/\.\d{3}Z$/, "Z")

const formatProgress = (progress: number | undefined) => progress === undefined ? "-" : `${progress}%`

const optionalText = (text: string | undefined) => text === undefined || text === "" ? "-" : displayText(text)

/** @internal */
export const jobTableHeader = ["JOB ID", "TYPE", "STATE", "PROGRESS", "CREATED (UTC)", "NAME"] as const

/** @internal */
export const jobTableRow = (job: BatchJob.BatchJob): ReadonlyArray<string> => [
  displayText(job.jobId),
  optionalText(job.type),
  displayText(job.state),
  formatProgress(job.progress),
  formatTableTime(job.creationTime),
  job.name === undefined ? "" : displayText(job.name)
]

/** @internal */
export const jobTable = (jobs: ReadonlyArray<BatchJob.BatchJob>): ReadonlyArray<string> =>
  renderTable(jobTableHeader, jobs.map(jobTableRow))

const formatInput = (input: BatchJob.JobInput): string => {
  const present = [
    ["manifest", input.manifest],
    ["url file", input.urlFile],
    ["prefix", input.prefix],
    ["object", input.object]
  ].filter(([, value]) => value !== undefined)
  return present.length === 0 ? "-" : present.map(([kind, value]) => `${kind} ${displayText(value!)}`).join(", ")
}

/**
 * Formats one job as `label: value` lines, for `create`, `describe` and `wait`.
 *
 * @internal
 */
export const jobDetailLines = (job: BatchJob.BatchJob): ReadonlyArray<string> => {
  const fields: ReadonlyArray<readonly [string, string]> = [
    ["job id", displayText(job.jobId)],
    ["name", optionalText(job.name)],
    ["type", optionalText(job.type)],
    ["state", displayText(job.state)],
    ["code", optionalText(job.code)],
    ["message", optionalText(job.message)],
    ["created", formatTableTime(job.creationTime)],
    ["started", formatTableTime(job.startTime)],
    ["ended", formatTableTime(job.endTime)],
    ["progress", formatProgress(job.progress)],
    ["tag", optionalText(job.tag)],
    ["queue id", optionalText(job.queueId)],
    ["input", formatInput(job.input)],
    ["user data", optionalText(job.userData)],
    ["request id", optionalText(job.requestId)]
  ]
  return fields.map(([label, value]) => `${`${label}:`.padEnd(15)}${value}`)
}

const jsonTime = (date: Date | undefined) => date === undefined ? null : date.toISOString()

/**
 * Converts a job for JSON output: every field of `BatchJob` in its order, `null` for a value CI
 * did not send, and times as ISO 8601 UTC strings.
 *
 * @internal
 */
export const jobJson = (job: BatchJob.BatchJob) => ({
  jobId: job.jobId,
  name: job.name ?? null,
  type: job.type ?? null,
  state: job.state,
  code: job.code ?? null,
  message: job.message ?? null,
  creationTime: jsonTime(job.creationTime),
  startTime: jsonTime(job.startTime),
  endTime: jsonTime(job.endTime),
  progress: job.progress ?? null,
  queueId: job.queueId ?? null,
  tag: job.tag ?? null,
  input: {
    manifest: job.input.manifest ?? null,
    urlFile: job.input.urlFile ?? null,
    prefix: job.input.prefix ?? null,
    object: job.input.object ?? null
  },
  userData: job.userData ?? null,
  requestId: job.requestId ?? null
})
