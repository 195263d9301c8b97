//! The Bluesky publisher callable directly from Swift.

use std::sync::Arc;

use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::{
    AccountCredentials, CollectReceipts, PostPart, PostRequest, Publisher,
};
use contentos_core::vault::Secret;
use contentos_publishers::bluesky::BlueskyPublisher as Bluesky;

use crate::errors::Result;

/// One published part.
#[derive(Debug, uniffi::Record)]
pub struct PartReceipt {
    /// 0-based index.
    pub index: u32,
    /// The platform's id (Bluesky: `at://` URI).
    pub platform_post_id: String,
    /// Content hash (Bluesky CID).
    pub cid: Option<String>,
    /// Public URL.
    pub url: Option<String>,
}

/// The receipt of a publish.
#[derive(Debug, uniffi::Record)]
pub struct PublishReceipt {
    /// `"bluesky"`.
    pub platform: String,
    /// The parts, in order.
    pub parts: Vec<PartReceipt>,
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

    /// Publishes `parts` (one for a post, several for a thread) as `handle` with an app password.
    pub async fn publish(
        &self,
        handle: String,
        app_password: String,
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
        self.inner.validate(&req)?;
        let account = AccountCredentials {
            account_id: AccountId::new(),
            platform: Platform::Bluesky,
            handle,
            external_id: None,
            base_url: Some(self.pds.clone()),
            access_token: Secret::new(app_password),
            refresh_token: None,
            expires_at: None,
        };
        let r = self
            .inner
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
}

impl BlueskyPublisher {
    /// The SDK publisher, for registering with a client.
    pub(crate) fn sdk(&self) -> Arc<dyn Publisher> {
        self.inner.clone()
    }
}
