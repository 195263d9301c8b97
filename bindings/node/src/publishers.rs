//! Platform publishers (`contentos-publishers`) callable directly from Node: construct with
//! the server's URL, then `await publish(credentials, post)` → receipt. The same objects can
//! be handed to `ContentOS` (`options.publishers`) for `publishNow` and scheduled posts.

use std::sync::Arc;

use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::{AccountCredentials, CollectReceipts, PostRequest, Publisher};
use contentos_core::vault::Secret;
use contentos_publishers::bluesky::BlueskyPublisher as Bluesky;
use contentos_publishers::mastodon::MastodonPublisher as Mastodon;
use napi_derive::napi;
use serde_json::{json, Value};

use crate::convert::from_value;
use crate::errors::IntoNapi;

/// Login of a Bluesky account: the handle and an app password.
#[napi(object)]
pub struct BlueskyCredentials {
    /// Handle (`alice.bsky.social`) or DID.
    pub handle: String,
    /// App password (never logged).
    pub password: String,
}

/// A Mastodon account's OAuth access token.
#[napi(object)]
pub struct MastodonCredentials {
    /// Bearer token with `write:statuses` (and `write:media` for attachments).
    pub access_token: String,
    /// Account name, for logs only.
    pub handle: Option<String>,
}

/// Options of `new BlueskyPublisher(...)`.
#[napi(object)]
pub struct BlueskyOptions {
    /// The PDS URL; default `https://bsky.social`.
    pub pds: Option<String>,
}

/// Options of `new MastodonPublisher(...)`.
#[napi(object)]
pub struct MastodonOptions {
    /// The instance URL (`https://mastodon.social`).
    pub instance: String,
}

/// One part of a post or thread.
#[napi(object)]
pub struct PostPartInput {
    /// The text.
    pub text: String,
    /// Attachments: `{kind: "image" | "video" | "gif", mimeType, url?, data?: number[], altText?}`.
    pub media: Option<Vec<Value>>,
}

/// What to publish: one part for a single post, several for a thread.
#[napi(object)]
pub struct PostInput {
    /// The parts, in order.
    pub parts: Vec<PostPartInput>,
    /// Idempotency key (a UUID): pass the same key to retry the same logical post.
    pub post_key: Option<String>,
    /// BCP-47 language tags.
    pub languages: Option<Vec<String>>,
}

/// One published part.
#[napi(object)]
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartReceipt {
    /// 0-based part index.
    pub index: u32,
    /// The platform's id (Bluesky: the `at://` URI).
    pub platform_post_id: String,
    /// Content hash (Bluesky CID), where the platform has one.
    pub cid: Option<String>,
    /// Public URL of the part.
    pub url: Option<String>,
}

/// The receipt of a publish: one entry per part.
#[napi(object)]
pub struct PublishReceipt {
    /// The platform published to.
    pub platform: String,
    /// Receipts of the parts, in order.
    pub parts: Vec<PartReceipt>,
}

/// The SDK request (a fresh idempotency key unless the caller passes one).
fn post_request(post: PostInput) -> napi::Result<PostRequest> {
    let parts: Vec<Value> = post
        .parts
        .into_iter()
        .map(|p| json!({"text": p.text, "media": p.media.unwrap_or_default()}))
        .collect();
    let key = match post.post_key {
        Some(k) => Value::String(k),
        None => json!(uuid::Uuid::new_v4()),
    };
    from_value(
        "post",
        json!({"postKey": key, "parts": parts, "languages": post.languages.unwrap_or_default()}),
    )
}

fn credentials(
    platform: Platform,
    handle: String,
    base_url: &str,
    token: String,
) -> AccountCredentials {
    AccountCredentials {
        account_id: AccountId::new(),
        platform,
        handle,
        external_id: None,
        base_url: Some(base_url.trim_end_matches('/').to_string()),
        access_token: Secret::new(token),
        refresh_token: None,
        expires_at: None,
    }
}

async fn publish(
    p: Arc<dyn Publisher>,
    account: AccountCredentials,
    post: PostInput,
) -> napi::Result<PublishReceipt> {
    let req = post_request(post)?;
    p.validate(&req).napi()?;
    let receipt = p
        .publish(&account, &req, &CollectReceipts::default())
        .await
        .napi()?;
    Ok(PublishReceipt {
        platform: receipt.platform.as_str().to_string(),
        parts: receipt
            .parts
            .into_iter()
            .map(|r| PartReceipt {
                index: r.index as u32,
                platform_post_id: r.platform_post_id,
                cid: r.cid,
                url: r.url,
            })
            .collect(),
    })
}

/// Bluesky (AT Protocol): logs in to the PDS with the handle and app password, then posts a
/// single post or a reply-chained thread.
#[napi]
pub struct BlueskyPublisher {
    pub(crate) inner: Arc<dyn Publisher>,
    pds: String,
}

#[napi]
impl BlueskyPublisher {
    /// A publisher for the PDS at `options.pds` (default `https://bsky.social`).
    #[napi(constructor)]
    pub fn new(options: Option<BlueskyOptions>) -> Self {
        let pds = options
            .and_then(|o| o.pds)
            .unwrap_or_else(|| "https://bsky.social".into())
            .trim_end_matches('/')
            .to_string();
        BlueskyPublisher {
            inner: Arc::new(Bluesky::default().with_pds(pds.clone())),
            pds,
        }
    }

    /// `"bluesky"` (lets `ContentOS` options take publisher objects).
    #[napi(getter)]
    pub fn platform(&self) -> String {
        "bluesky".into()
    }

    /// The PDS URL.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.pds.clone()
    }

    /// Publishes `post` (`{parts: [{text}], postKey?, languages?}`); resolves to the receipt
    /// `{platform, parts: [{index, platformPostId, url, cid, …}]}`.
    #[napi]
    pub async fn publish(
        &self,
        credentials: BlueskyCredentials,
        post: PostInput,
    ) -> napi::Result<PublishReceipt> {
        let account = self::credentials(
            Platform::Bluesky,
            credentials.handle,
            &self.pds,
            credentials.password,
        );
        publish(self.inner.clone(), account, post).await
    }
}

/// Mastodon (any instance): posts statuses with an access token; threads as reply chains.
#[napi]
pub struct MastodonPublisher {
    pub(crate) inner: Arc<dyn Publisher>,
    instance: String,
}

#[napi]
impl MastodonPublisher {
    /// A publisher for the instance at `options.instance`.
    #[napi(constructor)]
    pub fn new(options: MastodonOptions) -> Self {
        let instance = options.instance.trim_end_matches('/').to_string();
        MastodonPublisher {
            inner: Arc::new(Mastodon::default().with_instance(instance.clone())),
            instance,
        }
    }

    /// `"mastodon"`.
    #[napi(getter)]
    pub fn platform(&self) -> String {
        "mastodon".into()
    }

    /// The instance URL.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.instance.clone()
    }

    /// Publishes `post`; resolves to the receipt.
    #[napi]
    pub async fn publish(
        &self,
        credentials: MastodonCredentials,
        post: PostInput,
    ) -> napi::Result<PublishReceipt> {
        let account = self::credentials(
            Platform::Mastodon,
            credentials.handle.unwrap_or_default(),
            &self.instance,
            credentials.access_token,
        );
        publish(self.inner.clone(), account, post).await
    }
}

/// A publisher named in `ContentOS` options: `{platform, baseUrl}` (publisher objects have
/// both as getters, so they can be passed as they are).
#[napi(object)]
pub struct PublisherConfig {
    /// `"bluesky"` or `"mastodon"`.
    pub platform: String,
    /// PDS / instance URL.
    pub base_url: Option<String>,
}

/// The SDK publisher for a config.
pub fn publisher_of(c: &PublisherConfig) -> contentos_core::Result<Arc<dyn Publisher>> {
    match c.platform.as_str() {
        "bluesky" => Ok(BlueskyPublisher::new(Some(BlueskyOptions {
            pds: c.base_url.clone(),
        }))
        .inner),
        "mastodon" => {
            let instance = c.base_url.clone().ok_or_else(|| {
                contentos_core::Error::validation("publishers.baseUrl", "required for mastodon")
            })?;
            Ok(MastodonPublisher::new(MastodonOptions { instance }).inner)
        }
        other => Err(contentos_core::Error::NotSupported {
            feature: format!("direct {other} publisher in the Node binding"),
        }),
    }
}
