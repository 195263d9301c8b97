//! Audience segments on PostgreSQL.

use super::rows;
use crate::model::*;
use crate::store::common::DbResultExt;
use crate::{Error, Result};
use sqlx::types::Json;
use sqlx::PgPool;

pub(super) async fn create_segment(pool: &PgPool, s: &AudienceSegment) -> Result<()> {
    sqlx::query(
        "INSERT INTO audience_segments (id, workspace_id, name, description, attributes,
                                        embedding_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(s.id.0)
    .bind(s.workspace_id.0)
    .bind(&s.name)
    .bind(&s.description)
    .bind(Json(&s.attributes))
    .bind(&s.embedding_id)
    .bind(s.created_at)
    .execute(pool)
    .await
    .db()?;
    Ok(())
}

pub(super) async fn get_segment(pool: &PgPool, id: SegmentId) -> Result<AudienceSegment> {
    let row = sqlx::query("SELECT * FROM audience_segments WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(SegmentId::ENTITY, id))?;
    rows::segment(&row)
}

pub(super) async fn find_segment_by_name(
    pool: &PgPool,
    ws: WorkspaceId,
    name: &str,
) -> Result<Option<AudienceSegment>> {
    let row = sqlx::query("SELECT * FROM audience_segments WHERE workspace_id = $1 AND name = $2")
        .bind(ws.0)
        .bind(name)
        .fetch_optional(pool)
        .await
        .db()?;
    row.as_ref().map(rows::segment).transpose()
}

pub(super) async fn list_segments(pool: &PgPool, ws: WorkspaceId) -> Result<Vec<AudienceSegment>> {
    let found =
        sqlx::query("SELECT * FROM audience_segments WHERE workspace_id = $1 ORDER BY name, id")
            .bind(ws.0)
            .fetch_all(pool)
            .await
            .db()?;
    found.iter().map(rows::segment).collect()
}

pub(super) async fn update_segment(pool: &PgPool, s: &AudienceSegment) -> Result<()> {
    let done = sqlx::query(
        "UPDATE audience_segments SET name = $1, description = $2, attributes = $3, embedding_id = $4
         WHERE id = $5",
    )
    .bind(&s.name)
    .bind(&s.description)
    .bind(Json(&s.attributes))
    .bind(&s.embedding_id)
    .bind(s.id.0)
    .execute(pool)
    .await
    .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(SegmentId::ENTITY, s.id));
    }
    Ok(())
}

pub(super) async fn delete_segment(pool: &PgPool, id: SegmentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM audience_segments WHERE id = $1")
        .bind(id.0)
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(SegmentId::ENTITY, id));
    }
    Ok(())
}
