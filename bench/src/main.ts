/**
 * `pnpm bench`: effect-cos against cos-nodejs-sdk-v5 on this machine, in one run. Prints the
 * machine, the versions, one table with every measurement, and which targets were met.
 *
 * `pnpm bench --quick` runs every section for a moment only, to check that the script still works.
 *
 * `pnpm bench --profile <client id> [--concurrency N] [--seconds S]` runs one round-trip client
 * under `node --cpu-prof` and prints its CPU time by package and by source file.
 */
import { buildAll, workerFile } from "./build.js"
import { clientKind } from "./clientKinds.js"
import { describeMachine, describeVersions } from "./machine.js"
import { startWorker } from "./processes.js"
import { type ProfileOptions, runProfile } from "./profile.js"
import { renderTable, renderTargets, type Row, type Target } from "./report.js"
import { runBundleSize } from "./sections/bundleSize.js"
import { runColdStart } from "./sections/coldStart.js"
import { runMemory } from "./sections/memory.js"
import { runRoundTrip } from "./sections/roundTrip.js"
import { runSigning } from "./sections/signing.js"
import { fullSettings, quickSettings, type Settings } from "./settings.js"

const usage = "usage: pnpm bench [--quick] | pnpm bench --profile <client id> [--concurrency N] [--seconds S]"

type Mode =
  | { readonly _tag: "Compare"; readonly settings: Settings }
  | { readonly _tag: "Profile"; readonly options: ProfileOptions }

const positiveInteger = (flag: string, value: string | undefined, max: number): number => {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw new Error(`invalid ${flag} "${value ?? ""}": expected an integer from 1 to ${max}; ${usage}`)
  }
  return parsed
}

const parseArguments = (args: ReadonlyArray<string>): Mode => {
  const flags = new Map<string, string | undefined>()
  const rest = args.filter((arg) => arg !== "--")
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]
    if (flag === "--quick") {
      flags.set(flag, undefined)
    } else if (flag === "--profile" || flag === "--concurrency" || flag === "--seconds") {
      flags.set(flag, rest[i + 1])
      i++
    } else {
      throw new Error(`unknown argument ${flag}; ${usage}`)
    }
  }

  if (!flags.has("--profile")) {
    if (flags.has("--concurrency") || flags.has("--seconds")) {
      throw new Error(`--concurrency and --seconds apply only to --profile; ${usage}`)
    }
    return { _tag: "Compare", settings: flags.has("--quick") ? quickSettings : fullSettings }
  }
  if (flags.has("--quick")) {
    throw new Error(`--quick and --profile cannot be combined; ${usage}`)
  }
  return {
    _tag: "Profile",
    options: {
      kind: clientKind(flags.get("--profile") ?? ""),
      concurrency: flags.has("--concurrency") ? positiveInteger("--concurrency", flags.get("--concurrency"), 1024) : 64,
      seconds: flags.has("--seconds") ? positiveInteger("--seconds", flags.get("--seconds"), 300) : 10
    }
  }
}

const progress = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`)

const targetsOf = (rows: ReadonlyArray<Row>): Array<Target> => {
  const targets: Array<Target> = []
  const find = (section: string, measurement: string, role: string, implementation?: string) =>
    rows.find((row) =>
      row.section === section && row.measurement === measurement && row.role === role &&
      (implementation === undefined || row.implementation === implementation)
    )

  const signing = find("1 signing", "cancel: signatures/s", "ours")
  targets.push({
    description: "signing a cancel at least 3x as fast as the official SDK",
    ratio: signing?.versusOfficial,
    met: (signing?.versusOfficial ?? 0) >= 3
  })
  targets.push({
    description: "signing a cancel within 1.5x of the node:crypto floor (at least 0.67x its rate)",
    ratio: signing?.versusFloor,
    met: (signing?.versusFloor ?? 0) >= 1 / 1.5
  })

  const ours = rows.filter((row) => row.section === "2 cancel round trip" && row.role === "ours")
  for (const row of ours.filter((row) => row.measurement.endsWith("requests/s"))) {
    targets.push({
      description: `${row.implementation}, ${row.measurement}: at least 3x the official SDK`,
      ratio: row.versusOfficial,
      met: (row.versusOfficial ?? 0) >= 3
    })
  }
  for (const row of ours.filter((row) => row.measurement.endsWith("CPU time per request"))) {
    targets.push({
      description: `${row.implementation}, ${row.measurement}: within 1.5x of the node:http floor`,
      ratio: row.versusFloor,
      met: (row.versusFloor ?? Number.POSITIVE_INFINITY) <= 1.5
    })
  }
  return targets
}

const profile = async (options: ProfileOptions) => {
  progress("building the bundles")
  await buildAll()

  const server = startWorker(workerFile("server"), [])
  try {
    const port = Number(await server.nextLine(30_000))
    progress(`profiling ${options.kind.label} for ${options.seconds} s`)
    console.log(`machine: ${describeMachine()}`)
    console.log(`versions: ${describeVersions()}`)
    console.log(await runProfile(options, port))
  } finally {
    await server.close()
  }
}

const compare = async (settings: Settings) => {
  const started = performance.now()
  // Before any benchmark runs, so that the load average is other work's, not ours.
  const machine = describeMachine()
  progress("building the bundles")
  await buildAll()

  const server = startWorker(workerFile("server"), [])
  const port = Number(await server.nextLine(30_000))
  const rows: Array<Row> = []
  try {
    progress("1 signing")
    rows.push(...await runSigning(settings))
    progress("2 cancel round trip")
    rows.push(...await runRoundTrip(settings, port))
    progress("3 cold start")
    rows.push(...await runColdStart(settings, port))
    progress("4 bundle size")
    rows.push(...runBundleSize())
    progress("5 memory")
    rows.push(...await runMemory(settings, port))
  } finally {
    await server.close()
  }

  const minutes = ((performance.now() - started) / 60_000).toFixed(1)
  console.log(`date: ${new Date().toISOString().slice(0, 10)}`)
  console.log(`machine: ${machine}`)
  console.log(`versions: ${describeVersions()}`)
  console.log(`mode: ${settings.quick ? "--quick (too short to compare anything)" : "full"}, ${minutes} minutes`)
  console.log("")
  console.log(renderTable(rows))
  console.log("")
  console.log("ratios: median over rounds of this row's value divided by the other's value in the same round")
  console.log(renderTargets(targetsOf(rows)))
}

const main = async () => {
  const mode = parseArguments(process.argv.slice(2))
  await (mode._tag === "Profile" ? profile(mode.options) : compare(mode.settings))
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
