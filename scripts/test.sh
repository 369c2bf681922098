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
#   REMBUK_PRUNE_BUILDS=1 (the default when CI=true) removes each pass's build folder once the
#   pass is done: the four folders together take ~16 GB, one at a time at most ~9 GB.
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
prune=${REMBUK_PRUNE_BUILDS:-$([ "${CI:-}" = true ] && echo 1 || echo 0)}
# done_with PRESET: the pass of PRESET is over; drop its build folder when pruning.
done_with() {
  if [ "$prune" = 1 ]; then rm -rf "build/$1"; echo "test.sh: removed build/$1 (pass done)"; fi
}
# Say how much room there is before the builds start, so that a build stopped by a full disk
# is recognised as such at once.
free_gb=$(df -Pk . | awk 'NR == 2 { printf "%d", $4 / 1048576 }')
need_gb=$([ "$prune" = 1 ] && echo 12 || echo 20)
echo "test.sh: ${free_gb} GB free here; a full run needs about ${need_gb} GB" \
  "(build folders, ccache, test data; REMBUK_PRUNE_BUILDS=$prune)"
if [ "$free_gb" -lt "$need_gb" ]; then
  echo "test.sh: WARNING: less free disk than a full run needs; a build may stop with" \
    "'No space left on device'" >&2
fi

cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"

if [ "${REMBUK_SKIP_BROWSER:-0}" != 1 ]; then
  tests/browser/run.sh build/ci/kernel/cli/rembuk
fi
done_with ci

if [ "${REMBUK_SKIP_ASAN:-0}" != 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"
  done_with asan
fi

if [ "${REMBUK_SKIP_FUZZ:-0}" != 1 ]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs" --target fuzz_protocol fuzz_command fuzz_record_codec \
    fuzz_descriptor fuzz_text
  tests/fuzz/run.sh "${REMBUK_FUZZ_SECONDS:-60}"
  done_with fuzz
fi

if [ "${REMBUK_SKIP_TSAN:-0}" != 1 ]; then
  # Only the binaries of the concurrency tests (tests/hardening/CMakeLists.txt lists them).
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs" --target concurrency_tests  # tests/hardening/CMakeLists.txt
  ctest --preset tsan -j "$jobs"
fi
