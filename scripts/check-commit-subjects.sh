#!/usr/bin/env bash
# Warns about commit messages that break CONTRIBUTING.md's rule ("Commit messages"): a subject
# of at most 72 characters, a blank line after it, and no work period, tracker issue or
# person named (the patterns of scripts/check-tree-words.sh).
#
#   scripts/check-commit-subjects.sh [--strict] [BASE]
#
# Checks the commits in BASE..HEAD. Without BASE: $REMBUK_COMMIT_BASE, else `main` when HEAD
# is on another line of work, else the last 10 commits. Prints one warning per problem and
# exits 0, so old history never fails a build; --strict exits 1 when it warned (its test).
set -euo pipefail
cd "$(dirname "$0")/.."
max=72
strict=0
if [ "${1:-}" = --strict ]; then strict=1; shift; fi

git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "check-commit-subjects: not a git work tree; skipped"; exit 0; }
base=${1:-${REMBUK_COMMIT_BASE:-}}
if [ -z "$base" ]; then
  if git rev-parse -q --verify main >/dev/null && [ "$(git rev-parse main)" != "$(git rev-parse HEAD)" ]; then
    base=main
  elif git rev-parse -q --verify HEAD~10 >/dev/null; then
    base=HEAD~10
  else
    base=""
  fi
fi
if [ -n "$base" ] && ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
  echo "check-commit-subjects: no commit '$base'; skipped"
  exit 0
fi
range=${base:+$base..}HEAD

mapfile -t patterns < <(scripts/check-tree-words.sh --patterns)
warnings=0
warn() { echo "check-commit-subjects: warning: $1 $2" >&2; warnings=$((warnings + 1)); }

while IFS= read -r commit; do
  message=$(git log -1 --format=%B "$commit")
  subject=$(head -n 1 <<<"$message")
  short=$(git rev-parse --short "$commit")
  # Characters, not bytes: an em dash or a µ counts once.
  length=$(printf '%s' "$subject" | LC_ALL=C.UTF-8 wc -m)
  [ "$length" -le "$max" ] || warn "$short" "subject has $length characters (at most $max): $subject"
  if [ "$(wc -l <<<"$message")" -gt 1 ] && [ -n "$(sed -n 2p <<<"$message")" ]; then
    warn "$short" "no blank line after the subject"
  fi
  for p in "${patterns[@]}"; do
    if hit=$(grep -m1 -E -e "$p" <<<"$message"); then
      warn "$short" "names a work period, an issue or a person [$p]: $hit"
    fi
  done
done < <(git rev-list --no-merges "$range")

if [ "$warnings" -eq 0 ]; then
  echo "check-commit-subjects: ${range}: every message follows CONTRIBUTING.md"
elif [ "$strict" = 1 ]; then
  exit 1
fi
exit 0
