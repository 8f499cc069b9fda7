#!/usr/bin/env bash
# The README's test command. Builds cpddi and runs everything, in this order:
#   1. a bounded libFuzzer run of every fuzz target under ASan+UBSan (scripts/fuzz-smoke.sh);
#   2. the suite under ASan+UBSan+LeakSanitizer, and the threads tests under TSan
#      (scripts/sanitizers.sh);
#   3. the whole suite in the default build — last, so CTest's summary line
#      ("100% tests passed, 0 tests failed out of N") closes the output.
# Set CPDDI_QUICK=1 to run only step 3.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
if [ "${CPDDI_QUICK:-0}" != 1 ]; then
  scripts/fuzz-smoke.sh "${CPDDI_FUZZ_SECONDS:-15}"
  scripts/sanitizers.sh all
fi
# The ABI test compares our headers with Wine's: fetch just the libwine-dev package's headers.
scripts/fetch-wine-headers.sh build/default/wine-headers
cmake --preset default
cmake --build --preset default
ctest --preset default
