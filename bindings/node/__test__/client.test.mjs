// The ContentOS client from Node: CRUD, typed errors with structured fields, the LLM pipeline
// (against a local fake OpenAI server) and streaming as an async iterator.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  ContentOS, ContentOSError, ValidationError, NotFoundError, PermissionDeniedError, UnavailableError,
} from '@contentos/sdk'
import { ANSWER, startFakeOpenAI } from './fake-openai.mjs'
import {
  assertShape, USER, WORKSPACE, BRAND_VOICE, VARIATION, CONTENT, CONTENT_WITH_VARIATIONS, SEGMENT,
  ACCOUNT, SCHEDULED_POST, REPORT, SUMMARY, PERSONALIZED,
} from './shapes.mjs'

let llm
before(async () => { llm = await startFakeOpenAI() })
after(() => llm.close())

async function setup() {
  const cos = await ContentOS.inMemory({ llmBaseUrl: llm.url, llmModel: 'test-model' })
  const user = await cos.createUser('ada@example.com')
  const ws = await cos.createWorkspace(user.id, 'Acme', {
    timezone: 'Europe/Berlin',
    brandVoice: { style: 'plain', bannedWords: ['synergy'] },
  })
  return { cos, user, ws }
}

test('users and workspaces come back camelCase', async () => {
  const { cos, user, ws } = await setup()
  assert.equal(user.email, 'ada@example.com')
  assert.equal(ws.name, 'Acme')
  assert.equal(ws.timezone, 'Europe/Berlin')
  assert.equal(ws.ownerId, user.id)
  assert.deepEqual(ws.brandVoice.bannedWords, ['synergy'])
  const mine = await cos.myWorkspaces(user.id)
  assert.deepEqual(mine.map((m) => [m.workspace.id, m.role]), [[ws.id, 'owner']])
  const got = await cos.getWorkspace(user.id, ws.id)
  assert.equal(got.id, ws.id)
  assert.equal(got.name, 'Acme')
  assert.equal(Date.parse(got.createdAt), Date.parse(ws.createdAt.replace(/(\.\d{3})\d*Z$/, '$1Z')))
})

test('content CRUD', async () => {
  const { cos, user, ws } = await setup()
  const c = await cos.createContent(user.id, ws.id, {
    originalInput: 'Our new SDK is out',
    title: 'Launch',
    variations: [{ body: 'SDK out now!', platform: 'twitter' }],
  })
  assert.equal(c.title, 'Launch')
  assert.equal(c.variations.length, 1)
  assert.equal(c.variations[0].platform, 'twitter')
  const got = await cos.getContent(user.id, c.id)
  assert.equal(got.originalInput, 'Our new SDK is out')
  const page = await cos.listContent(user.id, ws.id, { limit: 10 })
  assert.deepEqual(page.items.map((x) => x.id), [c.id])
  await cos.deleteContent(user.id, c.id)
  await assert.rejects(cos.getContent(user.id, c.id), (e) => {
    assert.ok(e instanceof NotFoundError)
    assert.equal(e.code, 'not_found')
    assert.equal(e.id, c.id)
    return true
  })
})

test('segments', async () => {
  const { cos, user, ws } = await setup()
  const s = await cos.createSegment(user.id, ws.id, { name: 'Developers', description: 'People who code' })
  assert.equal(s.name, 'Developers')
  const all = await cos.listSegments(user.id, ws.id)
  assert.deepEqual(all.map((x) => x.name), ['Developers'])
})

test('validation errors carry code, field and rule', async () => {
  const { cos, user, ws } = await setup()
  await assert.rejects(cos.createContent(user.id, ws.id, { originalInput: '   ' }), (e) => {
    assert.ok(e instanceof ValidationError)
    assert.ok(e instanceof ContentOSError)
    assert.ok(e instanceof Error)
    assert.equal(e.code, 'validation')
    assert.equal(e.field, 'originalInput')
    assert.equal(e.rule, 'must not be empty')
    return true
  })
  await assert.rejects(cos.createWorkspace(user.id, 'X', { timezone: 'Mars/Olympus' }), (e) => {
    assert.equal(e.code, 'validation')
    assert.equal(e.field, 'timezone')
    return true
  })
  await assert.rejects(cos.getContent('not-a-uuid', ws.id), (e) => {
    assert.equal(e.code, 'validation')
    assert.equal(e.field, 'userId')
    return true
  })
})

test('strangers get permission_denied', async () => {
  const { cos, ws } = await setup()
  const eve = await cos.createUser('eve@example.com')
  await assert.rejects(cos.getWorkspace(eve.id, ws.id), (e) => {
    assert.ok(e instanceof PermissionDeniedError, `${e.name}: ${e.message}`)
    assert.equal(e.code, 'permission_denied')
    return true
  })
})

test('generate, transform and performance through the local LLM', async () => {
  const { cos, user, ws } = await setup()
  const out = await cos.generate(user.id, ws.id, 'Announce our Rust SDK release', { variations: 2 })
  assert.equal(out.variations.length, 2)
  for (const v of out.variations) assert.ok(v.body.includes(ANSWER.slice(0, 20)), v.body)
  assert.equal(llm.requests.at(-1).body.model, 'test-model')
  const t = await cos.transform(user.id, out.content.id, ['mastodon', 'bluesky'])
  assert.deepEqual(t.map((v) => v.platform).sort(), ['bluesky', 'mastodon'])
  const rep = await cos.performance(user.id, ws.id, 7)
  assert.equal(typeof rep, 'object')
})

test('generate validates before calling the LLM', async () => {
  const { cos, user, ws } = await setup()
  const n = llm.requests.length
  await assert.rejects(cos.generate(user.id, ws.id, 'short'), (e) => {
    assert.equal(e.code, 'validation')
    assert.equal(e.field, 'input')
    return true
  })
  assert.equal(llm.requests.length, n)
})

test('without an LLM, generate fails with code "unavailable"', async () => {
  const saved = { ...process.env }
  for (const k of Object.keys(process.env)) if (/^(OPENAI|ANTHROPIC|OLLAMA|CONTENTOS_LLM)/.test(k)) delete process.env[k]
  try {
    const cos = await ContentOS.inMemory()
    const user = await cos.createUser('n@example.com')
    const ws = await cos.createWorkspace(user.id, 'NoLLM')
    await assert.rejects(cos.generate(user.id, ws.id, 'Write about Rust bindings for Node'), (e) => {
      assert.ok(e instanceof UnavailableError, `${e.name}: ${e.message}`)
      return true
    })
  } finally {
    Object.assign(process.env, saved)
  }
})

test('generateStream is an async iterator of events ending with "stored"', async () => {
  const { cos, user, ws } = await setup()
  const events = []
  for await (const ev of cos.generateStream(user.id, ws.id, 'Stream me a post about Rust')) events.push(ev)
  const text = events.filter((e) => e.type === 'delta').map((e) => e.text).join('')
  assert.ok(text.includes(ANSWER.split(' ')[0]), text)
  assert.equal(events.at(-1).type, 'stored')
  assert.ok(events.at(-1).variations[0].body)
})

test('generateStream errors are thrown from the loop', async () => {
  const { cos, user, ws } = await setup()
  await assert.rejects(
    (async () => { for await (const _ of cos.generateStream(user.id, ws.id, 'tiny')) void _ })(),
    (e) => e instanceof ValidationError,
  )
})

test('schedule takes a Date and the file database persists across opens', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contentos-node-'))
  const file = path.join(dir, 'c.db')
  const cos = await ContentOS.open(file, { llmBaseUrl: llm.url })
  const user = await cos.createUser('p@example.com')
  const ws = await cos.createWorkspace(user.id, 'Persist')
  const acc = await cos.connectAccount(user.id, ws.id, {
    platform: 'mastodon', accountName: 'me', accessToken: 'tok', baseUrl: 'https://mastodon.example',
  })
  const c = await cos.createContent(user.id, ws.id, {
    originalInput: 'Scheduled', variations: [{ body: 'Later!', platform: 'mastodon' }],
  })
  const at = new Date(Date.now() + 3600_000)
  const post = await cos.schedule(user.id, c.variations[0].id, acc.id, at, 'Europe/Paris')
  assert.equal(post.variationId, c.variations[0].id)
  assert.equal(post.accountId, acc.id)
  assert.equal(Date.parse(post.scheduledTime), at.getTime())
  assert.equal(post.timezone, 'Europe/Paris')
  assert.equal(post.status, 'pending')
  const again = await ContentOS.open(file)
  const got = await again.getContent(user.id, c.id)
  assert.equal(got.variations[0].body, 'Later!')
  fs.rmSync(dir, { recursive: true, force: true })
})

test('every client result has the shape index.d.ts declares', async () => {
  const { cos, user, ws } = await setup()
  assertShape(user, USER, 'user')
  assertShape(ws, WORKSPACE, 'workspace')
  assertShape(ws.brandVoice, BRAND_VOICE, 'brandVoice')
  const [mine] = await cos.myWorkspaces(user.id)
  assertShape(mine, { workspace: 'object', role: ['owner', 'admin', 'member', 'viewer'] }, 'membership')
  assertShape(mine.workspace, WORKSPACE, 'membership.workspace')
  const c = await cos.createContent(user.id, ws.id, {
    originalInput: 'Shapes', title: 'T', variations: [{ body: 'Hello shapes', platform: 'mastodon' }],
  })
  assertShape(c, CONTENT_WITH_VARIATIONS, 'content')
  assertShape(c.variations[0], VARIATION, 'variation')
  const page = await cos.listContent(user.id, ws.id)
  assertShape(page, { items: 'array', page: 'number', limit: 'number', total: 'number' }, 'page')
  assert.equal(page.total, 1)
  assertShape(page.items[0], CONTENT, 'page.items[0]')
  const seg = await cos.createSegment(user.id, ws.id, { name: 'Devs', attributes: { lang: 'rust' } })
  assertShape(seg, SEGMENT, 'segment')
  assert.deepEqual(seg.attributes, { lang: 'rust' })
  const acc = await cos.connectAccount(user.id, ws.id, {
    platform: 'mastodon', accountName: 'me', accessToken: 'tok-never-returned', baseUrl: 'https://m.example',
  })
  assertShape(acc, ACCOUNT, 'account')
  assert.ok(!JSON.stringify(acc).includes('tok-never-returned'))
  const post = await cos.schedule(user.id, c.variations[0].id, acc.id, new Date(Date.now() + 60_000))
  assertShape(post, SCHEDULED_POST, 'scheduledPost')

  const gen = await cos.generate(user.id, ws.id, 'Announce the typed Node results', { variations: 1 })
  assertShape(gen, { content: 'object', variations: 'array', generatedAt: 'iso' }, 'generated')
  assertShape(gen.content, CONTENT, 'generated.content')
  assertShape(gen.variations[0], VARIATION, 'generated.variations[0]')
  const [pv] = await cos.personalize(user.id, gen.content.id, ['Devs'])
  assertShape(pv, PERSONALIZED, 'personalized')
  assert.equal(pv.segmentId, seg.id)
  const events = []
  for await (const ev of cos.generateStream(user.id, ws.id, 'Stream typed events about Rust')) events.push(ev)
  for (const ev of events.slice(0, -1)) {
    assertShape(ev, { type: ['delta', 'restart'], index: 'number', 'text?': 'string' }, 'event')
  }
  assertShape(events.at(-1), { type: ['stored'], content: 'object', variations: 'array', generatedAt: 'iso' }, 'stored')

  const rep = await cos.performance(user.id, ws.id, 30)
  assertShape(rep, REPORT, 'report')
  assertShape(rep.summary, SUMMARY, 'report.summary')
  assert.equal(rep.summary.totalPosts, 0)
})
