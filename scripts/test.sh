#!/usr/bin/env bash
# Builds cpddi with its tests and runs the whole suite under CTest (the line
# "100% tests passed, 0 tests failed out of N" is CTest's summary).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# The ABI test compares our headers with Wine's: fetch just the libwine-dev package's headers.
scripts/fetch-wine-headers.sh build/default/wine-headers
cmake --preset default
cmake --build --preset default
ctest --preset default
