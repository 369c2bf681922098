#!/usr/bin/env bash
# Builds rembuk and runs every test. Installs missing Debian packages first.
#   scripts/test.sh            the CI preset (optimised, -Werror), then the ASan+UBSan build
#   REMBUK_SKIP_ASAN=1 ...     skip the sanitizer pass (quicker local runs)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-deps.sh
jobs=$(nproc)

cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

if [ "${REMBUK_SKIP_ASAN:-0}" != 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"
fi
