#!/usr/bin/env bash
# Native XGBoost training (contentos-predict feature `train`): parity of the pure-Rust scorer
# with the native library, workspace training from stored analytics on SQLite and PostgreSQL
# (held-out AUC asserted), the weekly retrainer, and the train_model example.
#
# The first build compiles the XGBoost C++ library (cmake), once per target dir: the example
# lives in contentos-predict so both commands below resolve the same features. Needs cmake and libclang-dev
# (scripts/setup.sh) and PostgreSQL at CONTENTOS_TEST_POSTGRES_URL.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTENTOS_TEST_POSTGRES_URL="${CONTENTOS_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
cargo test -p contentos-predict --features train
cargo run -p contentos-predict --features train --example train_model
