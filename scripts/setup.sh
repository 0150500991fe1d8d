#!/usr/bin/env bash
# Installs every Debian 12 package Pol needs to build and test (run as root).
# Idempotent: re-running only installs what is missing.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build ccache pkg-config python3 time
  default-jre-headless antlr4 libantlr4-runtime-dev
  libfmt-dev googletest libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 libsimdjson-dev nlohmann-json3-dev libcli11-dev
  libzip-dev libpugixml-dev  # .xlsx applications
  clang-14 libclang-rt-14-dev
  groff-base man-db  # the install test renders the man page
  chromium  # headless: the `polc diff --format html` report is checked in a real browser
  libxlsxwriter-dev  # `polc run --format xlsx`: the decisions workbook
  fonts-wqy-microhei  # a CJK font, so the browser tests lay out Chinese text at its real width
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
