//! Audience segments on SQLite.

use super::rows::{self, ts};
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::{Error, Result};
use sqlx::SqlitePool;

pub(super) async fn create_segment(pool: &SqlitePool, s: &AudienceSegment) -> Result<()> {
    sqlx::query(
        "INSERT INTO audience_segments (id, workspace_id, name, description, attributes,
                                        embedding_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(s.id.to_string())
    .bind(s.workspace_id.to_string())
    .bind(&s.name)
    .bind(&s.description)
    .bind(serde_json::to_string(&s.attributes)?)
    .bind(&s.embedding_id)
    .bind(ts(&s.created_at))
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_segment(pool: &SqlitePool, id: SegmentId) -> Result<AudienceSegment> {
    let row = sqlx::query("SELECT * FROM audience_segments WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(SegmentId::ENTITY, id))?;
    rows::segment(&row)
}

pub(super) async fn find_segment_by_name(
    pool: &SqlitePool,
    ws: WorkspaceId,
    name: &str,
) -> Result<Option<AudienceSegment>> {
    let row = sqlx::query("SELECT * FROM audience_segments WHERE workspace_id = ? AND name = ?")
        .bind(ws.to_string())
        .bind(name)
        .fetch_optional(pool)
        .await
        .db()?;
    row.as_ref().map(rows::segment).transpose()
}

pub(super) async fn list_segments(
    pool: &SqlitePool,
    ws: WorkspaceId,
) -> Result<Vec<AudienceSegment>> {
    let found =
        sqlx::query("SELECT * FROM audience_segments WHERE workspace_id = ? ORDER BY name, id")
            .bind(ws.to_string())
            .fetch_all(pool)
            .await
            .db()?;
    found.iter().map(rows::segment).collect()
}

pub(super) async fn update_segment(pool: &SqlitePool, s: &AudienceSegment) -> Result<()> {
    let done = sqlx::query(
        "UPDATE audience_segments SET name = ?, description = ?, attributes = ?, embedding_id = ?
         WHERE id = ?",
    )
    .bind(&s.name)
    .bind(&s.description)
    .bind(serde_json::to_string(&s.attributes)?)
    .bind(&s.embedding_id)
    .bind(s.id.to_string())
    .execute(pool)
    .await
    .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(SegmentId::ENTITY, s.id));
    }
    Ok(())
}

pub(super) async fn delete_segment(pool: &SqlitePool, id: SegmentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM audience_segments WHERE id = ?")
        .bind(id.to_string())
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(SegmentId::ENTITY, id));
    }
    Ok(())
}
