import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import {
  type FaultCase,
  faultCases,
  httpClients,
  type Outcome,
  retries,
  retrySpacingMillis,
  runCase,
  slackMillis,
  timeBoundMillis,
  timeoutMillis
} from "./matrix.js"
import { heapGrowthLimitBytes, type MeasuredSoak } from "./soak.js"

// Renders docs/reliability.md and docs/zh-CN/reliability.md from the fault matrix, and reads their
// table back, so that a test can check that the published table still matches the matrix.

export type Language = "en" | "zh"

const repositoryRoot = Path.resolve(import.meta.dirname, "..", "..", "..", "..")

export const reportPaths: Readonly<Record<Language, string>> = {
  en: Path.join(repositoryRoot, "docs", "reliability.md"),
  zh: Path.join(repositoryRoot, "docs", "zh-CN", "reliability.md")
}

/** Formats an outcome for the published table. */
export const formatOutcome = (outcome: Outcome, language: Language): string => {
  switch (outcome._tag) {
    case "Success":
      return language === "en" ? "success" : "成功"
    case "CiServiceError":
      return `\`CiServiceError\` ${outcome.status} \`${outcome.code}\``
    case "CiHttpError": {
      const separator = language === "en" ? ", " : "，"
      const body = outcome.bodyPreview === "" ?
        (language === "en" ? "empty body" : "空响应体") :
        `\`${outcome.contentType ?? ""}\``
      return `\`CiHttpError\` ${outcome.status}${separator}${body}`
    }
    case "CiTransportError":
      return `\`CiTransportError\` \`${outcome.reason}\``
    case "Other":
      return outcome.error
  }
}

const formatMillis = (millis: number): string => (millis < 1_000 ? `${millis} ms` : `${(millis / 1_000).toFixed(2)} s`)

/** The columns that come from the matrix alone: fault, outcome, attempts and time bound. */
export const publishedColumns = (faultCase: FaultCase, language: Language): ReadonlyArray<string> => [
  language === "en" ? faultCase.fault : faultCase.faultZh,
  formatOutcome(faultCase.expected, language),
  String(faultCase.attempts),
  `< ${formatMillis(timeBoundMillis(faultCase))}`
]

/** Measured milliseconds of one case, by HTTP client name. */
export type Timings = ReadonlyMap<FaultCase, Readonly<Record<string, number>>>

const tableRow = (cells: ReadonlyArray<string>) => `| ${cells.join(" | ")} |`

const renderTable = (language: Language, timings: Timings): ReadonlyArray<string> => {
  const clientNames = httpClients.map((client) => client.name)
  const header = language === "en" ?
    ["fault", "outcome", "attempts", "time bound", ...clientNames.map((name) => `measured, ${name}`)] :
    ["故障", "结果", "请求次数", "时间上限", ...clientNames.map((name) => `实测，${name}`)]
  return [
    tableRow(header),
    tableRow(header.map(() => "---")),
    ...faultCases.map((faultCase) =>
      tableRow([
        ...publishedColumns(faultCase, language),
        ...clientNames.map((name) => formatMillis(timings.get(faultCase)?.[name] ?? Number.NaN))
      ])
    )
  ]
}

/**
 * Reads the first table of a report: one array of cells per row, without the header and the
 * separator line.
 */
export const parseTable = (markdown: string): ReadonlyArray<ReadonlyArray<string>> => {
  const lines = markdown.split("\n")
  const start = lines.findIndex((line) => line.startsWith("|"))
  if (start < 0) {
    return []
  }
  const end = lines.findIndex((line, index) => index > start && !line.startsWith("|"))
  return lines.slice(start + 2, end < 0 ? lines.length : end).map((line) =>
    line.slice(1, -1).split(" | ").map((cell) => cell.trim())
  )
}

export interface Machine {
  readonly date: string
  readonly cpu: string
  readonly cores: number
  readonly system: string
  readonly node: string
  /** The 1, 5 and 15 minute load averages. */
  readonly load: string
}

/** Describes the machine this process runs on, now. */
export const currentMachine = (): Machine => ({
  date: new Date().toISOString().slice(0, 10),
  cpu: Os.cpus()[0]?.model ?? "unknown CPU",
  cores: Os.availableParallelism(),
  system: `${Os.platform()} ${Os.arch()}`,
  node: process.version,
  load: Os.loadavg().map((value) => value.toFixed(2)).join(" ")
})

const describeMachine = (machine: Machine, language: Language): string =>
  language === "en" ?
    `${machine.cpu}, ${machine.cores} cores, ${machine.system}, Node ${machine.node}, load average ${machine.load}` :
    `${machine.cpu}，${machine.cores} 核，${machine.system}，Node ${machine.node}，平均负载 ${machine.load}`

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

const count = (value: number) => value.toLocaleString("en-US")

const soakNumbers = (soak: MeasuredSoak, language: Language): ReadonlyArray<string> => {
  const { after, before, peak, report } = soak
  const seconds = (report.elapsedMillis / 1_000).toFixed(1)
  const rate = Math.round(report.jobs / (report.elapsedMillis / 1_000))
  const faults = report.faults
  if (language === "en") {
    return [
      `| jobs | faults injected | outcomes | requests | time | heap used (before / peak / after GC) | RSS (before / peak / after GC) |`,
      `| --- | --- | --- | --- | --- | --- | --- |`,
      `| ${
        count(report.jobs)
      } | ${faults.SlowDown} \`SlowDown\`, ${faults.Reset} reset, ${faults.Empty503} empty 503 | ` +
      `${count(report.cancelled)} cancelled, ${report.rejected} rejected as finished | ${count(report.requests)} | ` +
      `${seconds} s, ${rate}/s | ` +
      `${mebibytes(before.heapUsed)} / ${mebibytes(peak.heapUsed)} / ${mebibytes(after.heapUsed)} | ` +
      `${mebibytes(before.rss)} / ${mebibytes(peak.rss)} / ${mebibytes(after.rss)} |`
    ]
  }
  return [
    `| 任务数 | 注入的故障 | 结果 | 请求数 | 时间 | 已用堆（之前 / 峰值 / GC 之后） | RSS（之前 / 峰值 / GC 之后） |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    `| ${
      count(report.jobs)
    } | ${faults.SlowDown} 次 \`SlowDown\`、${faults.Reset} 次重置、${faults.Empty503} 次空 503 | ` +
    `${count(report.cancelled)} 个已取消，${report.rejected} 个因已结束被拒绝 | ${count(report.requests)} | ` +
    `${seconds} s，每秒 ${rate} 个 | ` +
    `${mebibytes(before.heapUsed)} / ${mebibytes(peak.heapUsed)} / ${mebibytes(after.heapUsed)} | ` +
    `${mebibytes(before.rss)} / ${mebibytes(peak.rss)} / ${mebibytes(after.rss)} |`
  ]
}

/** Renders the whole report page in one language. */
export const renderReport = (language: Language, timings: Timings, soak: MeasuredSoak, machine: Machine): string => {
  const table = renderTable(language, timings).join("\n")
  const soakTable = soakNumbers(soak, language).join("\n")
  const text = language === "en" ? englishReport : chineseReport
  return text({ table, soakTable, machine, soakConcurrency: soak.report.concurrency })
}

interface ReportParts {
  readonly table: string
  readonly soakTable: string
  readonly machine: Machine
  readonly soakConcurrency: number
}

const growthLimit = mebibytes(heapGrowthLimitBytes)

const englishReport = (parts: ReportParts) =>
  `# Reliability

[中文](zh-CN/reliability.md)

How the client behaves when CI or the network misbehaves, measured against the emulator over real loopback
sockets. \`pnpm reliability\` runs the fault matrix and the soak below and writes this page and its Chinese
version. The tests in \`packages/ci-jobs/test/reliability\` run the same matrix, and \`publishedTable.test.ts\`
fails when the fault, outcome, attempts or time bound column of the table below no longer matches it.

Generated on ${parts.machine.date} by \`pnpm reliability\`, on ${describeMachine(parts.machine, "en")}.

## Fault matrix

Each row cancels one running job with \`BatchJobs.cancel\` on a fresh emulator that injects the fault into every
request. The client's per-attempt timeout is ${timeoutMillis / 1_000} s and its retry schedule is
\`Schedule.spaced("${retrySpacingMillis} millis")\` with ${retries} retries, so it makes at most ${
    retries + 1
  } attempts.

- *attempts*: the requests the emulator received. In the clock rows the second request is the re-send after
  the clock correction, not a retry.
- *time bound*: the maximum the tests allow. It is the per-attempt timeout for each attempt that should time out,
  the retry waits, and ${slackMillis / 1_000} s of slack.
- The last two columns are one run's time, over \`FetchHttpClient\` and over \`NodeHttpClient.layer\` (node:http).
- The tests also check that the job is \`Cancel\` after a success and still \`Running\` after a failure, and that
  every response that arrived whole left its request id in the result.

${parts.table}

Notes:

- 404 and 403 are not retried. A 200 that carries an \`<Error>\` document with \`InternalError\` is retried,
  because CI has been seen to send server failures that way.
- *connection reset after the headers* uses the emulator's \`ResetMidBody\` fault: the status, the headers and
  half the body, then a TCP reset 50 ms later. *no answer at all* uses \`Hang\`, which reads the request and
  sends nothing.
- A server or proxy can quote the headers it received in an error message, the session token among them.
  The emulator replaces the token with \`<redacted>\` in its own \`SignatureDoesNotMatch\` message, so
  \`packages/http/test/echoedSecrets.test.ts\` uses stub replies that quote the token, its encoded form and the
  \`Authorization\` value. The client replaces each of them with \`<redacted>\` in every error it builds from a
  response.

## Other checks

Each of these is a test in \`packages/ci-jobs/test/reliability\`, and runs with \`pnpm test\`.

- **Clock skew with requests in flight** (\`clockSkew.test.ts\`): 8 cancels in flight together against an
  emulator whose clock is an hour ahead, and again an hour behind, with no retries allowed. Every cancel
  succeeds, and the emulator receives exactly two requests per job: the rejected one, signed with the local
  clock, and one re-send signed with the emulator's clock. A later call is signed with the corrected clock at
  once. With the stub \`HttpClient\`: an error without a skew code (empty 503, \`SlowDown\`, \`AccessDenied\`,
  \`InvalidArgument\`) never moves the signing clock, even with a \`Date\` an hour off, and neither does a skew
  error whose \`Date\` is missing, empty or unparseable.
- **Interruption** (\`interruption.test.ts\`): a cancel waiting on a server that never answers is
  interrupted, over fetch and over node:http. The server sees the request's connection close within 2 s,
  no connection is left open after 8 s, and no fiber the call started is still running. The same holds for
  attempts that end by timing out. After an abort, fetch (undici 6.24.1 in Node 20.20.2) opens a spare connection that
  carries no request and closes it after 4 s idle, which is why the second bound is 8 s.
- **Bad input** (\`badInput.test.ts\`): property tests, 300 runs each, over any string as a job id (cancel
  and describe), bucket and region, endpoint, and list filters (\`name\`, \`workflowId\`, \`nextToken\`,
  \`jobId\`). Each either sends one request to the configured host, on the operation's own path and with
  exactly its own query parameters, or fails with \`CiInvalidInput\` naming the field, before anything is sent.
  No run ends in a defect.
- **Secrets** (\`faultMatrix.test.ts\`, \`secrets.test.ts\`, \`cliSecrets.test.ts\`): the client has a
  distinctive SecretKey and session token. Every fault above over both clients, rejected input and failing
  credential providers leave neither secret nor \`q-signature=\` in the error, in log lines captured at
  \`LogLevel.All\`, or in span attributes. The error is checked as its message, \`String\`,
  \`JSON.stringify\`, \`util.inspect\` and \`Cause.pretty\` show it. The HTTP client's spans show
  \`authorization\` and \`x-ci-security-token\` as \`<redacted>\`. \`cos-ci --log-level all\` run as a child
  process against the emulator, with table and JSON output, shows neither on stdout or stderr.

## Soak

\`soak.test.ts\` cancels 400 jobs. \`pnpm soak\` runs the long version, and \`pnpm reliability\` ran it for the
table below: jobs cancelled through \`cancelMany\` at concurrency ${parts.soakConcurrency}, the most it accepts, over
fetch. 5 % of the jobs meet one transient fault on their first request (\`SlowDown\`, a reset connection or an
empty 503, in turn) and 2 % have already finished, so the emulator rejects their cancel. The run checks that
every job has exactly one outcome, reported once and in input order. Each outcome must agree with the
requests the emulator received and the state it stores. After a GC, the heap must end no more than
${growthLimit} above its size before the run.

${parts.soakTable}

The peak includes the emulator's request log and jobs, which live in the same process.
`

const chineseReport = (parts: ReportParts) =>
  `# 可靠性

[English](../reliability.md)

当 CI 或网络出现异常时客户端的行为，通过真实的回环套接字在模拟器上测得。\`pnpm reliability\` 运行下面的故障矩阵和
浸泡测试，并生成本页及其英文版。\`packages/ci-jobs/test/reliability\` 中的测试运行同一个矩阵；当下表的故障、结果、
请求次数或时间上限列与矩阵不再一致时，\`publishedTable.test.ts\` 会失败。

由 \`pnpm reliability\` 于 ${parts.machine.date} 生成，机器：${describeMachine(parts.machine, "zh")}。

## 故障矩阵

每一行在一个新的模拟器上用 \`BatchJobs.cancel\` 取消一个运行中的任务，模拟器对每个请求注入该故障。客户端的单次超时为
${
    timeoutMillis / 1_000
  } 秒，重试策略为 \`Schedule.spaced("${retrySpacingMillis} millis")\` 加 ${retries} 次重试，因此最多发送 ${
    retries + 1
  } 次。

- *请求次数*：模拟器收到的请求数。时钟相关的两行中，第二个请求是校正时钟后的重发，不是重试。
- *时间上限*：测试允许的最长时间，即每次应当超时的尝试各计一次单次超时，加上重试等待和 ${slackMillis / 1_000} 秒余量。
- 最后两列是一次运行的实测时间，分别使用 \`FetchHttpClient\` 和 \`NodeHttpClient.layer\`（node:http）。
- 测试还会检查：成功后任务处于 \`Cancel\` 状态，失败后仍为 \`Running\`；每个完整到达的响应都在结果中留下了请求 ID。

${parts.table}

说明：

- 404 和 403 不重试。携带 \`InternalError\` 的 \`<Error>\` 文档的 200 响应会重试，因为 CI 曾以这种方式返回服务端故障。
- *响应头之后、响应体中途连接被重置* 使用模拟器的 \`ResetMidBody\` 故障：先发送状态码、响应头和一半响应体，50 毫秒后
  发送 TCP 重置。*完全没有应答* 使用 \`Hang\`，它读取请求后什么也不发送。
- 服务器或代理可能在错误消息中引用它收到的请求头，其中包括会话令牌。模拟器在它自己的 \`SignatureDoesNotMatch\`
  消息中把令牌替换为 \`<redacted>\`，所以 \`packages/http/test/echoedSecrets.test.ts\` 使用引用了令牌、令牌的编码形式和
  \`Authorization\` 值的桩响应。客户端根据响应构造的每个错误中，这些内容都会被替换为 \`<redacted>\`。

## 其他检查

以下每一项都是 \`packages/ci-jobs/test/reliability\` 中的测试，随 \`pnpm test\` 运行。

- **并发请求下的时钟偏差**（\`clockSkew.test.ts\`）：在不允许重试的情况下，8 个取消请求同时发往时钟快一小时的模拟器，
  再对慢一小时的模拟器做一次。每个取消都成功，模拟器对每个任务恰好收到两个请求：一个按本地时钟签名、被拒绝的请求，
  以及一个按模拟器时钟签名的重发。之后的调用直接使用校正后的时钟签名。使用桩 \`HttpClient\` 的测试表明：不带时钟偏差
  错误码的错误（空 503、\`SlowDown\`、\`AccessDenied\`、\`InvalidArgument\`）即使 \`Date\` 相差一小时也不会改变签名时钟；
  \`Date\` 缺失、为空或无法解析的时钟偏差错误也不会。
- **中断**（\`interruption.test.ts\`）：分别通过 fetch 和 node:http，中断一个正在等待永不应答的服务器的取消请求。服务器在
  2 秒内看到该请求的连接关闭，8 秒后没有任何连接仍然打开，调用启动的纤程也都已结束。因超时而结束的尝试同样如此。
  fetch（Node 20.20.2 中的 undici 6.24.1）在中止后会打开一个不承载请求的备用连接，并在空闲 4 秒后关闭它，所以第二个上限是 8 秒。
- **错误输入**（\`badInput.test.ts\`）：属性测试，每项运行 300 次，输入为任意字符串形式的任务 ID（cancel 和 describe）、
  存储桶和地域、endpoint，以及 list 的过滤条件（\`name\`、\`workflowId\`、\`nextToken\`、\`jobId\`）。每次要么向配置的主机
  发送一个请求，路径是该操作自己的路径，查询参数恰好是它自己的参数；要么在发送任何内容之前以指明字段的
  \`CiInvalidInput\` 失败。没有任何一次以缺陷（defect）结束。
- **密钥**（\`faultMatrix.test.ts\`、\`secrets.test.ts\`、\`cliSecrets.test.ts\`）：客户端使用容易辨认的 SecretKey 和会话令牌。
  上面的每种故障（两种客户端）、被拒绝的输入以及失败的凭证提供者，都不会让任何一个密钥或 \`q-signature=\` 出现在错误中，
  也不会出现在以 \`LogLevel.All\` 捕获的日志或 span 属性中。错误按其消息、\`String\`、\`JSON.stringify\`、\`util.inspect\`
  和 \`Cause.pretty\` 的输出逐一检查。
  HTTP 客户端自己的 span 中，\`authorization\` 和 \`x-ci-security-token\` 显示为 \`<redacted>\`。以子进程方式对模拟器运行
  \`cos-ci --log-level all\`，无论表格还是 JSON 输出，stdout 和 stderr 中都不会出现它们。

## 浸泡测试

\`soak.test.ts\` 取消 400 个任务。\`pnpm soak\` 运行长版本，下表由 \`pnpm reliability\` 运行得到：通过 \`cancelMany\` 以并发度
${parts.soakConcurrency}（它接受的最大值）经 fetch 取消任务。5% 的任务在第一个请求上遇到一次临时故障（依次为 \`SlowDown\`、连接重置或
空 503），2% 的任务已经结束，因此模拟器会拒绝取消它们。运行会检查：每个任务恰好有一个结果，只报告一次且按输入顺序；
每个结果都与模拟器收到的请求及其保存的状态一致；GC 之后堆比运行前最多大 ${growthLimit}。

${parts.soakTable}

峰值中包括同一进程内模拟器的请求日志和任务。
`

/** Runs every case over every client, one at a time, and returns the timings and every mismatch. */
export const runMatrix = Effect.gen(function*() {
  const timings = new Map<FaultCase, Record<string, number>>()
  const mismatches: Array<string> = []
  for (const faultCase of faultCases) {
    const measured: Record<string, number> = {}
    for (const client of httpClients) {
      const run = yield* runCase(faultCase, client.layer)
      measured[client.name] = run.elapsedMillis
      const where = `${faultCase.fault} over ${client.name}`
      if (JSON.stringify(run.outcome) !== JSON.stringify(faultCase.expected)) {
        mismatches.push(
          `${where}: outcome ${JSON.stringify(run.outcome)}, expected ${JSON.stringify(faultCase.expected)}`
        )
      }
      if (run.requests.length !== faultCase.attempts) {
        mismatches.push(`${where}: ${run.requests.length} requests, expected ${faultCase.attempts}`)
      }
      if (run.elapsedMillis >= timeBoundMillis(faultCase)) {
        mismatches.push(`${where}: took ${run.elapsedMillis} ms, bound ${timeBoundMillis(faultCase)} ms`)
      }
    }
    timings.set(faultCase, measured)
  }
  return { timings: timings as Timings, mismatches }
})

/** Writes both reports. */
export const writeReports = (timings: Timings, soak: MeasuredSoak, machine: Machine): void => {
  for (const language of ["en", "zh"] as const) {
    Fs.writeFileSync(reportPaths[language], renderReport(language, timings, soak, machine))
  }
}
