//! Content, variations and full-text search on PostgreSQL.

use super::rows;
use crate::model::*;
use crate::store::common::{page_bounds, DbResultExt};
use crate::{Error, Result};
use chrono::Utc;
use sqlx::types::Json;
use sqlx::{PgPool, Postgres, Transaction};

async fn insert_variations(
    tx: &mut Transaction<'_, Postgres>,
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
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(v.id.0)
        .bind(content.0)
        .bind(v.platform.map(|p| p.as_str()))
        .bind(&v.body)
        .bind(Json(&v.metadata))
        .bind(v.created_at)
        .execute(&mut **tx)
        .await
        .db()?;
    }
    Ok(())
}

pub(super) async fn create_content(
    pool: &PgPool,
    content: &Content,
    variations: &[Variation],
) -> Result<()> {
    let mut tx = pool.begin().await.db()?;
    sqlx::query(
        "INSERT INTO content (id, workspace_id, created_by, title, original_input, content_type,
                              format, metadata, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(content.id.0)
    .bind(content.workspace_id.0)
    .bind(content.created_by.0)
    .bind(&content.title)
    .bind(&content.original_input)
    .bind(content.content_type.as_str())
    .bind(content.format.as_str())
    .bind(Json(&content.metadata))
    .bind(content.status.as_str())
    .bind(content.created_at)
    .bind(content.updated_at)
    .execute(&mut *tx)
    .await
    .db()?;
    insert_variations(&mut tx, content.id, variations).await?;
    tx.commit().await.db()?;
    Ok(())
}

pub(super) async fn add_variations(
    pool: &PgPool,
    content: ContentId,
    variations: &[Variation],
) -> Result<()> {
    let mut tx = pool.begin().await.db()?;
    let exists = sqlx::query("SELECT 1 FROM content WHERE id = $1 FOR SHARE")
        .bind(content.0)
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

pub(super) async fn get_content(pool: &PgPool, id: ContentId) -> Result<ContentWithVariations> {
    let row = sqlx::query("SELECT * FROM content WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(ContentId::ENTITY, id))?;
    let content = rows::content(&row)?;
    let vrows = sqlx::query(
        "SELECT * FROM content_variations WHERE content_id = $1 ORDER BY created_at, id",
    )
    .bind(id.0)
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

pub(super) async fn get_variation(pool: &PgPool, id: VariationId) -> Result<Variation> {
    let row = sqlx::query("SELECT * FROM content_variations WHERE id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .db()?
        .ok_or_else(|| Error::not_found(VariationId::ENTITY, id))?;
    rows::variation(&row)
}

pub(super) async fn list_content(
    pool: &PgPool,
    ws: WorkspaceId,
    query: &ContentQuery,
) -> Result<Page<Content>> {
    let (page, limit, offset) = page_bounds(query.page, query.limit);
    let mut filter = String::from("workspace_id = $1");
    let mut n = 1;
    if query.status.is_some() {
        n += 1;
        filter.push_str(&format!(" AND status = ${n}"));
    }
    if query.content_type.is_some() {
        n += 1;
        filter.push_str(&format!(" AND content_type = ${n}"));
    }
    let count_sql = format!("SELECT COUNT(*) FROM content WHERE {filter}");
    let page_sql = format!(
        "SELECT * FROM content WHERE {filter} ORDER BY created_at DESC, id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );

    let mut count = sqlx::query_scalar::<_, i64>(&count_sql).bind(ws.0);
    let mut items = sqlx::query(&page_sql).bind(ws.0);
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
    pool: &PgPool,
    id: ContentId,
    patch: &ContentPatch,
) -> Result<Content> {
    // Read-merge-write under a row lock so concurrent metadata merges never lose keys.
    let mut tx = pool.begin().await.db()?;
    let row = sqlx::query("SELECT * FROM content WHERE id = $1 FOR UPDATE")
        .bind(id.0)
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
    let now = Utc::now();
    sqlx::query(
        "UPDATE content SET title = $1, status = $2, metadata = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&content.title)
    .bind(content.status.as_str())
    .bind(Json(&content.metadata))
    .bind(now)
    .bind(id.0)
    .execute(&mut *tx)
    .await
    .db()?;
    let row = sqlx::query("SELECT * FROM content WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await
        .db()?;
    let updated = rows::content(&row)?;
    tx.commit().await.db()?;
    Ok(updated)
}

pub(super) async fn delete_content(pool: &PgPool, id: ContentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM content WHERE id = $1")
        .bind(id.0)
        .execute(pool)
        .await
        .db()?;
    if done.rows_affected() == 0 {
        return Err(Error::not_found(ContentId::ENTITY, id));
    }
    Ok(())
}

pub(super) async fn search_content(
    pool: &PgPool,
    ws: WorkspaceId,
    text: &str,
    limit: u32,
) -> Result<Vec<Content>> {
    if text.trim().is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    // The document expression is exactly the one of idx_content_search so the GIN index is used.
    let found = sqlx::query(
        "SELECT c.* FROM content c, websearch_to_tsquery('english', $2) q
         WHERE c.workspace_id = $1
           AND to_tsvector('english', coalesce(c.title, '') || ' ' || c.original_input) @@ q
         ORDER BY ts_rank(to_tsvector('english', coalesce(c.title, '') || ' ' || c.original_input), q) DESC,
                  c.created_at DESC, c.id DESC
         LIMIT $3",
    )
    .bind(ws.0)
    .bind(text)
    .bind(i64::from(limit.min(100)))
    .fetch_all(pool)
    .await
    .db()?;
    found.iter().map(rows::content).collect()
}
