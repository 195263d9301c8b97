//! SDK results → Swift records (uniffi `Record`s). Swift has no serde, so each SDK result the
//! client returns gets a flat record here with the same camelCase names the Node and Python
//! bindings use; free-form JSON (metadata, segment attributes) crosses as a JSON string.

use std::time::SystemTime;

use contentos_core::analytics::insights::GroupStats as SdkGroupStats;
use contentos_core::analytics::{
    PerformanceReport as SdkReport, Summary, TimeSlot as SdkTimeSlot, TopPerformer as SdkTop,
};
use contentos_core::model as m;
use contentos_core::pipeline as p;
use contentos_core::schedule::{JobOutcome, PublishNowResult as SdkPublishNowResult};

use crate::convert::json_text;

/// A user.
#[derive(Debug, Clone, uniffi::Record)]
pub struct User {
    /// Id (UUID string).
    pub id: String,
    /// Email.
    pub email: String,
    /// Subscription tier (`"free"`, …): selects LLM quotas.
    pub tier: String,
}

impl From<m::User> for User {
    fn from(u: m::User) -> Self {
        User {
            id: u.id.to_string(),
            email: u.email,
            tier: u.tier.as_str().to_string(),
        }
    }
}

/// A workspace.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Workspace {
    /// Id.
    pub id: String,
    /// The owner's user id.
    pub owner_id: String,
    /// Name.
    pub name: String,
    /// IANA time zone.
    pub timezone: String,
}

impl From<m::Workspace> for Workspace {
    fn from(w: m::Workspace) -> Self {
        Workspace {
            id: w.id.to_string(),
            owner_id: w.owner_id.to_string(),
            name: w.name,
            timezone: w.timezone,
        }
    }
}

/// A platform-specific version of a content item (also the input of `createContent`, where
/// `id` is ignored and `metadataJson` may be empty).
#[derive(Debug, Clone, uniffi::Record)]
pub struct Variation {
    /// Id.
    pub id: String,
    /// Platform, when the variation targets one.
    pub platform: Option<String>,
    /// The text.
    pub body: String,
    /// Hashtags, thread parts, estimated engagement, … as a JSON object string.
    pub metadata_json: String,
}

impl From<m::Variation> for Variation {
    fn from(v: m::Variation) -> Self {
        Variation {
            id: v.id.to_string(),
            platform: v.platform.map(|p| p.as_str().to_string()),
            body: v.body,
            metadata_json: json_text(&v.metadata),
        }
    }
}

/// A content item with its variations.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Content {
    /// Id.
    pub id: String,
    /// Workspace.
    pub workspace_id: String,
    /// Title.
    pub title: Option<String>,
    /// The original input.
    pub original_input: String,
    /// `"blog"`, `"social"` or `"email"`.
    pub content_type: String,
    /// `"draft"`, `"published"`, …
    pub status: String,
    /// Variations, oldest first.
    pub variations: Vec<Variation>,
}

impl Content {
    pub(crate) fn of(c: m::Content, variations: Vec<m::Variation>) -> Self {
        Content {
            id: c.id.to_string(),
            workspace_id: c.workspace_id.to_string(),
            title: c.title,
            original_input: c.original_input,
            content_type: c.content_type.as_str().to_string(),
            status: c.status.as_str().to_string(),
            variations: variations.into_iter().map(Variation::from).collect(),
        }
    }
}

impl From<m::ContentWithVariations> for Content {
    fn from(c: m::ContentWithVariations) -> Self {
        Content::of(c.content, c.variations)
    }
}

/// What `generate` returns: the stored content with the generated variations.
#[derive(Debug, Clone, uniffi::Record)]
pub struct GeneratedContent {
    /// The stored content item, with its variations in request order.
    pub content: Content,
    /// When generation finished.
    pub generated_at: SystemTime,
}

impl From<p::GeneratedContent> for GeneratedContent {
    fn from(g: p::GeneratedContent) -> Self {
        GeneratedContent {
            content: Content::of(g.content, g.variations),
            generated_at: g.generated_at.into(),
        }
    }
}

/// One event of a streaming generation (`GenerateStream.next()`).
#[derive(Debug, Clone, uniffi::Enum)]
pub enum GenerateEvent {
    /// More text of variation `index`.
    Delta {
        /// 0-based variation index.
        index: u32,
        /// The new text.
        text: String,
    },
    /// Variation `index` was regenerated (a banned word appeared): discard its text so far.
    Restart {
        /// 0-based variation index.
        index: u32,
    },
    /// Everything is stored.
    Stored {
        /// The stored result.
        result: GeneratedContent,
    },
}

impl From<p::GenerateEvent> for GenerateEvent {
    fn from(e: p::GenerateEvent) -> Self {
        match e {
            p::GenerateEvent::Delta { index, text } => GenerateEvent::Delta { index, text },
            p::GenerateEvent::Restart { index } => GenerateEvent::Restart { index },
            p::GenerateEvent::Stored(g) => GenerateEvent::Stored {
                result: (*g).into(),
            },
        }
    }
}

/// One version of a content item personalized for an audience segment (stored as a variation).
#[derive(Debug, Clone, uniffi::Record)]
pub struct PersonalizedVersion {
    /// The segment.
    pub segment_id: String,
    /// Its name.
    pub segment_name: String,
    /// The stored variation.
    pub variation_id: String,
    /// The personalized text.
    pub body: String,
    /// What was changed for the segment, as the LLM described it.
    pub changes: Vec<String>,
}

impl From<p::PersonalizedVersion> for PersonalizedVersion {
    fn from(v: p::PersonalizedVersion) -> Self {
        PersonalizedVersion {
            segment_id: v.segment_id.to_string(),
            segment_name: v.segment_name,
            variation_id: v.variation_id.to_string(),
            body: v.body,
            changes: v.changes,
        }
    }
}

/// An audience segment that content can be personalized for.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Segment {
    /// Id.
    pub id: String,
    /// Unique name within the workspace.
    pub name: String,
    /// Free-text description.
    pub description: Option<String>,
    /// Industry, interests, … as a JSON object string.
    pub attributes_json: String,
}

impl From<m::AudienceSegment> for Segment {
    fn from(s: m::AudienceSegment) -> Self {
        Segment {
            id: s.id.to_string(),
            name: s.name,
            description: s.description,
            attributes_json: json_text(&s.attributes),
        }
    }
}

/// A connected social account (its tokens stay sealed in the vault and are never returned).
#[derive(Debug, Clone, uniffi::Record)]
pub struct Account {
    /// Id.
    pub id: String,
    /// Platform.
    pub platform: String,
    /// Handle / display name.
    pub account_name: String,
    /// PDS / instance URL for federated platforms.
    pub base_url: Option<String>,
    /// `"active"` or `"needs_reauth"`.
    pub status: String,
}

impl From<m::SocialAccount> for Account {
    fn from(a: m::SocialAccount) -> Self {
        Account {
            id: a.id.to_string(),
            platform: a.platform.as_str().to_string(),
            account_name: a.account_name,
            base_url: a.base_url,
            status: a.status.as_str().to_string(),
        }
    }
}

/// A post in the publish queue.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ScheduledPost {
    /// Id.
    pub id: String,
    /// The variation being published.
    pub variation_id: String,
    /// The account publishing it.
    pub account_id: String,
    /// Platform.
    pub platform: String,
    /// When it is due.
    pub scheduled_time: SystemTime,
    /// The IANA zone it was scheduled in.
    pub timezone: String,
    /// `"pending"`, `"published"`, …
    pub status: String,
    /// The first part's platform id, once published.
    pub platform_post_id: Option<String>,
    /// Public URL, once published.
    pub url: Option<String>,
}

impl From<m::ScheduledPost> for ScheduledPost {
    fn from(p: m::ScheduledPost) -> Self {
        ScheduledPost {
            id: p.id.to_string(),
            variation_id: p.variation_id.to_string(),
            account_id: p.account_id.to_string(),
            platform: p.platform.as_str().to_string(),
            scheduled_time: p.scheduled_time.into(),
            timezone: p.timezone,
            status: p.status.as_str().to_string(),
            platform_post_id: p.platform_post_id,
            url: p.url,
        }
    }
}

/// The result of `publishNow` for one account.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PublishNowResult {
    /// The account.
    pub account_id: String,
    /// Its platform.
    pub platform: String,
    /// The queue row created for the publish (absent when refused before queueing).
    pub post_id: Option<String>,
    /// `"published"`, `"failed"`, `"unconfirmed"`, `"retry_scheduled"`, `"rate_limited"`,
    /// `"waiting_for_reauth"`, …; absent when refused before queueing (see `error`).
    pub outcome: Option<String>,
    /// When a retried, rate-limited or waiting post becomes due again.
    pub retry_at: Option<SystemTime>,
    /// The first part's platform id, when published.
    pub platform_post_id: Option<String>,
    /// The public URL, when published.
    pub url: Option<String>,
    /// Why it did not publish, if it did not.
    pub error: Option<String>,
}

fn outcome(o: JobOutcome) -> (&'static str, Option<SystemTime>) {
    match o {
        JobOutcome::Published => ("published", None),
        JobOutcome::Failed => ("failed", None),
        JobOutcome::Unconfirmed => ("unconfirmed", None),
        JobOutcome::RetryScheduled { at } => ("retry_scheduled", Some(at.into())),
        JobOutcome::RateLimited { at } => ("rate_limited", Some(at.into())),
        JobOutcome::WaitingForReauth { at } => ("waiting_for_reauth", Some(at.into())),
        JobOutcome::LeaseLost => ("lease_lost", None),
        JobOutcome::Abandoned => ("abandoned", None),
    }
}

impl From<SdkPublishNowResult> for PublishNowResult {
    fn from(r: SdkPublishNowResult) -> Self {
        let (outcome, retry_at) = match r.outcome.map(outcome) {
            Some((o, at)) => (Some(o.to_string()), at),
            None => (None, None),
        };
        PublishNowResult {
            account_id: r.account_id.to_string(),
            platform: r.platform.as_str().to_string(),
            post_id: r.post_id.map(|i| i.to_string()),
            outcome,
            retry_at,
            platform_post_id: r.platform_post_id,
            url: r.url,
            error: r.error,
        }
    }
}

/// Headline numbers of a performance report.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PerformanceSummary {
    /// Posts with metrics in the period.
    pub total_posts: u64,
    /// Mean engagement rate over posts whose platform reports impressions.
    pub avg_engagement_rate: Option<f64>,
    /// The best platform, if any.
    pub top_platform: Option<String>,
    /// Impressions over posts that report them.
    pub total_impressions: i64,
    /// Likes + comments + shares over all posts.
    pub total_engagements: i64,
    /// Posts whose engagement rate is unknown (no impressions reported).
    pub posts_without_impressions: u64,
}

impl From<Summary> for PerformanceSummary {
    fn from(s: Summary) -> Self {
        PerformanceSummary {
            total_posts: s.total_posts as u64,
            avg_engagement_rate: s.avg_engagement_rate,
            top_platform: s.top_platform.map(|p| p.as_str().to_string()),
            total_impressions: s.total_impressions,
            total_engagements: s.total_engagements,
            posts_without_impressions: s.posts_without_impressions as u64,
        }
    }
}

/// One of the best posts of the period.
#[derive(Debug, Clone, uniffi::Record)]
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

/// Aggregate of a group of posts (a platform, a content type).
#[derive(Debug, Clone, uniffi::Record)]
pub struct GroupStats {
    /// Group label (`"linkedin"`, `"blog"`).
    pub label: String,
    /// Posts in the group.
    pub posts: u64,
    /// Mean engagement rate over posts with impressions.
    pub avg_engagement_rate: Option<f64>,
    /// Mean engagements per post.
    pub avg_engagements: f64,
}

/// A weekday × hour cell in the workspace's zone.
#[derive(Debug, Clone, uniffi::Record)]
pub struct TimeSlot {
    /// Weekday (`"Tue"`).
    pub weekday: String,
    /// Hour of day, 0–23, local.
    pub hour: u32,
    /// Posts published in that cell.
    pub posts: u64,
    /// Mean engagements per post.
    pub avg_engagements: f64,
    /// Mean engagement rate, when known.
    pub avg_engagement_rate: Option<f64>,
}

/// The performance report of a period (analytics): numbers computed deterministically in the
/// workspace's zone, plus short insights derived from them.
#[derive(Debug, Clone, uniffi::Record)]
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

fn group(g: SdkGroupStats) -> GroupStats {
    GroupStats {
        label: g.label,
        posts: g.posts as u64,
        avg_engagement_rate: g.avg_engagement_rate,
        avg_engagements: g.avg_engagements,
    }
}

impl From<SdkReport> for PerformanceReport {
    fn from(r: SdkReport) -> Self {
        PerformanceReport {
            summary: r.summary.into(),
            top_performers: r
                .top_performers
                .into_iter()
                .map(|t: SdkTop| TopPerformer {
                    content_id: t.content_id.to_string(),
                    title: t.title,
                    engagement_rate: t.engagement_rate,
                    engagements: t.engagements,
                    platform: t.platform.as_str().to_string(),
                })
                .collect(),
            best_time: r.best_time.map(|t: SdkTimeSlot| TimeSlot {
                weekday: t.weekday,
                hour: t.hour,
                posts: t.posts as u64,
                avg_engagements: t.avg_engagements,
                avg_engagement_rate: t.avg_engagement_rate,
            }),
            by_platform: r.by_platform.into_iter().map(group).collect(),
            by_content_type: r.by_content_type.into_iter().map(group).collect(),
            insights: r.insights,
        }
    }
}
