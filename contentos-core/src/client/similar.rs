//! Vector-backed operations on the facade (design document sections 3.2 and 5.4): segments and
//! published posts are embedded as they change, so personalization can retrieve context,
//! `find_similar` and the near-duplicate check can search past content, and the scorer gets the
//! "historical performance of similar content" feature.

use super::ContentOs;
use crate::access::{Actor, Permission};
use crate::embed::embed_one;
use crate::model::*;
use crate::vector::similarity::{
    find_similar, index_text, near_duplicates, similar_history_mean, NearDuplicateCheck,
    PERFORMANCE_SCORE_KEY, PUBLISHED_AT_KEY,
};
use crate::vector::{
    Filter, Match, VectorMetadata, VectorRecord, AUDIENCE_EMBEDDINGS, CONTENT_EMBEDDINGS,
    KIND_PUBLISHED, KIND_SEGMENT,
};
use crate::Result;

/// The text a segment is embedded from: its name, description and attributes.
pub(crate) fn segment_text(seg: &AudienceSegment) -> String {
    let mut text = seg.name.clone();
    if let Some(d) = &seg.description {
        text.push_str(". ");
        text.push_str(d);
    }
    for (k, v) in &seg.attributes {
        text.push_str(&format!(
            ". {k}: {}",
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        ));
    }
    text
}

/// The vector metadata of a published post: workspace, kind, platform, publish time, content
/// id and (once metrics exist) its performance score.
fn published_metadata(
    post: &ScheduledPost,
    variation: &Variation,
    performance: Option<f64>,
) -> VectorMetadata {
    let published_at = post.published_at.unwrap_or(post.updated_at).timestamp() as f64;
    let mut meta = VectorMetadata::new(post.workspace_id, KIND_PUBLISHED)
        .with_platform(post.platform)
        .with_extra(PUBLISHED_AT_KEY, published_at)
        .with_extra("content_id", variation.content_id.to_string());
    if let Some(score) = performance.filter(|s| s.is_finite()) {
        meta = meta.with_extra(PERFORMANCE_SCORE_KEY, score);
    }
    meta
}

impl ContentOs {
    /// Embeds a segment into `audience_embeddings` (id = segment id).
    pub(crate) async fn index_segment(&self, seg: &AudienceSegment) -> Result<()> {
        index_text(
            self.inner.vectors.as_ref(),
            self.inner.embedder.as_ref(),
            AUDIENCE_EMBEDDINGS,
            &seg.id.to_string(),
            &segment_text(seg),
            VectorMetadata::new(seg.workspace_id, KIND_SEGMENT),
        )
        .await
    }

    /// Embeds a published post into `content_embeddings` (id = scheduled post id), with its
    /// publish time and, once metrics exist, its performance score.
    pub(crate) async fn index_published(
        &self,
        post: &ScheduledPost,
        performance: Option<f64>,
    ) -> Result<()> {
        let variation = self.inner.store.get_variation(post.variation_id).await?;
        let record = self.published_record(post, &variation, performance).await?;
        self.inner
            .vectors
            .upsert(CONTENT_EMBEDDINGS, vec![record])
            .await
    }

    /// Embeds a set of just-published posts (each with its variation) in one embedder call and
    /// one vector-store upsert: a worker indexes its whole batch at once, so the embedded
    /// store's file sees one write per batch rather than one per post.
    pub(crate) async fn index_published_posts(
        &self,
        posts: &[(ScheduledPost, std::sync::Arc<Variation>)],
    ) -> Result<()> {
        if posts.is_empty() {
            return Ok(());
        }
        let texts: Vec<String> = posts.iter().map(|(_, v)| v.body.clone()).collect();
        let vectors = self.inner.embedder.embed(&texts).await?;
        if vectors.len() != posts.len() {
            return Err(crate::Error::Protocol {
                service: "embedder".into(),
                message: format!("{} vectors for {} texts", vectors.len(), posts.len()),
            });
        }
        let model_id = self.inner.embedder.model_id().to_string();
        let records = posts
            .iter()
            .zip(vectors)
            .map(|((post, variation), vector)| VectorRecord {
                id: post.id.to_string(),
                vector,
                metadata: published_metadata(post, variation, None),
                model_id: model_id.clone(),
            })
            .collect();
        self.inner.vectors.upsert(CONTENT_EMBEDDINGS, records).await
    }

    async fn published_record(
        &self,
        post: &ScheduledPost,
        variation: &Variation,
        performance: Option<f64>,
    ) -> Result<VectorRecord> {
        let vector = embed_one(self.inner.embedder.as_ref(), &variation.body).await?;
        Ok(VectorRecord {
            id: post.id.to_string(),
            vector,
            metadata: published_metadata(post, variation, performance),
            model_id: self.inner.embedder.model_id().to_string(),
        })
    }

    /// Published posts of the workspace most similar to a content item, best first
    /// (permission `read`).
    pub async fn find_similar(
        &self,
        actor: &Actor,
        content: ContentId,
        top_k: usize,
    ) -> Result<Vec<Match>> {
        let c = self.inner.store.get_content(content).await?;
        self.authorize(actor, c.content.workspace_id, Permission::Read)
            .await?;
        let text = c
            .variations
            .iter()
            .find(|v| v.platform.is_none())
            .map(|v| v.body.clone())
            .unwrap_or(c.content.original_input);
        let filter = Filter::workspace(c.content.workspace_id).kind(KIND_PUBLISHED);
        find_similar(
            self.inner.vectors.as_ref(),
            self.inner.embedder.as_ref(),
            CONTENT_EMBEDDINGS,
            &text,
            top_k,
            Some(&filter),
        )
        .await
    }

    /// Recent published posts on `platform` whose cosine similarity to `text` is at or above
    /// the check's threshold (permission `read`). Nothing is dropped or blocked: the caller (or
    /// the scheduling UI) decides what to do with the matches.
    pub async fn near_duplicates(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        platform: Platform,
        text: &str,
        check: &NearDuplicateCheck,
    ) -> Result<Vec<Match>> {
        self.authorize(actor, workspace, Permission::Read).await?;
        near_duplicates(
            self.inner.vectors.as_ref(),
            self.inner.embedder.as_ref(),
            workspace,
            platform,
            text,
            check,
        )
        .await
    }

    /// Mean performance of the published posts most similar to `text` on `platform` (the
    /// predictor's `similar_history` feature), `None` when nothing similar has metrics.
    pub(crate) async fn similar_history(
        &self,
        workspace: WorkspaceId,
        platform: Platform,
        text: &str,
    ) -> Option<f64> {
        let filter = Filter::workspace(workspace)
            .platform(platform)
            .kind(KIND_PUBLISHED);
        let matches = find_similar(
            self.inner.vectors.as_ref(),
            self.inner.embedder.as_ref(),
            CONTENT_EMBEDDINGS,
            text,
            5,
            Some(&filter),
        )
        .await
        .ok()?;
        similar_history_mean(&matches)
    }

    /// Text of the workspace's best-performing published posts similar to `body`, for the
    /// personalization prompt.
    pub(crate) async fn best_similar_examples(
        &self,
        workspace: WorkspaceId,
        body: &str,
        n: usize,
    ) -> Vec<String> {
        let filter = Filter::workspace(workspace).kind(KIND_PUBLISHED);
        let Ok(mut matches) = find_similar(
            self.inner.vectors.as_ref(),
            self.inner.embedder.as_ref(),
            CONTENT_EMBEDDINGS,
            body,
            20,
            Some(&filter),
        )
        .await
        else {
            return Vec::new();
        };
        let perf = |m: &Match| {
            m.metadata
                .extra
                .get(PERFORMANCE_SCORE_KEY)
                .and_then(|v| v.as_f64())
        };
        matches.retain(|m| perf(m).is_some());
        matches.sort_by(|a, b| perf(b).unwrap_or(0.0).total_cmp(&perf(a).unwrap_or(0.0)));
        let mut out = Vec::new();
        for m in matches.into_iter().take(n) {
            let Ok(id) = m.id.parse::<ScheduledPostId>() else {
                continue;
            };
            if let Ok(post) = self.inner.store.get_scheduled_post(id).await {
                if let Ok(v) = self.inner.store.get_variation(post.variation_id).await {
                    out.push(v.body);
                }
            }
        }
        out
    }
}
