//! The client's results as typed JS objects (`#[napi(object)]`), so the generated `index.d.ts`
//! describes every field instead of `any`.
//!
//! Each record declares the shape of one SDK result as the SDK serialises it (camelCase serde
//! names, ISO-8601 instants, wire-name strings for enums); [`typed`] converts an SDK value
//! through serde into the record. Fields the SDK has but the record omits are dropped — that is
//! how sealed tokens stay out of [`Account`]. A shape mismatch is an `internal` error, which the
//! `node:test` suite would catch.

use napi_derive::napi;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::convert::to_value;
use crate::errors::to_napi;
use crate::publishers::PartReceipt;

/// Converts an SDK value into its record through serde.
pub fn typed<S: Serialize, T: DeserializeOwned>(v: &S) -> napi::Result<T> {
    serde_json::from_value(to_value(v)?).map_err(|e| {
        to_napi(contentos_core::Error::internal(format!(
            "converting a result for JS: {e}"
        )))
    })
}

/// A person who can act in workspaces.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Id (UUID).
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// Subscription tier; selects LLM quotas.
    #[napi(ts_type = "'free' | 'pro' | 'enterprise'")]
    pub tier: String,
    /// OAuth provider, when the user signed up through one.
    pub oauth_provider: Option<String>,
    /// Creation instant (ISO-8601, UTC).
    pub created_at: String,
    /// Last update instant (ISO-8601, UTC).
    pub updated_at: String,
}

/// A workspace's brand voice (injected into generation prompts; banned words are checked).
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BrandVoice {
    /// Default tone.
    #[napi(ts_type = "'professional' | 'casual' | 'technical' | 'witty'")]
    pub tone: Option<String>,
    /// Free-text style guide.
    pub style: String,
    /// Words to work in where natural.
    pub keywords: Vec<String>,
    /// Words that must never appear.
    pub banned_words: Vec<String>,
}

/// A team's space: content, accounts, segments and analytics belong to one workspace.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    /// Id.
    pub id: String,
    /// The owner's user id.
    pub owner_id: String,
    /// Display name.
    pub name: String,
    /// Brand voice.
    pub brand_voice: BrandVoice,
    /// IANA time zone.
    pub timezone: String,
    /// Creation instant (ISO-8601, UTC).
    pub created_at: String,
}

/// A workspace the user belongs to, with the user's role there.
#[napi(object)]
pub struct WorkspaceMembership {
    /// The workspace.
    pub workspace: Workspace,
    /// The user's role.
    #[napi(ts_type = "'owner' | 'admin' | 'member' | 'viewer'")]
    pub role: String,
}

/// One rendering of a content item (a generated alternative, or the version for a platform or
/// audience segment).
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Variation {
    /// Id.
    pub id: String,
    /// Parent content.
    pub content_id: String,
    /// Target platform; absent for platform-neutral variations.
    #[napi(ts_type = "'twitter' | 'linkedin' | 'bluesky' | 'mastodon' | 'threads' | 'instagram'")]
    pub platform: Option<String>,
    /// The text.
    pub body: String,
    /// Hashtags, thread parts, counts, estimated engagement, …
    pub metadata: Map<String, Value>,
    /// Creation instant (ISO-8601, UTC).
    pub created_at: String,
}

/// A content item (without its variations; see [`ContentWithVariations`]).
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    /// Id.
    pub id: String,
    /// Owning workspace.
    pub workspace_id: String,
    /// Creator.
    pub created_by: String,
    /// Title.
    pub title: Option<String>,
    /// What the user asked for.
    pub original_input: String,
    /// Blog, social or email.
    #[napi(ts_type = "'blog' | 'social' | 'email'")]
    pub content_type: String,
    /// Body format.
    #[napi(ts_type = "'markdown' | 'html' | 'plain'")]
    pub format: String,
    /// Tone, keywords, prompt template version, …
    pub metadata: Map<String, Value>,
    /// Lifecycle status.
    #[napi(ts_type = "'draft' | 'scheduled' | 'published'")]
    pub status: String,
    /// Creation instant (ISO-8601, UTC).
    pub created_at: String,
    /// Last update instant (ISO-8601, UTC).
    pub updated_at: String,
}

/// A content item with its variations, as reads return it (the content fields at top level).
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentWithVariations {
    /// Id.
    pub id: String,
    /// Owning workspace.
    pub workspace_id: String,
    /// Creator.
    pub created_by: String,
    /// Title.
    pub title: Option<String>,
    /// What the user asked for.
    pub original_input: String,
    /// Blog, social or email.
    #[napi(ts_type = "'blog' | 'social' | 'email'")]
    pub content_type: String,
    /// Body format.
    #[napi(ts_type = "'markdown' | 'html' | 'plain'")]
    pub format: String,
    /// Tone, keywords, prompt template version, …
    pub metadata: Map<String, Value>,
    /// Lifecycle status.
    #[napi(ts_type = "'draft' | 'scheduled' | 'published'")]
    pub status: String,
    /// Creation instant (ISO-8601, UTC).
    pub created_at: String,
    /// Last update instant (ISO-8601, UTC).
    pub updated_at: String,
    /// Variations, oldest first.
    pub variations: Vec<Variation>,
}

/// One page of content, newest first.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentPage {
    /// Items on this page.
    pub items: Vec<Content>,
    /// 1-based page number.
    pub page: u32,
    /// Page size requested.
    pub limit: u32,
    /// Total matching items.
    pub total: i64,
}

/// What `generate` returns: the stored content and its variations.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedContent {
    /// The stored content item.
    pub content: Content,
    /// Its variations, in request order.
    pub variations: Vec<Variation>,
    /// When generation finished (ISO-8601, UTC).
    pub generated_at: String,
}

/// One event of a streaming generation: `delta` (`index`, `text`), `restart` (`index`: discard
/// that variation's text so far) or, last, `stored` (`content`, `variations`, `generatedAt`).
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateEvent {
    /// The event kind.
    #[napi(js_name = "type", ts_type = "'delta' | 'restart' | 'stored'")]
    #[serde(rename = "type")]
    pub kind: String,
    /// 0-based variation index (`delta`, `restart`).
    pub index: Option<u32>,
    /// New text (`delta`).
    pub text: Option<String>,
    /// The stored content (`stored`).
    pub content: Option<Content>,
    /// The stored variations (`stored`).
    pub variations: Option<Vec<Variation>>,
    /// When generation finished (`stored`).
    pub generated_at: Option<String>,
}

/// A version personalized for an audience segment (stored as a variation).
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonalizedVersion {
    /// The segment.
    pub segment_id: String,
    /// Its name.
    pub segment_name: String,
    /// The stored variation.
    pub variation_id: String,
    /// The personalized text.
    pub body: String,
    /// What was changed for the segment.
    pub changes: Vec<String>,
}

/// An audience segment.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Segment {
    /// Id.
    pub id: String,
    /// Owning workspace.
    pub workspace_id: String,
    /// Unique name within the workspace.
    pub name: String,
    /// Free-text description.
    pub description: Option<String>,
    /// Industry, interests, …
    pub attributes: Map<String, Value>,
    /// Creation instant (ISO-8601, UTC).
    pub created_at: String,
}

/// A connected social account. Its tokens stay sealed in the vault and are not part of it.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Id.
    pub id: String,
    /// Owning workspace.
    pub workspace_id: String,
    /// Platform.
    #[napi(ts_type = "'twitter' | 'linkedin' | 'bluesky' | 'mastodon' | 'threads' | 'instagram'")]
    pub platform: String,
    /// Handle / display name.
    pub account_name: String,
    /// The platform's id for the account.
    pub external_id: Option<String>,
    /// PDS / instance URL.
    pub base_url: Option<String>,
    /// When the access token expires, if known (ISO-8601).
    pub token_expires_at: Option<String>,
    /// Whether it can publish.
    #[napi(ts_type = "'active' | 'needs_reauth'")]
    pub status: String,
    /// When it was connected (ISO-8601).
    pub connected_at: String,
}

/// A post in the publish queue.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledPost {
    /// Id.
    pub id: String,
    /// Owning workspace.
    pub workspace_id: String,
    /// The variation being published.
    pub variation_id: String,
    /// The account publishing it.
    pub account_id: String,
    /// Platform.
    #[napi(ts_type = "'twitter' | 'linkedin' | 'bluesky' | 'mastodon' | 'threads' | 'instagram'")]
    pub platform: String,
    /// When it is due (ISO-8601, UTC).
    pub scheduled_time: String,
    /// The IANA zone it was scheduled in.
    pub timezone: String,
    /// Where it is in its life.
    #[napi(
        ts_type = "'pending' | 'publishing' | 'published' | 'failed' | 'unconfirmed' | 'cancelled'"
    )]
    pub status: String,
    /// Publish attempts spent.
    pub attempts: u32,
    /// Receipts of the parts the platform confirmed.
    pub receipts: Vec<PartReceipt>,
    /// Id of the first part, once published.
    pub platform_post_id: Option<String>,
    /// Public URL, once published.
    pub url: Option<String>,
    /// Last error, for failed/unconfirmed posts.
    pub error_message: Option<String>,
    /// When it was published (ISO-8601).
    pub published_at: Option<String>,
    /// Creation instant (ISO-8601).
    pub created_at: String,
}

/// What happened to a `publishNow` post.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishOutcome {
    /// The outcome.
    #[napi(
        ts_type = "'published' | 'failed' | 'unconfirmed' | 'retry_scheduled' | 'rate_limited' | 'waiting_for_reauth' | 'lease_lost' | 'abandoned'"
    )]
    pub outcome: String,
    /// When a retried, rate-limited or waiting post is due again (ISO-8601).
    pub at: Option<String>,
}

/// The result of `publishNow` for one account.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishNowResult {
    /// The account.
    pub account_id: String,
    /// Its platform.
    #[napi(ts_type = "'twitter' | 'linkedin' | 'bluesky' | 'mastodon' | 'threads' | 'instagram'")]
    pub platform: String,
    /// The queue row created for the publish (absent when refused before queueing).
    pub post_id: Option<String>,
    /// What happened; absent when refused before queueing (see `error`).
    pub outcome: Option<PublishOutcome>,
    /// The first part's platform id, when published.
    pub platform_post_id: Option<String>,
    /// The public URL, when published.
    pub url: Option<String>,
    /// Why it did not publish, if it did not.
    pub error: Option<String>,
}

/// Headline numbers of a performance report.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceSummary {
    /// Posts with metrics in the period.
    pub total_posts: u32,
    /// Mean engagement rate over posts that report impressions.
    pub avg_engagement_rate: Option<f64>,
    /// The best platform, if any.
    pub top_platform: Option<String>,
    /// Impressions over posts that report them.
    pub total_impressions: i64,
    /// Likes + comments + shares.
    pub total_engagements: i64,
    /// Posts whose engagement rate is unknown.
    pub posts_without_impressions: u32,
}

/// One of the best posts of the period.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopPerformer {
    /// Source content.
    pub content_id: String,
    /// Its title.
    pub title: Option<String>,
    /// Engagement rate, when known.
    pub engagement_rate: Option<f64>,
    /// Likes + comments + shares.
    pub engagements: i64,
    /// Platform.
    pub platform: String,
}

/// Aggregate of a group of posts.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupStats {
    /// Group label (`"linkedin"`, `"blog"`).
    pub label: String,
    /// Posts in the group.
    pub posts: u32,
    /// Mean engagement rate over posts with impressions.
    pub avg_engagement_rate: Option<f64>,
    /// Mean engagements per post.
    pub avg_engagements: f64,
}

/// A weekday × hour cell in the workspace's zone.
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeSlot {
    /// Weekday (`"Tue"`).
    pub weekday: String,
    /// Local hour, 0–23.
    pub hour: u32,
    /// Posts in the cell.
    pub posts: u32,
    /// Mean engagements per post.
    pub avg_engagements: f64,
    /// Mean engagement rate, when known.
    pub avg_engagement_rate: Option<f64>,
}

/// The performance report of a period (analytics and insights).
#[napi(object)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceReport {
    /// Headline numbers.
    pub summary: PerformanceSummary,
    /// Best posts, best first.
    pub top_performers: Vec<TopPerformer>,
    /// Best posting time with enough samples, if any.
    pub best_time: Option<TimeSlot>,
    /// Per-platform comparison, best first.
    pub by_platform: Vec<GroupStats>,
    /// Per-content-type comparison, best first.
    pub by_content_type: Vec<GroupStats>,
    /// Short, actionable sentences.
    pub insights: Vec<String>,
}
