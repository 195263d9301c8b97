//! Audience segments (design document sections 3.1 and 5.4).

use super::{SegmentId, WorkspaceId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A group of readers that content is personalized for ("developers", "executives").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AudienceSegment {
    /// Id.
    pub id: SegmentId,
    /// Owning workspace.
    pub workspace_id: WorkspaceId,
    /// Unique name within the workspace.
    pub name: String,
    /// Free-text description.
    pub description: Option<String>,
    /// Industry, experience level, interests, …
    pub attributes: serde_json::Map<String, serde_json::Value>,
    /// Id of the segment's vector in the `audience_embeddings` namespace, once embedded.
    pub embedding_id: Option<String>,
    /// Creation instant (UTC).
    pub created_at: DateTime<Utc>,
}

/// Input for creating or replacing a segment.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct NewSegment {
    /// Unique name within the workspace (1..=255 characters).
    pub name: String,
    /// Free-text description.
    pub description: Option<String>,
    /// Industry, experience level, interests, …
    pub attributes: serde_json::Map<String, serde_json::Value>,
}
