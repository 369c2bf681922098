#!/usr/bin/env bash
# rembuk-bench ws-edits against 1, 2 and 3 rembuk nodes sharing one PostgreSQL, and against
# one LMDB node, in one run; RUNS runs of each setup, interleaved (so a change in the
# machine's load hits every setup alike); prints one JSON line per run and a summary table of
# medians (min–max). docs/scaling.md has the figures and how to read them.
#
#   tests/postgres/scale_bench.sh [BUILD_DIR] [SECONDS] [CLIENTS] [RUNS]
#
# BUILD_DIR must hold kernel/cli/rembuk and tests/bench/rembuk-bench (a Release build gives
# the figures of docs/scaling.md). PostgreSQL runs durable (fsync, synchronous_commit on), as
# the LMDB node does (durable, the ws-edits default), so the two are compared like for like.
# Each run gets a fresh database. Setups:
#   postgres-N/client       N nodes, clients spread round-robin: one masterplan's clients sit
#                           on different nodes, which race for its stream
#   postgres-N/masterplan   N nodes, a masterplan's clients all on one node (routing by
#                           masterplan, as docs/scaling.md recommends)
#   lmdb-1                  one node with its LMDB log (rembuk-bench forks it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build/postgres-rel}
seconds=${2:-10}
clients=${3:-64}
runs=${4:-3}
rembuk="$build/kernel/cli/rembuk"
bench="$build/tests/bench/rembuk-bench"
[ -x "$rembuk" ] && [ -x "$bench" ] || { echo "scale_bench: build rembuk and rembuk-bench in $build" >&2; exit 2; }

work=$(mktemp -d /tmp/rembuk-scale-XXXXXX)
pgdir="$work/pg"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$here/pg_fixture.sh" stop "$pgdir" || true
  rm -rf "$work"
}
trap cleanup EXIT

uri=$(PG_FSYNC=on "$here/pg_fixture.sh" start "$pgdir")
base=${uri%/*}
echo '{"commandsPerSecond": 1000000, "maxConnections": 100000}' >"$work/limits.json"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
results="$work/results.txt"
: >"$results"
db=0

# run_postgres NODES ROUTE: one run against NODES fresh nodes on a fresh database.
run_postgres() {
  local nodes=$1 route=$2 targets="" line
  db=$((db + 1))
  psql -q "$uri" -c "CREATE DATABASE bench_$db" >/dev/null
  rm -rf "$work/data"
  mkdir -p "$work/data"
  pids=()
  for ((i = 0; i < nodes; i++)); do
    local port
    port=$(free_port)
    # Checkpoints only at status changes: the LMDB node of rembuk-bench signs none either.
    "$rembuk" serve --store "$base/bench_$db" --data "$work/data" --config "$work/limits.json" \
      --checkpoint-every 0 --listen "127.0.0.1:$port" >/dev/null 2>"$work/node-$db-$i.log" &
    pids+=($!)
    targets+="${targets:+,}127.0.0.1:$port"
    # Wait until it listens (the first one also makes the shared secret).
    for _ in $(seq 200); do (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
  done
  line=$("$bench" ws-edits --targets "$targets" --secret "$work/data/secret" --route "$route" \
           --seconds "$seconds" --clients "$clients")
  echo "postgres-$nodes/$route $line" | tee -a "$results"
  for p in "${pids[@]}"; do kill "$p"; done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
  psql -q "$uri" -c "DROP DATABASE bench_$db" >/dev/null
}

echo "load before: $(uptime)"
for ((run = 1; run <= runs; run++)); do
  run_postgres 1 client
  run_postgres 2 client
  run_postgres 3 client
  run_postgres 2 masterplan
  run_postgres 3 masterplan
  line=$("$bench" ws-edits --seconds "$seconds" --clients "$clients")
  echo "lmdb-1 $line" | tee -a "$results"
done
echo "load after: $(uptime)"

echo
python3 - "$results" <<'EOF'
import json, statistics, sys
rows = {}
for raw in open(sys.argv[1]):
    name, _, text = raw.strip().partition(" ")
    rows.setdefault(name, []).append(json.loads(text))
def cell(values, fmt):
    return (fmt % statistics.median(values)) + " (" + (fmt % min(values)) + "–" + (fmt % max(values)) + ")"
print("%-22s %-22s %-22s %-10s %s" % ("setup", "edits/s", "p99 ms", "rejected", "runs"))
for name, rs in rows.items():
    print("%-22s %-22s %-22s %-10s %d" % (
        name, cell([r["edits_per_s"] for r in rs], "%.0f"), cell([r["p99_ms"] for r in rs], "%.1f"),
        "%.0f" % statistics.median([r["rejected"] for r in rs]), len(rs)))
EOF
