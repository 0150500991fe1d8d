#!/usr/bin/env bash
# One command for a fresh Debian 12 machine (as root): installs every package Pol needs,
# builds polc, and runs the main job — the Longgang policy on the shipped example batch.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
echo
echo "== polc check: the Longgang policy and its implementation rules"
build/polc check policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol
echo
echo "== polc eval: one application (examples/application.json)"
build/polc eval policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol examples/application.json
echo
echo "== polc run: the example batch (examples/batch.jsonl), decisions with their explanations"
build/polc run policies/longgang_ai_2025.pol --rules policies/longgang_ai_2025_rules.pol --format text examples/batch.jsonl
