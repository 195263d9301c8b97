#!/usr/bin/env bash
# Swift binding: regenerate the uniffi Swift sources and Package.swift and fail if they differ
# from what is committed. There is no Swift toolchain on the CI machine, so the Swift package
# itself is not compiled here (docs/swift.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/swift/generate.sh
git diff --exit-code -- bindings/swift/Sources bindings/swift/Package.swift \
  || { echo "generated Swift bindings drifted: run scripts/swift/generate.sh and commit" >&2; exit 1; }
untracked=$(git ls-files --others --exclude-standard -- bindings/swift/Sources bindings/swift/Package.swift)
[ -z "$untracked" ] || { echo "uncommitted generated files: $untracked" >&2; exit 1; }
if command -v swift >/dev/null; then
  cargo build -p contentos-swift --release --lib
  (cd bindings/swift && swift build)
else
  echo "no Swift toolchain: generated sources checked for drift only"
fi
