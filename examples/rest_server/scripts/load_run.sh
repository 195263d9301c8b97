#!/usr/bin/env bash
# Load run of the REST example (issue 10): release server on SQLite + fake OpenAI-compatible LLM,
# wrk as a second process on loopback, 500 connections. Prints p50/p95/p99, non-2xx counts and
# the server's own 5xx count from /metrics. Usage: bash examples/rest_server/scripts/load_run.sh
# Env: CONNECTIONS (500), DURATION (20s), PROFILE (release: debug to skip the release build).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
conns="${CONNECTIONS:-500}"; dur="${DURATION:-20s}"; profile="${PROFILE:-release}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
ulimit -n 65536 2>/dev/null || true
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

flag=(); [ "$profile" = release ] && flag=(--release)
cargo build -q "${flag[@]}" -p contentos-rest-example --bin contentos-rest
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/$([ "$profile" = release ] && echo release || echo debug)/contentos-rest"

python3 examples/rest_server/scripts/fake_llm.py 18081 >"$work/llm.log" 2>&1 & pids+=($!)
db="sqlite://$work/load.db"
CONTENTOS_DATABASE_URL="$db" CONTENTOS_JWT_SECRET="load-run-secret-load-run-secret-0123456789" \
CONTENTOS_INSECURE_COOKIES=1 CONTENTOS_RATE_LIMIT_PER_MINUTE=100000000 \
CONTENTOS_LLM_BASE_URL=http://127.0.0.1:18081/v1 CONTENTOS_LLM_MODEL=fake OPENAI_API_KEY=sk-load-run \
CONTENTOS_BIND=127.0.0.1:18080 RUST_LOG=warn \
  "$bin" >"$work/server.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/health >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:18080/health >/dev/null || { echo "server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

api() { curl -sf -H 'content-type: application/json' "$@"; }
api -X POST http://127.0.0.1:18080/api/auth/register -d '{"email":"load@example.com","password":"load-run-password"}' >/dev/null
# The free tier's monthly token quota would refuse most generations (402); load-test an enterprise user.
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE users SET subscription_tier='enterprise'\"); c.commit()" "${db#sqlite://}"
TOKEN="$(api -X POST http://127.0.0.1:18080/api/auth/login -d '{"email":"load@example.com","password":"load-run-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
WS="$(api -X POST http://127.0.0.1:18080/api/v1/workspaces -H "authorization: Bearer $TOKEN" -d '{"name":"Load"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
CID="$(api -X POST http://127.0.0.1:18080/api/v1/content/generate -H "authorization: Bearer $TOKEN" \
  -d "{\"workspaceId\":\"$WS\",\"input\":\"Write about AI in healthcare\",\"contentType\":\"social\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["contentId"])')"
export TOKEN WS CID

echo "== POST /api/v1/content/generate, $conns connections, $dur ($profile build, $db)"
wrk -t2 -c"$conns" -d"$dur" --timeout 10s -s examples/rest_server/scripts/wrk_generate.lua http://127.0.0.1:18080 | tail -4
echo "== GET /api/v1/content/{id}, $conns connections, $dur"
MODE=get wrk -t2 -c"$conns" -d"$dur" --timeout 10s -s examples/rest_server/scripts/wrk_generate.lua http://127.0.0.1:18080 | tail -4
echo "== server-side responses by status (from /metrics)"
curl -sf http://127.0.0.1:18080/metrics | grep -E '^api_requests_total' | sed 's/^/  /' || true
echo "== server log lines at error level: $(grep -c '"level":"ERROR"' "$work/server.log" || true)"
grep -i "locked" "$work/server.log" | head -3 || true
