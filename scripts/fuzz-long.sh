#!/usr/bin/env bash
# The long run of the stateful DDI fuzzer (docs/fuzzing.md; not part of CI, whose short run is
# scripts/fuzz-smoke.sh). Four steps:
#  1. builds ddi_sequence_fuzzer (the `fuzz` preset: clang, ASan + UBSan);
#  2. fuzzes a scratch copy of tests/fuzz/ddi_sequence_fuzzer_corpus with one process until the
#     DDI calls it made (counted at the driver's ABI, tests/fuzz/ddi_call_counter.h) reach the
#     target, or the time limit passes. It runs in rounds of at most --round seconds: the count
#     is read at the end of each round (a libFuzzer target cannot end the run itself), and each
#     round goes on from the corpus the last one grew;
#  3. merges the scratch corpus back into tests/fuzz/ddi_sequence_fuzzer_corpus with -merge=1, so
#     the kept corpus grows only by inputs that reach new code (edges);
#  4. builds ddi_sequence_fuzzer_replay with source-based coverage (the `coverage` preset),
#     replays the kept corpus and prints line and region coverage of src/, per component and in
#     total (llvm-cov-14).
# Everything it writes goes under build/fuzz/fuzz-long/ and build/coverage/ (TMPDIR included);
# crash inputs are kept under build/fuzz/fuzz-artifacts/. Exits non-zero on any finding.
# Usage: scripts/fuzz-long.sh [--calls N] [--max-time SECONDS] [--round SECONDS] [--no-merge]
#        (defaults: 10000000 calls, 5400 s, rounds of 600 s)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

target_calls=10000000
max_time=5400
round=600
merge=1
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) target_calls=$2; shift 2 ;;
    --max-time) max_time=$2; shift 2 ;;
    --round) round=$2; shift 2 ;;
    --no-merge) merge=0; shift ;;
    *) echo "usage: $0 [--calls N] [--max-time SECONDS] [--round SECONDS] [--no-merge]" >&2
       exit 2 ;;
  esac
done
for n in "$target_calls" "$max_time" "$round"; do
  if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "$0: expected a positive integer, got '$n'" >&2
    exit 2
  fi
done

fuzzer_name=ddi_sequence_fuzzer
corpus="$root/tests/fuzz/${fuzzer_name}_corpus"
build="$root/build/fuzz"
work="$build/fuzz-long"
artifacts="$build/fuzz-artifacts"

# Files and bytes of a corpus directory: "N files, M bytes".
corpus_size() {
  local files bytes
  files=$(find "$1" -maxdepth 1 -type f | wc -l)
  bytes=$(find "$1" -maxdepth 1 -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  echo "$files files, $bytes bytes"
}

# ---- 1. build ----
cmake --preset fuzz >/dev/null
cmake --build "$build" --target "$fuzzer_name"
fuzzer="$build/tests/fuzz/$fuzzer_name"

rm -rf "$work"
mkdir -p "$work/corpus" "$work/tmp" "$work/logs" "$artifacts"
export TMPDIR="$work/tmp"  # libFuzzer's merge control files and any temporary file
cleanup() { rm -rf "$work/corpus" "$work/tmp"; }
trap cleanup EXIT
cp "$corpus/"* "$work/corpus/"
corpus_before=$(corpus_size "$corpus")

# ---- 2. fuzz in rounds until the target number of calls ----
stats="$work/calls.txt"  # every round appends its per-entry counts (ddi_call_counter.h)
: >"$stats"
total_calls() { awk '$1 == "ddi_calls_total" {s += $2} END {print s + 0}' "$stats"; }
start=$(date +%s)
calls=0
executions=0
rounds=0
seconds=$round
while [ "$calls" -lt "$target_calls" ]; do
  elapsed=$(($(date +%s) - start))
  left=$((max_time - elapsed))
  if [ "$left" -le 0 ]; then
    echo "fuzz-long: time limit of ${max_time}s reached at $calls calls" >&2
    break
  fi
  # After the first round, size the next one from the measured rate (plus a little), so the run
  # stops soon after the target instead of up to a whole round later.
  if [ "$calls" -gt 0 ] && [ "$elapsed" -gt 0 ]; then
    seconds=$(( (target_calls - calls) * elapsed / calls + 10 ))
  fi
  seconds=$(( seconds > round ? round : seconds ))
  seconds=$(( seconds > left ? left : seconds ))
  rounds=$((rounds + 1))
  log="$work/logs/round-$rounds.log"
  echo "== round $rounds: ${seconds}s (calls so far: $calls of $target_calls)" >&2
  rc=0
  (cd "$work" && CPDDI_FUZZ_CALL_STATS="$stats" "$fuzzer" -max_total_time="$seconds" \
      -print_final_stats=1 -timeout=25 -rss_limit_mb=4096 \
      -artifact_prefix="$artifacts/$fuzzer_name-" "$work/corpus") >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] || grep -qE '^==[0-9]+==ERROR|runtime error:|invariant violated|deadly signal' "$log"; then
    echo "fuzz-long: FINDING in round $rounds (exit $rc); last lines of $log:" >&2
    tail -n 40 "$log" >&2
    ls "$artifacts/$fuzzer_name-"* 2>/dev/null | sed 's/^/crash input: /' >&2 || true
    exit 1
  fi
  executions=$((executions + $(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' \
                                 "$log" | tail -n 1)))
  calls=$(total_calls)
done
wall=$(($(date +%s) - start))

# ---- 3. merge what adds coverage back into the kept corpus ----
if [ "$merge" -eq 1 ]; then
  echo "== merging into $corpus" >&2
  # By edges only (-use_counters=0): an input joins when it reaches code the kept corpus does
  # not, not merely when it runs an edge a different number of times. On the first 10 M-call run
  # that kept 215 of the 3 729 inputs the rounds added, instead of 1 129 with counters, and the
  # same coverage of src/.
  "$fuzzer" -merge=1 -use_counters=0 -merge_control_file="$work/tmp/merge.txt" -timeout=25 \
      -rss_limit_mb=4096 "$corpus" "$work/corpus" >"$work/logs/merge.log" 2>&1
fi
corpus_after=$(corpus_size "$corpus")

# ---- 4. coverage of src/ replaying the kept corpus ----
coverage="$root/build/coverage"
# (Its configure notes — no Wine headers, no cpddi program — concern tests it does not build.)
cmake --preset coverage >"$work/logs/coverage-configure.log" 2>&1 ||
  { cat "$work/logs/coverage-configure.log" >&2; exit 1; }
cmake --build "$coverage" --target "${fuzzer_name}_replay"
rm -rf "$coverage/profiles"
mkdir -p "$coverage/profiles"
LLVM_PROFILE_FILE="$coverage/profiles/replay-%p.profraw" CPDDI_FUZZ_CALL_STATS=- \
    "$coverage/tests/fuzz/${fuzzer_name}_replay" "$corpus" >"$work/logs/replay.log" 2>&1
llvm-profdata-14 merge -sparse "$coverage/profiles/"*.profraw -o "$coverage/replay.profdata"
llvm-cov-14 export -summary-only -instr-profile="$coverage/replay.profdata" \
    "$coverage/tests/fuzz/${fuzzer_name}_replay" "$root/src" >"$coverage/replay-summary.json"

echo
echo "fuzz-long: $fuzzer_name, one process, ASan + UBSan"
awk -v calls="$calls" -v execs="$executions" -v wall="$wall" -v rounds="$rounds" 'BEGIN {
  printf "DDI calls %d in %d executions, %d rounds, %d s wall (%.0f calls/s, %.0f exec/s)\n",
         calls, execs, rounds, wall, calls / (wall ? wall : 1), execs / (wall ? wall : 1) }'
echo "calls per entry point:"
awk '$1 == "ddi_calls" {n[$2] += $3; if (!($2 in seen)) {seen[$2] = 1; order[++k] = $2}}
     END {for (i = 1; i <= k; i++) printf "  %-34s %12d\n", order[i], n[order[i]]}' "$stats"
echo "corpus before: $corpus_before; after: $corpus_after"
echo "coverage of src/ replaying the kept corpus (llvm-cov-14; lines, regions):"
python3 - "$coverage/replay-summary.json" "$root/src/" <<'EOF'
import json, sys
summary, prefix = json.load(open(sys.argv[1])), sys.argv[2]
rows = {}
for f in summary["data"][0]["files"]:
    name = f["filename"]
    if not name.startswith(prefix):
        continue
    component = name[len(prefix):].split("/")[0]
    if component.endswith((".cpp", ".h")):
        component = "(top)"
    row = rows.setdefault(component, [0, 0, 0, 0])
    s = f["summary"]
    row[0] += s["lines"]["covered"]; row[1] += s["lines"]["count"]
    row[2] += s["regions"]["covered"]; row[3] += s["regions"]["count"]
total = [sum(r[i] for r in rows.values()) for i in range(4)]
pct = lambda a, b: 100.0 * a / b if b else 100.0
for name, r in sorted(rows.items()) + [("TOTAL", total)]:
    print(f"  {name:10} lines {r[0]:6}/{r[1]:<6} {pct(r[0], r[1]):5.1f}%"
          f"   regions {r[2]:6}/{r[3]:<6} {pct(r[2], r[3]):5.1f}%")
EOF
if [ "$calls" -lt "$target_calls" ]; then
  echo "fuzz-long: stopped at the time limit before $target_calls calls"
  exit 3
fi
echo "fuzz-long: no finding (per-file report: llvm-cov-14 report -instr-profile=$coverage/replay.profdata $coverage/tests/fuzz/${fuzzer_name}_replay $root/src)"
