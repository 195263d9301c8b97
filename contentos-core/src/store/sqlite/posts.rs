//! Scheduled posts (the publish queue) on SQLite: inserts, reads, the lease-based claim and the
//! compare-and-set status update.

use super::rows::{self, ts};
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

pub(super) async fn insert_scheduled_post(pool: &SqlitePool, p: &ScheduledPost) -> Result<()> {
    sqlx::query(
        "INSERT INTO scheduled_posts (id, workspace_id, content_variation_id, account_id, platform,
             scheduled_time, timezone, status, attempts, receipts, platform_post_id, url,
             error_message, lease_owner, lease_expires_at, attempt_started_at, published_at,
             created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(p.id.to_string())
    .bind(p.workspace_id.to_string())
    .bind(p.variation_id.to_string())
    .bind(p.account_id.to_string())
    .bind(p.platform.as_str())
    .bind(ts(&p.scheduled_time))
    .bind(&p.timezone)
    .bind(p.status.as_str())
    .bind(i64::from(p.attempts))
    .bind(serde_json::to_string(&p.receipts)?)
    .bind(&p.platform_post_id)
    .bind(&p.url)
    .bind(&p.error_message)
    .bind(&p.lease_owner)
    .bind(p.lease_expires_at.as_ref().map(ts))
    .bind(p.attempt_started_at.as_ref().map(ts))
    .bind(p.published_at.as_ref().map(ts))
    .bind(ts(&p.created_at))
    .bind(ts(&p.updated_at))
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_scheduled_post(
    pool: &SqlitePool,
    id: ScheduledPostId,
) -> Result<ScheduledPost> {
    let row = sqlx::query("SELECT * FROM scheduled_posts WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(ScheduledPostId::ENTITY, id))?;
    rows::scheduled_post(&row)
}

pub(super) async fn list_scheduled_posts(
    pool: &SqlitePool,
    ws: WorkspaceId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ScheduledPost>> {
    let found = sqlx::query(
        "SELECT * FROM scheduled_posts
         WHERE workspace_id = ? AND scheduled_time >= ? AND scheduled_time < ?
         ORDER BY scheduled_time, id",
    )
    .bind(ws.to_string())
    .bind(ts(&from))
    .bind(ts(&to))
    .fetch_all(pool)
    .await
    .db()?;
    found.iter().map(rows::scheduled_post).collect()
}

pub(super) async fn due_posts(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<ScheduledPost>> {
    let found = sqlx::query(
        "SELECT * FROM scheduled_posts
         WHERE status = 'pending' AND scheduled_time <= ?
         ORDER BY scheduled_time, id LIMIT ?",
    )
    .bind(ts(&now))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .db()?;
    found.iter().map(rows::scheduled_post).collect()
}

pub(super) async fn claim_due_posts(
    pool: &SqlitePool,
    worker: &str,
    now: DateTime<Utc>,
    lease: std::time::Duration,
    limit: u32,
) -> Result<Vec<ScheduledPost>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let lease = chrono::Duration::from_std(lease)
        .map_err(|_| Error::validation("lease", "a duration that fits in a timestamp"))?;
    let until = now
        .checked_add_signed(lease)
        .ok_or_else(|| Error::validation("lease", "a duration that fits in a timestamp"))?;
    let now_s = ts(&now);
    // BEGIN IMMEDIATE takes the database write lock up front: a second claimer waits (busy
    // timeout) until this one commits, then sees the posts as already `publishing`.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    let ids: Vec<String> = sqlx::query_scalar(
        // Recovery of expired leases first, then due posts in (scheduled_time, id) order from
        // the partial index `idx_scheduled_posts_time` — each scan stops at the limit instead of
        // sorting the whole due backlog.
        "SELECT id FROM (
             SELECT id FROM scheduled_posts
             WHERE status = 'publishing' AND (lease_expires_at IS NULL OR lease_expires_at < ?1)
             ORDER BY scheduled_time, id LIMIT ?2)
         UNION ALL
         SELECT id FROM (
             SELECT id FROM scheduled_posts
             WHERE status = 'pending' AND scheduled_time <= ?1
             ORDER BY scheduled_time, id LIMIT ?2)
         LIMIT ?2",
    )
    .bind(&now_s)
    .bind(i64::from(limit))
    .fetch_all(&mut *tx)
    .await
    .db()?;
    let mut claimed = Vec::with_capacity(ids.len());
    for id in &ids {
        let row = sqlx::query(
            "UPDATE scheduled_posts
             SET status = 'publishing', lease_owner = ?, lease_expires_at = ?, updated_at = ?
             WHERE id = ? RETURNING *",
        )
        .bind(worker)
        .bind(ts(&until))
        .bind(&now_s)
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        claimed.push(rows::scheduled_post(&row)?);
    }
    tx.commit().await.db()?;
    Ok(claimed)
}

pub(super) async fn extend_lease(
    pool: &SqlitePool,
    id: ScheduledPostId,
    worker: &str,
    until: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE scheduled_posts SET lease_expires_at = ?
         WHERE id = ? AND status = 'publishing' AND lease_owner = ?",
    )
    .bind(ts(&until))
    .bind(id.to_string())
    .bind(worker)
    .execute(pool)
    .await
    .db()?;
    if done.rows_affected() > 0 {
        return Ok(true);
    }
    // Distinguish a lost lease from a post that does not exist.
    get_scheduled_post(pool, id).await?;
    Ok(false)
}

pub(super) async fn mark_attempts_started(
    pool: &SqlitePool,
    worker: &str,
    ids: &[ScheduledPostId],
    at: DateTime<Utc>,
) -> Result<Vec<ScheduledPostId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(&ids.iter().map(|id| id.to_string()).collect::<Vec<_>>())?;
    let at_s = ts(&at);
    // One statement: SQLite commits it as one (implicit) transaction, one WAL append.
    let marked: Vec<String> = sqlx::query_scalar(
        "UPDATE scheduled_posts
         SET attempts = attempts + 1, attempt_started_at = ?1, error_message = NULL,
             updated_at = ?1
         WHERE id IN (SELECT value FROM json_each(?2)) AND status = 'publishing'
           AND lease_owner = ?3
         RETURNING id",
    )
    .bind(&at_s)
    .bind(&list)
    .bind(worker)
    .fetch_all(pool)
    .await
    .db()?;
    marked
        .iter()
        .map(|s| {
            uuid::Uuid::parse_str(s)
                .map(ScheduledPostId)
                .map_err(|_| Error::storage(format!("corrupt scheduled post id {s:?}")))
        })
        .collect()
}

/// The compare-and-set UPDATE of one post, bound for `expected` (shared by the single and the
/// batched write).
fn cas_update(
    p: &ScheduledPost,
    expected: PostStatus,
) -> Result<sqlx::query::Query<'static, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'static>>> {
    Ok(sqlx::query(
        "UPDATE scheduled_posts
         SET status = ?, attempts = ?, receipts = ?, platform_post_id = ?, url = ?,
             error_message = ?, lease_owner = ?, lease_expires_at = ?, attempt_started_at = ?,
             published_at = ?,
             scheduled_time = ?, timezone = ?, updated_at = ?
         WHERE id = ? AND status = ?",
    )
    .bind(p.status.as_str())
    .bind(i64::from(p.attempts))
    .bind(serde_json::to_string(&p.receipts)?)
    .bind(p.platform_post_id.clone())
    .bind(p.url.clone())
    .bind(p.error_message.clone())
    .bind(p.lease_owner.clone())
    .bind(p.lease_expires_at.as_ref().map(ts))
    .bind(p.attempt_started_at.as_ref().map(ts))
    .bind(p.published_at.as_ref().map(ts))
    .bind(ts(&p.scheduled_time))
    .bind(p.timezone.clone())
    .bind(ts(&p.updated_at))
    .bind(p.id.to_string())
    .bind(expected.as_str()))
}

pub(super) async fn update_scheduled_post(
    pool: &SqlitePool,
    p: &ScheduledPost,
    expected: PostStatus,
) -> Result<()> {
    let done = cas_update(p, expected)?.execute(pool).await.db()?;
    if done.rows_affected() > 0 {
        return Ok(());
    }
    let current = get_scheduled_post(pool, p.id).await?;
    Err(Error::conflict(format!(
        "scheduled post {} is {}, expected {}",
        p.id,
        current.status.as_str(),
        expected.as_str()
    )))
}

pub(super) async fn update_scheduled_posts(
    pool: &SqlitePool,
    posts: &[ScheduledPost],
    expected: PostStatus,
) -> Result<Vec<ScheduledPostId>> {
    if posts.is_empty() {
        return Ok(Vec::new());
    }
    // Bind everything first: a post that cannot be encoded fails the call before any write.
    let updates = posts
        .iter()
        .map(|p| cas_update(p, expected))
        .collect::<Result<Vec<_>>>()?;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    let mut written = Vec::with_capacity(posts.len());
    for (p, update) in posts.iter().zip(updates) {
        if update.execute(&mut *tx).await.db()?.rows_affected() > 0 {
            written.push(p.id);
        }
    }
    tx.commit().await.db()?;
    Ok(written)
}
