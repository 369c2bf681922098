#!/usr/bin/env bash
# Tests scripts/check-tree-words.sh: it passes on this tree and on text that only looks close
# (the domain's "lead OPD", a WebSocket "session", "strategic issues 36", CSS colours), and it
# fails, naming file:line, on one planted example of each kind of word it exists to catch,
# both in a small folder and in a full copy of the tree. The examples are split in two
# ("Se""ssion") so that this file itself stays clean. Exit 0 when every case holds.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
check=$repo/scripts/check-tree-words.sh
work=$(mktemp -d /tmp/check-tree-words-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "check-tree-words-test: FAIL: $*" >&2; failures=$((failures + 1)); }

# One planted example per pattern of check-tree-words.sh (same order).
planted=(
  "measured in Se""ssion 9, see below"
  "figures of se""ssions 4-6"
  "done in Spr""int 3"
  "as is""sue 22 asks"
  "see Is""sue #5"
  "fixes is""sues #""3 and #""4"
  "TEST(Store, Is""sue12Regression) {"
  "see tick""et 12"
  "fixed in #""21 last week"
  "the le""ad's figure on a quiet machine"
  "the le""ad developer ran it"
  "a hel""per measured this"
  "the sub""agent wrote it"
  "the C""EO asked for it"
  "another engi""neer's build ran meanwhile"
)
# Lines that must stay legal.
legal='The program'"'"'s lead OPD answers for its budget; a lead OPD may not also support it.
Each WebSocket session closes with 1001; the login session expires after 8 h; Bimtek session ''2 maps missions.
The generator ends with 36 strategic issues (strategic issues 36: dozens); StrategicIssue2 is a name.
.toast.ok { background: #166534; color: #334155; border: 1px solid #999; }
No `Helper`, `Manager` or `Utils` in names. Step 1 of shutdown: drain the engine.'

# 1. The tree as it is passes.
if ! out=$("$check" "$repo" 2>&1); then
  fail "the tree itself does not pass:"; echo "$out" >&2
fi

# 2. Legal look-alikes pass.
mkdir -p "$work/legal/docs"
printf '%s\n' "$legal" >"$work/legal/docs/legal.md"
if ! out=$("$check" "$work/legal" 2>&1); then
  fail "legal text was flagged:"; echo "$out" >&2
fi

# 3. Each planted example fails, with file:line; together they set off every pattern.
seen=""
for i in "${!planted[@]}"; do
  dir=$work/plant-$i
  mkdir -p "$dir/docs"
  { printf '%s\n' "$legal"; printf '%s\n' "${planted[$i]}"; } >"$dir/docs/planted.md"
  if out=$("$check" "$dir" 2>&1); then
    fail "not caught: '${planted[$i]}'"
  elif ! grep -q '^docs/planted.md:6: ' <<<"$out"; then
    fail "caught without docs/planted.md:6: '${planted[$i]}'"; echo "$out" >&2
  fi
  seen+=$out$'\n'
done
while IFS= read -r p; do
  grep -qF "[$p]" <<<"$seen" || fail "no planted example sets off the pattern $p"
done < <("$check" --patterns)

# 4. In a full copy of the tree, one planted code comment is found (and nothing else).
copy=$work/tree
mkdir -p "$copy"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
   xargs -0 -r cp --parents -t "$copy" 2>/dev/null) || true
printf '// measured in se''ssion 7 on the quiet machine\n' >>"$copy/kernel/store/src/file_reserve.hpp"
if out=$("$check" "$copy" 2>&1); then
  fail "a planted comment in a copy of the tree was not caught"
else
  hits=$(grep -c '^[^ ]*:[0-9]*: \[' <<<"$out" || true)
  grep -q '^kernel/store/src/file_reserve.hpp:[0-9]*: ' <<<"$out" ||
    fail "the copy's hit does not name kernel/store/src/file_reserve.hpp"
  [ "$hits" = 1 ] || { fail "the copy gave $hits hits instead of 1"; echo "$out" >&2; }
fi

if [ "$failures" -ne 0 ]; then
  echo "check-tree-words-test: $failures failure(s)" >&2
  exit 1
fi
echo "check-tree-words-test: ${#planted[@]} planted examples caught, legal text and the tree pass"
