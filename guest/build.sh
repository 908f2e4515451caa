#!/usr/bin/env bash
# Rebuilds the example guests reproducibly (see guest/README.md).
# usage: bash guest/build.sh [--out DIR] [--qemu-harness] [name...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
exec node --import tsx guest/scripts/build.ts "$@"
