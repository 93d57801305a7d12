#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on 127.0.0.1 (its own folder and port),
# with BACKSTRIDE_DB pointing at it. The cluster is removed afterwards.
set -euo pipefail
initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
bindir=$(dirname "$initdb")
port=${BACKSTRIDE_PG_PORT:-54329}
dir=$(mktemp -d /tmp/backstride-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
cleanup() { "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE backstride" >/dev/null
export BACKSTRIDE_DB="postgresql://postgres@127.0.0.1:$port/backstride"
"$@"
