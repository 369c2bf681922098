#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and benchmarks, from Debian's `postgresql` package.
#
#   pg_fixture.sh start DIR   initdb + pg_ctl start in DIR on a free loopback port; prints the
#                             connection URI and writes it to DIR/conninfo. Exit 77 when
#                             PostgreSQL is not installed (callers skip), 1 on any other failure.
#   pg_fixture.sh stop DIR    stops it (fast shutdown) and removes DIR.
#
# PostgreSQL refuses to run as root, so as root (CI) the server runs as `nobody`.
# PG_FSYNC=on keeps fsync (benchmarks); the default turns it off: tests need no durability
# against machine crashes and run much faster without it.
set -euo pipefail

cmd=${1:?usage: pg_fixture.sh start|stop DIR}
dir=${2:?usage: pg_fixture.sh start|stop DIR}

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && bin=$candidate
done

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u nobody --); fi

case "$cmd" in
  start)
    if [ -z "$bin" ]; then
      echo "pg_fixture: PostgreSQL is not installed (apt-get install postgresql)" >&2
      exit 77
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown nobody "$dir"; fi
    chmod 700 "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fsync=${PG_FSYNC:-off}
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U rembuk --auth=trust -E UTF8 --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$dir'
          -c fsync=$fsync -c synchronous_commit=$fsync -c full_page_writes=$fsync
          -c max_connections=300 -c shared_buffers=64MB" start >/dev/null 2>&1 \
      || { cat "$dir/server.log" >&2; exit 1; }
    uri="postgresql://rembuk@127.0.0.1:$port/postgres"
    echo "$uri" >"$dir/conninfo"
    echo "$uri"
    ;;
  stop)
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pg_fixture.sh start|stop DIR" >&2; exit 2 ;;
esac
