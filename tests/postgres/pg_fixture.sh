#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and benchmarks, from Debian's `postgresql` package.
#
#   pg_fixture.sh start DIR   starts a server on a free loopback port; prints the connection
#                             URI and writes it to DIR/conninfo. Exit 77 when PostgreSQL is
#                             not installed (callers skip), 1 on any other failure, with the
#                             reason on stderr and in DIR/why.
#   pg_fixture.sh stop DIR    stops it (fast shutdown) and removes its cluster and DIR.
#
# DIR only holds the fixture's notes (conninfo, why, the cluster's path); it may lie anywhere
# the caller can write, e.g. inside a checkout under /root. The cluster itself lives in a
# fresh folder under the system's temporary directory, owned by the user the server runs as:
# PostgreSQL refuses to run as root, so as root the server runs as `nobody` (or
# $REMBUK_PG_USER), who could not enter a checkout in a private folder.
#
# PG_FSYNC=on keeps fsync (benchmarks); the default turns it off: tests need no durability
# against machine crashes and run much faster without it. REMBUK_PG_BIN names the folder of
# initdb and pg_ctl (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

cmd=${1:?usage: pg_fixture.sh start|stop DIR}
dir=${2:?usage: pg_fixture.sh start|stop DIR}

bin=${REMBUK_PG_BIN:-}
if [ -z "$bin" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bin=$candidate
  done
fi

owner=$(id -un)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  owner=${REMBUK_PG_USER:-nobody}
  as_owner=(runuser -u "$owner" --)
fi

# Says why the server cannot start, on stderr and in DIR/why (the tests quote it), and fails.
fail() {
  local reason="pg_fixture: PostgreSQL could not start: $1"
  echo "$reason" >&2
  if [ -n "${2:-}" ] && [ -s "$2" ]; then sed 's/^/  | /' "$2" >&2; fi
  { echo "$reason"; [ -n "${2:-}" ] && [ -s "$2" ] && tail -n 20 "$2"; } >"$dir/why" 2>/dev/null || true
  case "$cluster" in */rembuk-pg.*) rm -rf "$cluster" ;; esac
  exit "${3:-1}"
}

# A folder the server's owner can enter and write, under the first temporary directory that
# lets it: $TMPDIR may itself be private (mode 700), /tmp is not.
make_cluster_dir() {
  local base made
  for base in "${TMPDIR:-}" /tmp /var/tmp; do
    [ -n "$base" ] && [ -d "$base" ] || continue
    made=$(mktemp -d "$base/rembuk-pg.XXXXXX" 2>/dev/null) || continue
    if [ "$(id -u)" -eq 0 ]; then chown "$owner" "$made"; fi
    chmod 700 "$made"
    if "${as_owner[@]}" test -w "$made" -a -x "$made" 2>/dev/null; then
      echo "$made"
      return 0
    fi
    rm -rf "$made"
  done
  return 1
}

cluster=""
case "$cmd" in
  start)
    "$0" stop "$dir" 2>/dev/null || true  # a server left by an earlier run of the same DIR
    mkdir -p "$dir"
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      fail "PostgreSQL is not installed (apt-get install postgresql)" "" 77
    fi
    if [ "$(id -u)" -eq 0 ] && ! id -u "$owner" >/dev/null 2>&1; then
      fail "running as root, the server needs an ordinary user to run as, and '$owner' does not exist (set REMBUK_PG_USER)"
    fi
    cluster=$(make_cluster_dir) ||
      fail "no temporary folder that '$owner' may enter and write (tried \$TMPDIR, /tmp, /var/tmp)"
    echo "$cluster" >"$dir/cluster"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fsync=${PG_FSYNC:-off}
    "${as_owner[@]}" "$bin/initdb" -D "$cluster/data" -U rembuk --auth=trust -E UTF8 --no-sync \
      >"$cluster/initdb.log" 2>&1 || fail "initdb as '$owner' in $cluster failed:" "$cluster/initdb.log"
    "${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$cluster'
          -c fsync=$fsync -c synchronous_commit=$fsync -c full_page_writes=$fsync
          -c max_connections=300 -c shared_buffers=64MB" start >"$cluster/pg_ctl.log" 2>&1 ||
      fail "the server as '$owner' in $cluster did not start:" "$cluster/server.log"
    uri="postgresql://rembuk@127.0.0.1:$port/postgres"
    echo "$uri" >"$dir/conninfo"
    echo "$uri"
    ;;
  stop)
    cluster=""
    [ -f "$dir/cluster" ] && cluster=$(cat "$dir/cluster")
    if [ -n "$cluster" ] && [ -f "$cluster/data/postmaster.pid" ] && [ -n "$bin" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    case "$cluster" in */rembuk-pg.*) rm -rf "$cluster" ;; esac
    rm -rf "$dir"
    ;;
  *) echo "usage: pg_fixture.sh start|stop DIR" >&2; exit 2 ;;
esac
