#!/usr/bin/env bash
# Builds the web client and runs the client library's tests (unit + integration) and the
# browser tests against a real rembuk binary.
#
#   tests/browser/run.sh path/to/rembuk
#
# Needs node ≥ 20.19 with npm, and Chromium at /usr/bin/chromium (or CHROMIUM_PATH):
# `scripts/setup-deps.sh browser`. npm dependencies come from the committed lock files
# (`npm ci`). Screenshots land in tests/browser/artifacts/. The city plugins come from the
# build that holds the binary (<build>/plugins/*/*.so) or REMBUK_PLUGINS_DIR.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 path/to/rembuk" >&2
  exit 2
fi
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
if [[ ! -x "$bin" ]]; then
  echo "run.sh: not an executable: $1" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "run.sh: no Chromium at $chromium (scripts/setup-deps.sh browser)" >&2
  exit 2
fi

export REMBUK_BIN="$bin" CHROMIUM_PATH="$chromium"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

echo "== npm ci (clients, tests/browser)"
(cd "$root/clients" && npm ci --no-progress)
(cd "$here" && npm ci --no-progress)

echo "== build @rembuk/client and the web editor"
(cd "$root/clients" && npm run build)

echo "== @rembuk/client: type check, unit tests, integration tests against $bin"
(cd "$root/clients/js" && npm test)

echo "== browser tests (Chromium contexts against rembuk serve)"
mkdir -p "$here/artifacts"
(cd "$here" && node --test --test-concurrency=1 --test-reporter=spec editor.test.mjs masterplan.test.mjs \
  text.test.mjs fold.test.mjs bimtek.test.mjs \
  identity.test.mjs)
echo "== screenshots in ${here#"$root"/}/artifacts/"
