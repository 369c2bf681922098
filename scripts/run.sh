#!/usr/bin/env bash
# Builds rembuk (release) and starts it on its embedded defaults in ./rembuk-data.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
exec build/release/kernel/cli/rembuk demo "$@"
