#!/usr/bin/env bash
# Installs, from Debian's packages, whatever rembuk needs that this machine lacks.
# Idempotent: a package already present is skipped, so a second run does nothing.
# Needs root (or sudo) only when something is actually missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  liblmdb-dev lmdb-utils libssl-dev openssl
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libvalijson-dev libjemalloc-dev libsodium-dev
  libpq-dev postgresql
  libseccomp-dev
)
# libpq-dev (the PostgreSQL event log) and postgresql (its tests start a throw-away server)
# are in the default group because CI runs those tests; `postgres` names them on their own.
# libseccomp-dev: the seccomp filter of isolated plugins' worker processes.
# Extra groups, asked for by name: `web` to build the web editor, `browser` for its tests,
# `bench` for tests/bench/compare.sh (the peers: Node, PostgreSQL + libpq; the plot: gnuplot).
# `browser` also brings what PDFs need: Chromium prints them (rembuk export --format pdf) and
# poppler-utils' pdftotext reads them back in the tests.
for group in "$@"; do
  case "$group" in
    web) packages+=(nodejs npm) ;;
    browser) packages+=(nodejs npm chromium poppler-utils) ;;
    fuzz) packages+=(clang libclang-rt-14-dev) ;;
    postgres) packages+=(libpq-dev postgresql) ;;
    bench) packages+=(nodejs npm postgresql libpq-dev gnuplot-nox python3) ;;
    *) echo "setup-deps: unknown group '$group' (known: web, browser, fuzz, bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from outside Debian (as on the dev image): a working binary counts.
  case "$p" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-deps: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
