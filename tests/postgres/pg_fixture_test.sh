#!/usr/bin/env bash
# The PostgreSQL fixture works wherever the checkout is, and its failure stays its own:
#   1. started with its folder inside a mode-700 parent (as a checkout under /root is), it
#      comes up and answers a query, and stop removes every trace of it;
#   2. a PostgreSQL whose initdb fails makes start exit 1 with the reason on stderr and in
#      DIR/why, and leaves no cluster behind;
#   3. no PostgreSQL at all is exit 77 (the tests skip);
#   4. in the build tree's test list, no LMDB case of a contract suite requires the
#      `postgres` fixture: they run when PostgreSQL cannot start.
# Usage: pg_fixture_test.sh PG_FIXTURE_SH BUILD_DIR. Exit 77 when PostgreSQL is not installed.
set -euo pipefail

fixture=${1:?usage: pg_fixture_test.sh PG_FIXTURE_SH BUILD_DIR}
build_dir=${2:?usage: pg_fixture_test.sh PG_FIXTURE_SH BUILD_DIR}

failures=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what" >&2; failures=$((failures + 1)); fi
}

parent=$(mktemp -d)  # mode 700, owned by whoever runs the suite
# The broken PostgreSQL below runs as the server's user, so it lives where that user can read.
fake=$(mktemp -d "${TMPDIR:-/tmp}/rembuk-broken-pg.XXXXXX")
trap 'rm -rf "$parent" "$fake"' EXIT
chmod 700 "$parent"
state="$parent/checkout/build/postgres-test-server"

# 1. A private parent.
set +e
uri=$("$fixture" start "$state" 2>"$parent/start.err")
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  if [ "$rc" -eq 77 ]; then echo "skipped: PostgreSQL is not installed"; exit 77; fi
  echo "FAILED: the fixture did not start under a mode-700 parent:" >&2
  cat "$parent/start.err" >&2
  exit 1
fi
cluster=$(cat "$state/cluster")
check "the connection URI is written to DIR/conninfo" test "$(cat "$state/conninfo")" = "$uri"
check "the cluster lies outside the private parent" test "${cluster#"$parent"}" = "$cluster"
check "the server answers a query" \
  bash -c "[ \"\$(psql '$uri' -tA -c 'select 40 + 2')\" = 42 ]"
"$fixture" stop "$state"
check "stop removes the cluster" test ! -e "$cluster"
check "stop removes the fixture's folder" test ! -e "$state"

# 2. A PostgreSQL that cannot start.
chmod 755 "$fake"
printf '#!/bin/sh\necho "initdb: refusing on purpose" >&2\nexit 1\n' >"$fake/initdb"
chmod 755 "$fake/initdb"
set +e
REMBUK_PG_BIN=$fake "$fixture" start "$parent/broken" >/dev/null 2>"$parent/broken.err"
rc=$?
set -e
check "a failing initdb makes start exit 1 (got $rc)" test "$rc" -eq 1
check "the reason is on stderr" grep -q "initdb: refusing on purpose" "$parent/broken.err"
check "the reason is in DIR/why" grep -q "PostgreSQL could not start" "$parent/broken/why"
broken_cluster=$(cat "$parent/broken/cluster" 2>/dev/null || true)
check "a failed start leaves no cluster" test -n "$broken_cluster" -a ! -e "$broken_cluster"
"$fixture" stop "$parent/broken"

# 3. No PostgreSQL.
set +e
REMBUK_PG_BIN=$parent/nowhere "$fixture" start "$parent/none" >/dev/null 2>&1
rc=$?
set -e
check "no initdb makes start exit 77 (got $rc)" test "$rc" -eq 77
"$fixture" stop "$parent/none"

# 4. Which tests depend on the fixture.
ctest --test-dir "$build_dir" --show-only=json-v1 >"$parent/tests.json"
python3 - "$parent/tests.json" <<'PY' || failures=$((failures + 1))
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
def requires_postgres(test):
    for prop in test.get("properties", []):
        if prop["name"] == "FIXTURES_REQUIRED" and "postgres" in prop["value"]:
            return True
    return False
needing = [t["name"] for t in tests if requires_postgres(t)]
# A parameterised case's name ends "/Postgres" or "/Lmdb", then maybe "  # GetParam() = …".
def backend(name):
    case = name.split("  # ")[0]
    return case.rsplit("/", 1)[-1] if "/" in case else ""
lmdb = [t for t in tests if backend(t["name"]) == "Lmdb"]
lmdb_free = [t["name"] for t in lmdb if not requires_postgres(t)]
lmdb_bound = [t["name"] for t in lmdb if requires_postgres(t)]
ok = True
if lmdb_bound:
    print("FAILED: LMDB cases require the postgres fixture:", lmdb_bound[:10], file=sys.stderr)
    ok = False
if not needing or not lmdb_free:
    print(f"FAILED: expected both PostgreSQL cases ({len(needing)}) and LMDB cases "
          f"({len(lmdb_free)}) of the contract suites", file=sys.stderr)
    ok = False
if ok:
    print(f"ok: {len(needing)} tests require the postgres fixture, none of them LMDB cases; "
          f"{len(lmdb_free)} LMDB contract cases do not")
sys.exit(0 if ok else 1)
PY

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed" >&2; exit 1; }
echo "pg_fixture: all checks passed"
