#!/usr/bin/env bash
# The one test command (README, .ci/run): Solidity tests with forge, then every
# TypeScript test with mocha (unit, property, differential, end-to-end on anvil).
# Long runs (full differential vector set, extended fuzzing) are behind
# VERDICT_FULL=1; CI sets it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

echo "== forge build"
forge build --sizes >/dev/null
echo "== contract sizes (4 KB headroom each)"
tsx tools/check-sizes.ts
echo "== forge test"
forge test
echo "== typecheck"
tsc -p tsconfig.json --noEmit
echo "== mocha"
mocha
