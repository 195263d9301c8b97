//! Content and variations on the facade.

use super::ContentOs;
use crate::access::{Actor, Permission};
use crate::model::*;
use crate::{Error, Result};
use chrono::Utc;

/// Maximum length of a variation body in bytes; far above every platform limit, it only keeps
/// a runaway generation out of the Store.
const MAX_BODY_BYTES: usize = 200_000;

pub(crate) fn build_variations(
    content: ContentId,
    news: &[NewVariation],
) -> Result<Vec<Variation>> {
    let now = Utc::now();
    news.iter()
        .enumerate()
        .map(|(i, v)| {
            if v.body.trim().is_empty() {
                return Err(Error::validation(
                    format!("variations[{i}].body"),
                    "must not be empty",
                ));
            }
            if v.body.len() > MAX_BODY_BYTES {
                return Err(Error::validation(
                    format!("variations[{i}].body"),
                    format!("at most {MAX_BODY_BYTES} bytes"),
                ));
            }
            Ok(Variation {
                id: VariationId::new(),
                content_id: content,
                platform: v.platform,
                body: v.body.clone(),
                metadata: v.metadata.clone(),
                created_at: now,
            })
        })
        .collect()
}

impl ContentOs {
    /// Stores a content item with its variations, atomically (permission `write`).
    pub async fn create_content(
        &self,
        actor: &Actor,
        new: NewContent,
    ) -> Result<ContentWithVariations> {
        self.authorize(actor, new.workspace_id, Permission::Write)
            .await?;
        if new.created_by != actor.user_id {
            return Err(Error::validation("createdBy", "must be the acting user"));
        }
        if new.original_input.trim().is_empty() {
            return Err(Error::validation("originalInput", "must not be empty"));
        }
        if let Some(t) = &new.title {
            if t.chars().count() > 500 {
                return Err(Error::validation("title", "at most 500 characters"));
            }
        }
        let now = Utc::now();
        let content = Content {
            id: ContentId::new(),
            workspace_id: new.workspace_id,
            created_by: new.created_by,
            title: new.title,
            original_input: new.original_input,
            content_type: new.content_type,
            format: new.format,
            metadata: new.metadata,
            status: ContentStatus::Draft,
            created_at: now,
            updated_at: now,
        };
        let variations = build_variations(content.id, &new.variations)?;
        self.inner
            .store
            .create_content(&content, &variations)
            .await?;
        Ok(ContentWithVariations {
            content,
            variations,
        })
    }

    /// Adds variations to a content item atomically (permission `write`).
    pub async fn add_variations(
        &self,
        actor: &Actor,
        content: ContentId,
        news: &[NewVariation],
    ) -> Result<Vec<Variation>> {
        let existing = self.inner.store.get_content(content).await?;
        self.authorize(actor, existing.content.workspace_id, Permission::Write)
            .await?;
        let variations = build_variations(content, news)?;
        self.inner
            .store
            .add_variations(content, &variations)
            .await?;
        Ok(variations)
    }

    /// A content item with its variations (permission `read`).
    pub async fn get_content(&self, actor: &Actor, id: ContentId) -> Result<ContentWithVariations> {
        let c = self.inner.store.get_content(id).await?;
        self.authorize(actor, c.content.workspace_id, Permission::Read)
            .await?;
        Ok(c)
    }

    /// A page of a workspace's content, newest first (permission `read`).
    pub async fn list_content(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        query: &ContentQuery,
    ) -> Result<Page<Content>> {
        self.authorize(actor, workspace, Permission::Read).await?;
        if query.page == 0 {
            return Err(Error::validation("page", "at least 1"));
        }
        if query.limit == 0 || query.limit > 100 {
            return Err(Error::validation("limit", "1..=100"));
        }
        self.inner.store.list_content(workspace, query).await
    }

    /// Updates title, status or metadata (permission `write`).
    pub async fn update_content(
        &self,
        actor: &Actor,
        id: ContentId,
        patch: &ContentPatch,
    ) -> Result<Content> {
        let c = self.inner.store.get_content(id).await?;
        self.authorize(actor, c.content.workspace_id, Permission::Write)
            .await?;
        if let Some(t) = &patch.title {
            if t.chars().count() > 500 {
                return Err(Error::validation("title", "at most 500 characters"));
            }
        }
        self.inner.store.update_content(id, patch).await
    }

    /// Deletes a content item with its variations and schedules (permission `delete`).
    pub async fn delete_content(&self, actor: &Actor, id: ContentId) -> Result<()> {
        let c = self.inner.store.get_content(id).await?;
        self.authorize(actor, c.content.workspace_id, Permission::Delete)
            .await?;
        self.inner.store.delete_content(id).await
    }

    /// Full-text search over titles and inputs (permission `read`).
    pub async fn search_content(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        query: &str,
        limit: u32,
    ) -> Result<Vec<Content>> {
        self.authorize(actor, workspace, Permission::Read).await?;
        if query.trim().is_empty() {
            return Err(Error::validation("query", "must not be empty"));
        }
        if limit == 0 || limit > 100 {
            return Err(Error::validation("limit", "1..=100"));
        }
        self.inner
            .store
            .search_content(workspace, query, limit)
            .await
    }
}
