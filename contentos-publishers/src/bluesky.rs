//! Bluesky (AT Protocol): `app.bsky.feed.post` records with facets, reply chains with root and
//! parent strong refs, image blobs, and sessions cached per account.
//!
//! Why sessions are cached: `createSession` is limited to 30 per 5 minutes and 300 per day per
//! account, so a login per post would lock a busy account out. A session is created once per
//! account, refreshed with `refreshSession` when the access JWT expires, and only re-created
//! when the refresh JWT is refused too.

use crate::common::{resumed_prefix, validate};
use crate::http::{default_error, CallKind, Http, RawResponse};
use crate::textutil;
use async_trait::async_trait;
use chrono::{SecondsFormat, Utc};
use contentos_core::model::{AccountId, PartReceipt, Platform};
use contentos_core::publish::{
    AccountCredentials, Capabilities, Idempotency, LengthUnit, PostMetrics, PostPart, PostRequest,
    PublishReceipt, Publisher, ReceiptSink, ThreadModel,
};
use contentos_core::text::FacetFeature;
use contentos_core::vault::Secret;
use contentos_core::{Error, Result};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;

const P: Platform = Platform::Bluesky;
const MAX_BYTES: usize = 3000;

/// A logged-in session (kept in memory, per account).
#[derive(Clone)]
struct Session {
    did: String,
    handle: String,
    access_jwt: Secret,
    refresh_jwt: Secret,
}

/// The Bluesky adapter. Credentials: `handle` is the login identifier, `access_token` the app
/// password, `base_url` the PDS (default `https://bsky.social`).
pub struct BlueskyPublisher {
    http: Http,
    default_pds: String,
    appview: String,
    web: String,
    caps: Capabilities,
    sessions: Mutex<HashMap<AccountId, Session>>,
}

impl std::fmt::Debug for BlueskyPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlueskyPublisher")
            .field("default_pds", &self.default_pds)
            .field("appview", &self.appview)
            .finish_non_exhaustive()
    }
}

impl Default for BlueskyPublisher {
    fn default() -> Self {
        BlueskyPublisher::new(Http::default())
    }
}

impl BlueskyPublisher {
    /// An adapter using `http`, publishing to `https://bsky.social` unless an account names its
    /// PDS, reading metrics from the public AppView.
    pub fn new(http: Http) -> Self {
        BlueskyPublisher {
            http,
            default_pds: "https://bsky.social".into(),
            appview: "https://public.api.bsky.app".into(),
            web: "https://bsky.app".into(),
            caps: Capabilities {
                platform: P,
                length_unit: LengthUnit::GraphemesAndBytes {
                    max_bytes: MAX_BYTES,
                },
                max_length: 300,
                max_followup_length: None,
                max_images: 4,
                max_videos: 0,
                media_types: ["image/jpeg", "image/png", "image/gif", "image/webp"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                max_image_bytes: Some(1_000_000),
                thread_model: ThreadModel::ReplyChain,
                idempotency: Idempotency::None,
                needs_public_media_url: false,
                max_hashtags: None,
            },
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// The PDS used when an account has no `base_url`.
    pub fn with_pds(mut self, url: impl Into<String>) -> Self {
        self.default_pds = url.into().trim_end_matches('/').to_string();
        self
    }

    /// The AppView serving `app.bsky.feed.getPosts` for metrics.
    pub fn with_appview(mut self, url: impl Into<String>) -> Self {
        self.appview = url.into().trim_end_matches('/').to_string();
        self
    }

    fn pds(&self, account: &AccountCredentials) -> String {
        account
            .base_url
            .as_deref()
            .map(|b| b.trim_end_matches('/').to_string())
            .unwrap_or_else(|| self.default_pds.clone())
    }

    fn cached(&self, account: &AccountCredentials) -> Option<Session> {
        self.sessions.lock().ok()?.get(&account.account_id).cloned()
    }

    fn store(&self, account: &AccountCredentials, s: Session) {
        if let Ok(mut m) = self.sessions.lock() {
            m.insert(account.account_id, s);
        }
    }

    async fn create_session(&self, account: &AccountCredentials) -> Result<Session> {
        let url = format!(
            "{}/xrpc/com.atproto.server.createSession",
            self.pds(account)
        );
        let body = json!({"identifier": account.handle, "password": account.access_token.expose()});
        let resp = self
            .http
            .send(
                P,
                "createSession",
                CallKind::Read,
                |c| c.post(&url).json(&body),
                map_error,
            )
            .await?;
        let s: SessionJson = resp.json(P)?;
        let session = s.into_session();
        self.store(account, session.clone());
        Ok(session)
    }

    async fn refresh_session(
        &self,
        account: &AccountCredentials,
        old: &Session,
    ) -> Result<Session> {
        let url = format!(
            "{}/xrpc/com.atproto.server.refreshSession",
            self.pds(account)
        );
        let refresh = old.refresh_jwt.expose();
        let resp = self
            .http
            .send(
                P,
                "refreshSession",
                CallKind::Read,
                |c| c.post(&url).bearer_auth(refresh),
                map_error,
            )
            .await?;
        let s: SessionJson = resp.json(P)?;
        let session = s.into_session();
        self.store(account, session.clone());
        Ok(session)
    }

    /// The cached session, or a new one (the only place a login happens).
    async fn session(&self, account: &AccountCredentials) -> Result<Session> {
        match self.cached(account) {
            Some(s) => Ok(s),
            None => self.create_session(account).await,
        }
    }

    /// Renews a session whose access JWT was refused: refresh first, log in again only if the
    /// refresh JWT is refused as well.
    async fn renew(&self, account: &AccountCredentials, old: &Session) -> Result<Session> {
        match self.refresh_session(account, old).await {
            Ok(s) => Ok(s),
            Err(Error::NeedsReauth { .. }) => {
                if let Ok(mut m) = self.sessions.lock() {
                    m.remove(&account.account_id);
                }
                self.create_session(account).await
            }
            Err(e) => Err(e),
        }
    }

    /// Sends an authenticated call; an expired access JWT (the server refused before acting)
    /// renews the session and sends once more.
    async fn authed(
        &self,
        account: &AccountCredentials,
        endpoint: &str,
        kind: CallKind,
        build: impl Fn(&reqwest::Client, &Session) -> reqwest::RequestBuilder,
    ) -> Result<(RawResponse, Session)> {
        let session = self.session(account).await?;
        match self
            .http
            .send(P, endpoint, kind, |c| build(c, &session), map_error)
            .await
        {
            Err(Error::NeedsReauth { .. }) => {
                let fresh = self.renew(account, &session).await?;
                let r = self
                    .http
                    .send(P, endpoint, kind, |c| build(c, &fresh), map_error)
                    .await?;
                Ok((r, fresh))
            }
            other => other.map(|r| (r, session)),
        }
    }

    async fn resolve_handle(
        &self,
        account: &AccountCredentials,
        handle: &str,
    ) -> Result<Option<String>> {
        let url = format!(
            "{}/xrpc/com.atproto.identity.resolveHandle",
            self.pds(account)
        );
        match self
            .http
            .send(
                P,
                "resolveHandle",
                CallKind::Read,
                |c| c.get(&url).query(&[("handle", handle)]),
                map_error,
            )
            .await
        {
            Ok(r) => Ok(r.value()["did"].as_str().map(str::to_string)),
            // Unknown handles stay plain text, as the docs advise.
            Err(Error::Rejected { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Facets for a text: links, mentions (resolved to DIDs; unresolvable ones skipped) and
    /// tags, with UTF-8 byte offsets.
    async fn facets(&self, account: &AccountCredentials, text: &str) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for facet in contentos_core::text::bluesky_facets(text) {
            let did = match &facet.feature {
                FacetFeature::Mention { handle } => {
                    match self.resolve_handle(account, handle).await? {
                        Some(did) => Some(did),
                        // Unresolvable handles stay plain text, as the docs advise.
                        None => continue,
                    }
                }
                _ => None,
            };
            if let Some(record) = facet.to_record(did.as_deref()) {
                out.push(record);
            }
        }
        Ok(out)
    }

    async fn upload_images(
        &self,
        account: &AccountCredentials,
        part: &PostPart,
    ) -> Result<Option<Value>> {
        if part.media.is_empty() {
            return Ok(None);
        }
        let url = format!("{}/xrpc/com.atproto.repo.uploadBlob", self.pds(account));
        let mut images = Vec::new();
        for m in &part.media {
            let (resp, _) = self
                .authed(account, "uploadBlob", CallKind::Upload, |c, s| {
                    c.post(&url)
                        .bearer_auth(s.access_jwt.expose())
                        .header("Content-Type", &m.mime_type)
                        .body(m.data.clone())
                })
                .await?;
            let blob = resp.value()["blob"].clone();
            if blob.is_null() {
                return Err(Error::Protocol {
                    service: P.as_str().into(),
                    message: "uploadBlob answered without a blob".into(),
                });
            }
            let mut img = json!({"alt": m.alt_text.clone().unwrap_or_default(), "image": blob});
            if let Some((w, h)) = m.dimensions {
                img["aspectRatio"] = json!({"width": w, "height": h});
            }
            images.push(img);
        }
        Ok(Some(
            json!({"$type": "app.bsky.embed.images", "images": images}),
        ))
    }

    /// The CID of a record from an earlier attempt whose receipt lacks it.
    async fn cid_of(&self, account: &AccountCredentials, uri: &str) -> Result<String> {
        let (repo, collection, rkey) = split_at_uri(uri).ok_or_else(|| {
            Error::validation("resume_from", format!("not an at:// record URI: {uri}"))
        })?;
        let url = format!("{}/xrpc/com.atproto.repo.getRecord", self.pds(account));
        let (r, _) = self
            .authed(account, "getRecord", CallKind::Read, |c, _| {
                c.get(&url)
                    .query(&[("repo", repo), ("collection", collection), ("rkey", rkey)])
            })
            .await?;
        r.value()["cid"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Error::Protocol {
                service: P.as_str().into(),
                message: "getRecord answered without a cid".into(),
            })
    }

    async fn post_part(
        &self,
        account: &AccountCredentials,
        post: &PostRequest,
        index: usize,
        root: Option<&(String, String)>,
        parent: Option<&(String, String)>,
    ) -> Result<PartReceipt> {
        let part = &post.parts[index];
        let embed = self.upload_images(account, part).await?;
        let facets = self.facets(account, &part.text).await?;
        let mut record = json!({
            "$type": "app.bsky.feed.post",
            "text": part.text,
            "createdAt": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        });
        if !facets.is_empty() {
            record["facets"] = json!(facets);
        }
        if !post.languages.is_empty() {
            record["langs"] = json!(post.languages.iter().take(3).collect::<Vec<_>>());
        }
        if let (Some(root), Some(parent)) = (root, parent) {
            record["reply"] = json!({
                "root": {"uri": root.0, "cid": root.1},
                "parent": {"uri": parent.0, "cid": parent.1},
            });
        }
        if let Some(e) = embed {
            record["embed"] = e;
        }
        let url = format!("{}/xrpc/com.atproto.repo.createRecord", self.pds(account));
        let (resp, session) = self
            .authed(account, "createRecord", CallKind::Create, |c, s| {
                c.post(&url)
                    .bearer_auth(s.access_jwt.expose())
                    .json(&json!({
                        "repo": s.did,
                        "collection": "app.bsky.feed.post",
                        "record": record,
                    }))
            })
            .await?;
        let v = resp.value();
        let (Some(uri), Some(cid)) = (v["uri"].as_str(), v["cid"].as_str()) else {
            return Err(Error::Unconfirmed {
                platform: P.as_str().into(),
                message: "createRecord succeeded without uri/cid; the post may exist".into(),
            });
        };
        let rkey = uri.rsplit('/').next().unwrap_or_default();
        Ok(PartReceipt {
            index,
            platform_post_id: uri.to_string(),
            cid: Some(cid.to_string()),
            url: Some(format!(
                "{}/profile/{}/post/{rkey}",
                self.web, session.handle
            )),
        })
    }
}

/// Splits `at://did/collection/rkey`.
fn split_at_uri(uri: &str) -> Option<(&str, &str, &str)> {
    let rest = uri.strip_prefix("at://")?;
    let mut it = rest.splitn(3, '/');
    Some((it.next()?, it.next()?, it.next()?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionJson {
    did: String,
    handle: String,
    access_jwt: String,
    refresh_jwt: String,
}

impl SessionJson {
    fn into_session(self) -> Session {
        Session {
            did: self.did,
            handle: self.handle,
            access_jwt: Secret::new(self.access_jwt),
            refresh_jwt: Secret::new(self.refresh_jwt),
        }
    }
}

/// XRPC errors are `{"error": "Name", "message": "..."}`. Expired or invalid tokens (400 or 401)
/// become `NeedsReauth` so the adapter renews the session.
fn map_error(p: Platform, r: &RawResponse) -> Error {
    let v = r.value();
    let name = v["error"].as_str().unwrap_or_default().to_string();
    let msg = v["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| r.text_snippet());
    let message = if name.is_empty() {
        msg
    } else {
        format!("{name}: {msg}")
    };
    if matches!(
        name.as_str(),
        "ExpiredToken" | "InvalidToken" | "AuthenticationRequired" | "AccountTakedown"
    ) || r.status == 401
    {
        return Error::NeedsReauth {
            platform: p.as_str().into(),
            message,
        };
    }
    default_error(p, r, (!name.is_empty()).then_some(name), message)
}

#[async_trait]
impl Publisher for BlueskyPublisher {
    fn platform(&self) -> Platform {
        P
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn validate(&self, post: &PostRequest) -> Result<()> {
        validate(&self.caps, post, textutil::graphemes, "graphemes")?;
        for (i, part) in post.parts.iter().enumerate() {
            if part.text.len() > MAX_BYTES {
                return Err(Error::validation(
                    format!("parts[{i}].text"),
                    format!("{} UTF-8 bytes exceeds {MAX_BYTES} bytes", part.text.len()),
                ));
            }
        }
        if post.languages.len() > 3 {
            return Err(Error::validation("languages", "at most 3 languages"));
        }
        Ok(())
    }

    async fn publish(
        &self,
        account: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> Result<PublishReceipt> {
        self.validate(post)?;
        let mut receipts = resumed_prefix(post);
        // Strong refs (uri, cid) of the thread's root and of the previous part.
        let mut refs: Vec<(String, String)> = Vec::new();
        for r in &receipts {
            let cid = match &r.cid {
                Some(c) => c.clone(),
                None => self.cid_of(account, &r.platform_post_id).await?,
            };
            refs.push((r.platform_post_id.clone(), cid));
        }
        for index in receipts.len()..post.parts.len() {
            let r = self
                .post_part(account, post, index, refs.first(), refs.last())
                .await?;
            sink.record(&r).await?;
            refs.push((
                r.platform_post_id.clone(),
                r.cid.clone().unwrap_or_default(),
            ));
            receipts.push(r);
        }
        Ok(PublishReceipt {
            platform: P,
            parts: receipts,
        })
    }

    async fn metrics(
        &self,
        _account: &AccountCredentials,
        ids: &[String],
    ) -> Result<Vec<PostMetrics>> {
        let mut out = Vec::with_capacity(ids.len());
        let url = format!("{}/xrpc/app.bsky.feed.getPosts", self.appview);
        for chunk in ids.chunks(25) {
            let query: Vec<(&str, &str)> = chunk.iter().map(|u| ("uris", u.as_str())).collect();
            let resp = self
                .http
                .send(
                    P,
                    "getPosts",
                    CallKind::Read,
                    |c| c.get(&url).query(&query),
                    map_error,
                )
                .await?;
            let v = resp.value();
            for p in v["posts"].as_array().into_iter().flatten() {
                let n = |f: &str| p[f].as_i64().unwrap_or(0);
                out.push(PostMetrics {
                    platform_post_id: p["uri"].as_str().unwrap_or_default().to_string(),
                    impressions: None,
                    likes: n("likeCount"),
                    comments: n("replyCount"),
                    shares: n("repostCount") + n("quoteCount"),
                    clicks: None,
                    fetched_at: Utc::now(),
                });
            }
        }
        Ok(out)
    }

    /// Renews the cached session (refreshSession, or a login when there is none). The app
    /// password does not rotate, so the credentials come back unchanged except for the DID.
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        let s = match self.cached(account) {
            Some(old) => self.renew(account, &old).await?,
            None => self.create_session(account).await?,
        };
        let mut out = account.clone();
        out.external_id = Some(s.did);
        Ok(out)
    }
}
