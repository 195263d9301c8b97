//! Scheduled posts: the durable publish queue's rows (design document sections 3.1, 7.2).

use super::{AccountId, Platform, ScheduledPostId, VariationId, WorkspaceId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a scheduled post is in its life. Persisted at every boundary so that a crash never
/// loses track of whether the platform has the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    /// Waiting for its time.
    Pending,
    /// Claimed by a worker that is talking to the platform.
    Publishing,
    /// The platform confirmed it; ids are stored.
    Published,
    /// Permanently refused, or out of attempts.
    Failed,
    /// The outcome of a create is unknown and the platform offers no idempotency: a human must
    /// check. Never re-posted automatically.
    Unconfirmed,
    /// Cancelled by a user before it was published.
    Cancelled,
}

impl PostStatus {
    /// Stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Pending => "pending",
            PostStatus::Publishing => "publishing",
            PostStatus::Published => "published",
            PostStatus::Failed => "failed",
            PostStatus::Unconfirmed => "unconfirmed",
            PostStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> crate::Result<Self> {
        Ok(match s {
            "pending" => PostStatus::Pending,
            "publishing" => PostStatus::Publishing,
            "published" => PostStatus::Published,
            "failed" => PostStatus::Failed,
            "unconfirmed" => PostStatus::Unconfirmed,
            "cancelled" => PostStatus::Cancelled,
            _ => {
                return Err(crate::Error::validation(
                    "status",
                    "pending, publishing, published, failed, unconfirmed or cancelled",
                ))
            }
        })
    }

    /// True once nothing more will happen to the post automatically.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            PostStatus::Published
                | PostStatus::Failed
                | PostStatus::Unconfirmed
                | PostStatus::Cancelled
        )
    }
}

/// What the platform confirmed for one part of a (possibly threaded) post. Stored the moment the
/// platform answers, so an interrupted thread resumes from the first part without a receipt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PartReceipt {
    /// 0-based index of the part in the thread.
    pub index: usize,
    /// The platform's id for the part (tweet id, `at://` URI, status id, URN, media id).
    pub platform_post_id: String,
    /// Extra reference some platforms need to reply (Bluesky CID).
    pub cid: Option<String>,
    /// Public URL of the part, when known.
    pub url: Option<String>,
}

/// A post waiting for, undergoing or done with publishing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledPost {
    /// Id.
    pub id: ScheduledPostId,
    /// Owning workspace.
    pub workspace_id: WorkspaceId,
    /// The variation being published.
    pub variation_id: VariationId,
    /// The account publishing it.
    pub account_id: AccountId,
    /// Platform.
    pub platform: Platform,
    /// When to publish (UTC).
    pub scheduled_time: DateTime<Utc>,
    /// The user's IANA zone at scheduling time, for calendars and DST-correct display.
    pub timezone: String,
    /// Where it is in its life.
    pub status: PostStatus,
    /// Publish attempts spent (rate limits do not spend one).
    pub attempts: u32,
    /// Receipts of the parts the platform confirmed, in order.
    pub receipts: Vec<PartReceipt>,
    /// Id of the first part, once published.
    pub platform_post_id: Option<String>,
    /// Public URL, once published.
    pub url: Option<String>,
    /// Last error, for failed/unconfirmed posts.
    pub error_message: Option<String>,
    /// The worker holding the lease while publishing.
    pub lease_owner: Option<String>,
    /// When the lease lapses; after that another worker may recover the post.
    pub lease_expires_at: Option<DateTime<Utc>>,
    /// Set by a worker just before it calls the platform, cleared when the outcome is recorded.
    /// A claimed post with this set was interrupted mid-publish: recovery must use the
    /// platform's idempotency or mark it unconfirmed, never re-post blindly.
    pub attempt_started_at: Option<DateTime<Utc>>,
    /// When it was published.
    pub published_at: Option<DateTime<Utc>>,
    /// Creation instant.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}
