#!/usr/bin/env bash
# The main job: builds cpddi (release, no tests) and runs `cpddi demo`, simulated protected
# playback with session-key refreshes. Extra arguments go to the demo (see `cpddi demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/tools/cpddi/cpddi demo "$@"
