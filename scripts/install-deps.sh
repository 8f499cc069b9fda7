#!/usr/bin/env bash
# Installs the Debian 12 packages cpddi builds and tests with, when any is missing.
# Usage: scripts/install-deps.sh [extra-package …]
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config libssl-dev libgtest-dev libbenchmark-dev
          nlohmann-json3-dev libcli11-dev clang libclang-rt-14-dev "$@")
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
