//! Scheduled posts (the publish queue) on PostgreSQL: inserts, reads, the lease-based claim and the
//! compare-and-set status update.

use super::rows;
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgPool;

pub(super) async fn insert_scheduled_post(pool: &PgPool, p: &ScheduledPost) -> Result<()> {
    sqlx::query(
        "INSERT INTO scheduled_posts (id, workspace_id, content_variation_id, account_id, platform,
             scheduled_time, timezone, status, attempts, receipts, platform_post_id, url,
             error_message, lease_owner, lease_expires_at, attempt_started_at, published_at,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(p.id.0)
    .bind(p.workspace_id.0)
    .bind(p.variation_id.0)
    .bind(p.account_id.0)
    .bind(p.platform.as_str())
    .bind(p.scheduled_time)
    .bind(&p.timezone)
    .bind(p.status.as_str())
    .bind(attempts(p)?)
    .bind(Json(&p.receipts))
    .bind(&p.platform_post_id)
    .bind(&p.url)
    .bind(&p.error_message)
    .bind(&p.lease_owner)
    .bind(p.lease_expires_at)
    .bind(p.attempt_started_at)
    .bind(p.published_at)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_scheduled_post(
    pool: &PgPool,
    id: ScheduledPostId,
) -> Result<ScheduledPost> {
    let row = sqlx::query("SELECT * FROM scheduled_posts WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(ScheduledPostId::ENTITY, id))?;
    rows::scheduled_post(&row)
}

pub(super) async fn list_scheduled_posts(
    pool: &PgPool,
    ws: WorkspaceId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ScheduledPost>> {
    let found = sqlx::query(
        "SELECT * FROM scheduled_posts
         WHERE workspace_id = $1 AND scheduled_time >= $2 AND scheduled_time < $3
         ORDER BY scheduled_time, id",
    )
    .bind(ws.0)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
    .db()?;
    found.iter().map(rows::scheduled_post).collect()
}

pub(super) async fn due_posts(
    pool: &PgPool,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<ScheduledPost>> {
    let found = sqlx::query(
        "SELECT * FROM scheduled_posts
         WHERE status = 'pending' AND scheduled_time <= $1
         ORDER BY scheduled_time, id LIMIT $2",
    )
    .bind(now)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .db()?;
    found.iter().map(rows::scheduled_post).collect()
}

pub(super) async fn claim_due_posts(
    pool: &PgPool,
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
    // SKIP LOCKED: rows another claimer is taking right now are skipped rather than waited
    // for, so concurrent claimers split the due posts between them and never share one.
    let found = sqlx::query(
        // Two index-ordered scans instead of one `OR`: recovery of expired leases first (few
        // rows: posts in flight), then due posts in (scheduled_time, id) order straight from the
        // partial index `idx_scheduled_posts_time`, read only as far as the limit needs. One `OR`
        // made PostgreSQL fetch and sort the whole due backlog on every claim.
        "WITH expired AS (
             SELECT id FROM scheduled_posts
             WHERE status = 'publishing' AND (lease_expires_at IS NULL OR lease_expires_at < $2)
             ORDER BY scheduled_time, id
             LIMIT $4
             FOR UPDATE SKIP LOCKED
         ), due AS (
             SELECT id FROM scheduled_posts
             WHERE status = 'pending' AND scheduled_time <= $2
             ORDER BY scheduled_time, id
             LIMIT $4
             FOR UPDATE SKIP LOCKED
         ), picked AS (
             SELECT id FROM expired UNION ALL SELECT id FROM due LIMIT $4
         )
         UPDATE scheduled_posts s
         SET status = 'publishing', lease_owner = $1, lease_expires_at = $3, updated_at = $2
         FROM picked WHERE s.id = picked.id
         RETURNING s.*",
    )
    .bind(worker)
    .bind(now)
    .bind(until)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .db()?;
    let mut claimed = found
        .iter()
        .map(rows::scheduled_post)
        .collect::<Result<Vec<_>>>()?;
    claimed.sort_by_key(|p| (p.scheduled_time, p.id));
    Ok(claimed)
}

pub(super) async fn extend_lease(
    pool: &PgPool,
    id: ScheduledPostId,
    worker: &str,
    until: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE scheduled_posts SET lease_expires_at = $1
         WHERE id = $2 AND status = 'publishing' AND lease_owner = $3",
    )
    .bind(until)
    .bind(id.0)
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
    pool: &PgPool,
    worker: &str,
    ids: &[ScheduledPostId],
    at: DateTime<Utc>,
) -> Result<Vec<ScheduledPostId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let uuids: Vec<uuid::Uuid> = ids.iter().map(|id| id.0).collect();
    let marked: Vec<uuid::Uuid> = sqlx::query_scalar(
        "UPDATE scheduled_posts
         SET attempts = attempts + 1, attempt_started_at = $1, error_message = NULL,
             updated_at = $1
         WHERE id = ANY($2) AND status = 'publishing' AND lease_owner = $3
         RETURNING id",
    )
    .bind(at)
    .bind(&uuids)
    .bind(worker)
    .fetch_all(pool)
    .await
    .db()?;
    Ok(marked.into_iter().map(ScheduledPostId).collect())
}

pub(super) async fn update_scheduled_post(
    pool: &PgPool,
    p: &ScheduledPost,
    expected: PostStatus,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE scheduled_posts
         SET status = $1, attempts = $2, receipts = $3, platform_post_id = $4, url = $5,
             error_message = $6, lease_owner = $7, lease_expires_at = $8, attempt_started_at = $9,
             published_at = $10,
             scheduled_time = $11, timezone = $12, updated_at = $13
         WHERE id = $14 AND status = $15",
    )
    .bind(p.status.as_str())
    .bind(attempts(p)?)
    .bind(Json(&p.receipts))
    .bind(&p.platform_post_id)
    .bind(&p.url)
    .bind(&p.error_message)
    .bind(&p.lease_owner)
    .bind(p.lease_expires_at)
    .bind(p.attempt_started_at)
    .bind(p.published_at)
    .bind(p.scheduled_time)
    .bind(&p.timezone)
    .bind(p.updated_at)
    .bind(p.id.0)
    .bind(expected.as_str())
    .execute(pool)
    .await
    .db()?;
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

fn attempts(p: &ScheduledPost) -> Result<i32> {
    i32::try_from(p.attempts).map_err(|_| Error::validation("attempts", "at most 2147483647"))
}

pub(super) async fn update_scheduled_posts(
    pool: &PgPool,
    posts: &[ScheduledPost],
    expected: PostStatus,
) -> Result<Vec<ScheduledPostId>> {
    if posts.is_empty() {
        return Ok(Vec::new());
    }
    // One statement over parallel arrays: one round trip and one commit for the whole batch.
    let n = posts.len();
    let mut ids = Vec::with_capacity(n);
    let mut status = Vec::with_capacity(n);
    let mut attempt_counts = Vec::with_capacity(n);
    let mut receipts = Vec::with_capacity(n);
    let mut platform_ids = Vec::with_capacity(n);
    let mut urls = Vec::with_capacity(n);
    let mut errors = Vec::with_capacity(n);
    let mut owners = Vec::with_capacity(n);
    let mut lease_until = Vec::with_capacity(n);
    let mut started = Vec::with_capacity(n);
    let mut published = Vec::with_capacity(n);
    let mut scheduled = Vec::with_capacity(n);
    let mut zones = Vec::with_capacity(n);
    let mut updated = Vec::with_capacity(n);
    for p in posts {
        ids.push(p.id.0);
        status.push(p.status.as_str());
        attempt_counts.push(attempts(p)?);
        receipts.push(serde_json::to_string(&p.receipts)?);
        platform_ids.push(p.platform_post_id.as_deref());
        urls.push(p.url.as_deref());
        errors.push(p.error_message.as_deref());
        owners.push(p.lease_owner.as_deref());
        lease_until.push(p.lease_expires_at);
        started.push(p.attempt_started_at);
        published.push(p.published_at);
        scheduled.push(p.scheduled_time);
        zones.push(p.timezone.as_str());
        updated.push(p.updated_at);
    }
    let written: Vec<uuid::Uuid> = sqlx::query_scalar(
        "UPDATE scheduled_posts AS t
         SET status = u.status, attempts = u.attempts, receipts = u.receipts::jsonb,
             platform_post_id = u.platform_post_id, url = u.url, error_message = u.error_message,
             lease_owner = u.lease_owner, lease_expires_at = u.lease_expires_at,
             attempt_started_at = u.attempt_started_at, published_at = u.published_at,
             scheduled_time = u.scheduled_time, timezone = u.timezone, updated_at = u.updated_at
         FROM UNNEST($1::uuid[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[],
                     $11::timestamptz[], $12::timestamptz[], $13::text[], $14::timestamptz[])
              AS u(id, status, attempts, receipts, platform_post_id, url, error_message,
                   lease_owner, lease_expires_at, attempt_started_at, published_at,
                   scheduled_time, timezone, updated_at)
         WHERE t.id = u.id AND t.status = $15
         RETURNING t.id",
    )
    .bind(&ids)
    .bind(&status)
    .bind(&attempt_counts)
    .bind(&receipts)
    .bind(&platform_ids)
    .bind(&urls)
    .bind(&errors)
    .bind(&owners)
    .bind(&lease_until)
    .bind(&started)
    .bind(&published)
    .bind(&scheduled)
    .bind(&zones)
    .bind(&updated)
    .bind(expected.as_str())
    .fetch_all(pool)
    .await
    .db()?;
    Ok(written.into_iter().map(ScheduledPostId).collect())
}
