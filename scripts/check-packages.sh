#!/usr/bin/env bash
# Builds every package, packs it as `pnpm publish` would, installs the tarballs into a scratch
# project outside the workspace, and checks there that each public module loads with both `import`
# and `require`, that a program built from the installed packages cancels a job on the installed
# emulator, and that the installed `cos-ci` runs. Reaches only the npm registry and 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

. scripts/ensure-pnpm.sh
pnpm build >/dev/null

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/packs" "$scratch/app"

packages="signer http ci-jobs emulator cli"
for name in $packages; do
  (cd "packages/$name" && pnpm pack --pack-destination "$scratch/packs" >/dev/null)
done

# The peers at the versions the workspace tests against.
effect_version=$(node -p 'require("./node_modules/effect/package.json").version')
platform_version=$(node -p 'require("./packages/http/node_modules/@effect/platform/package.json").version')

cd "$scratch/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error \
  "$scratch"/packs/*.tgz "effect@$effect_version" "@effect/platform@$platform_version" >/dev/null

# Every public module of every package, by the names its exports map gives it.
node --input-type=module - "$packages" <<'EOF'
import { createRequire } from "node:module"
import { readFileSync } from "node:fs"

const require = createRequire(`${process.cwd()}/`)
let checked = 0
for (const name of process.argv[2].split(" ")) {
  const manifest = JSON.parse(readFileSync(`node_modules/@effect-cos/${name}/package.json`, "utf8"))
  for (const entry of Object.keys(manifest.exports)) {
    // The runnable entry points start a program when loaded, so they are checked below instead.
    if (entry === "./package.json" || entry === "./bin") continue
    const specifier = `@effect-cos/${name}${entry.slice(1)}`
    const imported = await import(specifier)
    const required = require(specifier)
    if (Object.keys(imported).length === 0 || Object.keys(required).length === 0) {
      throw new Error(`${specifier} has no exports`)
    }
    checked++
  }
}
console.log(`import and require: ${checked} modules load`)
EOF

# The same program, as an ES module and as CommonJS: cancel a seeded job on the installed emulator.
program='
  const { FetchHttpClient } = platform
  const program = Effect.gen(function*() {
    const emulator = yield* Emulator.make()
    const job = yield* emulator.seedJob({ state: "Running" })
    const credential = emulator.credentials[0]
    const client = CiClient.layer({
      bucket: "examplebucket-1250000000",
      region: "ap-guangzhou",
      endpoint: emulator.url,
      credentials: { secretId: credential.secretId, secretKey: credential.secretKey }
    }).pipe(Layer.provide(FetchHttpClient.layer))
    yield* BatchJobs.cancel(job.jobId).pipe(Effect.provide(client))
    const stored = yield* emulator.getJob(job.jobId)
    if (stored._tag !== "Some" || stored.value.state !== "Cancel") throw new Error("the job was not cancelled")
  }).pipe(Effect.scoped)
'
cat > program.mjs <<EOF
import * as platform from "@effect/platform"
import { BatchJobs } from "@effect-cos/ci-jobs"
import { Emulator } from "@effect-cos/emulator"
import { CiClient } from "@effect-cos/http"
import { Effect, Layer } from "effect"
$program
await Effect.runPromise(program)
console.log("ES module: cancelled a job on the emulator")
EOF
cat > program.cjs <<EOF
const platform = require("@effect/platform")
const { BatchJobs } = require("@effect-cos/ci-jobs")
const { Emulator } = require("@effect-cos/emulator")
const { CiClient } = require("@effect-cos/http")
const { Effect, Layer } = require("effect")
$program
Effect.runPromise(program).then(() => console.log("CommonJS: cancelled a job on the emulator"))
EOF
node program.mjs
node program.cjs

version=$(npx --no-install cos-ci --version)
expected=$(node -p "require('$root/packages/cli/package.json').version")
if [ "$version" != "$expected" ]; then
  echo "installed cos-ci printed version '$version', expected '$expected'" >&2
  exit 1
fi
echo "cos-ci $version runs from the installed package"
