# Sourced by smoke.sh and compare.sh: starts a durable `rembuk serve` on a free loopback port
# with a fresh data folder and the benchmark's limits, and sets REMBUK_PID, REMBUK_URL,
# REMBUK_TOKEN (the development admin token it prints). Usage: start_rembuk REMBUK_BIN DIR
start_rembuk() {
  local bin=$1 dir=$2
  mkdir -p "$dir/data"
  # No per-connection rate limit: a closed-loop client is faster than a person.
  printf '{"commandsPerSecond": 1000000000, "maxConnections": 100000, "sendQueueLimit": 100000}\n' \
    >"$dir/config.json"
  "$bin" serve --data "$dir/data" --listen 127.0.0.1:0 --config "$dir/config.json" \
    >"$dir/serve.out" 2>"$dir/serve.err" &
  REMBUK_PID=$!
  local port="" i
  for i in $(seq 1 200); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$dir/serve.err")
    [ -n "$port" ] && grep -q 'token' "$dir/serve.out" && break
    kill -0 "$REMBUK_PID" 2>/dev/null || { cat "$dir/serve.err" >&2; return 1; }
    sleep 0.05
  done
  [ -n "$port" ] || { echo "rembuk serve did not start" >&2; cat "$dir/serve.err" >&2; return 1; }
  REMBUK_URL="ws://127.0.0.1:$port/ws"
  REMBUK_TOKEN=$(sed -n 's/.*token[^:]*: *//p' "$dir/serve.out" | head -1)
}

stop_rembuk() {
  [ -n "${REMBUK_PID:-}" ] || return 0
  kill -TERM "$REMBUK_PID" 2>/dev/null || true
  wait "$REMBUK_PID" 2>/dev/null || true
  REMBUK_PID=""
}
