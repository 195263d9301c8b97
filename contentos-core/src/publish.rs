//! The [`Publisher`] trait and the types that cross it. Implementations (X, LinkedIn, Bluesky,
//! Mastodon, Threads, Instagram) live in the `contentos-publishers` crate.
//!
//! Design rules, from what users of other publishing tools complain about:
//! - A create call whose outcome is unknown is never retried blindly: it surfaces as
//!   [`Error::Unconfirmed`](crate::Error::Unconfirmed) unless the platform offers idempotency.
//! - Threads are resumable: every confirmed part is reported to a [`ReceiptSink`] the moment the
//!   platform confirms it, and publishing again with those receipts continues from the first part
//!   without one.
//! - Refreshed credentials are returned to the caller, which stores a rotated refresh token
//!   before the new access token is used.

use crate::model::{AccountId, PartReceipt, Platform};
use crate::vault::Secret;
use crate::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The platform's id of a published post (tweet id, `at://` URI, status id, URN, media id).
/// Always a string: X ids overflow a JavaScript number.
pub type PlatformPostId = String;

/// The unit a platform counts text length in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "unit")]
pub enum LengthUnit {
    /// twitter-text weighted length (config v3: URLs 23, CJK and emoji 2).
    TwitterWeighted,
    /// Extended grapheme clusters, and also at most `max_bytes` UTF-8 bytes (Bluesky).
    GraphemesAndBytes {
        /// UTF-8 byte cap.
        max_bytes: usize,
    },
    /// Unicode code points with every URL counting `url_length` (Mastodon).
    CodePointsUrlWeighted {
        /// Characters reserved per URL.
        url_length: usize,
    },
    /// Characters, with emoji counted as their UTF-8 byte length (Threads).
    CharactersEmojiAsBytes,
    /// Unicode code points (LinkedIn, Instagram).
    CodePoints,
}

/// How a platform links the parts of a multi-part post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadModel {
    /// Each reply carries root and parent references (Bluesky strong refs).
    ReplyChain,
    /// Each part replies to the previous part's id (X, Mastodon, Threads).
    ReplyTo,
    /// Follow-up parts are comments under the first post (LinkedIn, Instagram first comment).
    CommentUnderPost,
    /// Single posts only.
    None,
}

/// What a platform offers to make a retried create safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Idempotency {
    /// A client-chosen key deduplicates creates (Mastodon `Idempotency-Key`, kept ~1 hour).
    NativeKey,
    /// Two-step publish whose container status tells whether a publish happened
    /// (Threads, Instagram).
    ContainerStatus,
    /// Nothing: an ambiguous create becomes `Unconfirmed` (X, LinkedIn, Bluesky).
    None,
}

/// Kind of media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A still image.
    Image,
    /// A video.
    Video,
}

/// What a platform adapter supports; used to validate a post before any network call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// Platform.
    pub platform: Platform,
    /// Unit of text length.
    pub length_unit: LengthUnit,
    /// Maximum length of one part, in `length_unit`.
    pub max_length: usize,
    /// Maximum length of follow-up parts when they differ (LinkedIn comments: 1250).
    pub max_followup_length: Option<usize>,
    /// Maximum images per part.
    pub max_images: usize,
    /// Maximum videos per part.
    pub max_videos: usize,
    /// Accepted media MIME types.
    pub media_types: Vec<String>,
    /// Maximum bytes per image, when documented.
    pub max_image_bytes: Option<usize>,
    /// How parts are linked.
    pub thread_model: ThreadModel,
    /// What makes a retried create safe.
    pub idempotency: Idempotency,
    /// Media must be at a public URL the platform fetches (Threads, Instagram), not uploaded.
    pub needs_public_media_url: bool,
    /// Maximum hashtags per post, when capped (Instagram 30).
    pub max_hashtags: Option<usize>,
}

/// Decrypted credentials of one account, handed to a publisher for one call.
#[derive(Debug, Clone)]
pub struct AccountCredentials {
    /// The account's id in ContentOS (used in idempotency keys).
    pub account_id: AccountId,
    /// Platform.
    pub platform: Platform,
    /// Handle / display name (Bluesky: the login identifier).
    pub handle: String,
    /// The platform's id for the account (X user id, LinkedIn person URN, Bluesky DID, …).
    pub external_id: Option<String>,
    /// Instance / PDS / API base URL override.
    pub base_url: Option<String>,
    /// Access token (Bluesky: app password).
    pub access_token: Secret,
    /// Refresh token, if any.
    pub refresh_token: Option<Secret>,
    /// Access token expiry, if known.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A media item to attach.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MediaAttachment {
    /// Image or video.
    pub kind: MediaKind,
    /// MIME type (`image/png`).
    pub mime_type: String,
    /// The bytes, for platforms that take uploads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<u8>,
    /// A public URL, for platforms that fetch media themselves (Threads, Instagram).
    pub url: Option<String>,
    /// Alt text.
    pub alt_text: Option<String>,
    /// Pixel width and height, when known (Bluesky aspect ratio).
    pub dimensions: Option<(u32, u32)>,
}

impl std::fmt::Debug for MediaAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaAttachment")
            .field("kind", &self.kind)
            .field("mime_type", &self.mime_type)
            .field("bytes", &self.data.len())
            .field("url", &self.url)
            .field("alt_text", &self.alt_text)
            .finish()
    }
}

/// One part of a post (a single post has one part; a thread has several).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostPart {
    /// The text, unescaped (adapters apply platform encodings such as LinkedIn little-text).
    pub text: String,
    /// Media attached to this part.
    #[serde(default)]
    pub media: Vec<MediaAttachment>,
}

/// What to publish.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostRequest {
    /// A stable id for this logical post (the scheduled post id): idempotency keys are derived
    /// from it, so retries of the same post reuse the same key.
    pub post_key: uuid::Uuid,
    /// The parts, in order.
    pub parts: Vec<PostPart>,
    /// Receipts of parts already confirmed by an earlier attempt; publishing resumes after them.
    #[serde(default)]
    pub resume_from: Vec<PartReceipt>,
    /// BCP-47 language tags, where the platform takes them (Bluesky `langs`, Mastodon).
    #[serde(default)]
    pub languages: Vec<String>,
}

impl PostRequest {
    /// A single-part text post.
    pub fn text(post_key: uuid::Uuid, text: impl Into<String>) -> Self {
        PostRequest {
            post_key,
            parts: vec![PostPart {
                text: text.into(),
                media: vec![],
            }],
            resume_from: vec![],
            languages: vec![],
        }
    }
}

/// The outcome of a successful publish: a receipt per part.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PublishReceipt {
    /// Platform.
    pub platform: Platform,
    /// One receipt per part, in order (including resumed ones).
    pub parts: Vec<PartReceipt>,
}

impl PublishReceipt {
    /// The first part's id (the post's id).
    pub fn platform_post_id(&self) -> Option<&str> {
        self.parts.first().map(|p| p.platform_post_id.as_str())
    }

    /// The first part's URL.
    pub fn url(&self) -> Option<&str> {
        self.parts.first().and_then(|p| p.url.as_deref())
    }
}

/// Metrics of one post as a platform reports them. Counts it does not report are `None`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostMetrics {
    /// Which post.
    pub platform_post_id: PlatformPostId,
    /// Impressions / views, where reported (not on Bluesky or Mastodon).
    pub impressions: Option<i64>,
    /// Likes / favourites / reactions.
    pub likes: i64,
    /// Replies / comments.
    pub comments: i64,
    /// Reposts / shares / quotes.
    pub shares: i64,
    /// Link clicks, where reported.
    pub clicks: Option<i64>,
    /// When fetched.
    pub fetched_at: DateTime<Utc>,
}

/// Receives each part's receipt the moment the platform confirms it, so the caller can persist
/// it before the next network call. A failure to record stops the publish.
#[async_trait]
pub trait ReceiptSink: Send + Sync {
    /// Records one confirmed part.
    async fn record(&self, receipt: &PartReceipt) -> Result<()>;
}

/// A [`ReceiptSink`] that keeps receipts in memory (direct use without a Store).
#[derive(Debug, Default)]
pub struct CollectReceipts(pub std::sync::Mutex<Vec<PartReceipt>>);

impl CollectReceipts {
    /// The receipts recorded so far.
    pub fn receipts(&self) -> Vec<PartReceipt> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl ReceiptSink for CollectReceipts {
    async fn record(&self, receipt: &PartReceipt) -> Result<()> {
        if let Ok(mut v) = self.0.lock() {
            v.push(receipt.clone());
        }
        Ok(())
    }
}

/// A social platform adapter.
#[async_trait]
pub trait Publisher: Send + Sync {
    /// The platform this adapter publishes to.
    fn platform(&self) -> Platform;

    /// Limits, units, thread model and idempotency support.
    fn capabilities(&self) -> &Capabilities;

    /// Checks a post against the capabilities (length in the platform's unit, media counts and
    /// types) without any network call; the error names the part and the rule.
    fn validate(&self, post: &PostRequest) -> Result<()>;

    /// Publishes all parts not yet in `post.resume_from`, reporting each confirmed part to
    /// `sink` before publishing the next.
    async fn publish(
        &self,
        account: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> Result<PublishReceipt>;

    /// Fetches metrics for published posts.
    async fn metrics(
        &self,
        account: &AccountCredentials,
        ids: &[PlatformPostId],
    ) -> Result<Vec<PostMetrics>>;

    /// Refreshes the account's tokens. The caller persists the result (a rotated refresh token
    /// first) before using it. `NeedsReauth` when the platform refuses.
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials>;
}
