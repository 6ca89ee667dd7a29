#!/usr/bin/env bash
# The jobs tests need a Redis server on 127.0.0.1:6379 (broker, result store, shared cache).
#   1. a server already answering there is used as it is;
#   2. Debian's redis-server is installed (apt-get) where the machine has none;
#   3. a server is started on 127.0.0.1 only, without persistence (the tests' data is
#      throw-away), daemonized, its log and pid file under /tmp.
# REDIS_PORT chooses another port (used to try this script beside a running server).
set -euo pipefail
PORT="${REDIS_PORT:-6379}"
export DEBIAN_FRONTEND=noninteractive

answering() { command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = "PONG" ]; }

if answering; then
  exit 0
fi
if ! command -v redis-server >/dev/null; then
  echo "Redis is not installed; installing Debian's package (redis-server)…"
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
  # The package's own service may have started it (where the machine runs an init system).
  for _ in $(seq 1 5); do answering && exit 0; sleep 1; done
fi
echo "Starting Redis on 127.0.0.1:$PORT…"
redis-server --bind 127.0.0.1 --port "$PORT" --daemonize yes --save "" --appendonly no \
  --dir /tmp --pidfile "/tmp/gongjian-redis-$PORT.pid" --logfile "/tmp/gongjian-redis-$PORT.log"
for _ in $(seq 1 30); do
  answering && exit 0
  sleep 1
done
echo "Redis is not answering on 127.0.0.1:$PORT; the tests need it (log: /tmp/gongjian-redis-$PORT.log)." >&2
exit 1
