#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang with ASan + UBSan) and runs each one for
# a bounded time on a scratch copy of its seed corpus (the committed corpus is never modified).
# Prints one summary line per target with the number of executions; exits non-zero if any target
# crashes, leaks, times out or violates an invariant. Crash inputs are kept under
# <build>/fuzz-artifacts/. Installs nothing: scripts/install-deps.sh provides clang and
# libclang-rt-14-dev.
# Usage: scripts/fuzz-smoke.sh [seconds-per-target]      (default 20)
#        CPDDI_FUZZ_BUILD_DIR=build/other scripts/fuzz-smoke.sh   (another build directory: one
#        already configured with CPDDI_FUZZ=ON, such as the `asan` preset's, is used as it is and
#        only the fuzz targets are built in it; an empty one is configured with the `fuzz` preset)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds="${1:-20}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds-per-target]" >&2
  exit 2
fi

targets=(key_exchange_fuzzer decryption_blt_fuzzer get_caps_fuzzer
         get_encryption_blt_key_fuzzer start_session_key_refresh_fuzzer ddi_sequence_fuzzer
         channel_payload_fuzzer)

if [ -n "${CPDDI_FUZZ_BUILD_DIR:-}" ]; then
  build="$CPDDI_FUZZ_BUILD_DIR"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake --preset fuzz -B "$build"
  elif ! grep -q '^CPDDI_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
    echo "$build is not configured with CPDDI_FUZZ=ON" >&2
    exit 2
  fi
  cmake --build "$build" --target "${targets[@]}"
else
  build=build/fuzz
  cmake --preset fuzz
  cmake --build --preset fuzz
fi
case "$build" in /*) ;; *) build="$root/$build" ;; esac

artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cpddi-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

for t in "${targets[@]}"; do
  if [ ! -x "$build/tests/fuzz/$t" ]; then
    echo "missing fuzz target: $build/tests/fuzz/$t" >&2
    exit 1
  fi
done

# One target's run; its exit status goes to $scratch/<target>.rc (the function itself always
# succeeds, so a finding never stops the other targets).
run_target() {
  local t=$1 corpus="$scratch/$1" rc=0
  mkdir -p "$corpus"
  cp "tests/fuzz/${t}_corpus/"* "$corpus/"
  (cd "$scratch" && "$build/tests/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 \
      -timeout=25 -rss_limit_mb=4096 -artifact_prefix="$artifacts/$t-" "$corpus") \
      >"$scratch/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$scratch/$t.rc"
}

# As many targets at once as there are cores: each is single-threaded.
parallel=$(nproc 2>/dev/null || echo 1)
for t in "${targets[@]}"; do
  echo "== $t: ${seconds}s" >&2
  run_target "$t" &
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do
    wait -n || true
  done
done
wait

failed=0
summary=()
for t in "${targets[@]}"; do
  log="$scratch/$t.log"
  rc=$(cat "$scratch/$t.rc")
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  if [ "$rc" -ne 0 ] || grep -qE '^==[0-9]+==ERROR|runtime error:|invariant violated|deadly signal' "$log"; then
    failed=1
    result="FAILED (exit $rc)"
    echo "---- last lines of $t's log ----" >&2
    tail -n 40 "$log" >&2
    ls "$artifacts/$t-"* 2>/dev/null | sed 's/^/crash input: /' >&2 || true
  else
    result="ok"
  fi
  summary+=("$(printf '%-34s %-18s executions %-9s (%s/s, coverage %s)' \
    "$t" "$result" "${execs:-0}" "${per_second:-0}" "${coverage:-?}")")
done

echo
echo "fuzz smoke: ${seconds}s per target (ASan + UBSan)"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzz smoke: FAILED (crash inputs under $artifacts)"
  exit 1
fi
echo "fuzz smoke: all targets ran clean"
