#!/usr/bin/env bash
# Tests scripts/check-commit-subjects.sh in a throw-away repository: a message that follows
# CONTRIBUTING.md passes; a subject over 72 characters, a missing blank line and a tracker
# issue in the message are each warned about (--strict exits 1); without --strict it always
# exits 0. Exit 0 when every case holds.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/check-commit-subjects-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "check-commit-subjects-test: FAIL: $*" >&2; failures=$((failures + 1)); }

mkdir -p "$work/scripts"
cp "$repo/scripts/check-tree-words.sh" "$repo/scripts/check-commit-subjects.sh" "$work/scripts/"
cd "$work"
git init -q -b trunk .
git config user.name test; git config user.email test@example.invalid
commit() { git commit -q --allow-empty -m "$1"; }
commit $'Add the scripts\n\nThe body says why.'
good=$(git rev-parse HEAD)
commit $'Measure the append path after the page change\n\nappend: 61.0k events/s.'

expect() {  # WANT(pass|warn) BASE WHAT
  local rc=0
  scripts/check-commit-subjects.sh --strict "$2" >/dev/null 2>&1 || rc=$?
  if [ "$1" = pass ] && [ "$rc" -ne 0 ]; then fail "$3: warned"; fi
  if [ "$1" = warn ] && [ "$rc" -eq 0 ]; then fail "$3: not warned"; fi
  rc=0
  scripts/check-commit-subjects.sh "$2" >/dev/null 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || fail "$3: exit $rc without --strict"
}

expect pass "$good" "a message that follows the rule"
base=$(git rev-parse HEAD)
commit "Make the writer build its transaction before taking the batch, so the commit starts sooner"
expect warn "$base" "a subject of $(git log -1 --format=%s | wc -m) characters"
base=$(git rev-parse HEAD)
commit $'Keep the file ahead in 256 KiB steps\nno blank line before this body'
expect warn "$base" "no blank line after the subject"
base=$(git rev-parse HEAD)
commit $'Fix the replay fixture\n\nAs is''sue 12 asked.'
expect warn "$base" "a tracker issue in the body"

if [ "$failures" -ne 0 ]; then
  echo "check-commit-subjects-test: $failures failure(s)" >&2
  exit 1
fi
echo "check-commit-subjects-test: long subject, missing blank line and issue number warned"
