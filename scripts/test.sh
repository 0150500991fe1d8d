#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): installs what is missing, then
#   1. builds (GCC, RelWithDebInfo) and runs every test through ctest — unit tests, golden
#      diagnostics and explanations, the Longgang scenarios, clause tests with coverage, the
#      mutation test, the rounds property test, the ledger crash test;
#   2. builds the same with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and runs
#      the whole suite again under them, any finding fatal;
#   3. runs each libFuzzer target (clang, build-fuzz/) for 30 s on its seed corpus.
# `--quick` runs step 1 only (for a quick loop while developing). Exit status: the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
bash scripts/setup.sh
bash scripts/build.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
(cd build && ctest -j2 --output-on-failure --timeout 900) | tee "$log"
plain=$(grep -oE "out of [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+")
if [ "$quick" = 1 ]; then
  echo "${plain} passed, 0 failed"
  exit 0
fi

echo
echo "== the suite under AddressSanitizer + UndefinedBehaviorSanitizer"
if [ ! -f build-asan/build.ninja ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOL_SANITIZE=ON >/dev/null
fi
cmake --build build-asan -j2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest -j2 --output-on-failure --timeout 900) | tee "$log"
sanitized=$(grep -oE "out of [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+")

echo
echo "== fuzzing"
bash scripts/fuzz.sh --seconds "${POL_FUZZ_SECONDS:-30}"
echo "all: $((plain + sanitized + 6)) passed, 0 failed"
