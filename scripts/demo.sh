#!/usr/bin/env bash
# The main job: builds cpddi (release, no tests) and runs `cpddi demo`, simulated protected
# playback with session-key refreshes. Extra arguments go to the demo (see `cpddi demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

# The build talks on stderr: stdout is the demo's own (only JSON with --json).
scripts/install-deps.sh >&2
cmake --preset release >/dev/null
cmake --build --preset release >&2
exec build/release/tools/cpddi/cpddi demo "$@"
