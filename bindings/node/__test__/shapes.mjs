// Checks a result object against the shape its generated index.d.ts interface declares:
// every required key present with the right type, optional keys of the right type or absent,
// and no key the declaration does not know.
import assert from 'node:assert/strict'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

const CHECKS = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  iso: (v) => typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
}

/**
 * `spec` maps each key to a type name (`'string'`, `'iso'`, …) or a list of allowed literal
 * values; a trailing `?` on the key marks it optional (absent, null or undefined allowed).
 */
export function assertShape(obj, spec, what = 'result') {
  assert.ok(CHECKS.object(obj), `${what} is not an object: ${JSON.stringify(obj)}`)
  const known = new Set()
  for (const [rawKey, type] of Object.entries(spec)) {
    const optional = rawKey.endsWith('?')
    const key = optional ? rawKey.slice(0, -1) : rawKey
    known.add(key)
    const v = obj[key]
    if (v === undefined || v === null) {
      assert.ok(optional, `${what}.${key} is required but missing`)
      continue
    }
    const ok = Array.isArray(type) ? type.includes(v) : CHECKS[type](v)
    assert.ok(ok, `${what}.${key} = ${JSON.stringify(v)} is not ${JSON.stringify(type)}`)
  }
  for (const key of Object.keys(obj)) {
    if (obj[key] !== undefined) assert.ok(known.has(key), `${what} has undeclared key ${key}`)
  }
}

export const PLATFORMS = ['twitter', 'linkedin', 'bluesky', 'mastodon', 'threads', 'instagram']

export const USER = { id: 'uuid', email: 'string', tier: ['free', 'pro', 'enterprise'], 'oauthProvider?': 'string', createdAt: 'iso', updatedAt: 'iso' }
export const WORKSPACE = { id: 'uuid', ownerId: 'uuid', name: 'string', brandVoice: 'object', timezone: 'string', createdAt: 'iso' }
export const BRAND_VOICE = { 'tone?': ['professional', 'casual', 'technical', 'witty'], style: 'string', keywords: 'array', bannedWords: 'array' }
export const VARIATION = { id: 'uuid', contentId: 'uuid', 'platform?': PLATFORMS, body: 'string', metadata: 'object', createdAt: 'iso' }
export const CONTENT = {
  id: 'uuid', workspaceId: 'uuid', createdBy: 'uuid', 'title?': 'string', originalInput: 'string',
  contentType: ['blog', 'social', 'email'], format: ['markdown', 'html', 'plain'], metadata: 'object',
  status: ['draft', 'scheduled', 'published'], createdAt: 'iso', updatedAt: 'iso',
}
export const CONTENT_WITH_VARIATIONS = { ...CONTENT, variations: 'array' }
export const SEGMENT = { id: 'uuid', workspaceId: 'uuid', name: 'string', 'description?': 'string', attributes: 'object', createdAt: 'iso' }
export const ACCOUNT = {
  id: 'uuid', workspaceId: 'uuid', platform: PLATFORMS, accountName: 'string', 'externalId?': 'string',
  'baseUrl?': 'string', 'tokenExpiresAt?': 'iso', status: ['active', 'needs_reauth'], connectedAt: 'iso',
}
export const SCHEDULED_POST = {
  id: 'uuid', workspaceId: 'uuid', variationId: 'uuid', accountId: 'uuid', platform: PLATFORMS,
  scheduledTime: 'iso', timezone: 'string',
  status: ['pending', 'publishing', 'published', 'failed', 'unconfirmed', 'cancelled'], attempts: 'number',
  receipts: 'array', 'platformPostId?': 'string', 'url?': 'string', 'errorMessage?': 'string',
  'publishedAt?': 'iso', createdAt: 'iso',
}
export const PUBLISH_NOW_RESULT = {
  accountId: 'uuid', platform: PLATFORMS, 'postId?': 'uuid', 'outcome?': 'object',
  'platformPostId?': 'string', 'url?': 'string', 'error?': 'string',
}
export const REPORT = {
  summary: 'object', topPerformers: 'array', 'bestTime?': 'object', byPlatform: 'array',
  byContentType: 'array', insights: 'array',
}
export const SUMMARY = {
  totalPosts: 'number', 'avgEngagementRate?': 'number', 'topPlatform?': PLATFORMS,
  totalImpressions: 'number', totalEngagements: 'number', postsWithoutImpressions: 'number',
}
export const PERSONALIZED = { segmentId: 'uuid', segmentName: 'string', variationId: 'uuid', body: 'string', changes: 'array' }
