#!/usr/bin/env bash
# The audit commands as an operator runs them, with the real binary on a temp data folder:
# import the Padang example, `audit checkpoint`, `audit bundle`, `audit verify` (and its exit
# codes on a changed byte and a missing file), `export` in every format, and a record changed
# inside data.mdb (bundle refuses, `rembuk verify` fails). About a second.
#
#   cli_audit_test.sh REMBUK_BINARY EXAMPLE.jsonl
set -uo pipefail

rembuk=${1:?usage: cli_audit_test.sh REMBUK_BINARY EXAMPLE.jsonl}
example=${2:?usage: cli_audit_test.sh REMBUK_BINARY EXAMPLE.jsonl}
work=$(mktemp -d /tmp/rembuk-cli-audit-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect CODE NAME COMMAND...: runs it (stdout to $work/out, stderr to $work/err), checks the exit code.
expect() {
  local code=$1 name=$2; shift 2
  "$@" > "$work/out" 2> "$work/err"
  local got=$?
  [[ $got == "$code" ]] || { fail "$name: exit $got, expected $code"; cat "$work/err" >&2; }
}
contains() {  # contains FILE TEXT NAME
  grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1"; head -c 2000 "$1" >&2; }
}

expect 0 import "$rembuk" import --data "$work/data" "$example"
expect 2 "bundle without a key" "$rembuk" audit bundle --data "$work/data" \
  --masterplan padang-2019 --out "$work/b.jsonl"
contains "$work/err" "rembuk audit checkpoint" "bundle without a key"
expect 0 checkpoint "$rembuk" audit checkpoint --data "$work/data" --every 100
contains "$work/out" "checkpoints written: 3" checkpoint
[[ $(stat -c %a "$work/data/audit-key") == 600 ]] || fail "audit-key is not mode 600"
expect 0 bundle "$rembuk" audit bundle --data "$work/data" --masterplan padang-2019 \
  --out "$work/b.jsonl"
expect 1 "bundle of no masterplan" "$rembuk" audit bundle --data "$work/data" \
  --masterplan nowhere --out "$work/x.jsonl"

expect 0 verify "$rembuk" audit verify "$work/b.jsonl"
contains "$work/out" "OK: every hash, link and signature verifies" verify
contains "$work/out" "versions     1..221" verify
contains "$work/out" "checkpoints  3 signed, the last at version 221" verify
contains "$work/out" "submitted by u-suardi" verify
# One byte inside event 100's payload (line 101); awk counts bytes under LC_ALL=C.
offset=$(LC_ALL=C awk 'NR < 101 { n += length($0) + 1 }
                      NR == 101 { print n + index($0, "\"payload\":\"") + 14; exit }' "$work/b.jsonl")
cp "$work/b.jsonl" "$work/bad.jsonl"
byte=$(dd if="$work/b.jsonl" bs=1 skip="$offset" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 1)))" |
  dd of="$work/bad.jsonl" bs=1 seek="$offset" conv=notrunc 2>/dev/null
cmp -s "$work/b.jsonl" "$work/bad.jsonl" && fail "the byte was not changed"
expect 1 "verify of a changed byte" "$rembuk" audit verify "$work/bad.jsonl"
contains "$work/out" "FAILED: line 101: event 100" "verify of a changed byte"
expect 2 "verify of no file" "$rembuk" audit verify "$work/nothing.jsonl"

for format in md html json cloudevents; do
  expect 0 "export $format" "$rembuk" export --data "$work/data" --masterplan padang-2019 \
    --format "$format" --out "$work/export.$format"
  [[ -s $work/export.$format ]] || fail "export $format is empty"
done
contains "$work/export.md" "## 7. Peta jalan" "export md"
contains "$work/export.html" "size: A4" "export html"
[[ $(wc -l < "$work/export.cloudevents") == 221 ]] || fail "cloudevents: not 221 lines"
expect 1 "export beyond the last version" "$rembuk" export --data "$work/data" \
  --masterplan padang-2019 --format md --at 9999

# A budget amount changed inside data.mdb (300000000 → 400000000), in every copy LMDB's
# pages hold (freed pages may keep stale ones); grep -ob gives each copy's byte offset.
copies=0
for at in $(LC_ALL=C grep -obaF '"amount":300000000' "$work/data/data.mdb" | cut -d: -f1); do
  printf 4 | dd of="$work/data/data.mdb" bs=1 seek=$((at + 9)) conv=notrunc 2>/dev/null
  copies=$((copies + 1))
done
((copies > 0)) || fail "no budget amount of 300000000 found in data.mdb"
expect 2 "bundle of a damaged log" "$rembuk" audit bundle --data "$work/data" \
  --masterplan padang-2019 --out "$work/damaged.jsonl"
contains "$work/err" "the hash does not match the record's contents" "bundle of a damaged log"
expect 1 "store verify of a damaged log" "$rembuk" verify --data "$work/data"

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "cli audit: all checks passed"
