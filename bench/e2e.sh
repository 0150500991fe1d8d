#!/usr/bin/env bash
# End-to-end benchmark of `polc run`: N synthetic Longgang applications (default 1,000,000),
# JSON Lines and CSV, decisions with full explanations written to a file. Prints wall and
# CPU seconds and peak memory (GNU time). Usage: bench/e2e.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
DIR=${BENCH_DIR:-/tmp/pol-bench}
mkdir -p "$DIR"
[ -x build/polc ] || bash scripts/build.sh
if [ ! -f "$DIR/apps-$N.jsonl" ]; then
  python3 bench/gen_applications.py "$N" --seed 1 --format jsonl > "$DIR/apps-$N.jsonl"
  python3 bench/gen_applications.py "$N" --seed 1 --format csv > "$DIR/apps-$N.csv"
fi
POLICY="policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol"
for fmt in jsonl csv; do
  for run in 1 2 3; do
    /usr/bin/time -f "$fmt run $run: %e s wall, %U s user, %S s sys, peak %M KiB" \
      build/polc run $POLICY -q -o "$DIR/decisions-$N.$fmt.out" "$DIR/apps-$N.$fmt"
  done
done
/usr/bin/time -f "jsonl, decisions as CSV: %e s wall, %U s user, %S s sys, peak %M KiB" \
  build/polc run $POLICY -q --format csv -o "$DIR/decisions-$N.csv.out" "$DIR/apps-$N.jsonl"
ls -l "$DIR"/apps-$N.* "$DIR"/decisions-$N.* | awk '{print $5, $9}'
