#!/usr/bin/env bash
# The tree describes the present: no document, comment, test name or script names a work
# period, a tracker's issue number, or who did the work. A reader outside cannot know what
# those mean; name the thing itself (the doc section, the function, the measurement), and
# leave the history to git.
#
#   scripts/check-tree-words.sh [DIR]   check DIR (default: this repository); exit 1 and one
#                                       `file:line: [pattern] text` per hit if anything matches
#   scripts/check-tree-words.sh --patterns   print the patterns, one a line (for
#                                       scripts/check-commit-subjects.sh)
#
# In a git work tree the files are the tracked and the untracked-but-not-ignored ones;
# elsewhere (scripts/check-tree-words-test.sh plants examples in a temp folder) every file
# under DIR. Binary files, lock files of package managers and fuzz corpora are skipped.
set -euo pipefail

# The patterns, all of them (grep -E, GNU). Each is narrow on purpose: the domain has a "lead
# OPD", a WebSocket or login "session" and "strategic issues", which must stay legal.
patterns=(
  # work periods
  '\b[Ss]essions? [0-9]+'                       # the word session(s) and a number
  '\b[Ss]prints? [0-9]+'
  # tracker issue numbers
  '\b[Ii]ssue #?[0-9]+'                         # the word issue, maybe a hash, a number (the plural is legal)
  '\b[Ii]ssues #[0-9]+'
  '\bIssue_?[0-9]+'                             # a test named "Issue12Regression"
  '\b[Tt]ickets? #?[0-9]+'
  "(^|[[:space:](\\[])#[0-9]{1,4}([^0-9a-fA-F;\\\\\"']|\$)"  # "#21", not a colour "#334155" or "#999;"
  # who did the work
  "\\blead's\\b"                                # a person's figure ("the lead OPD" is the domain)
  '\blead (engineer|developer)s?\b'
  '(^|[^`A-Za-z_])[Hh]elpers?([^`A-Za-z_]|$)'    # a person, or a name the style forbids (`Helper` in backticks may be quoted)
  '\b[Ss]ub-?agents?\b'
  '\bCEO\b'
  '\b[Ee]ngineers?\b'                           # "another engineer's build", "the model engineer"
)
# A hit on a line that matches one of these is the domain, not a work period.
allowed=(
  '\b[Bb]imtek [Ss]essions? [0-9]+'               # the ministry's workshops, numbered
)

if [ "${1:-}" = --patterns ]; then
  printf '%s\n' "${patterns[@]}"
  exit 0
fi

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

list_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard
  else
    find . -type f -not -path './.git/*' -not -path '*/node_modules/*' -printf '%P\0'
  fi
}

files=()
while IFS= read -r -d '' f; do
  case "$f" in
    *package-lock.json | *.lock | */fuzz/corpus/* | build/*) continue ;;
    scripts/check-tree-words.sh) continue ;;  # the patterns and their examples
  esac
  [ -f "$f" ] && files+=("$f")
done < <(list_files)

status=0
for p in "${patterns[@]}"; do
  # -I: skip binary files; -H: always name the file, also when only one is checked.
  allow=$(IFS='|'; echo "${allowed[*]}")
  if hits=$(printf '%s\0' "${files[@]}" | xargs -0 -r grep -HnIE -e "$p" -- | grep -vE -e "$allow"); then
    status=1
    while IFS= read -r hit; do
      file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; text=${rest#*:}
      printf '%s:%s: [%s] %s\n' "$file" "$line" "$p" "$(printf '%s' "$text" | cut -c1-160)" >&2
    done <<<"$hits"
  fi
done

if [ "$status" -ne 0 ]; then
  cat >&2 <<'EOF'
check-tree-words: the lines above name a work period, a tracker issue or who did the work.
Name the thing itself instead (the doc section, the function, the measurement); the history
stays in git. The patterns are in scripts/check-tree-words.sh.
EOF
  exit 1
fi
echo "check-tree-words: ${#files[@]} files clean"
