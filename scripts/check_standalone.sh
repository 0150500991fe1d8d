#!/usr/bin/env bash
# Fails when a tracked file refers to material outside the repository (a folder of shared
# material beside the checkout, which a user's clone does not have). The project must build,
# test and read on its own.
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root"
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  files=$(git ls-files)
else
  files=$(find . -type f -not -path './build*' | sed 's|^\./||')
fi
# The pattern is assembled so that this script does not match itself.
dots='\.\.'
pattern="${dots}/shared|shared/longgang|shared/policies"
hits=$(printf '%s\n' "$files" | grep -v '^scripts/check_standalone.sh$' | tr '\n' '\0' |
       xargs -0 grep -nIE "$pattern" -- 2>/dev/null || true)
if [ -n "$hits" ]; then
  echo "files that point outside the repository:" >&2
  printf '%s\n' "$hits" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
echo "no tracked file points outside the repository"
