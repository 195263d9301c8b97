//! LinkedIn Posts API (`/rest/posts`): versioned headers, author URN, post id from
//! `x-restli-id`, little-text escaping of `commentary`, image upload through the Images API, and
//! follow-up parts as comments.
//!
//! Why the version is configuration: LinkedIn sunsets each monthly `LinkedIn-Version` about a
//! year after release, and a sunset version fails every call with HTTP 426
//! `NONEXISTENT_VERSION`. That is reported as [`Error::Configuration`] (change the version), not
//! as a problem with the post, and [`LinkedInPublisher::version_warning`] says when the pinned
//! version is close to its sunset.

use crate::common::{resumed_prefix, validate};
use crate::http::{default_error, CallKind, Http, RawResponse};
use crate::oauth::TokenResponse;
use crate::textutil;
use async_trait::async_trait;
use chrono::{Datelike, NaiveDate, Utc};
use contentos_core::model::{PartReceipt, Platform};
use contentos_core::publish::{
    AccountCredentials, Capabilities, Idempotency, LengthUnit, MediaAttachment, PostMetrics,
    PostRequest, PublishReceipt, Publisher, ReceiptSink, ThreadModel,
};
use contentos_core::vault::Secret;
use contentos_core::{Error, Result};
use serde_json::{json, Value};

const P: Platform = Platform::LinkedIn;

/// The LinkedIn adapter.
pub struct LinkedInPublisher {
    http: Http,
    api_base: String,
    oauth_base: String,
    version: String,
    client_id: String,
    client_secret: Option<Secret>,
    caps: Capabilities,
}

impl std::fmt::Debug for LinkedInPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkedInPublisher")
            .field("api_base", &self.api_base)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl LinkedInPublisher {
    /// An adapter pinned to `version` (`YYYYMM`, e.g. `202501`).
    pub fn new(http: Http, version: impl Into<String>) -> Self {
        LinkedInPublisher {
            http,
            api_base: "https://api.linkedin.com".into(),
            oauth_base: "https://www.linkedin.com/oauth/v2".into(),
            version: version.into(),
            client_id: String::new(),
            client_secret: None,
            caps: Capabilities {
                platform: P,
                length_unit: LengthUnit::CodePoints,
                max_length: 3000,
                max_followup_length: Some(1250),
                max_images: 20,
                max_videos: 0,
                media_types: ["image/jpeg", "image/png", "image/gif"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                max_image_bytes: Some(36_152_320),
                thread_model: ThreadModel::CommentUnderPost,
                idempotency: Idempotency::None,
                needs_public_media_url: false,
                max_hashtags: None,
            },
        }
    }

    /// The API host (`https://api.linkedin.com`) and OAuth base
    /// (`https://www.linkedin.com/oauth/v2`).
    pub fn with_base_urls(mut self, api: impl Into<String>, oauth: impl Into<String>) -> Self {
        self.api_base = api.into().trim_end_matches('/').to_string();
        self.oauth_base = oauth.into().trim_end_matches('/').to_string();
        self
    }

    /// OAuth client credentials, needed for [`Publisher::refresh`].
    pub fn with_client(mut self, client_id: impl Into<String>, secret: Secret) -> Self {
        self.client_id = client_id.into();
        self.client_secret = Some(secret);
        self
    }

    /// A warning when the pinned version is 10 months old or more (LinkedIn sunsets versions
    /// about 12 months after release), or is not `YYYYMM`.
    pub fn version_warning(&self, today: NaiveDate) -> Option<String> {
        let v = &self.version;
        let (y, m) = (
            v.get(0..4)?.parse::<i32>().ok(),
            v.get(4..6)?.parse::<u32>().ok(),
        );
        let (Some(y), Some(m)) = (y, m) else {
            return Some(format!("LinkedIn-Version {v} is not YYYYMM"));
        };
        let age = (today.year() - y) * 12 + today.month() as i32 - m as i32;
        (age >= 10).then(|| {
            format!("LinkedIn-Version {v} is {age} months old; versions are sunset about 12 months after release — update it")
        })
    }

    fn rest(
        &self,
        c: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        token: &str,
    ) -> reqwest::RequestBuilder {
        c.request(method, format!("{}{path}", self.api_base))
            .bearer_auth(token)
            .header("LinkedIn-Version", &self.version)
            .header("X-Restli-Protocol-Version", "2.0.0")
    }

    async fn author(&self, account: &AccountCredentials) -> Result<String> {
        if let Some(urn) = account
            .external_id
            .as_deref()
            .filter(|u| u.starts_with("urn:li:"))
        {
            return Ok(urn.to_string());
        }
        let token = account.access_token.expose();
        let url = format!("{}/v2/userinfo", self.api_base);
        let r = self
            .http
            .send(
                P,
                "userinfo",
                CallKind::Read,
                |c| c.get(&url).bearer_auth(token),
                map_error,
            )
            .await?;
        let sub = r.value()["sub"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Error::Protocol {
                service: P.as_str().into(),
                message: "userinfo without sub".into(),
            })?;
        Ok(format!("urn:li:person:{sub}"))
    }

    async fn upload_image(&self, token: &str, owner: &str, m: &MediaAttachment) -> Result<String> {
        let body = json!({"initializeUploadRequest": {"owner": owner}});
        let r = self
            .http
            .send(
                P,
                "images initializeUpload",
                CallKind::Upload,
                |c| {
                    self.rest(
                        c,
                        reqwest::Method::POST,
                        "/rest/images?action=initializeUpload",
                        token,
                    )
                    .json(&body)
                },
                map_error,
            )
            .await?;
        let v = r.value();
        let (Some(upload_url), Some(urn)) = (
            v["value"]["uploadUrl"].as_str(),
            v["value"]["image"].as_str(),
        ) else {
            return Err(Error::Protocol {
                service: P.as_str().into(),
                message: "initializeUpload without value.uploadUrl / value.image".into(),
            });
        };
        self.http
            .send(
                P,
                "image upload",
                CallKind::Upload,
                |c| {
                    c.put(upload_url)
                        .bearer_auth(token)
                        .header("Content-Type", &m.mime_type)
                        .body(m.data.clone())
                },
                map_error,
            )
            .await?;
        Ok(urn.to_string())
    }

    fn restli_id(r: &RawResponse) -> Option<String> {
        r.header("x-restli-id")
            .map(str::to_string)
            .or_else(|| r.value()["id"].as_str().map(str::to_string))
            .or_else(|| r.value()["$URN"].as_str().map(str::to_string))
    }
}

/// LinkedIn errors: `{"status":426,"code":"NONEXISTENT_VERSION","message":...}` or
/// `{"serviceErrorCode":..,"message":..,"status":..}`.
fn map_error(p: Platform, r: &RawResponse) -> Error {
    let v = r.value();
    let message = v["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| r.text_snippet());
    let code = v["code"]
        .as_str()
        .map(str::to_string)
        .or_else(|| v["serviceErrorCode"].as_i64().map(|c| c.to_string()));
    if r.status == 426 || code.as_deref() == Some("NONEXISTENT_VERSION") {
        return Error::Configuration {
            message: format!(
                "LinkedIn-Version no longer active ({message}); update the adapter's version"
            ),
        };
    }
    default_error(p, r, code, message)
}

#[async_trait]
impl Publisher for LinkedInPublisher {
    fn platform(&self) -> Platform {
        P
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn validate(&self, post: &PostRequest) -> Result<()> {
        validate(&self.caps, post, textutil::code_points, "characters")?;
        for (i, p) in post.parts.iter().enumerate().skip(1) {
            if !p.media.is_empty() {
                return Err(Error::validation(
                    format!("parts[{i}].media"),
                    "follow-up parts are comments and take no media",
                ));
            }
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
        if let Some(w) = self.version_warning(Utc::now().date_naive()) {
            tracing::warn!(platform = "linkedin", "{w}");
        }
        let token = account.access_token.expose();
        let author = self.author(account).await?;
        let mut receipts = resumed_prefix(post);
        if receipts.is_empty() {
            let part = &post.parts[0];
            let mut images = Vec::new();
            for m in &part.media {
                images.push((
                    self.upload_image(token, &author, m).await?,
                    m.alt_text.clone(),
                ));
            }
            let mut body = json!({
                "author": author,
                "commentary": textutil::linkedin_escape(&part.text),
                "visibility": "PUBLIC",
                "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
                "lifecycleState": "PUBLISHED",
                "isReshareDisabledByAuthor": false,
            });
            let entry = |(id, alt): &(String, Option<String>)| -> Value {
                let mut e = json!({"id": id});
                if let Some(a) = alt {
                    e["altText"] = json!(a);
                }
                e
            };
            match images.len() {
                0 => {}
                1 => body["content"] = json!({"media": entry(&images[0])}),
                _ => {
                    body["content"] = json!({"multiImage": {"images": images.iter().map(entry).collect::<Vec<_>>()}})
                }
            }
            let r = self
                .http
                .send(
                    P,
                    "posts",
                    CallKind::Create,
                    |c| {
                        self.rest(c, reqwest::Method::POST, "/rest/posts", token)
                            .json(&body)
                    },
                    map_error,
                )
                .await?;
            let Some(urn) = Self::restli_id(&r) else {
                return Err(Error::Unconfirmed {
                    platform: P.as_str().into(),
                    message: format!(
                        "post answered HTTP {} without x-restli-id; it may exist",
                        r.status
                    ),
                });
            };
            let rec = PartReceipt {
                index: 0,
                url: Some(format!("https://www.linkedin.com/feed/update/{urn}/")),
                platform_post_id: urn,
                cid: None,
            };
            sink.record(&rec).await?;
            receipts.push(rec);
        }
        let post_urn = receipts[0].platform_post_id.clone();
        let encoded: String = url::form_urlencoded::byte_serialize(post_urn.as_bytes()).collect();
        let url = format!("{}/v2/socialActions/{encoded}/comments", self.api_base);
        for index in receipts.len()..post.parts.len() {
            let body = json!({"actor": author, "object": post_urn, "message": {"text": post.parts[index].text}});
            let r = self
                .http
                .send(
                    P,
                    "socialActions comments",
                    CallKind::Create,
                    |c| {
                        c.post(&url)
                            .bearer_auth(token)
                            .header("X-Restli-Protocol-Version", "2.0.0")
                            .json(&body)
                    },
                    map_error,
                )
                .await?;
            let Some(id) = Self::restli_id(&r) else {
                return Err(Error::Unconfirmed {
                    platform: P.as_str().into(),
                    message: "comment answered without an id; it may exist".into(),
                });
            };
            let rec = PartReceipt {
                index,
                platform_post_id: id,
                cid: None,
                url: None,
            };
            sink.record(&rec).await?;
            receipts.push(rec);
        }
        Ok(PublishReceipt {
            platform: P,
            parts: receipts,
        })
    }

    /// Likes and comments from `GET /v2/socialActions/{urn}` (available to members without
    /// extra product approval). Impressions, clicks and reshares need the organization
    /// statistics products and are reported as unknown (`None`) / 0 here.
    async fn metrics(
        &self,
        account: &AccountCredentials,
        ids: &[String],
    ) -> Result<Vec<PostMetrics>> {
        let token = account.access_token.expose();
        let mut out = Vec::new();
        for id in ids {
            let encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
            let url = format!("{}/v2/socialActions/{encoded}", self.api_base);
            let r = self
                .http
                .send(
                    P,
                    "socialActions",
                    CallKind::Read,
                    |c| {
                        c.get(&url)
                            .bearer_auth(token)
                            .header("X-Restli-Protocol-Version", "2.0.0")
                    },
                    map_error,
                )
                .await?;
            let v = r.value();
            out.push(PostMetrics {
                platform_post_id: id.clone(),
                impressions: None,
                likes: v["likesSummary"]["totalLikes"].as_i64().unwrap_or(0),
                comments: v["commentsSummary"]["aggregatedTotalComments"]
                    .as_i64()
                    .or_else(|| v["commentsSummary"]["totalFirstLevelComments"].as_i64())
                    .unwrap_or(0),
                shares: 0,
                clicks: None,
                fetched_at: Utc::now(),
            });
        }
        Ok(out)
    }

    /// Refreshes with a programmatic refresh token (issued only to apps approved for certain
    /// products); without one the member must re-authorize (`NeedsReauth`).
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        let (Some(rt), Some(secret)) = (
            account.refresh_token.as_ref().filter(|t| !t.is_empty()),
            self.client_secret.as_ref(),
        ) else {
            return Err(Error::NeedsReauth {
                platform: P.as_str().into(),
                message:
                    "no LinkedIn refresh token (or client credentials); the member must reconnect"
                        .into(),
            });
        };
        let url = format!("{}/accessToken", self.oauth_base);
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.expose()),
            ("client_id", self.client_id.as_str()),
            ("client_secret", secret.expose()),
        ];
        let r = self
            .http
            .send(
                P,
                "accessToken",
                CallKind::Read,
                |c| c.post(&url).form(&form),
                map_token_error,
            )
            .await?;
        let t: TokenResponse = r.json(P)?;
        let t = t.into_token_set();
        let mut out = account.clone();
        out.access_token = t.access_token;
        if let Some(new_rt) = t.refresh_token {
            out.refresh_token = Some(new_rt);
        }
        out.expires_at = t.expires_at;
        Ok(out)
    }
}

fn map_token_error(p: Platform, r: &RawResponse) -> Error {
    let v = r.value();
    let err = v["error"].as_str().unwrap_or_default();
    let desc = v["error_description"].as_str().unwrap_or(err).to_string();
    if err == "invalid_grant" || err == "invalid_request" || r.status == 401 {
        return Error::NeedsReauth {
            platform: p.as_str().into(),
            message: desc,
        };
    }
    default_error(p, r, (!err.is_empty()).then(|| err.to_string()), desc)
}
