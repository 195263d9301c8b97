#!/usr/bin/env bash
# Installs (once per machine, cached outside the clone) and starts the reference Bluesky PDS on
# loopback (PDS :2583, PLC :2582) for the Bluesky adapter's real-server tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${CONTENTOS_CACHE:-/var/tmp/contentos-cache}/bsky"
mkdir -p "$cache"
pds_url="http://localhost:${PDS_PORT:-2583}"

if curl -sf "$pds_url/xrpc/_health" >/dev/null 2>&1; then
  echo "[bluesky] PDS already running at $pds_url"
  exit 0
fi

if ! cmp -s "$here/package.json" "$cache/package.json" || [ ! -d "$cache/node_modules/@atproto/dev-env" ]; then
  echo "[bluesky] npm install @atproto/dev-env (first run on this machine: ~2 minutes)"
  cp "$here/package.json" "$cache/package.json"
  [ -f "$here/package-lock.json" ] && cp "$here/package-lock.json" "$cache/package-lock.json"
  (cd "$cache" && npm install --no-audit --no-fund --loglevel=error)
fi

echo "[bluesky] starting PDS"
NODE_PATH="$cache/node_modules" nohup node "$here/start-pds.js" >"$cache/pds.log" 2>&1 &
echo $! >"$cache/pds.pid"
for _ in $(seq 1 120); do
  grep -q READY "$cache/pds.log" 2>/dev/null && break
  if ! kill -0 "$(cat "$cache/pds.pid")" 2>/dev/null; then break; fi
  sleep 1
done
if ! grep -q READY "$cache/pds.log"; then
  echo "[bluesky] PDS failed to start:" >&2
  tail -30 "$cache/pds.log" >&2
  exit 1
fi
echo "[bluesky] $(grep READY "$cache/pds.log")"
