// Shared test helpers: a fresh account on the local Bluesky PDS.
export const PDS = process.env.CONTENTOS_BLUESKY_PDS || 'http://localhost:2583'

/** Creates an account `<random>.test` on the PDS; returns {handle, password, did, accessJwt}. */
export async function createBlueskyAccount() {
  const id = Math.random().toString(36).slice(2, 10)
  const handle = `node${id}.test`
  const password = `pw-${id}-secret`
  const res = await fetch(`${PDS}/xrpc/com.atproto.server.createAccount`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handle, email: `${handle}@example.com`, password }),
  })
  if (!res.ok) throw new Error(`createAccount: ${res.status} ${await res.text()}`)
  const body = await res.json()
  return { handle, password, did: body.did, accessJwt: body.accessJwt }
}

/** Reads a post record back from the PDS by its at:// URI. */
export async function getRecord(uri) {
  const [, , repo, collection, rkey] = uri.split('/')
  const q = new URLSearchParams({ repo, collection, rkey })
  const res = await fetch(`${PDS}/xrpc/com.atproto.repo.getRecord?${q}`)
  if (!res.ok) throw new Error(`getRecord ${uri}: ${res.status} ${await res.text()}`)
  return res.json()
}
