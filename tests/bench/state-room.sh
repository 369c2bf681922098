#!/bin/bash
# state-room: a Bimtek room opening one masterplan at once. `rembuk serve` on DATA, one GET
# /api/masterplans/ID to load it, then READERS (default 40) GETs of it at once (curl, one
# connection each), then 10 one after another. Prints one JSON line:
#   {"scenario":"state-room","masterplan","bytes","readers","together_p50_ms",
#    "together_max_ms","repeat_p50_ms"}
# Usage: tests/bench/state-room.sh REMBUK DATA ID [READERS]
#   e.g. tests/bench/state-room.sh build/ci/kernel/cli/rembuk /var/tmp/national kota-007
set -euo pipefail
rembuk=$1 data=$2 id=$3 readers=${4:-40}
work=$(mktemp -d)
trap 'kill -TERM "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
token=$("$rembuk" token issue --data "$data" --user u-state-room --role admin)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$rembuk" serve --data "$data" --listen "127.0.0.1:$port" >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" 2>/dev/null | grep -q 200 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.05
done
url=http://127.0.0.1:$port/api/masterplans/$id
get() { curl -s -f -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"; }
get >/dev/null || { echo "state-room: GET $url failed" >&2; exit 1; }
export -f get; export token url
seq 1 "$readers" | xargs -P "$readers" -I{} bash -c get >"$work/together"
for _ in $(seq 1 10); do get; done >"$work/repeat"
bytes=$(curl -s -H "Authorization: Bearer $token" "$url" | wc -c)
python3 - "$id" "$bytes" "$readers" "$work/together" "$work/repeat" <<'PY'
import json, statistics, sys
ms = lambda path: sorted(float(x) * 1000 for x in open(path))
together, repeat = ms(sys.argv[4]), ms(sys.argv[5])
if len(together) != int(sys.argv[3]): sys.exit("state-room: a reader's GET failed")
print(json.dumps({"scenario": "state-room", "masterplan": sys.argv[1], "bytes": int(sys.argv[2]),
                  "readers": int(sys.argv[3]), "together_p50_ms": round(statistics.median(together), 1),
                  "together_max_ms": round(together[-1], 1),
                  "repeat_p50_ms": round(statistics.median(repeat), 1)}))
PY
