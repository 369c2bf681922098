#!/usr/bin/env bash
# The example masterplans as scripts/run.sh seeds them: every command of every file is
# acknowledged (none refused), in order, with the city plugins loaded, and each masterplan
# ends at its documented version: Padang 352 (submitted, all four Bimtek stages closed),
# Payakumbuh 40, Pariaman 62.
#
#   examples_import_test.sh REMBUK_BINARY EXAMPLES_DIR PLUGIN.so...
set -uo pipefail

rembuk=${1:?usage: examples_import_test.sh REMBUK_BINARY EXAMPLES_DIR PLUGIN.so...}
examples=${2:?usage: examples_import_test.sh REMBUK_BINARY EXAMPLES_DIR PLUGIN.so...}
shift 2
work=$(mktemp -d /tmp/rembuk-examples-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins"
cp "$@" "$work/plugins/"
failures=0

import() {  # import FILE EXPECTED_LAST_VERSION
  local file=$1 version=$2
  "$rembuk" import --data "$work/data" --plugins "$work/plugins" "$examples/$file" > "$work/out" 2> "$work/err"
  local code=$?
  [[ $code == 0 ]] || { echo "FAIL: $file: exit $code" >&2; cat "$work/err" >&2; failures=$((failures + 1)); }
  if grep -v '"status":"ack"' "$work/out" | grep -q .; then
    echo "FAIL: $file: refused commands:" >&2
    grep -v '"status":"ack"' "$work/out" | head -5 >&2
    failures=$((failures + 1))
  fi
  [[ $(wc -l < "$work/out") == $(wc -l < "$examples/$file") ]] ||
    { echo "FAIL: $file: not one outcome per command" >&2; failures=$((failures + 1)); }
  tail -1 "$work/out" | grep -qF "\"version\":$version}" ||
    { echo "FAIL: $file: last version is not $version: $(tail -1 "$work/out")" >&2; failures=$((failures + 1)); }
}

import padang-2019.jsonl 221
import padang-2019-plugins.jsonl 252
import padang-2019-bimtek.jsonl 352
import payakumbuh-2022.jsonl 40
import pariaman-2022.jsonl 62

[[ $failures == 0 ]] && echo "examples import: ok"
exit $(( failures > 0 ))
