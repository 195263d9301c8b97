// scorePosts: Float64Array results, options and errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { scorePosts, ValidationError } from '@contentos/sdk'

const POSTS = [
  'Just shipped our Rust SDK 🚀 What would you build with it? #rustlang',
  'meeting notes',
  'BIG NEWS!!! Check https://example.com for details @friend',
]

test('one score per text, in [0, 100], as a Float64Array', async () => {
  const scores = await scorePosts(POSTS, { platform: 'twitter' })
  assert.ok(scores instanceof Float64Array)
  assert.equal(scores.length, POSTS.length)
  for (const s of scores) assert.ok(s >= 0 && s <= 100, `score ${s}`)
  assert.ok(new Set(scores).size > 1, 'different posts should not all score the same')
})

test('scores are deterministic and order-preserving', async () => {
  const a = await scorePosts(POSTS)
  const b = await scorePosts([...POSTS].reverse())
  assert.deepEqual(Array.from(a), Array.from(b).reverse())
})

test('postedAt takes a Date, ISO string or epoch ms, and changes the time features', async () => {
  const text = [POSTS[0]]
  const d = new Date('2025-03-04T15:00:00Z')
  const [viaDate] = await scorePosts(text, { platform: 'linkedin', postedAt: d })
  const [viaIso] = await scorePosts(text, { platform: 'linkedin', postedAt: d.toISOString() })
  const [viaMs] = await scorePosts(text, { platform: 'linkedin', postedAt: d.getTime() })
  assert.equal(viaDate, viaIso)
  assert.equal(viaDate, viaMs)
  const hours = Array.from({ length: 24 }, (_, h) => new Date(Date.UTC(2025, 2, 4, h)))
  const perHour = await scorePosts(hours.map(() => POSTS[0]), { platform: 'linkedin', postedAt: hours })
  assert.ok(new Set(perHour).size > 1, 'posting hour should matter')
})

test('mismatched postedAt length is a ValidationError on postedAt', async () => {
  await assert.rejects(scorePosts(POSTS, { postedAt: [Date.now(), Date.now()] }), (e) => {
    assert.ok(e instanceof ValidationError)
    assert.equal(e.code, 'validation')
    assert.equal(e.field, 'postedAt')
    assert.match(e.rule, /2 entries for 3 texts/)
    return true
  })
})

test('an unknown platform is a validation error', async () => {
  await assert.rejects(scorePosts(POSTS, { platform: 'myspace' }), (e) => e.code === 'validation')
})

test('large batches work', async () => {
  const many = Array.from({ length: 5000 }, (_, i) => `${POSTS[i % 3]} #${i}`)
  const scores = await scorePosts(many)
  assert.equal(scores.length, 5000)
  assert.ok(scores.every((s) => Number.isFinite(s)))
})
