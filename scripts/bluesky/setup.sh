#!/usr/bin/env bash
# Installs (once per machine, cached outside the clone) and starts the reference Bluesky network
# on loopback for the Bluesky adapter's real-server tests and the quickstart:
#   PLC :2582, PDS :2583 (what the publish tests use), AppView :2584 (app.bsky.feed.getPosts,
#   for metrics), Ozone :2585 (the AppView's moderation service).
# The AppView and Ozone need PostgreSQL (BSKY_DB_POSTGRES_URL, default the dedicated database
# contentos_bsky on 127.0.0.1:5432, created here) and Redis (REDIS_HOST, default
# 127.0.0.1:6379). When those are missing or the network fails to start, the bare PDS is started
# instead (publishing works; metrics are then unknown).
# Idempotent: does nothing when the PDS already answers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${CONTENTOS_CACHE:-/var/tmp/contentos-cache}/bsky"
mkdir -p "$cache"
pds_url="http://localhost:${PDS_PORT:-2583}"
appview_url="http://localhost:${APPVIEW_PORT:-2584}"
pg_server="${BSKY_PG_SERVER:-postgres://postgres@127.0.0.1:5432}"
pg_db="${BSKY_PG_DB:-contentos_bsky}"
schema="${BSKY_PG_SCHEMA:-contentos}"

if curl -sf "$pds_url/xrpc/_health" >/dev/null 2>&1; then
  if curl -sf "$appview_url/xrpc/_health" >/dev/null 2>&1; then
    echo "[bluesky] PDS at $pds_url and AppView at $appview_url already running"
  else
    echo "[bluesky] PDS already running at $pds_url (no AppView at $appview_url: Bluesky metrics"
    echo "[bluesky] will be unknown; stop that PDS and re-run this script to get the full network)"
  fi
  exit 0
fi

# A complete install has the native SQLite binding the PDS loads (an interrupted install lacks it).
installed() {
  [ -d "$cache/node_modules/@atproto/dev-env" ] &&
    [ -f "$cache/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ]
}
if ! cmp -s "$here/package.json" "$cache/package.json" || ! installed; then
  echo "[bluesky] npm install @atproto/dev-env (first run on this machine: a few minutes)"
  cp "$here/package.json" "$cache/package.json"
  [ -f "$here/package-lock.json" ] && cp "$here/package-lock.json" "$cache/package-lock.json"
  (cd "$cache" && npm install --no-audit --no-fund --loglevel=error)
fi

wait_ready() { # $1 = log file, $2 = pid file
  for _ in $(seq 1 180); do
    grep -q READY "$1" 2>/dev/null && return 0
    kill -0 "$(cat "$2")" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

start_network() {
  command -v psql >/dev/null 2>&1 || return 1
  psql "$pg_server/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$pg_db'" 2>/dev/null |
    grep -q 1 || psql "$pg_server/postgres" -qc "CREATE DATABASE $pg_db" || return 1
  # The PDS and PLC start empty every time: drop what the AppView and Ozone indexed last time.
  psql "$pg_server/$pg_db" -qc \
    "DROP SCHEMA IF EXISTS appview_$schema CASCADE; DROP SCHEMA IF EXISTS ozone_$schema CASCADE;" \
    >/dev/null 2>&1 || return 1
  echo "[bluesky] starting PLC, PDS, AppView and Ozone (PostgreSQL $pg_db, schemas *_$schema)"
  DB_POSTGRES_URL="$pg_server/$pg_db" DB_POSTGRES_SCHEMA="$schema" \
    REDIS_HOST="${REDIS_HOST:-127.0.0.1:6379}" NODE_PATH="$cache/node_modules" \
    nohup node "$here/start-network.js" >"$cache/network.log" 2>&1 &
  echo $! >"$cache/network.pid"
  wait_ready "$cache/network.log" "$cache/network.pid"
}

if start_network; then
  echo "[bluesky] $(grep READY "$cache/network.log")"
  exit 0
fi
echo "[bluesky] the full network did not start; falling back to the bare PDS (no metrics):" >&2
tail -15 "$cache/network.log" >&2 2>/dev/null || true
if [ -f "$cache/network.pid" ]; then kill "$(cat "$cache/network.pid")" 2>/dev/null || true; fi

echo "[bluesky] starting PDS"
NODE_PATH="$cache/node_modules" nohup node "$here/start-pds.js" >"$cache/pds.log" 2>&1 &
echo $! >"$cache/pds.pid"
if ! wait_ready "$cache/pds.log" "$cache/pds.pid"; then
  echo "[bluesky] PDS failed to start:" >&2
  tail -30 "$cache/pds.log" >&2
  exit 1
fi
echo "[bluesky] $(grep READY "$cache/pds.log")"
