#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL: a fresh cluster in a temporary directory, listening
# on 127.0.0.1 on a free port, DATABASE_URL exported; stopped and removed afterwards, whatever
# the command's outcome. The command's exit status is this script's.
#
#   bash scripts/with-postgres.sh npx vitest run test/unit/collector
#   bash scripts/with-postgres.sh node collector/bench.mjs
#
# Works as root with no prior set-up (CI): installs Debian's postgresql when it is missing, and
# runs the server as the `postgres` system user (initdb refuses root). As another user it runs
# the server as that user. Durability is off (fsync, synchronous_commit): test data only.
set -euo pipefail
# runuser, and on some systems pg tools, live in sbin, which a minimal PATH (CI, `env -i`) lacks.
export PATH="$PATH:/usr/sbin:/sbin"

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/with-postgres.sh <command> [args…]" >&2
  exit 2
fi

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; fi
}

PGBIN=$(find_bin)
if [ -z "$PGBIN" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "with-postgres: PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); as root: apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "with-postgres: installing postgresql (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  PGBIN=$(find_bin)
  [ -n "$PGBIN" ] || { echo "with-postgres: initdb still not found after installing postgresql" >&2; exit 1; }
fi

AS=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
  AS=(runuser -u postgres --)
fi

# A free port on 127.0.0.1 (the kernel picks one; a race with another process is unlikely and
# makes pg_ctl fail loudly rather than connect to the wrong server).
free_port() {
  if command -v node >/dev/null 2>&1; then
    node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
  else
    python3 -c "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1]);s.close()"
  fi
}
PORT=$(free_port)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/crm-coach-pg.XXXXXX")
chmod 755 "$TMP"
DATA="$TMP/data"
mkdir -p "$DATA"
if [ "${#AS[@]}" -gt 0 ]; then chown -R postgres: "$TMP"; fi

cleanup() {
  local status=$?
  ${AS[@]+"${AS[@]}"} "$PGBIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

${AS[@]+"${AS[@]}"} "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$TMP/initdb.log" 2>&1 || {
  cat "$TMP/initdb.log" >&2
  exit 1
}
${AS[@]+"${AS[@]}"} "$PGBIN/pg_ctl" -D "$DATA" -l "$TMP/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || {
  cat "$TMP/server.log" >&2
  exit 1
}

export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (DATABASE_URL exported)" >&2
set +e
"$@"
status=$?
set -e
exit "$status"
