#!/usr/bin/env bash
# Installs pnpm when it is missing, installs the workspace and runs the demo: a batch job cancelled
# on the embedded CI emulator over real HTTP with a real signature.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
pnpm demo
