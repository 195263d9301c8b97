#!/usr/bin/env bash
# Python binding, from scratch: build the abi3 wheel with maturin, install it into a CLEAN
# virtualenv, run stubtest + pytest (including publishing to the local Bluesky PDS), and compare
# scoring throughput (100,000 posts) with the same run in Rust (bindings/python/scripts/overhead.py).
# Virtualenvs live outside the repository (under the cargo target dir or /var/tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# The Bluesky test publishes to the local PDS and fails (not skips) when this is set and it is down.
export CONTENTOS_BLUESKY_PDS="${CONTENTOS_BLUESKY_PDS:-http://localhost:2583}"
curl -sf "$CONTENTOS_BLUESKY_PDS/xrpc/_health" >/dev/null || bash scripts/bluesky/setup.sh
WORK="${CONTENTOS_PY_WORK:-$CARGO_TARGET_DIR/python-check}"
rm -rf "$WORK"; mkdir -p "$WORK/wheels"

echo "--- build venv (maturin) and wheel"
$PY -m venv "$WORK/build-venv"
"$WORK/build-venv/bin/pip" install -q "maturin>=1.7,<2"
"$WORK/build-venv/bin/maturin" build --release -m bindings/python/Cargo.toml --out "$WORK/wheels" 2>&1 | tail -n 3
WHEEL=$(ls "$WORK"/wheels/contentos-*.whl)
case "$WHEEL" in *abi3*) ;; *) echo "wheel is not abi3: $WHEEL"; exit 1 ;; esac

echo "--- clean venv: install the wheel and test tools"
$PY -m venv "$WORK/venv"
V="$WORK/venv/bin"
"$V/pip" install -q "pytest>=8,<9" "numpy>=1.26,<3" "pandas>=2,<3" "mypy>=1.10,<2" "matplotlib>=3.8,<4"
"$V/pip" install -q "$WHEEL"

echo "--- Rust scoring of the corpus (100,000 posts) and parity sample"
"$V/python" bindings/python/scripts/make_corpus.py 100000 > "$WORK/corpus.json"
cargo run -q --release -p contentos-python --example score_throughput -- \
  "$WORK/corpus.json" --repeats 1 --scores "$WORK/rust_scores.json"

echo "--- stubtest"
# Run from outside the repository so the installed package (not the source tree) is checked.
(cd "$WORK" && "$V/python" -m mypy.stubtest contentos --ignore-missing-stub)

echo "--- pytest"
(cd "$WORK" && CONTENTOS_RUST_SCORES="$WORK/rust_scores.json" CONTENTOS_REPO="$ROOT" \
  "$V/python" -m pytest -q -p no:cacheprovider "$ROOT/bindings/python/tests")

echo "--- example script"
(cd "$WORK" && "$V/python" "$ROOT/bindings/python/examples/score_csv.py" --demo "$WORK/posts.csv" --png "$WORK/scores.png")
test -s "$WORK/scores.png"

echo "--- binding overhead: Python vs Rust, interleaved processes (figures only, not a pass/fail gate)"
"$V/python" bindings/python/scripts/overhead.py "$CARGO_TARGET_DIR/release/examples/score_throughput" \
  "$WORK/corpus.json" --rounds "${CONTENTOS_OVERHEAD_ROUNDS:-3}" --repeats 2
