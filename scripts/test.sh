#!/usr/bin/env bash
# Builds rembuk and runs every test. Installs missing Debian packages first.
#   1. the CI preset (optimised, -Werror): every C++ test through CTest;
#   2. the client library and the web editor in a real Chromium, against that build;
#   3. the ASan+UBSan preset: the unit and integration tests again.
#   REMBUK_SKIP_ASAN=1 / REMBUK_SKIP_BROWSER=1 skip a pass (quicker local runs).
set -euo pipefail
cd "$(dirname "$0")/.."

groups=()
[ "${REMBUK_SKIP_BROWSER:-0}" = 1 ] || groups+=(browser)
scripts/setup-deps.sh "${groups[@]}"
jobs=$(nproc)

cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

if [ "${REMBUK_SKIP_BROWSER:-0}" != 1 ]; then
  tests/browser/run.sh build/ci/kernel/cli/rembuk
fi

if [ "${REMBUK_SKIP_ASAN:-0}" != 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"
fi
