#!/usr/bin/env bash
# serve_reload.sh REMBUK V1.so V2.so: hot reload of the real `rembuk serve` child process.
#   - serve --plugins DIR --config FILE (fixture isolated) with v1; serve.pid is written;
#   - v2 renamed over v1, `rembuk plugin reload --data` → "loaded fixture_versioned 2.0.0";
#   - file removed, `kill -HUP` → the server logs the plugin dropped;
#   - SIGTERM → exit 0 and serve.pid removed; `rembuk plugin reload` then exits 2.
set -euo pipefail
rembuk=$1 v1=$2 v2=$3
work=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/serve.err ]] && sed 's/^/  serve: /' "$work/serve.err" >&2; exit 1; }
wait_for() {  # wait_for PATTERN FILE
  for _ in $(seq 1 400); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.05; done
  fail "no \"$1\" in $2"
}

mkdir -p "$work/plugins"
cp "$v1" "$work/plugins/versioned.so"
echo '{"plugins": {"isolated": ["fixture_versioned"], "budgetMs": 2000}}' > "$work/config.json"
"$rembuk" serve --data "$work/data" --listen 127.0.0.1:0 --plugins "$work/plugins" \
  --config "$work/config.json" > "$work/serve.out" 2> "$work/serve.err" &
server=$!
wait_for 'listening on' "$work/serve.err"
grep -q 'plugin fixture_versioned 1.0.0 loaded' "$work/serve.err" || fail "v1 not loaded"
grep -q 'plugin fixture_versioned isolated in worker processes' "$work/serve.err" \
  || fail "isolation not configured"
[[ $(cat "$work/data/serve.pid") == "$server" ]] || fail "serve.pid is not the server's pid"

cp "$v2" "$work/plugins/versioned.so.new"
mv "$work/plugins/versioned.so.new" "$work/plugins/versioned.so"
out=$("$rembuk" plugin reload --data "$work/data") || fail "reload: $out"
echo "$out"
grep -q '^loaded  fixture_versioned 2.0.0' <<<"$out" || fail "v2 not loaded: $out"
grep -q 'reload: plugin fixture_versioned 2.0.0 loaded' "$work/serve.err" || fail "no reload log"

rm "$work/plugins/versioned.so"
kill -HUP "$server"
wait_for 'reload: plugin fixture_versioned dropped' "$work/serve.err"

kill -TERM "$server"
rc=0; wait "$server" || rc=$?
server=
[[ $rc == 0 ]] || fail "serve exited $rc"
[[ ! -e $work/data/serve.pid ]] || fail "serve.pid left behind"
rc=0; "$rembuk" plugin reload --data "$work/data" --timeout-ms 500 2> "$work/reload.err" || rc=$?
[[ $rc == 2 ]] || fail "reload without a server exited $rc"
grep -q 'no rembuk serve with plugins runs on' "$work/reload.err" || fail "$(cat "$work/reload.err")"
echo "ok: rembuk serve reloaded v1 → v2 → dropped, by rembuk plugin reload and SIGHUP"
