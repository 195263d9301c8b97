#!/usr/bin/env bash
# Python binding, from scratch: build the abi3 wheel with maturin, install it into a CLEAN
# virtualenv, run stubtest + pytest, and compare scoring throughput (100,000 posts) with Rust.
# Virtualenvs live outside the repository (under the cargo target dir or /var/tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
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

echo "--- Rust throughput (100,000 posts) and parity sample"
"$V/python" bindings/python/scripts/make_corpus.py 100000 > "$WORK/corpus.json"
cargo run -q --release -p contentos-python --example score_throughput -- \
  "$WORK/corpus.json" "$WORK/rust_scores.json" | tee "$WORK/rust_throughput.json"

echo "--- stubtest"
# Run from outside the repository so the installed package (not the source tree) is checked.
(cd "$WORK" && "$V/python" -m mypy.stubtest contentos --ignore-missing-stub)

echo "--- pytest"
(cd "$WORK" && CONTENTOS_RUST_SCORES="$WORK/rust_scores.json" CONTENTOS_REPO="$ROOT" \
  "$V/python" -m pytest -q -p no:cacheprovider "$ROOT/bindings/python/tests")

echo "--- example script"
(cd "$WORK" && "$V/python" "$ROOT/bindings/python/examples/score_csv.py" --demo "$WORK/posts.csv" --png "$WORK/scores.png")
test -s "$WORK/scores.png"

echo "--- Python throughput vs Rust"
"$V/python" bindings/python/scripts/throughput.py "$WORK/corpus.json" "$WORK/rust_throughput.json"
