#!/usr/bin/env bash
# Installs the Debian packages the guest toolchain needs (guest/build.sh),
# qemu-riscv32 (reference runs of the CPU-bound guest) and redis-server (the
# broker of the watchtower worker tests, which start it on 127.0.0.1 only) and
# chromium (the explorer's browser tests drive it headless through playwright-core).
# Idempotent: touches apt only when a package is missing, so CI runs on a
# prepared machine cost nothing.
set -euo pipefail

PACKAGES=(clang lld gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-user redis-server chromium)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-toolchain: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-toolchain: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
