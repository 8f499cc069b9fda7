#!/usr/bin/env bash
# The README's test command. Builds cpddi and runs everything, in this order:
#   1. a bounded libFuzzer run of every fuzz target under ASan+UBSan (scripts/fuzz-smoke.sh);
#   2. the suite under ASan+UBSan+LeakSanitizer, then under TSan (scripts/sanitizers.sh);
#   3. the README's first command, the main job: the `release` preset built as a user builds it
#      (plus -Werror, so a new warning fails here rather than on a user's machine) and a short
#      demo through scripts/demo.sh itself, which must end with "mismatches 0";
#   4. the `release` configuration once more with clang (preset `release-clang`, -Werror);
#   5. the whole suite in the default build — last, so that CTest's summary line
#      ("100% tests passed, 0 tests failed out of N") closes the output.
# Afterwards it checks that the tests left nothing behind in /tmp.
# Set CPDDI_QUICK=1 to run only steps 3 and 5.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp_root=${TMPDIR:-/tmp}
tmp_before=$(mktemp)
ls -A "$tmp_root" | sort >"$tmp_before"
trap 'rm -f "$tmp_before"' EXIT

phase() {
  local label=$1
  shift
  local start=$SECONDS
  echo
  echo "== test.sh: $label"
  "$@"
  echo "== test.sh: $label took $((SECONDS - start)) s"
}

main_job() {
  # scripts/demo.sh configures the same preset again and keeps the cache, -Werror included.
  cmake --preset release -DCPDDI_WERROR=ON >/dev/null
  scripts/demo.sh --frames 24 | tee build/release/demo.log
  grep -q ' mismatches 0 ' build/release/demo.log
}

clang_release() {
  cmake --preset release-clang -DCPDDI_WERROR=ON >/dev/null
  cmake --build --preset release-clang
}

default_suite() {
  # The ABI test compares our headers with Wine's: fetch just the libwine-dev package's headers.
  scripts/fetch-wine-headers.sh build/default/wine-headers
  cmake --preset default
  cmake --build --preset default
  ctest --preset default | tee build/default/ctest.log
}

scripts/install-deps.sh
if [ "${CPDDI_QUICK:-0}" != 1 ]; then
  phase "fuzz smoke" scripts/fuzz-smoke.sh "${CPDDI_FUZZ_SECONDS:-15}"
  phase "sanitizers" scripts/sanitizers.sh all
fi
phase "main job (release preset + scripts/demo.sh --frames 24)" main_job
if [ "${CPDDI_QUICK:-0}" != 1 ]; then
  phase "release build with clang" clang_release
fi
phase "default build and the whole suite" default_suite

# Tests leave nothing behind: no new entry in the temporary directory names cpddi.
left=$(ls -A "$tmp_root" | sort | comm -13 "$tmp_before" - | grep -i cpddi || true)
if [ -n "$left" ]; then
  echo "test.sh: the run left these behind in $tmp_root:" >&2
  printf '  %s\n' $left >&2
  exit 1
fi
echo "test.sh: nothing left behind in $tmp_root"
grep -E '^[0-9]+% tests passed' build/default/ctest.log | tail -n 1
