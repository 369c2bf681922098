#!/usr/bin/env bash
# Benchmarks rembuk side by side with the systems users would pick instead, on this machine,
# in one run, and writes BENCHMARKS.md + docs/img/benchmarks.png (docs/benchmarks.md).
#
#   tests/bench/compare.sh            5 rounds of every scenario on every system (~20 min)
#   RUNS=1 SECONDS_EACH=2 tests/bench/compare.sh     a quick look (figures not for keeps)
#   SHAPES="64/16" tests/bench/compare.sh            only the edits of 64 clients over 16 documents
#
# Systems: rembuk (`rembuk serve`, durable LMDB), its floor (`rembuk-bench bare-server`: the
# same protocol on Beast, JSON and raw durable LMDB only), ShareDB 7 (in-memory DB), ShareDB 7
# with sharedb-postgres, Hocuspocus 3 (in-memory Yjs documents); and for the raw append, rembuk's
# event log, raw LMDB (both from `rembuk-bench append`) and PostgreSQL as an event store
# (`rembuk-bench append-postgres`). Every server is started here on 127.0.0.1 with a fresh
# state for every measurement and stopped after it. The systems take turns within each round,
# so a change of machine load touches them all alike.
#
# Needs: Debian packages (scripts/setup-deps.sh bench installs them) and the npm registry
# (tests/bench/peers, versions pinned in its package-lock.json). Not run by CI.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

RUNS=${RUNS:-5}
SECONDS_EACH=${SECONDS_EACH:-10}   # length of each edits/fanout measurement
# The edits workload, once per CLIENTS/DOCUMENTS pair; the first pair is the plot's.
SHAPES=${SHAPES:-32/8 32/32 64/16 64/64}
for shape in $SHAPES; do
  [[ "$shape" =~ ^[1-9][0-9]*/[1-9][0-9]*$ ]] || { echo "compare: SHAPES: '$shape' is not CLIENTS/DOCUMENTS" >&2; exit 2; }
done
SUBSCRIBERS=${SUBSCRIBERS:-500}
RATE=${RATE:-20}
APPEND_THREADS=${APPEND_THREADS:-64}
APPEND_EVENTS=${APPEND_EVENTS:-20000}
BUILD=${BUILD:-build/peers-release}
OUT=${OUT:-BENCHMARKS.md}
PLOT=${PLOT:-docs/img/benchmarks.png}

log() { echo "compare: $*" >&2; }

# The tree measured: taken now, before the build, so edits made while it runs do not count.
export v_commit="$(git rev-parse --short HEAD)"
export v_commit_date="$(git log -1 --format=%cd --date=format:%Y-%m-%d HEAD)"
export v_rembuk="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- kernel || echo ' + uncommitted kernel changes')"

# --- 1. dependencies and the Release build --------------------------------------------------
scripts/setup-deps.sh bench
# SKIP_BUILD=1 measures the binaries already in $BUILD (e.g. while the tree does not build).
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cmake --preset release -B "$BUILD" -DREMBUK_BUILD_TESTS=ON >/dev/null
  cmake --build "$BUILD" -j2 --target rembuk rembuk-bench rembuk-loadgen
fi
export v_build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)"
REMBUK=$BUILD/kernel/cli/rembuk
BENCH=$BUILD/tests/bench/rembuk-bench
LOADGEN=$BUILD/tests/bench/loadgen/rembuk-loadgen
(cd tests/bench/peers && npm ci --no-audit --no-fund --loglevel=error)
PEERS=$repo/tests/bench/peers

work=$(mktemp -d /tmp/rembuk-compare.XXXXXX)
chmod 755 "$work"
results=$work/results.jsonl
: >"$results"
source "$repo/tests/bench/loadgen/serve.sh"
NODE_PID=""
stop_node() {
  [ -n "$NODE_PID" ] || return 0
  kill -TERM "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=""
}

# --- 2. a private PostgreSQL cluster (durable: fsync and synchronous_commit on) --------------
pgbin=""
for candidate in /usr/lib/postgresql/*/bin; do [ -x "$candidate/initdb" ] && pgbin=$candidate; done
[ -n "$pgbin" ] || { log "PostgreSQL is not installed"; exit 1; }
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u nobody --); fi  # PostgreSQL refuses root
pgdir=$work/pg
mkdir -p "$pgdir"
[ "$(id -u)" -eq 0 ] && chown nobody "$pgdir"
chmod 700 "$pgdir"
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  stop_rembuk || true
  stop_node || true
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U bench --auth=trust -E UTF8 >"$pgdir/initdb.log" 2>&1 \
  || { cat "$pgdir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
  -o "-p $pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories='$pgdir' \
      -c fsync=on -c synchronous_commit=on -c max_connections=200 -c shared_buffers=256MB" \
  start >/dev/null || { cat "$pgdir/server.log" >&2; exit 1; }
PG=postgresql://bench@127.0.0.1:$pgport
psql_() { "$pgbin/psql" -q -v ON_ERROR_STOP=1 "$@"; }
psql_ "$PG/postgres" -c 'CREATE DATABASE sharedb' -c 'CREATE DATABASE events'
psql_ "$PG/sharedb" -f "$PEERS/node_modules/sharedb-postgres/structure.sql" >/dev/null

# --- 3. the measurements ---------------------------------------------------------------------
record() {  # LABEL RUN JSON [SCENARIO]: the line, tagged with label, round and load average
  local load line=$3
  load=$(cut -d' ' -f1 /proc/loadavg)
  # A run that printed nothing failed (its reason is on stderr): say so in the report.
  case "$line" in '{'*) ;; *) line="{\"scenario\":\"${4:-?}\",\"failed\":true}" ;; esac
  printf '%s\n' "$line" | sed "s/^{/{\"label\":\"$1\",\"run\":$2,\"load1\":$load,/" >>"$results"
  log "$1 round $2: $line"
}
fanout_args=(fanout --subscribers "$SUBSCRIBERS" --rate "$RATE" --seconds "$SECONDS_EACH")
scenarios=()
for shape in $SHAPES; do scenarios+=("edits/$shape"); done
scenarios+=(fanout)
args_of() {  # SCENARIO (edits/C/D or fanout) → ARGS array
  case "$1" in
    edits/*)
      local shape=${1#edits/}
      ARGS=(edits --clients "${shape%/*}" --documents "${shape#*/}" --seconds "$SECONDS_EACH") ;;
    fanout) ARGS=("${fanout_args[@]}") ;;
  esac
}

start_node() {  # SCRIPT ARGS…: a Node peer on a free port; sets NODE_URL
  node "$PEERS/$1" "${@:2}" >"$work/node.out" 2>"$work/node.err" &
  NODE_PID=$!
  local port="" i
  for i in $(seq 1 200); do
    port=$(sed -n 's/^listening on //p' "$work/node.out")
    [ -n "$port" ] && break
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$work/node.err" >&2; exit 1; }
    sleep 0.05
  done
  [ -n "$port" ] || { log "$1 did not start"; exit 1; }
  NODE_URL=ws://127.0.0.1:$port
}

measure_rembuk() {
  local run=$1 scenario
  for scenario in "${scenarios[@]}"; do
    rm -rf "$work/rembuk"
    start_rembuk "$REMBUK" "$work/rembuk"
    args_of "$scenario"
    record rembuk "$run" "$("$LOADGEN" --system rembuk --url "$REMBUK_URL" --token "$REMBUK_TOKEN" "${ARGS[@]}")" "$scenario"
    stop_rembuk
  done
}

# The floor: what a server that keeps rembuk's protocol and durability and does nothing else
# reaches with the same load generator on this machine (tests/bench/bare_server.hpp).
measure_bare() {
  local run=$1 scenario port=""
  for scenario in "${scenarios[@]}"; do
    rm -rf "$work/bare"
    "$BENCH" bare-server --data "$work/bare" >"$work/bare.out" 2>"$work/bare.err" &
    NODE_PID=$!
    local i
    for i in $(seq 1 200); do
      port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/bare.out")
      [ -n "$port" ] && break
      sleep 0.05
    done
    [ -n "$port" ] || { log "bare-server did not start"; cat "$work/bare.err" >&2; exit 1; }
    args_of "$scenario"
    record bare-server "$run" "$("$LOADGEN" --system rembuk --url "ws://127.0.0.1:$port/ws" --token unused "${ARGS[@]}")" "$scenario"
    stop_node
  done
}

measure_sharedb() {  # LABEL DB
  local label=$1 db=$2 run=$3 scenario
  for scenario in "${scenarios[@]}"; do
    local server_args=(--db memory)
    if [ "$db" = postgres ]; then
      psql_ "$PG/sharedb" -c 'TRUNCATE ops, snapshots'
      server_args=(--db postgres --pg "$PG/sharedb")
    fi
    start_node sharedb-server.js "${server_args[@]}"
    args_of "$scenario"
    record "$label" "$run" "$("$LOADGEN" --system sharedb --url "$NODE_URL" "${ARGS[@]}")" "$scenario"
    stop_node
  done
}

measure_hocuspocus() {
  local run=$1 scenario
  for scenario in "${scenarios[@]}"; do
    start_node hocuspocus-server.js
    args_of "$scenario"
    record hocuspocus "$run" "$(node "$PEERS/hocuspocus-loadgen.js" --url "$NODE_URL" "${ARGS[@]}")" "$scenario"
    stop_node
  done
}

measure_append() {
  local run=$1
  record rembuk "$run" "$("$BENCH" append --threads "$APPEND_THREADS" --events "$APPEND_EVENTS")"
  record postgres "$run" "$("$BENCH" append-postgres --conninfo "$PG/events" \
                              --threads "$APPEND_THREADS" --events "$APPEND_EVENTS")"
}

uptime_before=$(uptime)
started=$(date -u +%Y-%m-%dT%H:%MZ)
for run in $(seq 1 "$RUNS"); do
  measure_rembuk "$run"
  measure_bare "$run"
  measure_sharedb sharedb-memory memory "$run"
  measure_sharedb sharedb-postgres postgres "$run"
  measure_hocuspocus "$run"
  measure_append "$run"
done
uptime_after=$(uptime)

# --- 4. the report ---------------------------------------------------------------------------
mkdir -p "$(dirname "$PLOT")"
export BUILD RUNS SECONDS_EACH SHAPES SUBSCRIBERS RATE APPEND_THREADS APPEND_EVENTS \
       uptime_before uptime_after started PLOT
export machine_cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
export machine_nproc="$(nproc)"
export machine_mem="$(free -h | awk '/^Mem:/ {print $2}')"
export machine_kernel="$(uname -srm)"
export machine_disk="$(df -h "$work" | awk 'NR==2 {print $1" ("$2")"}')"
export v_gcc="$(c++ --version | head -1)"
export v_node="$(node --version)"
export v_pg="$("$pgbin/postgres" --version)"
export v_lmdb="$(dpkg-query -W -f='${Version}' liblmdb-dev 2>/dev/null || echo '?')"
export v_npm="$(cd "$PEERS" && node -e '
  const fs = require("fs");
  for (const p of ["sharedb","sharedb-postgres","@hocuspocus/server","@hocuspocus/provider","yjs","ws","pg"])
    process.stdout.write(p + " " + JSON.parse(fs.readFileSync("node_modules/" + p + "/package.json")).version + ", ");' | sed 's/, $//')"
python3 - "$results" "$OUT" "$work/plot" <<'PY'
import json, os, statistics, sys
results, out, plotdir = sys.argv[1], sys.argv[2], sys.argv[3]
all_rows = [json.loads(l) for l in open(results) if l.strip()]
rows = [r for r in all_rows if not r.get("failed")]
failed = [r for r in all_rows if r.get("failed")]
env = os.environ

def pick(label, scenario, shape=None):
    return [r for r in rows if r["label"] == label and r["scenario"] == scenario
            and (shape is None or (r.get("clients"), r.get("documents")) == shape)]

shapes = [tuple(int(x) for x in s.split("/")) for s in env["SHAPES"].split()]

def stat(rs, key):
    v = [float(r[key]) for r in rs]
    return (statistics.median(v), min(v), max(v)) if v else None

def fmt(s, digits=0):
    if s is None: return "—"
    m, lo, hi = s
    f = "{:,.%df}" % digits
    return f"{f.format(m)} ({f.format(lo)}–{f.format(hi)})"

systems = ["rembuk", "bare-server", "sharedb-memory", "sharedb-postgres", "hocuspocus"]
L = []
L.append("# Benchmarks: rembuk next to the systems users would pick instead\n")
L.append("Written by `tests/bench/compare.sh` (how to run it and what each figure means: "
         "`docs/benchmarks.md`). Do not edit by hand; rerun the script.\n")
L.append(f"Run of {env['started']} at commit {env['v_commit']} (committed {env['v_commit_date']}): "
         f"{env['RUNS']} rounds; every figure is the **median** of the "
         "rounds with the (min–max) beside it. Within a round the systems take turns.\n")
L.append("## Machine\n")
L.append(f"- CPU: {env['machine_cpu']}, {env['machine_nproc']} cores (shared: other builds may run)")
L.append(f"- memory {env['machine_mem']}; kernel {env['machine_kernel']}; data on {env['machine_disk']}")
L.append(f"- load before: `{env['uptime_before'].strip()}`")
L.append(f"- load after: `{env['uptime_after'].strip()}`")
loads = [r["load1"] for r in rows]
if loads:
    L.append(f"- 1-minute load average at the end of each measurement: median {statistics.median(loads):.2f}, "
             f"min {min(loads):.2f}, max {max(loads):.2f}")
L.append("\n## Versions\n")
L.append(f"- rembuk {env['v_rembuk']}, {env.get('v_build_type') or 'unknown'} build ({env['BUILD']}), {env['v_gcc']}, LMDB {env['v_lmdb']}")
L.append(f"- {env['v_pg']}; Node {env['v_node']}")
L.append(f"- npm: {env['v_npm']}")
L.append("\n## Workload\n")
shape_list = ", ".join(f"{c} clients over {d} documents" for c, d in shapes)
L.append(f"- **edits** ({shape_list}): each client subscribed to its "
         "document and in a closed loop: set one field (the title) to a new short string, wait for the "
         f"server's acknowledgement, repeat; {env['SECONDS_EACH']} s per measurement. rembuk: "
         "`UpdateProgram{title}` acknowledged after the durable group commit (LMDB, fsync). "
         "ShareDB: a json0 `oi` op on `[\"title\"]` acknowledged by the server. Hocuspocus: "
         "`Y.Map.set(\"title\", …)` acknowledged by its SyncStatus reply.")
L.append(f"- **fanout**: {env['SUBSCRIBERS']} subscribers on one document, one writer doing "
         f"{env['RATE']} edits/s (open loop) for {env['SECONDS_EACH']} s; latency from the writer's send "
         "to the receipt at each subscriber (p50/p99 over all deliveries) and to the receipt at the "
         "last subscriber (all p99).")
L.append(f"- **append**: {env['APPEND_THREADS']} threads append {env['APPEND_EVENTS']} events of 300 bytes "
         "one at a time, durably: rembuk's event log (`rembuk-bench append`), raw LMDB puts in "
         "batches of the log's average size (same run), PostgreSQL as an event store "
         "(`rembuk-bench append-postgres`: one INSERT per transaction into an `events` table with "
         "unique (stream, revision), one stream and connection per thread, fsync and "
         "synchronous_commit on).")
L.append("- **bare-server** is rembuk's floor, not a product: `rembuk-bench bare-server` speaks "
         "the part of rembuk's protocol the load generator uses (acks after a durable raw LMDB "
         "group commit, live `events` to every subscriber, the author too) on Boost.Beast and "
         "Boost.JSON, and does nothing else (no token, state, rules, event record, hash or "
         "index). `rembuk ÷ bare-server` is how close rembuk is to what this machine allows a "
         "durable server; ShareDB and Hocuspocus keep nothing on disk.")
L.append("- Load generators: `rembuk-loadgen` (C++, Boost.Beast, one thread) drives rembuk and "
         "ShareDB; Hocuspocus is driven by `tests/bench/peers/hocuspocus-loadgen.js` (Node, the "
         "official `yjs` + `@hocuspocus/provider` clients, one process) printing the same JSON. "
         "On 2 cores the load generator shares the CPU with the server; the Node one costs "
         "more CPU than the C++ one, which favours rembuk and ShareDB against Hocuspocus.")
for shape in shapes:
    clients, docs = shape
    if not any(pick(s, "edits", shape) for s in systems):
        continue
    L.append(f"\n## Edits: {clients} clients over {docs} documents\n")
    if docs == clients:
        L.append("One document per client: no two clients wait on the same document, so this "
                 "shows what each system does without per-document queueing.\n")
    L.append("| system | edits/s | p50 ms | p99 ms | rembuk ÷ system (edits/s) | system p99 ÷ rembuk p99 |")
    L.append("|---|---|---|---|---|---|")
    base = stat(pick("rembuk", "edits", shape), "edits_per_s")
    base99 = stat(pick("rembuk", "edits", shape), "p99_ms")
    for s in systems:
        rs = pick(s, "edits", shape)
        if not rs: continue
        eps, p50, p99 = stat(rs, "edits_per_s"), stat(rs, "p50_ms"), stat(rs, "p99_ms")
        ratio = f"{base[0] / eps[0]:.1f}×" if base and eps[0] else "—"
        r99 = f"{p99[0] / base99[0]:.1f}×" if base99 and base99[0] else "—"
        L.append(f"| {s} | {fmt(eps)} | {fmt(p50, 2)} | {fmt(p99, 2)} | {ratio} | {r99} |")
L.append("\n## Fan-out: time to receipt\n")
L.append("| system | subscribers | p50 ms | p99 ms | all-received p99 ms | system p99 ÷ rembuk p99 |")
L.append("|---|---|---|---|---|---|")
fbase = stat(pick("rembuk", "fanout"), "p99_ms")
for s in systems:
    rs = pick(s, "fanout")
    if not rs: continue
    p50, p99, allp = stat(rs, "p50_ms"), stat(rs, "p99_ms"), stat(rs, "all_p99_ms")
    r99 = f"{p99[0] / fbase[0]:.1f}×" if fbase and fbase[0] else "—"
    L.append(f"| {s} | {rs[0]['subscribers']} | {fmt(p50, 2)} | {fmt(p99, 2)} | {fmt(allp, 2)} | {r99} |")
L.append("\n## Append: the event log next to raw LMDB and PostgreSQL\n")
L.append("| store | events/s | p50 µs | p99 µs | rembuk ÷ store |")
L.append("|---|---|---|---|---|")
ra = pick("rembuk", "append")
pa = pick("postgres", "append-postgres")
if ra:
    e = stat(ra, "events_per_s")
    L.append(f"| rembuk event log | {fmt(e)} | {fmt(stat(ra, 'p50_us'))} | {fmt(stat(ra, 'p99_us'))} | 1× |")
    raw = stat(ra, "raw_lmdb_events_per_s")
    L.append(f"| raw LMDB (same volume, log's batch size) | {fmt(raw)} | — | — | {e[0] / raw[0]:.2f}× |")
    if pa:
        p = stat(pa, "events_per_s")
        L.append(f"| PostgreSQL event store | {fmt(p)} | {fmt(stat(pa, 'p50_us'))} | {fmt(stat(pa, 'p99_us'))} | {e[0] / p[0]:.1f}× |")
if failed:
    L.append("\n## Failed measurements\n")
    L.append("Left out of the medians above (the reason is in the script's output):\n")
    for r in failed:
        L.append(f"- {r['label']} {r['scenario']}, round {r['run']} (load {r['load1']})")
L.append(f"\n![throughput and p99 per system]({os.path.relpath(env['PLOT'], os.path.dirname(out) or '.')})\n")
L.append("## Every measurement\n")
L.append("<details><summary>the JSON lines, as printed (label, round and load added)</summary>\n")
L.append("```json")
L += [json.dumps(r, separators=(",", ":")) for r in all_rows]
L.append("```\n</details>\n")
# A hand-written analysis below the marker survives a rerun (it then says which run it read).
marker = "<!-- hand-written: kept by compare.sh -->"
kept = ""
if os.path.exists(out):
    old = open(out).read()
    if marker in old:
        kept = old[old.index(marker):]
open(out, "w").write("\n".join(L) + "\n" + kept)

os.makedirs(plotdir, exist_ok=True)
with open(os.path.join(plotdir, "edits.dat"), "w") as f:
    for s in systems:
        rs = pick(s, "edits", shapes[0])
        if rs:
            eps, p99 = stat(rs, "edits_per_s"), stat(rs, "p99_ms")
            f.write(f"\"{s}\" {eps[0]} {eps[1]} {eps[2]} {p99[0]} {p99[1]} {p99[2]}\n")
with open(os.path.join(plotdir, "fanout.dat"), "w") as f:
    for s in systems:
        rs = pick(s, "fanout")
        if rs:
            p99 = stat(rs, "p99_ms")
            f.write(f"\"{s}\" {p99[0]} {p99[1]} {p99[2]}\n")
PY
gnuplot <<GP
set terminal pngcairo size 1500,460 font ",10"
set output "$PLOT"
set multiplot layout 1,3 title "rembuk and its peers, same machine, same run (median of $RUNS, bars: min–max)"
set style fill solid 0.6 border -1
set boxwidth 0.6
set grid ytics
set xtics nomirror rotate by -20 font ",9"
set yrange [0:*]
set title "edits (${SHAPES%% *} clients/docs): acked edits/s (higher is better)"
plot "$work/plot/edits.dat" using 0:2:xtic(1) with boxes lc rgb "#2a7ab0" notitle, \
     "" using 0:2:3:4 with yerrorbars lc rgb "black" pt 0 notitle
set title "edits: p99 latency to the ack, ms (lower is better)"
plot "$work/plot/edits.dat" using 0:5:xtic(1) with boxes lc rgb "#c0504d" notitle, \
     "" using 0:5:6:7 with yerrorbars lc rgb "black" pt 0 notitle
set title "fan-out to $SUBSCRIBERS: p99 time to receipt, ms (lower is better)"
plot "$work/plot/fanout.dat" using 0:2:xtic(1) with boxes lc rgb "#9bbb59" notitle, \
     "" using 0:2:3:4 with yerrorbars lc rgb "black" pt 0 notitle
unset multiplot
GP
cp "$results" "$work/../rembuk-compare-last.jsonl" 2>/dev/null || true
log "wrote $OUT and $PLOT"
