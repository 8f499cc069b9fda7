#!/usr/bin/env bash
# sanitizers.sh [asan|tsan|all] — builds and runs the test suite under the sanitizers
# (CMakePresets.json presets `asan` and `tsan`; default: all).
#
#   asan  ASan + UBSan (-fno-sanitize-recover=all) with LeakSanitizer, built with clang (which
#         also builds the libFuzzer targets there, for scripts/fuzz-smoke.sh), over the whole suite
#         except two labels that add nothing under a sanitizer:
#           install  builds the examples against the installed tree with a plain compiler, so
#                    an uninstrumented executable loads the instrumented libcpddi.so, which ASan
#                    refuses ("runtime does not come first"); the library code it would exercise
#                    is already run under ASan by the conformance and unit tests;
#           abi      struct sizes/offsets, GUID/HRESULT values and headers compiling alone are
#                    compile-time facts, identical in every build; the default run checks them.
#   tsan  ThreadSanitizer, built with GCC, over the suite but install, abi and faulty: a race
#         needs threads, and the suite starts them in the threads tests and through every code
#         path those tests share with the rest, so no threaded path of cpddi's hides in a label
#         left out. The faulty label is left out (and its modules not built: tests/CMakeLists.txt)
#         because each faulty module is cpddi's own driver with one rule broken in a wrapper,
#         judged by `cpddi conform`: what those runs prove — that conform names each fault — does
#         not depend on thread timing, and every threaded path they take is cpddi's, which the
#         conformance label runs under TSan already (conform --driver on cpddi's own module
#         included). In one measured TSan run they took 502 of its 910 test-seconds.
#
# OpenSSL and GoogleTest are the system's, uninstrumented: their own memory and threads are not
# checked, only cpddi's use of them. Each phase prints its wall time. Exit status: 0 when every
# phase passed, 1 when one failed, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: $0 [asan|tsan|all]" >&2; exit 2; }
[ "$#" -le 1 ] || usage
mode=${1:-all}
case "$mode" in asan|tsan|all) ;; *) usage ;; esac

# Fail at the first report, with a stack; keep leak checking on (the default on x86-64 Linux).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

# The abi tests' Wine headers must exist before a build dir with tests is configured.
wine_headers() {
  local dest="build/$1/wine-headers"
  if [ -d build/default/wine-headers/usr ] && [ ! -d "$dest/usr" ]; then
    mkdir -p "$dest" && cp -R build/default/wine-headers/usr "$dest/"
  fi
  scripts/fetch-wine-headers.sh "$dest"
}

timed() {
  local label=$1
  shift
  local start=$SECONDS
  "$@"
  echo "sanitizers: $label took $((SECONDS - start)) s"
}

run_asan() {
  wine_headers asan
  timed "asan configure" cmake --preset asan
  timed "asan build" cmake --build --preset asan
  timed "asan tests" ctest --preset asan --label-exclude '^(install|abi)$'
}

run_tsan() {
  wine_headers tsan
  timed "tsan configure" cmake --preset tsan
  timed "tsan build" cmake --build --preset tsan
  timed "tsan tests" ctest --preset tsan --label-exclude '^(install|abi|faulty)$'
}

start=$SECONDS
case "$mode" in
  asan) run_asan ;;
  tsan) run_tsan ;;
  all) run_asan; run_tsan ;;
esac
echo "sanitizers: $mode finished in $((SECONDS - start)) s"
