#!/usr/bin/env bash
# Builds rembuk and runs every test. Installs missing Debian packages first.
#   0. before any build: no work period, tracker issue or person named in the tree
#      (scripts/check-tree-words.sh, and its own test); commit messages against
#      CONTRIBUTING.md (scripts/check-commit-subjects.sh: warnings only);
#   1. the CI preset (optimised, -Werror): every C++ test through CTest;
#   2. the client library and the web editor in a real Chromium, against that build;
#   3. the ASan+UBSan preset: the unit and integration tests again;
#   4. the fuzz preset (clang libFuzzer): each fuzz target for REMBUK_FUZZ_SECONDS (60) s;
#   5. the TSan preset: the concurrency tests (label `concurrency`).
#   REMBUK_SKIP_ASAN=1 / REMBUK_SKIP_BROWSER=1 / REMBUK_SKIP_FUZZ=1 / REMBUK_SKIP_TSAN=1 skip a
#   pass (quicker local runs). docs/hardening.md says what 4 and 5 cover.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (CMakeLists.txt uses it when installed) shares its results between checkouts: paths
# under the checkout are hashed relative to it, and the build folder is left out of the hash,
# so a fresh clone anywhere reuses what an earlier build of the same sources compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

scripts/check-tree-words.sh
scripts/check-tree-words-test.sh
scripts/check-commit-subjects-test.sh
scripts/check-commit-subjects.sh

groups=()
[ "${REMBUK_SKIP_BROWSER:-0}" = 1 ] || groups+=(browser)
[ "${REMBUK_SKIP_FUZZ:-0}" = 1 ] || groups+=(fuzz)
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

if [ "${REMBUK_SKIP_FUZZ:-0}" != 1 ]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs" --target fuzz_protocol fuzz_command fuzz_record_codec \
    fuzz_descriptor fuzz_text
  tests/fuzz/run.sh "${REMBUK_FUZZ_SECONDS:-60}"
fi

if [ "${REMBUK_SKIP_TSAN:-0}" != 1 ]; then
  # Only the binaries of the concurrency tests (tests/hardening/CMakeLists.txt lists them).
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs" --target concurrency_tests  # tests/hardening/CMakeLists.txt
  ctest --preset tsan -j "$jobs"
fi
