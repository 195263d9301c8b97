//! Content, variations and full-text search on SQLite.

use super::rows::{self, ts};
use crate::model::*;
use crate::store::common::{fts5_query, page_bounds, DbResultExt};
use crate::{Error, Result};
use chrono::Utc;
use sqlx::{Sqlite, SqlitePool, Transaction};

async fn insert_variations(
    tx: &mut Transaction<'_, Sqlite>,
    content: ContentId,
    variations: &[Variation],
) -> Result<()> {
    for (i, v) in variations.iter().enumerate() {
        if v.content_id != content {
            return Err(Error::validation(
                format!("variations[{i}].content_id"),
                "must be the id of the content item being written",
            ));
        }
        sqlx::query(
            "INSERT INTO content_variations (id, content_id, platform, body, metadata, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(v.id.to_string())
        .bind(content.to_string())
        .bind(v.platform.map(|p| p.as_str()))
        .bind(&v.body)
        .bind(serde_json::to_string(&v.metadata)?)
        .bind(ts(&v.created_at))
        .execute(&mut **tx)
        .await
        .db()?;
    }
    Ok(())
}

pub(super) async fn create_content(
    pool: &SqlitePool,
    content: &Content,
    variations: &[Variation],
) -> Result<()> {
    // Take the write lock up front: under many concurrent writers a deferred transaction can
    // fail with "database is locked" instead of waiting for the busy timeout.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    sqlx::query(
        "INSERT INTO content (id, workspace_id, created_by, title, original_input, content_type,
                              format, metadata, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(content.id.to_string())
    .bind(content.workspace_id.to_string())
    .bind(content.created_by.to_string())
    .bind(&content.title)
    .bind(&content.original_input)
    .bind(content.content_type.as_str())
    .bind(content.format.as_str())
    .bind(serde_json::to_string(&content.metadata)?)
    .bind(content.status.as_str())
    .bind(ts(&content.created_at))
    .bind(ts(&content.updated_at))
    .execute(&mut *tx)
    .await
    .db()?;
    insert_variations(&mut tx, content.id, variations).await?;
    tx.commit().await.db()?;
    Ok(())
}

pub(super) async fn add_variations(
    pool: &SqlitePool,
    content: ContentId,
    variations: &[Variation],
) -> Result<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    let exists = sqlx::query("SELECT 1 FROM content WHERE id = ?")
        .bind(content.to_string())
        .fetch_optional(&mut *tx)
        .await
        .db()?;
    if exists.is_none() {
        return Err(Error::not_found(ContentId::ENTITY, content));
    }
    insert_variations(&mut tx, content, variations).await?;
    tx.commit().await.db()?;
    Ok(())
}

pub(super) async fn get_content(pool: &SqlitePool, id: ContentId) -> Result<ContentWithVariations> {
    let row = sqlx::query("SELECT * FROM content WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(ContentId::ENTITY, id))?;
    let content = rows::content(&row)?;
    let vrows = sqlx::query(
        "SELECT * FROM content_variations WHERE content_id = ? ORDER BY created_at, id",
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await
    .db()?;
    let variations = vrows
        .iter()
        .map(rows::variation)
        .collect::<Result<Vec<_>>>()?;
    Ok(ContentWithVariations {
        content,
        variations,
    })
}

pub(super) async fn get_variation(pool: &SqlitePool, id: VariationId) -> Result<Variation> {
    let row = sqlx::query("SELECT * FROM content_variations WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(VariationId::ENTITY, id))?;
    rows::variation(&row)
}

pub(super) async fn list_content(
    pool: &SqlitePool,
    ws: WorkspaceId,
    query: &ContentQuery,
) -> Result<Page<Content>> {
    let (page, limit, offset) = page_bounds(query.page, query.limit);
    let mut filter = String::from("workspace_id = ?");
    if query.status.is_some() {
        filter.push_str(" AND status = ?");
    }
    if query.content_type.is_some() {
        filter.push_str(" AND content_type = ?");
    }
    let count_sql = format!("SELECT COUNT(*) FROM content WHERE {filter}");
    let page_sql = format!(
        "SELECT * FROM content WHERE {filter} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
    );

    let mut count = sqlx::query_scalar::<_, i64>(&count_sql).bind(ws.to_string());
    let mut items = sqlx::query(&page_sql).bind(ws.to_string());
    if let Some(s) = query.status {
        count = count.bind(s.as_str());
        items = items.bind(s.as_str());
    }
    if let Some(t) = query.content_type {
        count = count.bind(t.as_str());
        items = items.bind(t.as_str());
    }
    let total = count.fetch_one(pool).await.db()?;
    let found = items
        .bind(i64::from(limit))
        .bind(offset)
        .fetch_all(pool)
        .await
        .db()?;
    Ok(Page {
        items: found
            .iter()
            .map(rows::content)
            .collect::<Result<Vec<_>>>()?,
        page,
        limit,
        total: u64::try_from(total).unwrap_or(0),
    })
}

pub(super) async fn update_content(
    pool: &SqlitePool,
    id: ContentId,
    patch: &ContentPatch,
) -> Result<Content> {
    // Read-merge-write under the write lock so concurrent metadata merges never lose keys.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.db()?;
    let row = sqlx::query("SELECT * FROM content WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(ContentId::ENTITY, id))?;
    let mut content = rows::content(&row)?;
    if let Some(title) = &patch.title {
        content.title = Some(title.clone());
    }
    if let Some(status) = patch.status {
        content.status = status;
    }
    if let Some(meta) = &patch.metadata {
        for (k, v) in meta {
            content.metadata.insert(k.clone(), v.clone());
        }
    }
    let now = ts(&Utc::now());
    sqlx::query(
        "UPDATE content SET title = ?, status = ?, metadata = ?, updated_at = ? WHERE id = ?",
    )
    .bind(&content.title)
    .bind(content.status.as_str())
    .bind(serde_json::to_string(&content.metadata)?)
    .bind(&now)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await
    .db()?;
    let row = sqlx::query("SELECT * FROM content WHERE id = ?")
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await
        .db()?;
    let updated = rows::content(&row)?;
    tx.commit().await.db()?;
    Ok(updated)
}

pub(super) async fn delete_content(pool: &SqlitePool, id: ContentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM content WHERE id = ?")
        .bind(id.to_string())
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(ContentId::ENTITY, id));
    }
    Ok(())
}

pub(super) async fn search_content(
    pool: &SqlitePool,
    ws: WorkspaceId,
    text: &str,
    limit: u32,
) -> Result<Vec<Content>> {
    let Some(fts) = fts5_query(text) else {
        return Ok(Vec::new());
    };
    if limit == 0 {
        return Ok(Vec::new());
    }
    let found = sqlx::query(
        "SELECT c.* FROM content_fts f JOIN content c ON c.seq = f.rowid
         WHERE content_fts MATCH ? AND c.workspace_id = ?
         ORDER BY bm25(content_fts), c.created_at DESC, c.id DESC
         LIMIT ?",
    )
    .bind(fts)
    .bind(ws.to_string())
    .bind(i64::from(limit.min(100)))
    .fetch_all(pool)
    .await
    .db()?;
    found.iter().map(rows::content).collect()
}
