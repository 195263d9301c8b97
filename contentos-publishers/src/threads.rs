//! Meta Threads (graph.threads.net): two-step container create + publish, chains via
//! `reply_to_id`, carousels, the publishing quota read before publishing, long-lived token
//! exchange and refresh, and insights.
//!
//! Credentials: `external_id` is the Threads user id (`me` is used when absent), `access_token`
//! the long-lived user token. Media are fetched by Meta from public URLs.

use crate::common::{resumed_prefix, validate};
use crate::http::Http;
use crate::meta::{media_params, n, Graph, Polling};
use crate::oauth::TokenSet;
use crate::textutil;
use async_trait::async_trait;
use chrono::Utc;
use contentos_core::model::{PartReceipt, Platform};
use contentos_core::publish::{
    AccountCredentials, Capabilities, Idempotency, LengthUnit, PostMetrics, PostPart, PostRequest,
    PublishReceipt, Publisher, ReceiptSink, ThreadModel,
};
use contentos_core::vault::Secret;
use contentos_core::{Error, Result};
use std::time::Duration;

const P: Platform = Platform::Threads;

/// The Threads adapter.
#[derive(Debug)]
pub struct ThreadsPublisher {
    graph: Graph,
    token_base: String,
    caps: Capabilities,
}

impl Default for ThreadsPublisher {
    fn default() -> Self {
        ThreadsPublisher::new(Http::default())
    }
}

impl ThreadsPublisher {
    /// An adapter on `https://graph.threads.net/v1.0`.
    pub fn new(http: Http) -> Self {
        ThreadsPublisher {
            graph: Graph {
                http,
                platform: P,
                base: "https://graph.threads.net/v1.0".into(),
                container_edge: "threads",
                publish_edge: "threads_publish",
                status_field: "status",
                text_field: "text",
                polling: Polling::default(),
            },
            token_base: "https://graph.threads.net".into(),
            caps: Capabilities {
                platform: P,
                length_unit: LengthUnit::CharactersEmojiAsBytes,
                max_length: 500,
                max_followup_length: None,
                max_images: 20,
                max_videos: 20,
                media_types: ["image/jpeg", "image/png", "video/mp4", "video/quicktime"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                max_image_bytes: None,
                thread_model: ThreadModel::ReplyTo,
                idempotency: Idempotency::ContainerStatus,
                needs_public_media_url: true,
                max_hashtags: None,
            },
        }
    }

    /// Graph API base including the version (`https://graph.threads.net/v1.0`) and the token
    /// host (`https://graph.threads.net`).
    pub fn with_base_urls(mut self, graph: impl Into<String>, token: impl Into<String>) -> Self {
        self.graph.base = graph.into().trim_end_matches('/').to_string();
        self.token_base = token.into().trim_end_matches('/').to_string();
        self
    }

    /// Container polling interval / count, and the retry of subcode 4279009 (Meta advises ~30 s
    /// between container creation and publish).
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

    /// Exchanges a short-lived token for a long-lived one (~60 days):
    /// `GET /access_token?grant_type=th_exchange_token`.
    pub async fn exchange_for_long_lived(
        &self,
        short_lived: &Secret,
        client_secret: &Secret,
    ) -> Result<TokenSet> {
        let url = format!("{}/access_token", self.token_base);
        self.graph
            .token_get(
                &url,
                &[
                    ("grant_type", "th_exchange_token"),
                    ("client_secret", client_secret.expose()),
                    ("access_token", short_lived.expose()),
                ],
            )
            .await
    }

    fn user(account: &AccountCredentials) -> &str {
        account.external_id.as_deref().unwrap_or("me")
    }

    async fn container_for(
        &self,
        user: &str,
        token: &str,
        part: &PostPart,
        reply_to: Option<&str>,
    ) -> Result<String> {
        let mut params: Vec<(&str, String)> = Vec::new();
        match part.media.len() {
            0 => params.push(("media_type", "TEXT".into())),
            1 => params.extend(media_params(&part.media[0], "VIDEO")),
            _ => {
                let mut children = Vec::new();
                for m in &part.media {
                    let mut p = media_params(m, "VIDEO");
                    p.push(("is_carousel_item", "true".into()));
                    let id = self.graph.create_container(user, token, &p).await?;
                    children.push(id);
                }
                for c in &children {
                    self.graph.wait_ready(c, token).await?;
                }
                params.push(("media_type", "CAROUSEL".into()));
                params.push(("children", children.join(",")));
            }
        }
        if !part.text.is_empty() {
            params.push(("text", part.text.clone()));
        }
        if let Some(r) = reply_to {
            params.push(("reply_to_id", r.to_string()));
        }
        self.graph.create_container(user, token, &params).await
    }
}

#[async_trait]
impl Publisher for ThreadsPublisher {
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
            textutil::threads_len,
            "characters (emoji count as UTF-8 bytes)",
        )?;
        for (i, p) in post.parts.iter().enumerate() {
            if p.media.len() > 20 {
                return Err(Error::validation(
                    format!("parts[{i}].media"),
                    "a carousel has at most 20 items",
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
        let user = Self::user(account);
        let mut receipts = resumed_prefix(post);
        let start = receipts.len();
        if start < post.parts.len() {
            let posts = usize::from(start == 0);
            let replies = post.parts.len() - start - posts;
            self.graph
                .check_quota(
                    user,
                    token,
                    "threads_publishing_limit",
                    "quota_usage,config,reply_quota_usage,reply_config",
                    &[
                        ("quota_usage", "config", posts),
                        ("reply_quota_usage", "reply_config", replies),
                    ],
                )
                .await?;
        }
        for index in start..post.parts.len() {
            let part = &post.parts[index];
            let reply_to = receipts.last().map(|r| r.platform_post_id.clone());
            let container = self
                .container_for(user, token, part, reply_to.as_deref())
                .await?;
            let id = match self.graph.wait_ready(&container, token).await? {
                // Only possible on a reused container: never publish it again.
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
                .insights(id, token, "views,likes,replies,reposts,quotes,shares")
                .await?;
            out.push(PostMetrics {
                platform_post_id: id.clone(),
                impressions: m.get("views").copied(),
                likes: n(&m, "likes"),
                comments: n(&m, "replies"),
                shares: n(&m, "reposts") + n(&m, "quotes") + n(&m, "shares"),
                clicks: None,
                fetched_at: Utc::now(),
            });
        }
        Ok(out)
    }

    /// Refreshes the long-lived token (`th_refresh_token`), which must happen before it
    /// expires; an expired one needs re-authorization.
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        let url = format!("{}/refresh_access_token", self.token_base);
        let t = self
            .graph
            .token_get(
                &url,
                &[
                    ("grant_type", "th_refresh_token"),
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
