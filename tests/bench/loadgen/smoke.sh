#!/usr/bin/env bash
# bench-smoke-loadgen: one second of each rembuk-loadgen scenario against a real, durable
# `rembuk serve`; fails unless each prints one JSON line with the shared fields and the run
# acknowledged edits. Usage: smoke.sh REMBUK_BIN LOADGEN_BIN
set -euo pipefail
rembuk=$1 loadgen=$2
dir=$(mktemp -d)
source "$(dirname "$0")/serve.sh"
trap 'stop_rembuk; rm -rf "$dir"' EXIT
start_rembuk "$rembuk" "$dir"

check() {  # LINE KEY…: one JSON object line holding every KEY
  local line=$1; shift
  [ "$(printf '%s\n' "$line" | wc -l)" = 1 ] || { echo "not one line: $line" >&2; exit 1; }
  case "$line" in '{'*'}') ;; *) echo "not a JSON object: $line" >&2; exit 1 ;; esac
  for key in "$@"; do
    grep -q "\"$key\":" <<<"$line" || { echo "missing $key: $line" >&2; exit 1; }
  done
  echo "$line"
}

out=$("$loadgen" --system rembuk --url "$REMBUK_URL" --token "$REMBUK_TOKEN" \
        edits --clients 4 --documents 2 --seconds 1)
check "$out" system scenario clients documents edits_per_s p50_ms p99_ms
grep -q '"acked":[1-9]' <<<"$out" || { echo "no edit acknowledged: $out" >&2; exit 1; }

out=$("$loadgen" --system rembuk --url "$REMBUK_URL" --token "$REMBUK_TOKEN" \
        fanout --subscribers 20 --rate 20 --seconds 1)
check "$out" system scenario subscribers p50_ms p99_ms all_p99_ms
grep -q '"missing":0' <<<"$out" || { echo "deliveries missing: $out" >&2; exit 1; }
