#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan + UBSan) into build-fuzz/ and runs each one after
# another on its seed corpus (fuzz/corpus/TARGET, copied to build-fuzz/corpus/TARGET so the
# tree's seeds do not grow) with its dictionary. A crash or a violated invariant stops the script
# with the failing input saved as build-fuzz/crash-*.
#   scripts/fuzz.sh [MINUTES]          each target MINUTES minutes (default 1)
#   scripts/fuzz.sh --seconds S        each target S seconds (CI runs 30)
#   scripts/fuzz.sh ... TARGET...      only these targets (fuzz_compiler, fuzz_jsonl, …)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60
if [ "${1:-}" = "--seconds" ]; then seconds=$2; shift 2
elif [ -n "${1:-}" ] && [[ "$1" =~ ^[0-9]+$ ]]; then seconds=$(( $1 * 60 )); shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_compiler fuzz_jsonl fuzz_csv fuzz_history fuzz_ledger_import fuzz_compiled fuzz_xlsx)
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOL_FUZZ=ON >/dev/null
fi
cmake --build build-fuzz -j2 --target "${targets[@]}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${targets[@]}"; do
  dict=fuzz/json.dict
  [ "$t" = fuzz_compiler ] && dict=fuzz/pol.dict
  [ "$t" = fuzz_xlsx ] && dict=fuzz/xlsx.dict
  mkdir -p "build-fuzz/corpus/$t"
  echo "== $t: ${seconds}s"
  # -print_final_stats: executions, coverage and corpus size at the end, for the record.
  log="build-fuzz/$t.log"
  status=0
  build-fuzz/"$t" "build-fuzz/corpus/$t" "fuzz/corpus/$t" -dict="$dict" -max_total_time="$seconds" \
    -timeout=20 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 -artifact_prefix=build-fuzz/ >"$log" 2>&1 || status=$?
  grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|Done [0-9]+ runs" "$log" || true
  if [ "$status" -ne 0 ]; then
    grep -E "runtime error|ERROR|SUMMARY|invariant violated|#[0-9]+ 0x|Test unit written|artifact" "$log" | head -40 >&2 || true
    echo "FAILED: $t (exit $status); the input is in build-fuzz/crash-* or build-fuzz/timeout-*; log: $log" >&2
    exit 1
  fi
done
echo "fuzzing: ${#targets[@]} target(s) ran ${seconds}s each without a finding"
