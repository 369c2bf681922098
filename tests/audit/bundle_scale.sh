#!/usr/bin/env bash
# Figures of the audit path (docs/audit.md, "Figures"): bundle size, `rembuk audit verify`
# time, `rembuk export` time for md and html, for the Padang example and for one masterplan
# of N events (default 100,000). Not run by CI: it imports N commands through the real
# command engine (about a minute for 100,000 on 2 cores).
#
#   tests/audit/bundle_scale.sh BUILD_DIR [N] [RUNS]
#
# The large masterplan is the Padang example's first 219 commands, N-220 edits of one
# readiness entry, then the submission: N commands, N+1 events (one of Padang's commands
# emits two). Each log gets
# `rembuk audit checkpoint --every 100`, then `rembuk audit bundle`. Timings are wall-clock
# medians of RUNS runs (default 7) of the whole process, in milliseconds; verify's peak RSS
# from /usr/bin/time.
set -euo pipefail

build=${1:?usage: bundle_scale.sh BUILD_DIR [N] [RUNS]}
n=${2:-100000}
runs=${3:-7}
here=$(cd "$(dirname "$0")" && pwd)
example="$here/../../examples/masterplans/padang-2019.jsonl"
rembuk="$build/kernel/cli/rembuk"
[[ -x $rembuk ]] || { echo "no $rembuk" >&2; exit 2; }
(( n > 220 )) || { echo "N must be above 220" >&2; exit 2; }

work=$(mktemp -d /tmp/rembuk-audit-scale-XXXXXX)
trap 'rm -rf "$work"' EXIT

median_ms() {  # median_ms COMMAND...: runs it $runs times (output discarded), prints the median
  local times=() start end
  for ((i = 0; i < runs; ++i)); do
    start=$(date +%s%N)
    "$@" > /dev/null 2> "$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

measure() {  # measure NAME DATA_DIR
  local name=$1 data=$2
  "$rembuk" audit checkpoint --data "$data" --every 100 > /dev/null
  "$rembuk" audit bundle --data "$data" --masterplan padang-2019 --out "$work/$name.bundle" \
    2> /dev/null
  local events
  events=$("$rembuk" audit verify "$work/$name.bundle" | sed -n 's/^versions *1\.\.\([0-9]*\).*/\1/p')
  echo "$name: $events events; data.mdb $(stat -c %s "$data/data.mdb") bytes;" \
       "bundle $(stat -c %s "$work/$name.bundle") bytes, $(wc -l < "$work/$name.bundle") lines"
  echo "  bundle         $(median_ms "$rembuk" audit bundle --data "$data" \
         --masterplan padang-2019 --out "$work/$name.again") ms"
  echo "  audit verify   $(median_ms "$rembuk" audit verify "$work/$name.bundle") ms"
  /usr/bin/time -f %M -o "$work/rss" "$rembuk" audit verify "$work/$name.bundle" > /dev/null
  echo "  audit verify peak RSS $(cat "$work/rss") KiB"
  for format in md html; do
    echo "  export $format    $(median_ms "$rembuk" export --data "$data" \
           --masterplan padang-2019 --format "$format" --out "$work/$name.$format") ms" \
         "($(stat -c %s "$work/$name.$format") bytes)"
  done
}

"$rembuk" import --data "$work/padang" "$example" > /dev/null
measure padang "$work/padang"

head -n 219 "$example" > "$work/commands.jsonl"
actor='{"user":"u-suardi","roles":["tim_pelaksana"],"opd":"diskominfo"}'
awk -v n="$n" -v actor="$actor" 'BEGIN {
  for (i = 220; i < n; ++i)
    printf "{\"masterplan\":\"padang-2019\",\"commandId\":\"scale-%d\",\"actor\":%s," \
           "\"command\":{\"type\":\"UpdateReadinessEntry\",\"entryId\":\"r-fiber-opd\"," \
           "\"description\":\"Fiber optik tersambung ke %d kelurahan\"}}\n", i, actor, i
  printf "{\"masterplan\":\"padang-2019\",\"commandId\":\"scale-submit\",\"actor\":%s," \
         "\"command\":{\"type\":\"SubmitMasterplan\"}}\n", actor
}' >> "$work/commands.jsonl"
start=$(date +%s%N)
"$rembuk" import --data "$work/large" "$work/commands.jsonl" > "$work/import.out"
echo "import of $n commands: $(( ($(date +%s%N) - start) / 1000000 )) ms," \
     "$(grep -c '"status":"ack"' "$work/import.out") acked"
measure "large-$n" "$work/large"
