#!/usr/bin/env bash
# Installs what a fresh machine lacks and starts the services the test suite needs.
# Idempotent: safe to run on every CI run and on a developer machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${CONTENTOS_CACHE:-/var/tmp/contentos-cache}"
mkdir -p "$cache"

log() { printf '[setup] %s\n' "$*"; }

# --- system packages -------------------------------------------------------------------------
need_apt=()
command -v pg_isready >/dev/null 2>&1 || need_apt+=(postgresql postgresql-client)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential)
dpkg -s libfontconfig1-dev >/dev/null 2>&1 || need_apt+=(libfontconfig1-dev pkg-config)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv python3-pip)
# Native XGBoost training (contentos-predict feature `train`, scripts/test-train.sh): cmake
# builds the C++ library, bindgen needs libclang.
command -v cmake >/dev/null 2>&1 || need_apt+=(cmake)
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v cargo >/dev/null 2>&1 || { echo "cargo (rustup) is required" >&2; exit 1; }
rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt || true

# --- PostgreSQL ------------------------------------------------------------------------------
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  log "starting PostgreSQL"
  if ls /etc/postgresql >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE test" >/dev/null

# --- Redis -----------------------------------------------------------------------------------
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi

# --- Bluesky reference PDS (real server for the Bluesky adapter tests) -------------------------
if [ -f "$here/scripts/bluesky/setup.sh" ]; then
  bash "$here/scripts/bluesky/setup.sh"
fi
log "ready"
