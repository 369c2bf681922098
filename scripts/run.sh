#!/usr/bin/env bash
# Builds rembuk (release) and the web editor, seeds the Padang, Payakumbuh and Pariaman
# examples into a fresh ./rembuk-data (with their plugins enabled; Padang's Bimtek track),
# and starts `rembuk serve` on its embedded defaults with the three city plugins. Prints
# the editor's address: a one-time link that makes the first admin account.
#   REMBUK_LISTEN=127.0.0.1:9000 scripts/run.sh     another address
#   REMBUK_DATA=/tmp/demo scripts/run.sh             another data folder
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup-deps.sh web
cmake --preset release >/dev/null
# Only what the demo runs: the executable and the city plugins (not the tests).
cmake --build --preset release -j "$(nproc)" --target rembuk padang payakumbuh pariaman
bin="$root/build/release/kernel/cli/rembuk"

# The web editor (npm packages from the committed lock file).
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
if [ ! -f clients/web/dist/index.html ] || [ -n "$(find clients/js/src clients/web/src clients/web/index.html -newer clients/web/dist/index.html 2>/dev/null | head -1)" ]; then
  (cd clients && npm ci --no-progress && npm run build)
fi

# The city plugins, gathered in one folder for --plugins.
plugins="$root/build/release/city-plugins"
mkdir -p "$plugins"
cp -f build/release/plugins/{padang,payakumbuh,pariaman}/*.so "$plugins/"

data="${REMBUK_DATA:-$root/rembuk-data}"
if [ ! -e "$data/data.mdb" ]; then
  echo "Seeding the Padang 2019, Payakumbuh 2022 and Pariaman 2022 examples into $data"
  "$bin" import --data "$data" examples/masterplans/padang-2019.jsonl >/dev/null
  # The cities' pillars need their plugins loaded to be accepted (EnablePlugin).
  for example in padang-2019-plugins padang-2019-bimtek payakumbuh-2022 pariaman-2022; do
    "$bin" import --data "$data" --plugins "$plugins" "examples/masterplans/$example.jsonl" >/dev/null
  done
fi

listen="${REMBUK_LISTEN:-127.0.0.1:8080}"
echo
# The first admin account comes from a one-time invitation link (no raw token to paste).
if "$bin" user list --data "$data" --json | grep -q '"roles":\["admin"'; then
  echo "rembuk editor: http://$listen/  (sign in; rembuk user reset --data $data --user ID: a new password)"
else
  link=$("$bin" user invite --data "$data" --role admin --expires 1d --base-url "http://$listen/")
  echo "rembuk editor, first admin account (one-time link, 1 day): $link"
fi
echo "(Ctrl-C stops the server)"
echo
exec "$bin" serve --data "$data" --listen "$listen" --plugins "$plugins" --static clients/web/dist
