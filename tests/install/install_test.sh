#!/usr/bin/env bash
# Installs polc into a temporary prefix and uses it from another folder, as a user would:
#   install_test.sh CMAKE BUILD_DIR SOURCE_DIR
# The installed polc checks a policy that imports the stdlib (found under the prefix, not in the
# sources), explains an error code, prints its version; the man page renders, the bash
# completion parses and completes; a copy of the program without its share/ folder says what
# it misses instead of crashing, and POL_HOME points it at one.
set -uo pipefail
cmake=$1 build=$2 src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset POL_HOME POL_STDLIB
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
expect() {  # expect DESCRIPTION COMMAND...: the command succeeds
  local what=$1; shift
  if "$@"; then ok; else fail "$what"; fi
}

prefix=$work/prefix
if ! "$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
polc=$prefix/bin/polc
for f in bin/polc share/pol/stdlib/common.pol share/pol/errors/E0200.md share/man/man1/polc.1 \
         share/bash-completion/completions/polc; do
  expect "installed $f" test -e "$prefix/$f"
done
expect "every error page installed" \
  test "$(ls "$src"/docs/errors/*.md | wc -l)" -eq "$(ls "$prefix"/share/pol/errors/*.md | wc -l)"

mkdir -p "$work/elsewhere"
cd "$work/elsewhere"

# The stdlib is found under the prefix: the policy imports "common".
out=$("$polc" check "$src/policies/longgang_ai_2025.pol" 2>&1)
rc=$?
if [ $rc -eq 0 ] && [[ $out == *": ok ("* ]]; then ok; else fail "polc check (exit $rc): $out"; fi

out=$("$polc" explain E0200 2>&1)
if [ $? -eq 0 ] && [[ $out == "# E0200"* ]]; then ok; else fail "polc explain E0200: $out"; fi

out=$("$polc" --version 2>&1)
re='^polc [0-9]+\.[0-9]+\.[0-9]+ \(revision ([0-9a-f]{12}(-dirty)?|unknown)\)
policy language [0-9]+, compiled policy format [0-9]+$'
if [[ $out =~ $re ]]; then ok; else fail "polc --version: $out"; fi
expect "polc version = polc --version" test "$("$polc" version)" = "$out"

# The man page: installed, and rendered without a warning when groff is there.
page=$prefix/share/man/man1/polc.1
expect "man page names every command" grep -q '^\.SS "polc ledger import"' "$page"
if command -v groff >/dev/null; then
  warnings=$(groff -k -man -ww -z -Tutf8 "$page" 2>&1)
  if [ -z "$warnings" ]; then ok; else fail "groff warns about polc.1: $warnings"; fi
fi
if command -v man >/dev/null; then
  text=$(MANWIDTH=100 man -l "$page" 2>&1)
  if [[ $text == *"polc explain"* && $text == *"--min-coverage"* && $text == *POL_HOME* ]]; then ok
  else fail "man -l polc.1 does not render the commands: $(printf '%s' "$text" | head -5)"; fi
fi

# The bash completion: parses, and completes commands, options and choices.
completion=$prefix/share/bash-completion/completions/polc
expect "bash -n on the completion" bash -n "$completion"
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _polc; echo "${COMPREPLY[*]}"' \
    _ "$completion" "$@"
}
expect "completes polc ch → check" test "$(complete_words polc ch)" = "check"
expect "completes polc run --fo → --format" test "$(complete_words polc run --fo)" = "--format"
expect "completes the choices of run --explain" test "$(complete_words polc run --explain "")" = "full brief none"
expect "completes polc ledger sh → show" test "$(complete_words polc ledger sh)" = "show"
expect "leaves a file name to readline" test -z "$(complete_words polc check --rules "")"

# A copy without share/pol: a clear error, not a crash; POL_HOME gives it the data folder.
mkdir -p "$work/lonely"
cp "$polc" "$work/lonely/polc"
out=$("$work/lonely/polc" check "$src/policies/longgang_ai_2025.pol" 2>&1)
rc=$?
if [ $rc -eq 1 ] && [[ $out == *"cannot find the standard library"*"POL_HOME"* ]]; then ok
else fail "a copied polc without share/pol (exit $rc): $out"; fi
out=$("$work/lonely/polc" explain E0200 2>&1)
rc=$?
if [ $rc -eq 2 ] && [[ $out == *"cannot find the error pages"* ]]; then ok
else fail "a copied polc explains (exit $rc): $out"; fi
expect "POL_HOME gives a copied polc its stdlib" \
  env POL_HOME="$prefix/share/pol" "$work/lonely/polc" check "$src/policies/longgang_ai_2025.pol"
expect "POL_HOME gives a copied polc its error pages" \
  env POL_HOME="$prefix/share/pol" "$work/lonely/polc" explain E0200 >/dev/null

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
