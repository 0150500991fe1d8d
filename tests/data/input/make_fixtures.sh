#!/usr/bin/env bash
# Regenerates the spreadsheet fixtures from examples/batch.jsonl (see make_fixtures.py):
# batch.utf8.csv and batch.xlsx by the Python script, batch.gbk.csv from the UTF-8 CSV by iconv,
# as Excel on Chinese Windows saves "CSV (逗号分隔)".
set -euo pipefail
cd "$(dirname "$0")"
python3 make_fixtures.py
iconv -f UTF-8 -t GBK batch.utf8.csv > batch.gbk.csv
