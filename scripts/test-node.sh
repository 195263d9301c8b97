#!/usr/bin/env bash
# Node binding (bindings/node, @contentos/sdk): build the addon from scratch, check the
# generated index.d.ts did not drift, run the node:test suite (including publishing to the
# local Bluesky PDS), then pack the package, install the tarball in a clean folder and
# publish through it. Needs node >= 20, npm, and the PDS (scripts/bluesky/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CONTENTOS_BLUESKY_PDS="${CONTENTOS_BLUESKY_PDS:-http://localhost:2583}"
# Debug build by default (release on 2 cores is too slow for CI); NODE_BUILD_FLAGS=--release to override.
flags="${NODE_BUILD_FLAGS:-}"

curl -sf "$CONTENTOS_BLUESKY_PDS/xrpc/_health" >/dev/null || bash scripts/bluesky/setup.sh

cd bindings/node
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

echo "--- build the addon from scratch"
rm -f ./*.node index.js index.d.ts
# shellcheck disable=SC2086
npx napi build --platform $flags
git -C "$root" diff --exit-code -- bindings/node/index.d.ts \
  || { echo "index.d.ts drifted from the Rust signatures: commit the regenerated file" >&2; exit 1; }
test -z "$(git -C "$root" status --porcelain -- bindings/node/index.d.ts)"

echo "--- node --test"
node --test __test__/

echo "--- npm pack, install in a clean folder, publish through it"
rm -f ./*.tgz
tgz="$(pwd)/$(npm pack --silent | tail -1)"
clean=$(mktemp -d)
trap 'rm -rf "$clean"' EXIT
cp __test__/helpers.mjs "$clean/helpers.mjs"
cd "$clean"
npm init -y >/dev/null
npm install --no-audit --no-fund "$tgz"
cat > publish.mjs <<'JS'
import { BlueskyPublisher, scorePosts } from '@contentos/sdk'
import { PDS, createBlueskyAccount, getRecord } from './helpers.mjs'
const acct = await createBlueskyAccount()
const receipt = await new BlueskyPublisher({ pds: PDS }).publish(
  { handle: acct.handle, password: acct.password },
  { parts: [{ text: 'from a clean install 1/2' }, { text: 'still from Node 2/2' }] },
)
if (receipt.parts.length !== 2) throw new Error(`expected 2 parts, got ${JSON.stringify(receipt)}`)
const rec = await getRecord(receipt.parts[1].platformPostId)
if (rec.value.reply?.parent?.uri !== receipt.parts[0].platformPostId) throw new Error('not a thread')
const [s] = await scorePosts(['hello'])
console.log(`published ${receipt.parts.length} parts from a clean install; score(hello)=${s.toFixed(2)}`)
JS
node publish.mjs
