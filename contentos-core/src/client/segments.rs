//! Audience segments on the facade.

use super::ContentOs;
use crate::access::{Actor, Permission};
use crate::model::{AudienceSegment, NewSegment, SegmentId, WorkspaceId};
use crate::{Error, Result};
use chrono::Utc;

fn check_segment(s: &NewSegment) -> Result<()> {
    let n = s.name.trim().chars().count();
    if n == 0 || n > 255 {
        return Err(Error::validation("name", "1..=255 characters"));
    }
    if let Some(d) = &s.description {
        if d.chars().count() > 5000 {
            return Err(Error::validation("description", "at most 5000 characters"));
        }
    }
    Ok(())
}

impl ContentOs {
    /// Creates an audience segment (permission `write`).
    pub async fn create_segment(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        new: NewSegment,
    ) -> Result<AudienceSegment> {
        self.authorize(actor, workspace, Permission::Write).await?;
        check_segment(&new)?;
        let seg = AudienceSegment {
            id: SegmentId::new(),
            workspace_id: workspace,
            name: new.name.trim().to_string(),
            description: new.description,
            attributes: new.attributes,
            embedding_id: None,
            created_at: Utc::now(),
        };
        let seg = AudienceSegment {
            embedding_id: Some(seg.id.to_string()),
            ..seg
        };
        self.inner.store.create_segment(&seg).await?;
        // Segments are embedded on create: a segment that cannot be embedded is not kept.
        if let Err(e) = self.index_segment(&seg).await {
            self.inner.store.delete_segment(seg.id).await?;
            return Err(e);
        }
        Ok(seg)
    }

    /// A workspace's segments (permission `read`).
    pub async fn list_segments(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
    ) -> Result<Vec<AudienceSegment>> {
        self.authorize(actor, workspace, Permission::Read).await?;
        self.inner.store.list_segments(workspace).await
    }

    /// Replaces a segment's name, description and attributes (permission `write`).
    pub async fn update_segment(
        &self,
        actor: &Actor,
        id: SegmentId,
        new: NewSegment,
    ) -> Result<AudienceSegment> {
        let mut seg = self.inner.store.get_segment(id).await?;
        self.authorize(actor, seg.workspace_id, Permission::Write)
            .await?;
        check_segment(&new)?;
        seg.name = new.name.trim().to_string();
        seg.description = new.description;
        seg.attributes = new.attributes;
        seg.embedding_id = Some(seg.id.to_string());
        self.index_segment(&seg).await?;
        self.inner.store.update_segment(&seg).await?;
        Ok(seg)
    }

    /// Deletes a segment (permission `delete`).
    pub async fn delete_segment(&self, actor: &Actor, id: SegmentId) -> Result<()> {
        let seg = self.inner.store.get_segment(id).await?;
        self.authorize(actor, seg.workspace_id, Permission::Delete)
            .await?;
        self.inner.store.delete_segment(id).await
    }
}
