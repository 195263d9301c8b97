//! Metrics collection (design document section 8.1, polling approach): every interval (6 hours
//! by default), fetch the metrics of posts published in the last N days and upsert one
//! analytics row per post.

use crate::model::*;
use crate::publish::PostMetrics;
use crate::{ContentOs, Error, Result};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Default polling interval (section 8.1: every 6 hours).
pub const DEFAULT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(6 * 3600);
/// Platforms cap ids per metrics call (Bluesky `getPosts`: 25).
const METRICS_BATCH: usize = 25;

/// What one collection pass did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CollectReport {
    /// Published posts in the window.
    pub posts_checked: usize,
    /// Analytics rows written.
    pub rows_upserted: usize,
    /// Per-account failures (the pass continues past them).
    pub errors: Vec<String>,
}

/// Turns platform metrics into the stored row, computing the engagement rate only where the
/// platform reports impressions.
pub fn analytics_row(
    post: &ScheduledPost,
    m: &PostMetrics,
    existing: Option<&AnalyticsRow>,
    predicted: Option<i32>,
) -> AnalyticsRow {
    AnalyticsRow {
        id: existing.map(|e| e.id).unwrap_or_default(),
        scheduled_post_id: post.id,
        platform: post.platform,
        impressions: m.impressions,
        likes: m.likes,
        comments: m.comments,
        shares: m.shares,
        clicks: m.clicks,
        engagement_rate: AnalyticsRow::compute_engagement_rate(
            m.impressions,
            m.likes,
            m.comments,
            m.shares,
        ),
        predicted_score: predicted.or(existing.and_then(|e| e.predicted_score)),
        fetched_at: m.fetched_at,
    }
}

impl ContentOs {
    /// One collection pass over a workspace's posts published in the last `window_days`.
    /// Unattended (no actor): run it from a trusted job.
    pub async fn collect_metrics(
        &self,
        workspace: WorkspaceId,
        now: DateTime<Utc>,
        window_days: i64,
    ) -> Result<CollectReport> {
        let from = now - Duration::days(window_days.max(1));
        let posts = self
            .inner
            .store
            .list_scheduled_posts(workspace, from, now + Duration::seconds(1))
            .await?;
        let mut by_account: HashMap<AccountId, Vec<ScheduledPost>> = HashMap::new();
        for p in posts
            .into_iter()
            .filter(|p| p.status == PostStatus::Published && p.platform_post_id.is_some())
        {
            by_account.entry(p.account_id).or_default().push(p);
        }
        let mut report = CollectReport::default();
        for (account_id, posts) in by_account {
            report.posts_checked += posts.len();
            match self.collect_account(account_id, &posts).await {
                Ok(n) => report.rows_upserted += n,
                Err(e) => report.errors.push(format!("account {account_id}: {e}")),
            }
        }
        Ok(report)
    }

    async fn collect_account(
        &self,
        account_id: AccountId,
        posts: &[ScheduledPost],
    ) -> Result<usize> {
        let account = self.inner.store.get_account(account_id).await?;
        let publisher = self.publisher(account.platform).cloned().ok_or_else(|| {
            Error::not_supported(format!("no publisher registered for {}", account.platform))
        })?;
        let creds = self.open_credentials(&account)?;
        let mut written = 0;
        for chunk in posts.chunks(METRICS_BATCH) {
            let ids: Vec<String> = chunk
                .iter()
                .filter_map(|p| p.platform_post_id.clone())
                .collect();
            let span = tracing::info_span!("contentos.metrics", platform = %account.platform, posts = ids.len());
            let metrics =
                tracing::Instrument::instrument(publisher.metrics(&creds, &ids), span).await?;
            for m in metrics {
                let Some(post) = chunk
                    .iter()
                    .find(|p| p.platform_post_id.as_deref() == Some(m.platform_post_id.as_str()))
                else {
                    continue;
                };
                let existing = self.inner.store.get_analytics(post.id).await?;
                let predicted = match self.inner.store.get_variation(post.variation_id).await {
                    Ok(v) => v
                        .metadata
                        .get("estimatedEngagement")
                        .and_then(|s| s.as_i64())
                        .map(|s| s as i32),
                    Err(_) => None,
                };
                let row = analytics_row(post, &m, existing.as_ref(), predicted);
                self.inner.store.upsert_analytics(&row).await?;
                written += 1;
                let performance = row
                    .engagement_rate
                    .unwrap_or((row.likes + row.comments + row.shares) as f64);
                if let Err(e) = self.index_published(post, Some(performance)).await {
                    tracing::warn!(post = %post.id, error = %e, "re-indexing with metrics failed");
                }
            }
        }
        Ok(written)
    }

    /// Runs [`ContentOs::collect_metrics`] for `workspaces` every `interval` until `shutdown`
    /// resolves. Errors are logged and the loop continues.
    pub async fn run_collector(
        &self,
        workspaces: Vec<WorkspaceId>,
        interval: std::time::Duration,
        window_days: i64,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        let mut tick = tokio::time::interval(interval);
        loop {
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tick.tick() => {
                    for ws in &workspaces {
                        match self.collect_metrics(*ws, Utc::now(), window_days).await {
                            Ok(r) => tracing::info!(workspace = %ws, posts = r.posts_checked, rows = r.rows_upserted, errors = r.errors.len(), "metrics collected"),
                            Err(e) => tracing::warn!(workspace = %ws, error = %e, "metrics collection failed"),
                        }
                    }
                }
            }
        }
    }
}
