//! Analytics rows and trained model artifacts on SQLite.

use super::rows::{self, ts};
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

pub(super) async fn upsert_analytics(pool: &SqlitePool, a: &AnalyticsRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO analytics (id, scheduled_post_id, platform, impressions, likes, comments,
                                shares, clicks, engagement_rate, predicted_score, fetched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (scheduled_post_id) DO UPDATE SET
             id = excluded.id, platform = excluded.platform, impressions = excluded.impressions,
             likes = excluded.likes, comments = excluded.comments, shares = excluded.shares,
             clicks = excluded.clicks, engagement_rate = excluded.engagement_rate,
             predicted_score = excluded.predicted_score, fetched_at = excluded.fetched_at",
    )
    .bind(a.id.to_string())
    .bind(a.scheduled_post_id.to_string())
    .bind(a.platform.as_str())
    .bind(a.impressions)
    .bind(a.likes)
    .bind(a.comments)
    .bind(a.shares)
    .bind(a.clicks)
    .bind(a.engagement_rate)
    .bind(a.predicted_score)
    .bind(ts(&a.fetched_at))
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_analytics(
    pool: &SqlitePool,
    post: ScheduledPostId,
) -> Result<Option<AnalyticsRow>> {
    let row = sqlx::query("SELECT * FROM analytics WHERE scheduled_post_id = ?")
        .bind(post.to_string())
        .fetch_optional(pool)
        .await
        .db()?;
    row.as_ref().map(|r| rows::analytics(r, "")).transpose()
}

pub(super) async fn list_analytics(
    pool: &SqlitePool,
    ws: WorkspaceId,
    since: DateTime<Utc>,
) -> Result<Vec<(ScheduledPost, AnalyticsRow)>> {
    let found = sqlx::query(
        "SELECT p.*, a.id AS a_id, a.scheduled_post_id AS a_scheduled_post_id,
                a.platform AS a_platform, a.impressions AS a_impressions, a.likes AS a_likes,
                a.comments AS a_comments, a.shares AS a_shares, a.clicks AS a_clicks,
                a.engagement_rate AS a_engagement_rate, a.predicted_score AS a_predicted_score,
                a.fetched_at AS a_fetched_at
         FROM analytics a JOIN scheduled_posts p ON p.id = a.scheduled_post_id
         WHERE p.workspace_id = ? AND p.published_at >= ?
         ORDER BY p.published_at, p.id",
    )
    .bind(ws.to_string())
    .bind(ts(&since))
    .fetch_all(pool)
    .await
    .db()?;
    found
        .iter()
        .map(|r| Ok((rows::scheduled_post(r)?, rows::analytics(r, "a_")?)))
        .collect()
}

pub(super) async fn save_model(pool: &SqlitePool, m: &StoredModel) -> Result<()> {
    let ws = m.workspace_id.map(|w| w.to_string());
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    let latest: Option<i64> = sqlx::query_scalar(
        "SELECT max(version) FROM stored_models WHERE workspace_id IS ? AND name = ?",
    )
    .bind(&ws)
    .bind(&m.name)
    .fetch_one(&mut *tx)
    .await
    .db()?;
    if let Some(latest) = latest {
        if m.version <= latest {
            return Err(Error::conflict(format!(
                "model {} version {} is not newer than stored version {latest}",
                m.name, m.version
            )));
        }
    }
    sqlx::query(
        "INSERT INTO stored_models (id, workspace_id, name, version, feature_schema, payload,
                                    metrics, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(m.id.to_string())
    .bind(&ws)
    .bind(&m.name)
    .bind(m.version)
    .bind(&m.feature_schema)
    .bind(&m.payload)
    .bind(serde_json::to_string(&m.metrics)?)
    .bind(ts(&m.created_at))
    .execute(&mut *tx)
    .await
    .db()?;
    tx.commit().await.db()?;
    Ok(())
}

pub(super) async fn latest_model(
    pool: &SqlitePool,
    ws: Option<WorkspaceId>,
    name: &str,
) -> Result<Option<StoredModel>> {
    let row = sqlx::query(
        "SELECT * FROM stored_models WHERE workspace_id IS ? AND name = ?
         ORDER BY version DESC LIMIT 1",
    )
    .bind(ws.map(|w| w.to_string()))
    .bind(name)
    .fetch_optional(pool)
    .await
    .db()?;
    row.as_ref().map(rows::stored_model).transpose()
}
