//! Content and its variations (design document section 3.1: `content`, `content_variations`).

use super::{
    ContentId, ContentStatus, ContentType, Format, Platform, UserId, VariationId, WorkspaceId,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Free-form JSON metadata (tone, keywords, prompt template version, thread parts, scores…).
pub type Metadata = serde_json::Map<String, serde_json::Value>;

/// A piece of content: the input a user gave and what was generated from it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    /// Id.
    pub id: ContentId,
    /// Owning workspace.
    pub workspace_id: WorkspaceId,
    /// Creator.
    pub created_by: UserId,
    /// Title (≤ 500 characters).
    pub title: Option<String>,
    /// What the user asked for.
    pub original_input: String,
    /// Blog, social or email.
    pub content_type: ContentType,
    /// Body format.
    pub format: Format,
    /// Tone, keywords, prompt template version, …
    pub metadata: Metadata,
    /// Lifecycle status.
    pub status: ContentStatus,
    /// Creation instant (UTC).
    pub created_at: DateTime<Utc>,
    /// Last update instant (UTC).
    pub updated_at: DateTime<Utc>,
}

/// One rendering of a content item: a generated alternative, or the version for one platform
/// or audience segment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Variation {
    /// Id.
    pub id: VariationId,
    /// Parent content.
    pub content_id: ContentId,
    /// Target platform; `None` for platform-neutral generated variations.
    pub platform: Option<Platform>,
    /// The text.
    pub body: String,
    /// Hashtags, mentions, thread parts, counts, estimated engagement, …
    pub metadata: Metadata,
    /// Creation instant (UTC).
    pub created_at: DateTime<Utc>,
}

/// Input for creating a content item together with its variations in one atomic write.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct NewContent {
    /// Owning workspace.
    pub workspace_id: WorkspaceId,
    /// Creator.
    pub created_by: UserId,
    /// Optional title.
    pub title: Option<String>,
    /// What the user asked for.
    pub original_input: String,
    /// Blog, social or email.
    pub content_type: ContentType,
    /// Body format.
    #[serde(default)]
    pub format: Format,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
    /// Variations written in the same transaction.
    #[serde(default)]
    pub variations: Vec<NewVariation>,
}

/// Input for one variation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewVariation {
    /// Target platform, if any.
    pub platform: Option<Platform>,
    /// The text (must not be empty).
    pub body: String,
    /// Metadata.
    #[serde(default)]
    pub metadata: Metadata,
}

/// A content item with its variations, as returned by reads.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContentWithVariations {
    /// The content row.
    #[serde(flatten)]
    pub content: Content,
    /// Its variations, oldest first.
    pub variations: Vec<Variation>,
}

/// Changes to a content item; `None` leaves a field as it is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentPatch {
    /// New title.
    pub title: Option<String>,
    /// New status.
    pub status: Option<ContentStatus>,
    /// Keys to merge into the metadata.
    pub metadata: Option<Metadata>,
}

/// Filters and pagination for listing content, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ContentQuery {
    /// Only this status.
    pub status: Option<ContentStatus>,
    /// Only this type.
    pub content_type: Option<ContentType>,
    /// 1-based page.
    pub page: u32,
    /// Page size (1..=100).
    pub limit: u32,
}

impl Default for ContentQuery {
    fn default() -> Self {
        ContentQuery {
            status: None,
            content_type: None,
            page: 1,
            limit: 20,
        }
    }
}

/// One page of results.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// Items on this page.
    pub items: Vec<T>,
    /// 1-based page number.
    pub page: u32,
    /// Page size requested.
    pub limit: u32,
    /// Total matching items.
    pub total: u64,
}
