//! Building blocks the facade calls: find similar content, check for near-duplicates before
//! scheduling, and the "history of similar content" feature for the engagement predictor.
//!
//! Why separate from the stores: these combine an [`Embedder`] with a [`VectorStore`] and
//! encode the conventions of section 3.2 (which namespace, which kinds, which metadata key
//! holds performance), so the facade and the predictor use one definition of "similar".
//!
//! Nothing here drops or blocks a post: [`near_duplicates`] returns the matches and the caller
//! (scheduling) decides what to do with them.

use super::{
    Filter, Match, VectorMetadata, VectorRecord, VectorStore, CONTENT_EMBEDDINGS, KIND_PUBLISHED,
};
use crate::embed::{embed_one, Embedder};
use crate::model::{Platform, WorkspaceId};
use crate::{Error, Result};
use chrono::{DateTime, Utc};

/// Extra metadata key holding a post's engagement score (0–100 or a rate; any number), read by
/// [`similar_history_mean`]. Design section 3.2 names it `performance_score`.
pub const PERFORMANCE_SCORE_KEY: &str = "performance_score";

/// Extra metadata key holding when a post was published, as Unix seconds, used by
/// [`NearDuplicateCheck::window`].
pub const PUBLISHED_AT_KEY: &str = "published_at";

/// Default cosine threshold above which two posts count as near-duplicates. With the lexical
/// embedder a repost with a changed emoji, hashtag or typo scores ≈ 0.85–0.99 while merely
/// on-topic posts score well below 0.6.
pub const DEFAULT_DUPLICATE_THRESHOLD: f32 = 0.85;

/// Refuses an embedder whose space differs from the namespace's, before any query is sent:
/// comparing vectors across models gives meaningless scores.
pub async fn check_embedder(
    store: &dyn VectorStore,
    embedder: &dyn Embedder,
    ns: &str,
) -> Result<()> {
    if let Some(spec) = store.namespace_spec(ns).await? {
        if spec.model_id != embedder.model_id() {
            return Err(Error::validation(
                "embedder.model_id",
                format!(
                    "model {} of namespace {ns} (got {})",
                    spec.model_id,
                    embedder.model_id()
                ),
            ));
        }
        if spec.dimensions != embedder.dimensions() {
            return Err(Error::validation(
                "embedder.dimensions",
                format!("dimension {} of namespace {ns}", spec.dimensions),
            ));
        }
    }
    Ok(())
}

/// Embeds `text` and stores it under `id` in `ns`, recording the embedder's model id.
pub async fn index_text(
    store: &dyn VectorStore,
    embedder: &dyn Embedder,
    ns: &str,
    id: &str,
    text: &str,
    metadata: VectorMetadata,
) -> Result<()> {
    let vector = embed_one(embedder, text).await?;
    store
        .upsert(
            ns,
            vec![VectorRecord {
                id: id.to_string(),
                vector,
                metadata,
                model_id: embedder.model_id().to_string(),
            }],
        )
        .await
}

/// The `top_k` records of `ns` most similar to `text` that match `filter`.
pub async fn find_similar(
    store: &dyn VectorStore,
    embedder: &dyn Embedder,
    ns: &str,
    text: &str,
    top_k: usize,
    filter: Option<&Filter>,
) -> Result<Vec<Match>> {
    check_embedder(store, embedder, ns).await?;
    let vector = embed_one(embedder, text).await?;
    store.query(ns, &vector, top_k, filter).await
}

/// Options of a near-duplicate check.
#[derive(Debug, Clone, PartialEq)]
pub struct NearDuplicateCheck {
    /// Cosine similarity at or above which a published post is reported (default
    /// [`DEFAULT_DUPLICATE_THRESHOLD`]).
    pub threshold: f32,
    /// How many nearest published posts to examine (default 20).
    pub top_k: usize,
    /// Only posts published within this window before `now` count (default 30 days); `None`
    /// compares with every published post. Posts without [`PUBLISHED_AT_KEY`] always count.
    pub window: Option<chrono::Duration>,
    /// The instant the window ends at (default: the current time).
    pub now: Option<DateTime<Utc>>,
}

impl Default for NearDuplicateCheck {
    fn default() -> Self {
        NearDuplicateCheck {
            threshold: DEFAULT_DUPLICATE_THRESHOLD,
            top_k: 20,
            window: Some(chrono::Duration::days(30)),
            now: None,
        }
    }
}

/// Published posts of `workspace` on `platform` whose similarity to `text` is at least the
/// threshold, most similar first. Looks only at [`CONTENT_EMBEDDINGS`] records of kind
/// [`KIND_PUBLISHED`]; an empty result means no near-duplicate was found.
pub async fn near_duplicates(
    store: &dyn VectorStore,
    embedder: &dyn Embedder,
    workspace: WorkspaceId,
    platform: Platform,
    text: &str,
    check: &NearDuplicateCheck,
) -> Result<Vec<Match>> {
    if !(check.threshold.is_finite() && (-1.0..=1.0).contains(&check.threshold)) {
        return Err(Error::validation("threshold", "a number in -1..=1"));
    }
    let filter = Filter::workspace(workspace)
        .platform(platform)
        .kind(KIND_PUBLISHED);
    let matches = find_similar(
        store,
        embedder,
        CONTENT_EMBEDDINGS,
        text,
        check.top_k,
        Some(&filter),
    )
    .await?;
    // A window reaching before the representable range simply means "no cutoff".
    let cutoff = check.window.and_then(|w| {
        check
            .now
            .unwrap_or_else(Utc::now)
            .checked_sub_signed(w)
            .map(|t| t.timestamp() as f64)
    });
    Ok(matches
        .into_iter()
        .filter(|m| m.score >= check.threshold)
        .filter(|m| match (cutoff, published_at(&m.metadata)) {
            (Some(cutoff), Some(at)) => at >= cutoff,
            _ => true,
        })
        .collect())
}

fn published_at(m: &VectorMetadata) -> Option<f64> {
    m.extra.get(PUBLISHED_AT_KEY).and_then(|v| v.as_f64())
}

/// Mean [`PERFORMANCE_SCORE_KEY`] of the matches that have one, or `None` when none does:
/// the predictor's "how did similar past posts perform" feature.
pub fn similar_history_mean(matches: &[Match]) -> Option<f64> {
    let scores: Vec<f64> = matches
        .iter()
        .filter_map(|m| m.metadata.extra.get(PERFORMANCE_SCORE_KEY)?.as_f64())
        .filter(|s| s.is_finite())
        .collect();
    if scores.is_empty() {
        None
    } else {
        Some(scores.iter().sum::<f64>() / scores.len() as f64)
    }
}
