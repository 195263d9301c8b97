#!/usr/bin/env bash
# Native XGBoost training (contentos-predict feature `train`): parity of the pure-Rust scorer
# with the native library, workspace training from stored analytics on SQLite and PostgreSQL
# (held-out AUC asserted), the weekly retrainer, and the train_model example. The first build
# compiles the XGBoost C++ library (cmake; ~4-5 minutes on 2 cores), cached in the target dir
# afterwards. Needs cmake and libclang-dev (scripts/setup.sh) and PostgreSQL at
# CONTENTOS_TEST_POSTGRES_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTENTOS_TEST_POSTGRES_URL="${CONTENTOS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
cargo clippy -p contentos-predict --features train --all-targets -- -D warnings
cargo clippy -p contentos-examples --features train --all-targets -- -D warnings
cargo test -p contentos-predict --features train
cargo run -p contentos-examples --features train --bin train_model
