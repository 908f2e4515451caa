#!/usr/bin/env bash
# The one test command (README, .ci/run): Solidity tests with forge, then every
# TypeScript test with mocha (unit, property, differential, end-to-end on anvil).
# Long runs (full differential vector set, extended fuzzing) are behind
# VERDICT_FULL=1; CI sets it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
# forge through tools/forge.mjs: the npm wrapper exits 0 even when tests fail.
forge() { node tools/forge.mjs "$@"; }

echo "== forge build"
# Not --sizes: it fails on the invariant handler (a test contract over EIP-170); the product
# contracts are checked below, with 4 KB headroom each.
forge build >/dev/null
echo "== contract sizes (4 KB headroom each)"
tsx tools/check-sizes.ts
echo "== forge test"
if [ "${VERDICT_FULL:-}" = "1" ]; then
  # The protocol invariants at the ci profile: 256 runs x depth 128 (the forge-config lines in
  # protocol/test/invariants/Protocol.invariants.t.sol), 4 min on 2 shared cores, against 25 s at
  # the default 64 x 64 (measured 2026-12-03).
  forge test --no-match-path 'protocol/test/invariants/*'
  FOUNDRY_PROFILE=ci forge test --match-path protocol/test/invariants/Protocol.invariants.t.sol
else
  forge test
fi
echo "== typecheck"
tsc -p tsconfig.json --noEmit
echo "== mocha"
mocha
