//! Platform publishers (`contentos-publishers`) callable directly from Swift: construct with the
//! server's URL, then `try await publish(…)` → receipt. The same objects can be handed to
//! `ContentOs` (as [`PlatformPublisher`]) for `publishNow` and scheduled posts.

use std::sync::Arc;

use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::{
    AccountCredentials, CollectReceipts, PostPart, PostRequest, Publisher,
};
use contentos_core::vault::Secret;
use contentos_publishers::bluesky::BlueskyPublisher as Bluesky;
use contentos_publishers::mastodon::MastodonPublisher as Mastodon;

use crate::errors::Result;

/// One published part.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PartReceipt {
    /// 0-based index.
    pub index: u32,
    /// The platform's id (Bluesky: `at://` URI; Mastodon: status id).
    pub platform_post_id: String,
    /// Content hash (Bluesky CID).
    pub cid: Option<String>,
    /// Public URL.
    pub url: Option<String>,
}

/// The receipt of a publish.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PublishReceipt {
    /// `"bluesky"`, `"mastodon"`.
    pub platform: String,
    /// The parts, in order.
    pub parts: Vec<PartReceipt>,
}

/// A publisher handed to `ContentOs` (for `publishNow` and the scheduler).
#[derive(uniffi::Enum)]
pub enum PlatformPublisher {
    /// A Bluesky PDS.
    Bluesky {
        /// The publisher.
        publisher: Arc<BlueskyPublisher>,
    },
    /// A Mastodon instance.
    Mastodon {
        /// The publisher.
        publisher: Arc<MastodonPublisher>,
    },
}

impl PlatformPublisher {
    /// The SDK publisher, for registering with a client.
    pub(crate) fn sdk(&self) -> Arc<dyn Publisher> {
        match self {
            PlatformPublisher::Bluesky { publisher } => publisher.inner.clone(),
            PlatformPublisher::Mastodon { publisher } => publisher.inner.clone(),
        }
    }
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
        base_url: Some(base_url.to_string()),
        access_token: Secret::new(token),
        refresh_token: None,
        expires_at: None,
    }
}

/// Validates and publishes `parts` (one for a post, several for a thread) with a fresh
/// idempotency key; validation errors come before any request.
async fn publish(
    p: &Arc<dyn Publisher>,
    account: AccountCredentials,
    parts: Vec<String>,
) -> Result<PublishReceipt> {
    let req = PostRequest {
        post_key: uuid::Uuid::new_v4(),
        parts: parts
            .into_iter()
            .map(|text| PostPart {
                text,
                media: vec![],
            })
            .collect(),
        resume_from: vec![],
        languages: vec![],
    };
    p.validate(&req)?;
    let r = p
        .publish(&account, &req, &CollectReceipts::default())
        .await?;
    Ok(PublishReceipt {
        platform: r.platform.as_str().to_string(),
        parts: r
            .parts
            .into_iter()
            .map(|p| PartReceipt {
                index: p.index as u32,
                platform_post_id: p.platform_post_id,
                cid: p.cid,
                url: p.url,
            })
            .collect(),
    })
}

/// Bluesky (AT Protocol) publisher for one PDS.
#[derive(uniffi::Object)]
pub struct BlueskyPublisher {
    inner: Arc<dyn Publisher>,
    pds: String,
}

#[uniffi::export(async_runtime = "tokio")]
impl BlueskyPublisher {
    /// A publisher for the PDS at `pds` (`https://bsky.social` for the main network).
    #[uniffi::constructor]
    pub fn new(pds: String) -> Arc<Self> {
        let pds = pds.trim_end_matches('/').to_string();
        Arc::new(BlueskyPublisher {
            inner: Arc::new(Bluesky::default().with_pds(pds.clone())),
            pds,
        })
    }

    /// The PDS URL.
    pub fn base_url(&self) -> String {
        self.pds.clone()
    }

    /// Publishes `parts` (one for a post, several for a thread) as `handle` with an app
    /// password; links, mentions and hashtags become facets.
    pub async fn publish(
        &self,
        handle: String,
        app_password: String,
        parts: Vec<String>,
    ) -> Result<PublishReceipt> {
        let account = credentials(Platform::Bluesky, handle, &self.pds, app_password);
        publish(&self.inner, account, parts).await
    }
}

/// Mastodon publisher for one instance.
#[derive(uniffi::Object)]
pub struct MastodonPublisher {
    inner: Arc<dyn Publisher>,
    instance: String,
}

#[uniffi::export(async_runtime = "tokio")]
impl MastodonPublisher {
    /// A publisher for the instance at `instance` (`https://mastodon.social`).
    #[uniffi::constructor]
    pub fn new(instance: String) -> Arc<Self> {
        let instance = instance.trim_end_matches('/').to_string();
        Arc::new(MastodonPublisher {
            inner: Arc::new(Mastodon::default().with_instance(instance.clone())),
            instance,
        })
    }

    /// The instance URL.
    pub fn base_url(&self) -> String {
        self.instance.clone()
    }

    /// Publishes `parts` as statuses (a reply chain for several) with an OAuth access token
    /// that has `write:statuses`.
    pub async fn publish(
        &self,
        access_token: String,
        parts: Vec<String>,
    ) -> Result<PublishReceipt> {
        let account = credentials(
            Platform::Mastodon,
            String::new(),
            &self.instance,
            access_token,
        );
        publish(&self.inner, account, parts).await
    }
}
