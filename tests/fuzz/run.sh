#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 60), one after the other.
#   tests/fuzz/run.sh [SECONDS] [BUILD_DIR]     BUILD_DIR defaults to build/fuzz
# Build first: cmake --preset fuzz && cmake --build build/fuzz --target <the targets below>.
# Each target starts from its seeds in tests/fuzz/corpus/<target>/ (never written to) plus a
# working corpus in BUILD_DIR/fuzz-corpus/<target>/ that grows across runs. A crash, leak,
# sanitizer report or timeout is saved as BUILD_DIR/fuzz-artifacts/<target>-crash-… and makes
# this script fail. Prints one JSON line per target: executions, seconds, crashes.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${2:-build/fuzz}
targets=(fuzz_protocol fuzz_command fuzz_record_codec fuzz_descriptor fuzz_text)

failed=0
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/$target"
  [ -x "$binary" ] || { echo "fuzz: $binary is not built" >&2; exit 2; }
  work="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts"
  mkdir -p "$work" "$artifacts"
  log="$build/fuzz-artifacts/$target.log"
  status=0
  "$binary" "$work" "tests/fuzz/corpus/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$target-" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=0
  if [ "$status" -ne 0 ]; then
    crashes=1
    failed=1
    echo "fuzz: $target failed (exit $status); the end of $log:" >&2
    tail -40 "$log" >&2
  fi
  printf '{"target":"%s","seconds":%s,"executions":%s,"crashes":%s,"corpus":%s}\n' \
    "$target" "$seconds" "${executions:-0}" "$crashes" "$(ls "$work" | wc -l)"
done
exit "$failed"
