// Runs the first three JavaScript examples of docs/node.md (publish, score, client) as one
// module that imports '@contentos/sdk' by name, against the local Bluesky PDS.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createBlueskyAccount } from './helpers.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const doc = fs.readFileSync(path.join(here, '../../../docs/node.md'), 'utf8')

test('docs/node.md examples run', async () => {
  const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
  assert.ok(blocks.length >= 3, 'expected at least three js examples')
  const imports = []
  const bodies = []
  for (const b of blocks.slice(0, 3)) {
    for (const line of b.split('\n')) (line.startsWith('import ') ? imports : bodies).push(line)
  }
  const logs = []
  globalThis.blueskyAccount = await createBlueskyAccount()
  globalThis.docLog = (...a) => logs.push(a)
  const src = [...new Set(imports), 'const console = { log: globalThis.docLog }', ...bodies].join('\n')
  const file = path.join(here, '.docs-example.mjs')
  fs.writeFileSync(file, src)
  try {
    await import(pathToFileURL(file).href)
  } finally {
    fs.rmSync(file, { force: true })
  }
  assert.equal(logs.length, 4, JSON.stringify(logs))
  assert.equal(logs[0][0].length, 2) // two thread parts published
  assert.ok(logs[1][0] instanceof Float64Array)
  assert.deepEqual(logs[2], ['validation', 'originalInput', 'must not be empty'])
  assert.deepEqual(logs[3], [1, 1])
})
