//! Mastodon (any instance): statuses with a deterministic `Idempotency-Key`, threads via
//! `in_reply_to_id`, media v2 with processing polls, limits read from `/api/v2/instance`.
//!
//! Why the key is derived from (post, account, part): Mastodon keeps idempotency keys for about
//! an hour, so a create retried after a timeout — by this client or by a recovering worker with
//! the same `post_key` — returns the status created the first time instead of a duplicate.

use crate::common::{resumed_prefix, validate};
use crate::http::{default_error, CallKind, Http, RawResponse};
use crate::textutil;
use async_trait::async_trait;
use chrono::Utc;
use contentos_core::model::{PartReceipt, Platform};
use contentos_core::publish::{
    AccountCredentials, Capabilities, Idempotency, LengthUnit, MediaAttachment, PostMetrics,
    PostPart, PostRequest, PublishReceipt, Publisher, ReceiptSink, ThreadModel,
};
use contentos_core::{Error, Result};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

const P: Platform = Platform::Mastodon;

/// Limits an instance announces in `/api/v2/instance` (forks differ, so they are read, not
/// assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceLimits {
    /// `configuration.statuses.max_characters`.
    pub max_characters: usize,
    /// `configuration.statuses.max_media_attachments`.
    pub max_media_attachments: usize,
    /// `configuration.statuses.characters_reserved_per_url`.
    pub characters_reserved_per_url: usize,
}

impl Default for InstanceLimits {
    fn default() -> Self {
        InstanceLimits {
            max_characters: 500,
            max_media_attachments: 4,
            characters_reserved_per_url: 23,
        }
    }
}

/// The Mastodon adapter.
#[derive(Debug)]
pub struct MastodonPublisher {
    http: Http,
    default_instance: Option<String>,
    caps: Capabilities,
    reply_visibility: String,
    media_poll_interval: Duration,
    media_max_polls: u32,
    limits: Mutex<HashMap<String, InstanceLimits>>,
}

impl Default for MastodonPublisher {
    fn default() -> Self {
        MastodonPublisher::new(Http::default())
    }
}

fn caps_for(l: InstanceLimits) -> Capabilities {
    Capabilities {
        platform: P,
        length_unit: LengthUnit::CodePointsUrlWeighted {
            url_length: l.characters_reserved_per_url,
        },
        max_length: l.max_characters,
        max_followup_length: None,
        max_images: l.max_media_attachments,
        max_videos: 1,
        media_types: [
            "image/jpeg",
            "image/png",
            "image/gif",
            "image/webp",
            "video/mp4",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        max_image_bytes: Some(16 * 1024 * 1024),
        thread_model: ThreadModel::ReplyTo,
        idempotency: Idempotency::NativeKey,
        needs_public_media_url: false,
        max_hashtags: None,
    }
}

impl MastodonPublisher {
    /// An adapter using `http`. The instance comes from each account's `base_url` (or
    /// [`Self::with_instance`]).
    pub fn new(http: Http) -> Self {
        MastodonPublisher {
            http,
            default_instance: None,
            caps: caps_for(InstanceLimits::default()),
            reply_visibility: "unlisted".into(),
            media_poll_interval: Duration::from_secs(1),
            media_max_polls: 60,
            limits: Mutex::new(HashMap::new()),
        }
    }

    /// The instance used when an account has no `base_url` (`https://mastodon.social`).
    pub fn with_instance(mut self, base_url: impl Into<String>) -> Self {
        self.default_instance = Some(base_url.into().trim_end_matches('/').to_string());
        self
    }

    /// Visibility of parts after the first (`unlisted` by default, so a thread does not flood
    /// the public timeline; `public` to show every part).
    pub fn with_reply_visibility(mut self, v: impl Into<String>) -> Self {
        self.reply_visibility = v.into();
        self
    }

    /// How often and how many times to poll media still processing (HTTP 206).
    pub fn with_media_polling(mut self, interval: Duration, max_polls: u32) -> Self {
        self.media_poll_interval = interval;
        self.media_max_polls = max_polls;
        self
    }

    fn base(&self, account: &AccountCredentials) -> Result<String> {
        account
            .base_url
            .as_deref()
            .map(|b| b.trim_end_matches('/').to_string())
            .or_else(|| self.default_instance.clone())
            .ok_or_else(|| {
                Error::configuration(
                    "Mastodon account has no instance base_url (e.g. https://mastodon.social)",
                )
            })
    }

    /// The deterministic `Idempotency-Key` of one part: SHA-256 of (post key, account, part).
    pub fn idempotency_key(
        post_key: uuid::Uuid,
        account: &AccountCredentials,
        part: usize,
    ) -> String {
        let mut h = Sha256::new();
        h.update(b"contentos/mastodon/v1\0");
        h.update(post_key.as_bytes());
        h.update(account.account_id.to_string().as_bytes());
        h.update(part.to_le_bytes());
        hex::encode(h.finalize())
    }

    /// Reads (and caches per instance) the instance's limits from `/api/v2/instance`.
    pub async fn instance_limits(&self, account: &AccountCredentials) -> Result<InstanceLimits> {
        let base = self.base(account)?;
        if let Some(l) = self.limits.lock().ok().and_then(|m| m.get(&base).copied()) {
            return Ok(l);
        }
        let url = format!("{base}/api/v2/instance");
        let resp = self
            .http
            .send(P, "instance", CallKind::Read, |c| c.get(&url), map_error)
            .await?;
        let v = resp.value();
        let st = &v["configuration"]["statuses"];
        let d = InstanceLimits::default();
        let get = |f: &str, d: usize| st[f].as_u64().map(|n| n as usize).unwrap_or(d);
        let l = InstanceLimits {
            max_characters: get("max_characters", d.max_characters),
            max_media_attachments: get("max_media_attachments", d.max_media_attachments),
            characters_reserved_per_url: get(
                "characters_reserved_per_url",
                d.characters_reserved_per_url,
            ),
        };
        if let Ok(mut m) = self.limits.lock() {
            m.insert(base, l);
        }
        Ok(l)
    }

    async fn upload(
        &self,
        base: &str,
        token: &str,
        m: &MediaAttachment,
        field: &str,
    ) -> Result<String> {
        let url = format!("{base}/api/v2/media");
        let resp = self
            .http
            .send(
                P,
                "media",
                CallKind::Upload,
                |c| {
                    let part = reqwest::multipart::Part::bytes(m.data.clone())
                        .file_name("upload")
                        .mime_str(&m.mime_type)
                        .unwrap_or_else(|_| reqwest::multipart::Part::bytes(m.data.clone()));
                    let mut form = reqwest::multipart::Form::new().part("file", part);
                    if let Some(alt) = &m.alt_text {
                        form = form.text("description", alt.clone());
                    }
                    c.post(&url).bearer_auth(token).multipart(form)
                },
                map_error,
            )
            .await?;
        let media: MediaJson = resp.json(P)?;
        if resp.status == 200 && media.url.is_some() {
            return Ok(media.id);
        }
        // 202: still processing; poll until 200.
        let poll_url = format!("{base}/api/v1/media/{}", media.id);
        for _ in 0..self.media_max_polls {
            tokio::time::sleep(self.media_poll_interval).await;
            let r = self
                .http
                .send(
                    P,
                    "media_status",
                    CallKind::Read,
                    |c| c.get(&poll_url).bearer_auth(token),
                    map_error,
                )
                .await?;
            if r.status == 200 {
                return Ok(media.id);
            }
        }
        Err(Error::Transient {
            service: P.as_str().into(),
            status: None,
            request_id: None,
            message: format!("{field}: media {} still processing", media.id),
        })
    }

    async fn post_part(
        &self,
        base: &str,
        account: &AccountCredentials,
        post: &PostRequest,
        index: usize,
        part: &PostPart,
        reply_to: Option<&str>,
    ) -> Result<PartReceipt> {
        let token = account.access_token.expose();
        let mut media_ids = Vec::new();
        for (j, m) in part.media.iter().enumerate() {
            media_ids.push(
                self.upload(base, token, m, &format!("parts[{index}].media[{j}]"))
                    .await?,
            );
        }
        let mut body = json!({
            "status": part.text,
            "visibility": if reply_to.is_some() { self.reply_visibility.as_str() } else { "public" },
        });
        if !media_ids.is_empty() {
            body["media_ids"] = json!(media_ids);
        }
        if let Some(r) = reply_to {
            body["in_reply_to_id"] = json!(r);
        }
        if let Some(lang) = post.languages.first() {
            body["language"] = json!(lang);
        }
        let key = Self::idempotency_key(post.post_key, account, index);
        let url = format!("{base}/api/v1/statuses");
        let resp = self
            .http
            .send(
                P,
                "statuses",
                CallKind::IdempotentCreate,
                |c| {
                    c.post(&url)
                        .bearer_auth(token)
                        .header("Idempotency-Key", &key)
                        .json(&body)
                },
                map_error,
            )
            .await?;
        let st: StatusJson = resp.json(P)?;
        Ok(PartReceipt {
            index,
            platform_post_id: st.id,
            cid: None,
            url: st.url.or(st.uri),
        })
    }
}

#[derive(Deserialize)]
struct MediaJson {
    id: String,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct StatusJson {
    id: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    favourites_count: i64,
    #[serde(default)]
    reblogs_count: i64,
    #[serde(default)]
    replies_count: i64,
}

/// Mastodon errors are `{"error": "..."}`; 422 is a validation refusal.
fn map_error(p: Platform, r: &RawResponse) -> Error {
    let v = r.value();
    let msg = v["error"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| r.text_snippet());
    if r.status == 403 && msg.to_ascii_lowercase().contains("token") {
        return Error::NeedsReauth {
            platform: p.as_str().into(),
            message: msg,
        };
    }
    default_error(p, r, None, msg)
}

#[async_trait]
impl Publisher for MastodonPublisher {
    fn platform(&self) -> Platform {
        P
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn validate(&self, post: &PostRequest) -> Result<()> {
        let url_len = InstanceLimits::default().characters_reserved_per_url;
        validate(
            &self.caps,
            post,
            |t| textutil::code_points_url_weighted(t, url_len),
            "characters (URLs count 23)",
        )
    }

    async fn publish(
        &self,
        account: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> Result<PublishReceipt> {
        // Structural checks first (no network), then the instance's own limits.
        validate(
            &caps_for(InstanceLimits {
                max_characters: usize::MAX,
                max_media_attachments: usize::MAX,
                ..Default::default()
            }),
            post,
            |_| 0,
            "",
        )?;
        let limits = self.instance_limits(account).await?;
        let url_len = limits.characters_reserved_per_url;
        validate(
            &caps_for(limits),
            post,
            |t| textutil::code_points_url_weighted(t, url_len),
            &format!("characters (instance limit; URLs count {url_len})"),
        )?;
        let base = self.base(account)?;
        let mut receipts = resumed_prefix(post);
        for index in receipts.len()..post.parts.len() {
            let reply_to = receipts.last().map(|r| r.platform_post_id.clone());
            let r = self
                .post_part(
                    &base,
                    account,
                    post,
                    index,
                    &post.parts[index],
                    reply_to.as_deref(),
                )
                .await?;
            sink.record(&r).await?;
            receipts.push(r);
        }
        Ok(PublishReceipt {
            platform: P,
            parts: receipts,
        })
    }

    async fn metrics(
        &self,
        account: &AccountCredentials,
        ids: &[String],
    ) -> Result<Vec<PostMetrics>> {
        let base = self.base(account)?;
        let token = account.access_token.expose();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let url = format!("{base}/api/v1/statuses/{id}");
            let resp = self
                .http
                .send(
                    P,
                    "status",
                    CallKind::Read,
                    |c| c.get(&url).bearer_auth(token),
                    map_error,
                )
                .await?;
            let st: StatusJson = resp.json(P)?;
            out.push(PostMetrics {
                platform_post_id: st.id,
                impressions: None,
                likes: st.favourites_count,
                comments: st.replies_count,
                shares: st.reblogs_count,
                clicks: None,
                fetched_at: Utc::now(),
            });
        }
        Ok(out)
    }

    /// Mastodon user tokens do not expire; the credentials are returned unchanged.
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        Ok(account.clone())
    }
}
