//! Instagram Graph API content publishing: container create (image, Reel, carousel), status
//! polling, `media_publish`, follow-up parts as comments, the publishing limit read before
//! publishing, long-lived token refresh and insights.
//!
//! Credentials: `external_id` is the Instagram professional account id, `access_token` its
//! token. The default host is `graph.facebook.com` (Facebook Login for Business); use
//! [`InstagramPublisher::with_base_urls`] for `graph.instagram.com` (Business Login for
//! Instagram), whose long-lived tokens [`Publisher::refresh`] renews with `ig_refresh_token`.

use crate::common::{resumed_prefix, validate};
use crate::http::{CallKind, Http};
use crate::meta::{map_error, media_params, n, Graph, Polling};
use crate::textutil;
use async_trait::async_trait;
use chrono::Utc;
use contentos_core::model::{PartReceipt, Platform};
use contentos_core::publish::{
    AccountCredentials, Capabilities, Idempotency, LengthUnit, PostMetrics, PostPart, PostRequest,
    PublishReceipt, Publisher, ReceiptSink, ThreadModel,
};
use contentos_core::{Error, Result};
use std::time::Duration;

const P: Platform = Platform::Instagram;

/// The Instagram adapter.
#[derive(Debug)]
pub struct InstagramPublisher {
    graph: Graph,
    token_base: String,
    caps: Capabilities,
}

impl Default for InstagramPublisher {
    fn default() -> Self {
        InstagramPublisher::new(Http::default())
    }
}

impl InstagramPublisher {
    /// An adapter on `https://graph.facebook.com/v21.0`.
    pub fn new(http: Http) -> Self {
        InstagramPublisher {
            graph: Graph {
                http,
                platform: P,
                base: "https://graph.facebook.com/v21.0".into(),
                container_edge: "media",
                publish_edge: "media_publish",
                status_field: "status_code",
                text_field: "caption",
                polling: Polling::default(),
            },
            token_base: "https://graph.instagram.com".into(),
            caps: Capabilities {
                platform: P,
                length_unit: LengthUnit::CodePoints,
                max_length: 2200,
                max_followup_length: Some(2200),
                max_images: 10,
                max_videos: 10,
                media_types: ["image/jpeg", "video/mp4", "video/quicktime"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                max_image_bytes: Some(8 * 1024 * 1024),
                thread_model: ThreadModel::CommentUnderPost,
                idempotency: Idempotency::ContainerStatus,
                needs_public_media_url: true,
                max_hashtags: Some(30),
            },
        }
    }

    /// Graph base including the version (`https://graph.facebook.com/v21.0`), and the host of
    /// `refresh_access_token` (`https://graph.instagram.com`).
    pub fn with_base_urls(mut self, graph: impl Into<String>, token: impl Into<String>) -> Self {
        self.graph.base = graph.into().trim_end_matches('/').to_string();
        self.token_base = token.into().trim_end_matches('/').to_string();
        self
    }

    /// Container polling and the retry of subcode 4279009.
    pub fn with_polling(
        mut self,
        interval: Duration,
        max_polls: u32,
        not_found_retries: u32,
        not_found_delay: Duration,
    ) -> Self {
        self.graph.polling = Polling {
            interval,
            max_polls,
            not_found_retries,
            not_found_delay,
        };
        self
    }

    fn user(account: &AccountCredentials) -> Result<&str> {
        account.external_id.as_deref().ok_or_else(|| {
            Error::configuration(
                "Instagram account needs external_id = the IG professional account id",
            )
        })
    }

    async fn container_for(&self, user: &str, token: &str, part: &PostPart) -> Result<String> {
        let mut params: Vec<(&str, String)> = Vec::new();
        if part.media.len() == 1 {
            params.extend(media_params(&part.media[0], "REELS"));
            // Single images take no media_type.
            params.retain(|(k, v)| !(*k == "media_type" && v == "IMAGE"));
        } else {
            let mut children = Vec::new();
            for m in &part.media {
                let mut p = media_params(m, "VIDEO");
                p.retain(|(k, v)| !(*k == "media_type" && v == "IMAGE"));
                p.push(("is_carousel_item", "true".into()));
                children.push(self.graph.create_container(user, token, &p).await?);
            }
            for c in &children {
                self.graph.wait_ready(c, token).await?;
            }
            params.push(("media_type", "CAROUSEL".into()));
            params.push(("children", children.join(",")));
        }
        params.push(("caption", part.text.clone()));
        self.graph.create_container(user, token, &params).await
    }

    async fn comment(&self, media: &str, token: &str, text: &str) -> Result<String> {
        let url = format!("{}/{media}/comments", self.graph.base);
        let form = [("message", text), ("access_token", token)];
        let r = self
            .graph
            .http
            .send(
                P,
                "comments",
                CallKind::Create,
                |c| c.post(&url).form(&form),
                map_error,
            )
            .await?;
        r.value()["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| Error::Unconfirmed {
                platform: P.as_str().into(),
                message: "comment answered without id; it may exist".into(),
            })
    }
}

#[async_trait]
impl Publisher for InstagramPublisher {
    fn platform(&self) -> Platform {
        P
    }

    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    fn validate(&self, post: &PostRequest) -> Result<()> {
        validate(&self.caps, post, textutil::code_points, "characters")?;
        if post.parts[0].media.is_empty() {
            return Err(Error::validation(
                "parts[0].media",
                "an Instagram post needs at least one image or video",
            ));
        }
        if post.parts[0].media.len() > 10 {
            return Err(Error::validation(
                "parts[0].media",
                "a carousel has at most 10 items",
            ));
        }
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
        let token = account.access_token.expose();
        let user = Self::user(account)?;
        let mut receipts = resumed_prefix(post);
        if receipts.is_empty() {
            self.graph
                .check_quota(
                    user,
                    token,
                    "content_publishing_limit",
                    "quota_usage,config",
                    &[("quota_usage", "config", 1)],
                )
                .await?;
            let part = &post.parts[0];
            let container = self.container_for(user, token, part).await?;
            let id = match self.graph.wait_ready(&container, token).await? {
                crate::meta::ContainerState::Published => {
                    return Err(Error::Unconfirmed {
                        platform: P.as_str().into(),
                        message: format!("container {container} was already PUBLISHED"),
                    })
                }
                _ => {
                    self.graph
                        .publish(user, &container, token, &part.text)
                        .await?
                }
            };
            // Persist the media id at the publish boundary, before any follow-up.
            let r = PartReceipt {
                index: 0,
                platform_post_id: id,
                cid: None,
                url: None,
            };
            sink.record(&r).await?;
            receipts.push(r);
        }
        let media_id = receipts[0].platform_post_id.clone();
        for index in receipts.len()..post.parts.len() {
            let id = self
                .comment(&media_id, token, &post.parts[index].text)
                .await?;
            let r = PartReceipt {
                index,
                platform_post_id: id,
                cid: None,
                url: None,
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
        let mut out = Vec::new();
        for id in ids {
            let m = self
                .graph
                .insights(id, token, "reach,likes,comments,shares,saved")
                .await?;
            out.push(PostMetrics {
                platform_post_id: id.clone(),
                impressions: m.get("reach").copied(),
                likes: n(&m, "likes"),
                comments: n(&m, "comments"),
                shares: n(&m, "shares"),
                clicks: None,
                fetched_at: Utc::now(),
            });
        }
        Ok(out)
    }

    /// Refreshes a long-lived Instagram token (`ig_refresh_token`, Business Login for
    /// Instagram). Facebook-Login page tokens do not expire this way and need re-authorization
    /// through Facebook when revoked.
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        let url = format!("{}/refresh_access_token", self.token_base);
        let t = self
            .graph
            .token_get(
                &url,
                &[
                    ("grant_type", "ig_refresh_token"),
                    ("access_token", account.access_token.expose()),
                ],
            )
            .await?;
        let mut out = account.clone();
        out.access_token = t.access_token;
        out.expires_at = t.expires_at;
        Ok(out)
    }
}
