#!/usr/bin/env bash
# serve_template.sh REMBUK PLUGIN.so: the out-of-tree template in a running `rembuk serve`.
#   1. `rembuk import --plugins` creates a masterplan, enables the plugin and adds a program in
#      its pillar (decided with the plugin's rule, as the server would).
#   2. `rembuk serve --plugins DIR` starts on a free port with the plugin.
#   3. `rembuk plugin reload --data DIR` asks the running server what it has loaded: the
#      plugin must be there with the SHA-256 of this very file.
#   4. GET /api/masterplans/contoh-2025 (bash's /dev/tcp) shows the plugin enabled and the
#      program in its pillar.
set -euo pipefail
rembuk=$1
plugin=$2
work=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/serve.err ]] && sed 's/^/  serve: /' "$work/serve.err" >&2; exit 1; }

mkdir -p "$work/plugins"
cp "$plugin" "$work/plugins/"
actor='"actor":{"user":"u-tim","roles":["tim_pelaksana"]}'
cat > "$work/commands.jsonl" <<JSONL
{"masterplan":"contoh-2025","commandId":"c-1",$actor,"command":{"type":"CreateMasterplan","cityName":"Kota Contoh","regionCode":"00.00","startYear":2025,"endYear":2030}}
{"masterplan":"contoh-2025","commandId":"c-2",$actor,"command":{"type":"RegisterOpd","opdId":"disbud","name":"Dinas Kebudayaan"}}
{"masterplan":"contoh-2025","commandId":"c-3",$actor,"command":{"type":"EnablePlugin","plugin":"kota_contoh"}}
{"masterplan":"contoh-2025","commandId":"c-4",$actor,"command":{"type":"AddProgram","programId":"p-festival","title":"Festival budaya","description":"Bersama sanggar seni kelurahan","dimension":"kota_contoh_kearifan_lokal","element":"budaya_lokal","leadOpd":"disbud","startYear":2025,"endYear":2026}}
JSONL
"$rembuk" import --data "$work/data" --plugins "$work/plugins" "$work/commands.jsonl" > "$work/import.out" \
  || fail "import: $(cat "$work/import.out")"
[[ $(grep -c '"status":"ack"' "$work/import.out") == 4 ]] || fail "import: $(cat "$work/import.out")"

"$rembuk" serve --data "$work/data" --listen 127.0.0.1:0 --plugins "$work/plugins" \
  > "$work/serve.out" 2> "$work/serve.err" &
server=$!
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's|.*listening on https\?://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.err")
  [[ -n $port ]] && grep -q 'admin token' "$work/serve.out" && break
  sleep 0.05
done
[[ -n $port ]] || fail "rembuk serve did not start"
grep -q 'plugin kota_contoh 1.0.0 loaded' "$work/serve.err" || fail "serve did not load the plugin"
token=$(sed -n 's/^development admin token[^:]*: *//p' "$work/serve.out")

sha=$(sha256sum "$plugin" | cut -d' ' -f1)
report=$("$rembuk" plugin reload --data "$work/data") || fail "plugin reload: $report"
echo "$report"
grep -q "kept    kota_contoh 1.0.0 (sha256 ${sha:0:12})" <<<"$report" \
  || fail "the running server does not hold this build of kota_contoh"

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /api/masterplans/contoh-2025 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' \
  "$token" >&3
body=$(cat <&3)
exec 3<&-
grep -q '"name":"kota_contoh"' <<<"$body" || fail "plugin not enabled in: $body"
grep -q "\"sha256\":\"$sha\"" <<<"$body" || fail "not this build's sha256 in: $body"
grep -q '"dimension":"kota_contoh_kearifan_lokal"' <<<"$body" || fail "no program in the pillar: $body"
echo "ok: kota_contoh served by rembuk serve on port $port"
