#!/usr/bin/env bash
# The README's test command. Builds cpddi and runs everything, in this order:
#   1. the suite under ASan+UBSan+LeakSanitizer, built with clang (scripts/sanitizers.sh asan),
#      then from the same build a bounded libFuzzer run of every fuzz target
#      (scripts/fuzz-smoke.sh);
#   2. the suite under TSan, built with GCC (scripts/sanitizers.sh tsan);
#   3. the README's first command, the main job: the `release` preset built as a user builds it
#      (plus -Werror, so a new warning fails here rather than on a user's machine) and a short
#      demo through scripts/demo.sh itself, which must end with "mismatches 0";
#   4. the whole suite in that same release build (GCC -O3, -Werror): the tests are added to it,
#      so they run against the very objects the main job built — last, so that CTest's summary
#      line ("100% tests passed, 0 tests failed out of N") closes the output.
# Both compilers see every source file with -Werror: clang in step 1, GCC in steps 2–4 (GCC's
# optimisation-dependent warnings at -O3 in step 3). Clang's diagnostics do not depend on the
# optimisation level, so no separate clang release build is made.
# Afterwards it checks that the tests left nothing behind in /tmp.
# Set CPDDI_QUICK=1 to run only steps 3 and 4.
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

release_suite() {
  # The ABI test compares our headers with Wine's: fetch just the libwine-dev package's headers.
  scripts/fetch-wine-headers.sh build/release/wine-headers
  cmake --preset release -DCPDDI_WERROR=ON -DCPDDI_BUILD_TESTS=ON -DCPDDI_REQUIRE_WINE_HEADERS=ON
  cmake --build --preset release
  ctest --preset release | tee build/release/ctest.log
}

scripts/install-deps.sh
if [ "${CPDDI_QUICK:-0}" != 1 ]; then
  phase "ASan + UBSan suite (clang)" scripts/sanitizers.sh asan
  phase "fuzz smoke (the ASan build's libFuzzer targets)" \
    env CPDDI_FUZZ_BUILD_DIR=build/asan scripts/fuzz-smoke.sh "${CPDDI_FUZZ_SECONDS:-15}"
  phase "TSan suite" scripts/sanitizers.sh tsan
fi
phase "main job (release preset + scripts/demo.sh --frames 24)" main_job
phase "the whole suite in the release build" release_suite

# Tests leave nothing behind: no new entry in the temporary directory names cpddi.
left=$(ls -A "$tmp_root" | sort | comm -13 "$tmp_before" - | grep -i cpddi || true)
if [ -n "$left" ]; then
  echo "test.sh: the run left these behind in $tmp_root:" >&2
  printf '  %s\n' $left >&2
  exit 1
fi
echo "test.sh: nothing left behind in $tmp_root"
grep -E '^[0-9]+% tests passed' build/release/ctest.log | tail -n 1
