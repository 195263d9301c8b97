//! X (API v2): posts, threads as reply chains, chunked media upload
//! (initialize / append / finalize / status), `public_metrics`, and OAuth 2.0 authorization code
//! with PKCE (S256) plus refresh.
//!
//! Why creates are sent once: X has no idempotency key, so a create whose answer is lost may
//! already be public. Such a create surfaces as `Unconfirmed` and must be reconciled by a human
//! or a lookup, never retried. Media uploads publish nothing and are retried freely.

use crate::common::{resumed_prefix, validate};
use crate::http::{default_error, CallKind, Http, RawResponse};
use crate::oauth::{Pkce, TokenResponse, TokenSet};
use crate::textutil;
use async_trait::async_trait;
use chrono::Utc;
use contentos_core::model::{PartReceipt, Platform};
use contentos_core::publish::{
    AccountCredentials, Capabilities, Idempotency, LengthUnit, MediaAttachment, MediaKind,
    PostMetrics, PostRequest, PublishReceipt, Publisher, ReceiptSink, ThreadModel,
};
use contentos_core::vault::Secret;
use contentos_core::{Error, Result};
use serde_json::{json, Value};
use std::time::Duration;

const P: Platform = Platform::X;

/// The X adapter.
pub struct XPublisher {
    http: Http,
    api_base: String,
    authorize_url: String,
    client_id: String,
    client_secret: Option<Secret>,
    caps: Capabilities,
    chunk_size: usize,
    max_processing_wait: Duration,
    poll_cap: Duration,
}

impl std::fmt::Debug for XPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XPublisher")
            .field("api_base", &self.api_base)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl XPublisher {
    /// An adapter for the OAuth 2.0 app `client_id` (public client; add a secret with
    /// [`Self::with_client_secret`] for a confidential one).
    pub fn new(http: Http, client_id: impl Into<String>) -> Self {
        XPublisher {
            http,
            api_base: "https://api.x.com".into(),
            authorize_url: "https://x.com/i/oauth2/authorize".into(),
            client_id: client_id.into(),
            client_secret: None,
            caps: Capabilities {
                platform: P,
                length_unit: LengthUnit::TwitterWeighted,
                max_length: 280,
                max_followup_length: None,
                max_images: 4,
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
                max_image_bytes: Some(5 * 1024 * 1024),
                thread_model: ThreadModel::ReplyTo,
                idempotency: Idempotency::None,
                needs_public_media_url: false,
                max_hashtags: None,
            },
            chunk_size: 1024 * 1024,
            max_processing_wait: Duration::from_secs(7 * 60),
            poll_cap: Duration::from_secs(30),
        }
    }

    /// The API host (`https://api.x.com`); the token endpoint is `{base}/2/oauth2/token`.
    pub fn with_api_base(mut self, base: impl Into<String>) -> Self {
        self.api_base = base.into().trim_end_matches('/').to_string();
        self
    }

    /// The authorization page (`https://x.com/i/oauth2/authorize`).
    pub fn with_authorize_url(mut self, url: impl Into<String>) -> Self {
        self.authorize_url = url.into();
        self
    }

    /// A confidential client's secret (sent as HTTP Basic on the token endpoint).
    pub fn with_client_secret(mut self, secret: Secret) -> Self {
        self.client_secret = Some(secret);
        self
    }

    /// The weighted length limit (280; Premium accounts allow more).
    pub fn with_max_length(mut self, max: usize) -> Self {
        self.caps.max_length = max;
        self
    }

    /// Media chunk size (1 MiB by default) and the cap on one `check_after_secs` wait.
    pub fn with_media_tuning(mut self, chunk_size: usize, poll_cap: Duration) -> Self {
        self.chunk_size = chunk_size.max(1);
        self.poll_cap = poll_cap;
        self
    }

    /// The authorization URL for the PKCE flow, and the PKCE pair whose verifier the caller
    /// keeps until [`Self::exchange_code`]. Include `offline.access` in `scopes` to get a
    /// refresh token.
    pub fn authorization_url(
        &self,
        redirect_uri: &str,
        scopes: &[&str],
        state: &str,
    ) -> Result<(String, Pkce)> {
        let pkce = Pkce::generate();
        let mut url = url::Url::parse(&self.authorize_url)
            .map_err(|e| Error::configuration(format!("X authorize URL: {e}")))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", state)
            .append_pair("code_challenge", &pkce.challenge)
            .append_pair("code_challenge_method", "S256");
        Ok((url.to_string(), pkce))
    }

    /// Exchanges an authorization code (with the PKCE verifier) for tokens.
    pub async fn exchange_code(
        &self,
        code: &str,
        verifier: &Secret,
        redirect_uri: &str,
    ) -> Result<TokenSet> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
            ("client_id", &self.client_id),
        ];
        self.token_call("oauth2/token", &form).await
    }

    async fn token_call(&self, endpoint: &str, form: &[(&str, &str)]) -> Result<TokenSet> {
        let url = format!("{}/2/oauth2/token", self.api_base);
        let resp = self
            .http
            .send(
                P,
                endpoint,
                CallKind::Read,
                |c| {
                    let mut rb = c.post(&url).form(form);
                    if let Some(s) = &self.client_secret {
                        rb = rb.basic_auth(&self.client_id, Some(s.expose()));
                    }
                    rb
                },
                map_token_error,
            )
            .await?;
        let t: TokenResponse = resp.json(P)?;
        Ok(t.into_token_set())
    }

    async fn upload(&self, token: &str, m: &MediaAttachment, field: &str) -> Result<String> {
        let base = &self.api_base;
        let category = match m.kind {
            MediaKind::Image if m.mime_type == "image/gif" => "tweet_gif",
            MediaKind::Image => "tweet_image",
            MediaKind::Video => "tweet_video",
        };
        let init_url = format!("{base}/2/media/upload/initialize");
        let init_body = json!({"media_type": m.mime_type, "total_bytes": m.data.len(), "media_category": category});
        let resp = self
            .http
            .send(
                P,
                "media/initialize",
                CallKind::Upload,
                |c| c.post(&init_url).bearer_auth(token).json(&init_body),
                map_error,
            )
            .await?;
        let id = resp.value()["data"]["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| protocol("media initialize answered without data.id"))?;
        let append_url = format!("{base}/2/media/upload/{id}/append");
        for (i, chunk) in m.data.chunks(self.chunk_size).enumerate() {
            self.http
                .send(
                    P,
                    "media/append",
                    CallKind::Upload,
                    |c| {
                        let form = reqwest::multipart::Form::new()
                            .text("segment_index", i.to_string())
                            .part(
                                "media",
                                reqwest::multipart::Part::bytes(chunk.to_vec()).file_name("chunk"),
                            );
                        c.post(&append_url).bearer_auth(token).multipart(form)
                    },
                    map_error,
                )
                .await?;
        }
        let fin_url = format!("{base}/2/media/upload/{id}/finalize");
        let resp = self
            .http
            .send(
                P,
                "media/finalize",
                CallKind::Upload,
                |c| c.post(&fin_url).bearer_auth(token),
                map_error,
            )
            .await?;
        let mut info = resp.value()["data"]["processing_info"].clone();
        let started = std::time::Instant::now();
        let status_url = format!("{base}/2/media/upload");
        loop {
            // No processing_info means the media is ready.
            let state = info["state"].as_str().unwrap_or("succeeded").to_string();
            match state.as_str() {
                "succeeded" => break,
                "failed" => {
                    let msg = info["error"]["message"]
                        .as_str()
                        .unwrap_or("processing failed");
                    return Err(Error::Rejected {
                        service: P.as_str().into(),
                        code: info["error"]["code"].as_i64().map(|c| c.to_string()),
                        message: format!("{field}: {msg}"),
                    });
                }
                _ => {}
            }
            if started.elapsed() > self.max_processing_wait {
                return Err(Error::Transient {
                    service: P.as_str().into(),
                    status: None,
                    request_id: None,
                    message: format!("{field}: media {id} still processing"),
                });
            }
            let wait = Duration::from_secs(info["check_after_secs"].as_u64().unwrap_or(1))
                .min(self.poll_cap);
            tokio::time::sleep(wait).await;
            let resp = self
                .http
                .send(
                    P,
                    "media/status",
                    CallKind::Read,
                    |c| {
                        c.get(&status_url)
                            .bearer_auth(token)
                            .query(&[("command", "STATUS"), ("media_id", id.as_str())])
                    },
                    map_error,
                )
                .await?;
            info = resp.value()["data"]["processing_info"].clone();
        }
        if let Some(alt) = m.alt_text.as_deref().filter(|a| !a.is_empty()) {
            let url = format!("{base}/2/media/metadata");
            let body = json!({"id": id, "metadata": {"alt_text": {"text": alt}}});
            // Alt text is best effort: the post is still worth publishing without it.
            if let Err(e) = self
                .http
                .send(
                    P,
                    "media/metadata",
                    CallKind::Upload,
                    |c| c.post(&url).bearer_auth(token).json(&body),
                    map_error,
                )
                .await
            {
                tracing::warn!(error = %e, media_id = %id, "X alt text not set");
            }
        }
        Ok(id)
    }
}

fn protocol(message: &str) -> Error {
    Error::Protocol {
        service: P.as_str().into(),
        message: message.into(),
    }
}

/// X answers errors as problem objects (`title`, `detail`, `type`) or `errors[]`
/// (`code`, `message`). Duplicates and tier caps get their own meaning.
fn map_error(p: Platform, r: &RawResponse) -> Error {
    let v = r.value();
    let first = &v["errors"][0];
    let detail = v["detail"]
        .as_str()
        .or_else(|| first["message"].as_str())
        .or_else(|| v["title"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| r.text_snippet());
    let code = first["code"]
        .as_i64()
        .map(|c| c.to_string())
        .or_else(|| v["type"].as_str().map(str::to_string));
    let lower =
        format!("{detail} {}", v["title"].as_str().unwrap_or_default()).to_ascii_lowercase();
    if lower.contains("duplicate content") || (lower.contains("duplicate") && r.status == 403) {
        return Error::Rejected {
            service: p.as_str().into(),
            code: Some("duplicate".into()),
            message: detail,
        };
    }
    if lower.contains("usage-capped")
        || lower.contains("usagecapexceeded")
        || lower.contains("usage cap")
    {
        return Error::QuotaExceeded {
            service: p.as_str().into(),
            message: detail,
        };
    }
    if lower.contains("unsupported authentication") {
        return Error::NeedsReauth {
            platform: p.as_str().into(),
            message: detail,
        };
    }
    default_error(p, r, code, detail)
}

/// Token endpoint: `invalid_grant` / `invalid_request` mean the refresh token is dead.
fn map_token_error(p: Platform, r: &RawResponse) -> Error {
    let v = r.value();
    let err = v["error"].as_str().unwrap_or_default();
    let desc = v["error_description"].as_str().unwrap_or(err).to_string();
    if matches!(
        err,
        "invalid_grant" | "invalid_request" | "unauthorized_client"
    ) || r.status == 401
    {
        return Error::NeedsReauth {
            platform: p.as_str().into(),
            message: desc,
        };
    }
    default_error(p, r, (!err.is_empty()).then(|| err.to_string()), desc)
}

#[async_trait]
impl Publisher for XPublisher {
    fn platform(&self) -> Platform {
        P
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn validate(&self, post: &PostRequest) -> Result<()> {
        validate(
            &self.caps,
            post,
            textutil::twitter_weighted_len,
            "weighted characters (URLs 23, CJK and emoji 2)",
        )
    }

    async fn publish(
        &self,
        account: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> Result<PublishReceipt> {
        self.validate(post)?;
        let token = account.access_token.expose();
        let mut receipts = resumed_prefix(post);
        let url = format!("{}/2/tweets", self.api_base);
        for index in receipts.len()..post.parts.len() {
            let part = &post.parts[index];
            let mut media_ids = Vec::new();
            for (j, m) in part.media.iter().enumerate() {
                media_ids.push(
                    self.upload(token, m, &format!("parts[{index}].media[{j}]"))
                        .await?,
                );
            }
            let mut body = json!({"text": part.text});
            if !media_ids.is_empty() {
                body["media"] = json!({"media_ids": media_ids});
            }
            if let Some(prev) = receipts.last() {
                body["reply"] = json!({"in_reply_to_tweet_id": prev.platform_post_id});
            }
            let resp = self
                .http
                .send(
                    P,
                    "tweets",
                    CallKind::Create,
                    |c| c.post(&url).bearer_auth(token).json(&body),
                    map_error,
                )
                .await?;
            let v: Value = resp.value();
            let Some(id) = v["data"]["id"].as_str() else {
                return Err(Error::Unconfirmed {
                    platform: P.as_str().into(),
                    message: format!(
                        "create answered HTTP {} without data.id; the post may exist",
                        resp.status
                    ),
                });
            };
            let r = PartReceipt {
                index,
                platform_post_id: id.to_string(),
                cid: None,
                url: Some(format!("https://x.com/i/web/status/{id}")),
            };
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
        let token = account.access_token.expose();
        let url = format!("{}/2/tweets", self.api_base);
        let mut out = Vec::new();
        for chunk in ids.chunks(100) {
            let joined = chunk.join(",");
            let resp = self
                .http
                .send(
                    P,
                    "tweets lookup",
                    CallKind::Read,
                    |c| {
                        c.get(&url)
                            .bearer_auth(token)
                            .query(&[("ids", joined.as_str()), ("tweet.fields", "public_metrics")])
                    },
                    map_error,
                )
                .await?;
            let v = resp.value();
            for t in v["data"].as_array().into_iter().flatten() {
                let m = &t["public_metrics"];
                let n = |f: &str| m[f].as_i64().unwrap_or(0);
                out.push(PostMetrics {
                    platform_post_id: t["id"].as_str().unwrap_or_default().to_string(),
                    impressions: m["impression_count"].as_i64(),
                    likes: n("like_count"),
                    comments: n("reply_count"),
                    shares: n("retweet_count") + n("quote_count"),
                    clicks: None,
                    fetched_at: Utc::now(),
                });
            }
        }
        Ok(out)
    }

    /// Refreshes with the stored refresh token. X rotates refresh tokens: the returned
    /// credentials carry the new one, which the caller must persist before using the new
    /// access token. A response without a refresh token keeps the old one (never cleared).
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        let Some(rt) = account.refresh_token.as_ref().filter(|t| !t.is_empty()) else {
            return Err(Error::NeedsReauth {
                platform: P.as_str().into(),
                message: "no refresh token stored (was offline.access granted?)".into(),
            });
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.expose()),
            ("client_id", self.client_id.as_str()),
        ];
        let t = self.token_call("oauth2/token refresh", &form).await?;
        let mut out = account.clone();
        out.access_token = t.access_token;
        if let Some(new_rt) = t.refresh_token {
            out.refresh_token = Some(new_rt);
        }
        out.expires_at = t.expires_at;
        Ok(out)
    }
}
