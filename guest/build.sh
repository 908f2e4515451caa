#!/usr/bin/env bash
# Builds the example guests reproducibly, or a program in any directory (see
# guest/README.md; `bash guest/build.sh --help`).
# usage: bash guest/build.sh [--out DIR] [--qemu-harness] [--define K[=V]]... [--cflag F]...
#                            [--name N] [--werror] [name | DIR]...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Paths on the command line are the caller's; node runs from the root, where tsx resolves.
export VERDICT_CALLER_CWD="$PWD"
cd "$root"
exec node --import tsx guest/scripts/build.ts "$@"
