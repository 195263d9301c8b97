//! Deterministic performance summaries and insights (design document section 8.2).
//!
//! Everything here is computed from analytics rows with plain arithmetic, so the same data
//! always gives the same report; an LLM may *phrase* the result (see `ContentOs::
//! performance_insights_phrased`) but never invents numbers.

use crate::model::{AnalyticsRow, ContentId, ContentType, Platform, ScheduledPost};
use chrono::{Datelike, Timelike, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Minimum number of posts in a weekday/hour cell before it can be called a "best time".
pub const DEFAULT_MIN_SAMPLE: usize = 3;

/// One published post with its metrics and the content it came from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostPerformance {
    /// The scheduled post.
    pub post: ScheduledPost,
    /// Its latest metrics.
    pub metrics: AnalyticsRow,
    /// Source content id.
    pub content_id: ContentId,
    /// Source content title.
    pub title: Option<String>,
    /// Source content type.
    pub content_type: ContentType,
}

impl PostPerformance {
    /// likes + comments + shares.
    pub fn engagements(&self) -> i64 {
        self.metrics.likes + self.metrics.comments + self.metrics.shares
    }
}

/// Section 4.2 `summary`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Posts with metrics in the period.
    pub total_posts: usize,
    /// Mean engagement rate over posts whose platform reports impressions; `None` if none do.
    pub avg_engagement_rate: Option<f64>,
    /// Platform with the highest mean engagement rate (or, without impressions anywhere, the
    /// most engagements per post).
    pub top_platform: Option<Platform>,
    /// Impressions over posts that report them.
    pub total_impressions: i64,
    /// Likes + comments + shares over all posts.
    pub total_engagements: i64,
    /// Posts whose engagement rate is unknown (no impressions reported).
    pub posts_without_impressions: usize,
}

/// Section 4.2 `topPerformers[]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TopPerformer {
    /// Source content.
    pub content_id: ContentId,
    /// Its title.
    pub title: Option<String>,
    /// Engagement rate, when known.
    pub engagement_rate: Option<f64>,
    /// Likes + comments + shares.
    pub engagements: i64,
    /// Platform.
    pub platform: Platform,
}

/// Aggregate of a group of posts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GroupStats {
    /// Group label (`"linkedin"`, `"blog"`, `"Tue 10:00"`).
    pub label: String,
    /// Posts in the group.
    pub posts: usize,
    /// Mean engagement rate over posts with impressions.
    pub avg_engagement_rate: Option<f64>,
    /// Mean engagements per post.
    pub avg_engagements: f64,
}

/// A weekday × hour cell in the workspace's zone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TimeSlot {
    /// Weekday (`"Tue"`).
    pub weekday: String,
    /// Hour of day, 0–23, local.
    pub hour: u32,
    /// Posts published in that cell.
    pub posts: usize,
    /// Mean engagements per post.
    pub avg_engagements: f64,
    /// Mean engagement rate, when known.
    pub avg_engagement_rate: Option<f64>,
}

/// The full performance report (section 4.2 `GET /analytics/performance`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PerformanceReport {
    /// Headline numbers.
    pub summary: Summary,
    /// Best posts, best first.
    pub top_performers: Vec<TopPerformer>,
    /// Best posting time with enough samples, if any.
    pub best_time: Option<TimeSlot>,
    /// Per-platform comparison, best first.
    pub by_platform: Vec<GroupStats>,
    /// Per-content-type comparison, best first.
    pub by_content_type: Vec<GroupStats>,
    /// Short, actionable sentences derived from the numbers above.
    pub insights: Vec<String>,
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

fn group<'a>(
    rows: &'a [PostPerformance],
    key: impl Fn(&PostPerformance) -> String,
) -> Vec<GroupStats> {
    let mut groups: BTreeMap<String, Vec<&'a PostPerformance>> = BTreeMap::new();
    for r in rows {
        groups.entry(key(r)).or_default().push(r);
    }
    let mut out: Vec<GroupStats> = groups
        .into_iter()
        .map(|(label, posts)| GroupStats {
            label,
            posts: posts.len(),
            avg_engagement_rate: mean(posts.iter().filter_map(|p| p.metrics.engagement_rate)),
            avg_engagements: mean(posts.iter().map(|p| p.engagements() as f64)).unwrap_or(0.0),
        })
        .collect();
    out.sort_by(|a, b| {
        rank_key(b)
            .total_cmp(&rank_key(a))
            .then(a.label.cmp(&b.label))
    });
    out
}

/// Groups rank by engagement rate where known, else by engagements per post (scaled below any
/// rate so that known rates always compare among themselves first).
fn rank_key(g: &GroupStats) -> f64 {
    g.avg_engagement_rate.unwrap_or(g.avg_engagements)
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// The weekday × hour grid in `tz`, cells with at least one post.
pub fn time_grid(rows: &[PostPerformance], tz: chrono_tz::Tz) -> Vec<TimeSlot> {
    let mut cells: BTreeMap<(u32, u32), Vec<&PostPerformance>> = BTreeMap::new();
    for r in rows {
        let at = r
            .post
            .published_at
            .unwrap_or(r.post.scheduled_time)
            .with_timezone(&tz);
        cells
            .entry((at.weekday().num_days_from_monday(), at.hour()))
            .or_default()
            .push(r);
    }
    cells
        .into_iter()
        .map(|((wd, hour), posts)| TimeSlot {
            weekday: weekday_name(Weekday::try_from(wd as u8).unwrap_or(Weekday::Mon)).to_string(),
            hour,
            posts: posts.len(),
            avg_engagements: mean(posts.iter().map(|p| p.engagements() as f64)).unwrap_or(0.0),
            avg_engagement_rate: mean(posts.iter().filter_map(|p| p.metrics.engagement_rate)),
        })
        .collect()
}

fn format_hour(h: u32) -> String {
    match h {
        0 => "12 AM".into(),
        12 => "12 PM".into(),
        h if h < 12 => format!("{h} AM"),
        h => format!("{} PM", h - 12),
    }
}

/// Computes the report. `tz` is the workspace's zone; `min_sample` the fewest posts a
/// weekday/hour cell needs to be named the best time.
pub fn performance_report(
    rows: &[PostPerformance],
    tz: chrono_tz::Tz,
    min_sample: usize,
) -> PerformanceReport {
    let with_imp: Vec<&PostPerformance> = rows
        .iter()
        .filter(|r| r.metrics.engagement_rate.is_some())
        .collect();
    let by_platform = group(rows, |r| r.post.platform.as_str().to_string());
    let by_content_type = group(rows, |r| r.content_type.as_str().to_string());
    let summary = Summary {
        total_posts: rows.len(),
        avg_engagement_rate: mean(with_imp.iter().filter_map(|r| r.metrics.engagement_rate)),
        top_platform: by_platform.first().and_then(|g| g.label.parse().ok()),
        total_impressions: rows.iter().filter_map(|r| r.metrics.impressions).sum(),
        total_engagements: rows.iter().map(PostPerformance::engagements).sum(),
        posts_without_impressions: rows.len() - with_imp.len(),
    };
    let mut ranked: Vec<&PostPerformance> = rows.iter().collect();
    ranked.sort_by(|a, b| {
        let ka = (
            a.metrics.engagement_rate.is_some(),
            a.metrics.engagement_rate.unwrap_or(0.0),
            a.engagements(),
        );
        let kb = (
            b.metrics.engagement_rate.is_some(),
            b.metrics.engagement_rate.unwrap_or(0.0),
            b.engagements(),
        );
        kb.0.cmp(&ka.0)
            .then(kb.1.total_cmp(&ka.1))
            .then(kb.2.cmp(&ka.2))
            .then(a.post.id.cmp(&b.post.id))
    });
    let top_performers = ranked
        .iter()
        .take(5)
        .map(|r| TopPerformer {
            content_id: r.content_id,
            title: r.title.clone(),
            engagement_rate: r.metrics.engagement_rate,
            engagements: r.engagements(),
            platform: r.post.platform,
        })
        .collect();
    let grid = time_grid(rows, tz);
    let best_time = grid
        .iter()
        .filter(|c| c.posts >= min_sample)
        .max_by(|a, b| {
            let ka = a.avg_engagement_rate.unwrap_or(a.avg_engagements);
            let kb = b.avg_engagement_rate.unwrap_or(b.avg_engagements);
            ka.total_cmp(&kb)
                .then(b.weekday.cmp(&a.weekday))
                .then(b.hour.cmp(&a.hour))
        })
        .cloned();

    let mut insights = Vec::new();
    if let Some(t) = &best_time {
        insights.push(format!(
            "{} {} is your best posting time ({} posts, {:.1} engagements per post).",
            t.weekday,
            format_hour(t.hour),
            t.posts,
            t.avg_engagements
        ));
    } else if !rows.is_empty() {
        insights.push(format!(
            "Not enough posts yet to name a best posting time (need {min_sample} in one weekday/hour slot)."
        ));
    }
    if by_content_type.len() >= 2 {
        let (best, worst) = (
            &by_content_type[0],
            &by_content_type[by_content_type.len() - 1],
        );
        let (b, w) = (rank_key(best), rank_key(worst));
        if w > 0.0 && b / w >= 1.5 {
            insights.push(format!(
                "Your audience engages {:.1}x more with {} content than with {} content.",
                b / w,
                best.label,
                worst.label
            ));
        }
    }
    if by_platform.len() >= 2 {
        insights.push(format!(
            "{} leads your platforms ({} posts); consider shifting volume there.",
            by_platform[0].label, by_platform[0].posts
        ));
    }
    if summary.posts_without_impressions > 0 {
        insights.push(format!(
            "{} post(s) are on platforms that report no impressions (Bluesky, Mastodon): their engagement rate is unknown, not zero.",
            summary.posts_without_impressions
        ));
    }
    PerformanceReport {
        summary,
        top_performers,
        best_time,
        by_platform,
        by_content_type,
        insights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use chrono::{TimeZone, Utc};

    fn row(
        platform: Platform,
        at: chrono::DateTime<Utc>,
        impressions: Option<i64>,
        likes: i64,
        ct: ContentType,
    ) -> PostPerformance {
        let post = ScheduledPost {
            id: ScheduledPostId::new(),
            workspace_id: WorkspaceId::new(),
            variation_id: VariationId::new(),
            account_id: AccountId::new(),
            platform,
            scheduled_time: at,
            timezone: "America/New_York".into(),
            status: PostStatus::Published,
            attempts: 1,
            receipts: vec![],
            platform_post_id: Some("1".into()),
            url: None,
            error_message: None,
            lease_owner: None,
            lease_expires_at: None,
            attempt_started_at: None,
            published_at: Some(at),
            created_at: at,
            updated_at: at,
        };
        let metrics = AnalyticsRow {
            id: AnalyticsId::new(),
            scheduled_post_id: post.id,
            platform,
            impressions,
            likes,
            comments: 0,
            shares: 0,
            clicks: None,
            engagement_rate: AnalyticsRow::compute_engagement_rate(impressions, likes, 0, 0),
            predicted_score: None,
            fetched_at: at,
        };
        PostPerformance {
            post,
            metrics,
            content_id: ContentId::new(),
            title: Some("t".into()),
            content_type: ct,
        }
    }

    #[test]
    fn best_time_is_local_and_needs_min_sample() {
        let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
        // Tuesdays 14:00 UTC = 10:00 in New York (EDT, June).
        let tue = |d: u32| Utc.with_ymd_and_hms(2026, 6, d, 14, 0, 0).unwrap();
        let mut rows: Vec<_> = [2, 9, 16]
            .iter()
            .map(|d| row(Platform::LinkedIn, tue(*d), Some(100), 9, ContentType::Blog))
            .collect();
        // A single spectacular Friday post must not win: below the minimum sample.
        rows.push(row(
            Platform::LinkedIn,
            Utc.with_ymd_and_hms(2026, 6, 5, 20, 0, 0).unwrap(),
            Some(100),
            90,
            ContentType::Social,
        ));
        let r = performance_report(&rows, tz, 3);
        let best = r.best_time.unwrap();
        assert_eq!(
            (best.weekday.as_str(), best.hour, best.posts),
            ("Tuesday", 10, 3)
        );
        assert!(r.insights[0].starts_with("Tuesday 10 AM is your best posting time"));
        assert_eq!(r.summary.total_posts, 4);
        assert_eq!(r.summary.total_impressions, 400);
        // mean of 9%, 9%, 9%, 90%
        assert!((r.summary.avg_engagement_rate.unwrap() - 29.25).abs() < 1e-9);
        assert_eq!(r.top_performers[0].engagements, 90);
        // Social content (90%) vs blog (9%): 10x.
        assert!(r
            .insights
            .iter()
            .any(|s| s.contains("10.0x more with social content")));
    }

    #[test]
    fn platforms_without_impressions_are_unknown_not_zero() {
        let tz = chrono_tz::UTC;
        let at = Utc.with_ymd_and_hms(2026, 6, 2, 14, 0, 0).unwrap();
        let rows = vec![
            row(Platform::Bluesky, at, None, 12, ContentType::Social),
            row(Platform::Mastodon, at, None, 3, ContentType::Social),
        ];
        let r = performance_report(&rows, tz, 3);
        assert_eq!(r.summary.avg_engagement_rate, None);
        assert_eq!(r.summary.posts_without_impressions, 2);
        assert_eq!(r.summary.top_platform, Some(Platform::Bluesky));
        assert!(r.best_time.is_none());
        assert!(r.insights.iter().any(|s| s.contains("unknown, not zero")));
        assert_eq!(r.top_performers[0].engagement_rate, None);
    }

    #[test]
    fn charts_render_svg_and_png() {
        let tz = chrono_tz::UTC;
        let rows: Vec<_> = (1..=5)
            .map(|d| {
                row(
                    if d % 2 == 0 {
                        Platform::X
                    } else {
                        Platform::Bluesky
                    },
                    Utc.with_ymd_and_hms(2026, 6, d, 9 + d, 0, 0).unwrap(),
                    Some(50),
                    i64::from(d),
                    ContentType::Social,
                )
            })
            .collect();
        let grid = time_grid(&rows, tz);
        let svg = crate::analytics::charts::heatmap_svg(&grid).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("Monday"));
        let png = crate::analytics::charts::heatmap_png(&grid).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let trends = crate::analytics::charts::platform_trends(&rows, tz);
        assert_eq!(trends.len(), 2);
        let svg = crate::analytics::charts::trends_svg(&trends).unwrap();
        assert!(svg.contains("bluesky") && svg.contains("twitter"));
    }
}
