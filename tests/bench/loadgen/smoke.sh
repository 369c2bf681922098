#!/usr/bin/env bash
# bench-smoke-loadgen: one second of each rembuk-loadgen scenario against a real, durable
# `rembuk serve`, then against `rembuk-bench bare-server` (compare.sh's floor); fails unless
# each prints one JSON line with the shared fields, the run acknowledged edits and every
# subscriber received every edit. Usage: smoke.sh REMBUK_BIN LOADGEN_BIN BENCH_BIN
set -euo pipefail
rembuk=$1 loadgen=$2 bench=$3
dir=$(mktemp -d)
source "$(dirname "$0")/serve.sh"
BARE_PID=""
trap 'stop_rembuk; [ -z "$BARE_PID" ] || kill "$BARE_PID"; rm -rf "$dir"' EXIT

check() {  # LINE KEY…: one JSON object line holding every KEY
  local line=$1; shift
  [ "$(printf '%s\n' "$line" | wc -l)" = 1 ] || { echo "not one line: $line" >&2; exit 1; }
  case "$line" in '{'*'}') ;; *) echo "not a JSON object: $line" >&2; exit 1 ;; esac
  for key in "$@"; do
    grep -q "\"$key\":" <<<"$line" || { echo "missing $key: $line" >&2; exit 1; }
  done
  echo "$line"
}

scenarios() {  # URL TOKEN
  local out
  out=$("$loadgen" --system rembuk --url "$1" --token "$2" \
          edits --clients 4 --documents 2 --seconds 1)
  check "$out" system scenario clients documents edits_per_s p50_ms p99_ms
  grep -q '"acked":[1-9]' <<<"$out" || { echo "no edit acknowledged: $out" >&2; exit 1; }

  out=$("$loadgen" --system rembuk --url "$1" --token "$2" \
          fanout --subscribers 20 --rate 20 --seconds 1)
  check "$out" system scenario subscribers p50_ms p99_ms all_p99_ms
  grep -q '"missing":0' <<<"$out" || { echo "deliveries missing: $out" >&2; exit 1; }
}

start_rembuk "$rembuk" "$dir/rembuk"
scenarios "$REMBUK_URL" "$REMBUK_TOKEN"
stop_rembuk

"$bench" bare-server --data "$dir/bare" >"$dir/bare.out" &
BARE_PID=$!
for _ in $(seq 1 200); do grep -q '"url"' "$dir/bare.out" && break; sleep 0.05; done
line=$(cat "$dir/bare.out")
check "$line" scenario port url
url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' <<<"$line")
scenarios "$url" unused
