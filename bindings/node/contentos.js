'use strict'
// @contentos/sdk: the public entry point. Thin JS over the native addon (index.js, generated
// by napi-rs): typed errors, Date handling and async iterators. No business logic lives here.

const native = require('./index.js')

const MARKER = 'CONTENTOS_ERROR:'

/** Base class of every error the SDK throws; `code` is the ErrorKind string. */
class ContentOSError extends Error {
  constructor(message, code, fields) {
    super(message)
    this.code = code
    Object.assign(this, fields || {})
  }
}
class ValidationError extends ContentOSError {}
class NotFoundError extends ContentOSError {}
class PermissionDeniedError extends ContentOSError {}
class RateLimitError extends ContentOSError {}
class UnauthorizedError extends ContentOSError {}
class UnconfirmedPublishError extends ContentOSError {}
class UnavailableError extends ContentOSError {}
class NeedsReauthError extends ContentOSError {}

const CLASSES = {
  validation: ValidationError,
  not_found: NotFoundError,
  permission_denied: PermissionDeniedError,
  rate_limited: RateLimitError,
  unauthorized: UnauthorizedError,
  unconfirmed: UnconfirmedPublishError,
  unavailable: UnavailableError,
  needs_reauth: NeedsReauthError,
}
for (const cls of [ContentOSError, ...Object.values(CLASSES)]) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true })
}

/** Turns a native error (structured reason) into a typed ContentOSError; others pass through. */
function convertError(err) {
  if (!err || typeof err.message !== 'string' || !err.message.startsWith(MARKER)) return err
  let doc
  try {
    doc = JSON.parse(err.message.slice(MARKER.length))
  } catch {
    return err
  }
  const Cls = CLASSES[doc.code] || ContentOSError
  const out = new Cls(doc.message, doc.code, doc.fields)
  out.cause = err
  return out
}

function wrap(fn) {
  return function (...args) {
    let r
    try {
      r = fn.apply(this, args)
    } catch (e) {
      throw convertError(e)
    }
    if (r && typeof r.then === 'function') return r.catch((e) => Promise.reject(convertError(e)))
    return r
  }
}

/**
 * Wraps every method of a native class with error conversion. napi-rs defines static methods
 * as frozen properties, so statics are wrapped on a subclass that is returned instead (with
 * `instanceof` answering for the native instances its factories return).
 */
function wrapClass(cls) {
  for (const key of Object.getOwnPropertyNames(cls.prototype)) {
    if (key === 'constructor') continue
    const d = Object.getOwnPropertyDescriptor(cls.prototype, key)
    if (d && typeof d.value === 'function' && d.configurable) {
      Object.defineProperty(cls.prototype, key, { ...d, value: wrap(d.value) })
    }
  }
  const statics = Object.getOwnPropertyNames(cls).filter(
    (k) => !['prototype', 'length', 'name'].includes(k) && typeof cls[k] === 'function',
  )
  if (statics.length === 0) return cls
  const sub = { [cls.name]: class extends cls {} }[cls.name]
  for (const k of statics) Object.defineProperty(sub, k, { value: wrap(cls[k]), writable: true, configurable: true })
  Object.defineProperty(sub, Symbol.hasInstance, { value: (x) => x instanceof cls })
  return sub
}

const toMillis = (t) => (t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : t)
const toIso = (t) => (t instanceof Date ? t.toISOString() : typeof t === 'number' ? new Date(t).toISOString() : t)

const ContentOS = wrapClass(native.ContentOS)
const GenerateStream = wrapClass(native.GenerateStream)
const BlueskyPublisher = wrapClass(native.BlueskyPublisher)
const MastodonPublisher = wrapClass(native.MastodonPublisher)

// Async iteration over a stream: `for await (const ev of os.generateStream(...))`.
GenerateStream.prototype[Symbol.asyncIterator] = function () {
  return {
    next: async () => {
      const value = await this.next()
      return value === null || value === undefined ? { done: true, value: undefined } : { done: false, value }
    },
    return: async () => ({ done: true, value: undefined }),
  }
}

// `schedule` also takes a Date or epoch milliseconds.
const nativeSchedule = native.ContentOS.prototype.schedule
native.ContentOS.prototype.schedule = function (userId, variationId, accountId, at, timezone) {
  return nativeSchedule.call(this, userId, variationId, accountId, toIso(at), timezone)
}

/**
 * Scores posts (0–100) with the bundled engagement model. `postedAt` is a Date, ISO string or
 * epoch milliseconds, or an array of them (one per text).
 */
const scorePosts = wrap(function scorePosts(texts, options = {}) {
  const { postedAt, ...rest } = options
  const opts = { ...rest }
  if (postedAt !== undefined && postedAt !== null) {
    opts.postedAt = (Array.isArray(postedAt) ? postedAt : [postedAt]).map(toMillis)
  }
  return native.scorePosts(Array.from(texts), opts)
})

module.exports = {
  ContentOS,
  GenerateStream,
  BlueskyPublisher,
  MastodonPublisher,
  scorePosts,
  convertError,
  ContentOSError,
  ValidationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnauthorizedError,
  UnconfirmedPublishError,
  UnavailableError,
  NeedsReauthError,
}
