#!/usr/bin/env bash
# The test suite needs a PostgreSQL server on 127.0.0.1:5432 that trusts local connections
# (user postgres, no password). In order:
#   1. a server already answering there is used as it is (nothing is changed);
#   2. Debian's PostgreSQL is installed (apt-get) where the machine has no server;
#   3. a cluster on that port that is stopped is started;
#   4. where there is no cluster on that port, one is created with trust authentication
#      (the only kind of cluster this script ever configures is one it created itself).
# PG_PORT and PG_CLUSTER choose another port / cluster name (used to try this script on a
# machine that already runs PostgreSQL, without touching its server).
set -euo pipefail
PORT="${PG_PORT:-5432}"
CLUSTER="${PG_CLUSTER:-main}"
export DEBIAN_FRONTEND=noninteractive

answering() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$PORT"; }
wait_for_server() {
  for _ in $(seq 1 30); do answering && return 0; sleep 1; done
  return 1
}

if answering; then
  exit 0
fi

# 2. No server binaries: install Debian's PostgreSQL (its postinst may create 'main').
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "PostgreSQL is not installed; installing Debian's package (postgresql)…"
  apt-get update -qq
  apt-get install -y -qq postgresql postgresql-client >/dev/null
  INSTALLED=1
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"

# 3. A cluster already configured for this port: start it.
existing="$(pg_lsclusters -h 2>/dev/null | awk -v port="$PORT" '$3 == port {print $1 " " $2; exit}')"
if [ -n "$existing" ]; then
  if [ "${INSTALLED:-0}" = 1 ]; then
    # The cluster the package has just created (peer/password authentication): trust
    # connections from this machine, as the tests expect; it holds no data yet.
    hba="/etc/postgresql/${existing// //}/pg_hba.conf"
    printf '%s\n' "local all all trust" "host all all 127.0.0.1/32 trust" "host all all ::1/128 trust" > "$hba"
    # shellcheck disable=SC2086
    pg_ctlcluster --skip-systemctl-redirect $existing reload 2>/dev/null || true
  fi
  # shellcheck disable=SC2086
  pg_ctlcluster --skip-systemctl-redirect $existing start || true
  if wait_for_server; then exit 0; fi
  echo "The PostgreSQL cluster $existing on port $PORT did not start; see /var/log/postgresql/." >&2
  exit 1
fi

# 4. No cluster on this port: create one that trusts connections from this machine only.
if pg_lsclusters -h 2>/dev/null | awk '{print $1 " " $2}' | grep -qx "$VERSION $CLUSTER"; then
  echo "A cluster $VERSION/$CLUSTER exists on another port; set PG_CLUSTER to create a new one." >&2
  exit 1
fi
echo "Creating PostgreSQL cluster $VERSION/$CLUSTER on 127.0.0.1:$PORT (trust authentication)…"
# Debian's default listen_addresses is 'localhost': the loopback interface only.
pg_createcluster "$VERSION" "$CLUSTER" --port "$PORT" -- --auth-local=trust --auth-host=trust >/dev/null
pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" start
if wait_for_server && psql -h 127.0.0.1 -p "$PORT" -U postgres -Atc "SELECT 1" >/dev/null; then
  exit 0
fi
echo "PostgreSQL is not answering on 127.0.0.1:$PORT; the tests need it." >&2
exit 1
