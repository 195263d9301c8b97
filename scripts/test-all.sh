#!/usr/bin/env bash
# Runs every check and test suite of the repository. `bash .ci/run` calls this after setup.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export CONTENTOS_TEST_POSTGRES_URL="${CONTENTOS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
# The Bluesky real-server tests fail (not skip) when this is set and the PDS is down.
export CONTENTOS_BLUESKY_PDS="${CONTENTOS_BLUESKY_PDS:-http://localhost:2583}"
# The AppView metrics test (contentos-publishers/tests/bluesky_appview.rs) runs when the full
# local network (scripts/bluesky/setup.sh) has its AppView up; a bare PDS has none.
appview="${CONTENTOS_BLUESKY_APPVIEW:-http://localhost:2584}"
if curl -sf "$appview/xrpc/_health" >/dev/null 2>&1; then
  export CONTENTOS_BLUESKY_APPVIEW="$appview"
else
  echo "NOTE: no Bluesky AppView at $appview (bare PDS?): the AppView metrics test will not run"
fi

step() { printf '\n=== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --all-targets -- -D warnings

step "cargo test (root workspace: core, publishers, predict, examples; unit, integration and doc tests)"
cargo test 2>&1 | tee /tmp/contentos-cargo-test.log
test "${PIPESTATUS[0]}" -eq 0
echo "PostgreSQL and Bluesky tests that ran:"; grep -E "^test .*(postgres|pg_|bluesky).* ok$" /tmp/contentos-cargo-test.log | wc -l

for suite in scripts/test-*.sh; do
  case "$suite" in */test-all.sh) continue ;; esac
  step "$suite"
  bash "$suite"
done
step "all suites passed"
