#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, then runs every test through ctest —
# unit tests, golden diagnostics, the Longgang scenarios, clause tests with coverage,
# the mutation test and the ledger crash test. Exit status is ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
cd build
ctest -j2 --output-on-failure --timeout 900
