// Publishing through the addon to the LOCAL Bluesky PDS (scripts/bluesky/setup.sh starts it).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BlueskyPublisher, MastodonPublisher, ContentOS, NeedsReauthError, ValidationError } from '@contentos/sdk'
import { PDS, createBlueskyAccount, getRecord } from './helpers.mjs'
import { assertShape, PUBLISH_NOW_RESULT } from './shapes.mjs'

test('publishes a 3-part thread to the local PDS as a reply chain', async () => {
  const acct = await createBlueskyAccount()
  const p = new BlueskyPublisher({ pds: PDS })
  assert.equal(p.platform, 'bluesky')
  assert.equal(p.baseUrl, PDS)
  const texts = ['Node thread part one 🧵', 'part two, with more detail', 'part three: the end']
  const receipt = await p.publish(
    { handle: acct.handle, password: acct.password },
    { parts: texts.map((text) => ({ text })) },
  )
  assert.equal(receipt.platform, 'bluesky')
  assert.equal(receipt.parts.length, 3)
  const records = []
  for (const [i, part] of receipt.parts.entries()) {
    assert.equal(part.index, i)
    assert.match(part.platformPostId, new RegExp(`^at://${acct.did}/app\\.bsky\\.feed\\.post/`))
    const rec = await getRecord(part.platformPostId)
    assert.equal(rec.value.text, texts[i])
    assert.equal(rec.cid, part.cid)
    records.push(rec)
  }
  // Parts 2 and 3 reply to their predecessor, all rooted at part 1.
  assert.equal(records[0].value.reply, undefined)
  for (const i of [1, 2]) {
    assert.equal(records[i].value.reply.root.uri, receipt.parts[0].platformPostId)
    assert.equal(records[i].value.reply.parent.uri, receipt.parts[i - 1].platformPostId)
  }
})

test('a wrong app password is a NeedsReauthError with code "needs_reauth"', async () => {
  const acct = await createBlueskyAccount()
  const p = new BlueskyPublisher({ pds: PDS })
  await assert.rejects(
    p.publish({ handle: acct.handle, password: 'not-the-password' }, { parts: [{ text: 'hi' }] }),
    (err) => {
      assert.ok(err instanceof NeedsReauthError, `got ${err?.name}: ${err?.message}`)
      assert.equal(err.code, 'needs_reauth')
      assert.equal(err.platform, 'bluesky')
      assert.ok(!err.message.includes('not-the-password'), 'secret leaked into the message')
      return true
    },
  )
})

test('an over-long part is refused before any request, as a ValidationError', async () => {
  const p = new BlueskyPublisher({ pds: 'http://127.0.0.1:9' })
  await assert.rejects(
    p.publish({ handle: 'x.test', password: 'pw' }, { parts: [{ text: 'x'.repeat(301) }] }),
    (err) => {
      assert.ok(err instanceof ValidationError, `got ${err?.name}: ${err?.message}`)
      assert.equal(err.code, 'validation')
      assert.equal(typeof err.field, 'string')
      assert.equal(typeof err.rule, 'string')
      return true
    },
  )
})

test('Mastodon publisher posts to the instance it was given', async () => {
  const http = await import('node:http')
  const seen = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body })
      res.setHeader('content-type', 'application/json')
      if (req.url === '/api/v1/instance' || req.url.startsWith('/api/v2/instance')) {
        res.end(JSON.stringify({ configuration: { statuses: { max_characters: 500 } } }))
        return
      }
      res.end(JSON.stringify({ id: '109', url: 'https://mastodon.example/@me/109', uri: 'x' }))
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${server.address().port}`
  try {
    const p = new MastodonPublisher({ instance: base })
    assert.equal(p.platform, 'mastodon')
    const receipt = await p.publish({ accessToken: 'tok-123' }, { parts: [{ text: 'hello fediverse' }] })
    assert.equal(receipt.platform, 'mastodon')
    assert.equal(receipt.parts[0].platformPostId, '109')
    const post = seen.find((s) => s.method === 'POST' && s.url === '/api/v1/statuses')
    assert.ok(post, `no status POST in ${JSON.stringify(seen.map((s) => s.url))}`)
    assert.equal(post.auth, 'Bearer tok-123')
    assert.match(post.body, /hello fediverse/)
  } finally {
    server.close()
  }
})

test('ContentOS.publishNow publishes a stored variation through a connected Bluesky account', async () => {
  const acct = await createBlueskyAccount()
  const os = await ContentOS.inMemory({ publishers: [new BlueskyPublisher({ pds: PDS })] })
  const user = await os.createUser('pub@example.com')
  const ws = await os.createWorkspace(user.id, 'Publishing')
  const account = await os.connectAccount(user.id, ws.id, {
    platform: 'bluesky',
    accountName: acct.handle,
    accessToken: acct.password,
    baseUrl: PDS,
  })
  assert.ok(!JSON.stringify(account).includes(acct.password), 'token returned to JS')
  const content = await os.createContent(user.id, ws.id, {
    originalInput: 'Launch note',
    variations: [{ body: 'Shipped from Node via publishNow', platform: 'bluesky' }],
  })
  const variation = content.variations[0]
  const results = await os.publishNow(user.id, variation.id, [account.id])
  assert.equal(results.length, 1)
  assertShape(results[0], PUBLISH_NOW_RESULT, 'publishNow result')
  assert.equal(results[0].outcome.outcome, 'published')
  assert.equal(results[0].accountId, account.id)
  const uri = results[0].platformPostId
  assert.match(uri, /^at:\/\//)
  const rec = await getRecord(uri)
  assert.equal(rec.value.text, 'Shipped from Node via publishNow')
})
