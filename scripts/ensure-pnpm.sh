# Sourced by setup.sh and test.sh: makes pnpm 10.34.9 available. pnpm 11 does not run on Node 20 and
# corepack cannot download this version here, so it is installed from the npm registry.
required_pnpm=10.34.9

if [ "$(pnpm --version 2>/dev/null)" != "$required_pnpm" ]; then
  echo "Installing pnpm $required_pnpm with npm..." >&2
  npm install --global --no-fund --no-audit "pnpm@$required_pnpm" >&2
fi
