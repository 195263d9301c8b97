//! Engagement metrics rows (design document sections 3.1 `analytics`, 8.1).

use super::{AnalyticsId, Platform, ScheduledPostId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The latest metrics of one published post (one row per post, upserted by the collector).
///
/// Counts a platform does not report are `None`, never a fake 0: Bluesky and Mastodon report
/// no impressions, so their engagement rate is unknown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsRow {
    /// Id.
    pub id: AnalyticsId,
    /// The published post.
    pub scheduled_post_id: ScheduledPostId,
    /// Platform.
    pub platform: Platform,
    /// Impressions, where reported.
    pub impressions: Option<i64>,
    /// Likes / favourites / reactions.
    pub likes: i64,
    /// Comments / replies.
    pub comments: i64,
    /// Shares / reposts / retweets / quotes.
    pub shares: i64,
    /// Link clicks, where reported.
    pub clicks: Option<i64>,
    /// (likes + comments + shares) / impressions × 100, or `None` without impressions.
    pub engagement_rate: Option<f64>,
    /// The 0–100 score predicted before publishing.
    pub predicted_score: Option<i32>,
    /// When these numbers were fetched.
    pub fetched_at: DateTime<Utc>,
}

impl AnalyticsRow {
    /// Engagement rate as defined in section 8.1, or `None` when impressions are unknown or 0.
    pub fn compute_engagement_rate(
        impressions: Option<i64>,
        likes: i64,
        comments: i64,
        shares: i64,
    ) -> Option<f64> {
        match impressions {
            Some(i) if i > 0 => Some((likes + comments + shares) as f64 / i as f64 * 100.0),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engagement_rate_is_unknown_without_impressions() {
        assert_eq!(AnalyticsRow::compute_engagement_rate(None, 5, 1, 1), None);
        assert_eq!(
            AnalyticsRow::compute_engagement_rate(Some(0), 5, 1, 1),
            None
        );
        let r = AnalyticsRow::compute_engagement_rate(Some(200), 5, 2, 1).unwrap();
        assert!((r - 4.0).abs() < 1e-12);
    }
}
