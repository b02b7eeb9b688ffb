#!/usr/bin/env bash
# Installs pnpm when it is missing, installs the workspace, type-checks every package and runs every
# test. Tests start their own servers on 127.0.0.1 and reach nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
pnpm check
pnpm lint
pnpm check:docs
# docgen compiles every @example in the API docs and fails on an export without @since.
pnpm --silent docgen >/dev/null
pnpm test
