//! Embedders: turn text into fixed-length vectors for the [`vector`](crate::vector) stores.
//!
//! Why a trait: personalization, "similar past content" and near-duplicate detection all need
//! vectors, but a new user must get them without a download or an API key. The local default,
//! [`LexicalEmbedder`], is a real hashed n-gram embedding that runs in-process in microseconds;
//! [`OpenAiEmbedder`] calls OpenAI's `/v1/embeddings` when semantic similarity is worth a key.
//!
//! Every vector is recorded with the [`Embedder::model_id`] that produced it, and the vector
//! stores refuse to mix models or dimensions inside one namespace: cosine scores between two
//! different embedding spaces are meaningless, so mixing them must be an error, not a bad ranking.

mod lexical;
mod openai;
pub(crate) mod retry;

pub use lexical::{LexicalEmbedder, LexicalEmbedderConfig};
pub use openai::{OpenAiEmbedder, OpenAiEmbedderConfig, OpenAiEmbeddingModel};
pub use retry::RetryPolicy;

use crate::{Error, Result};
use async_trait::async_trait;

/// Turns texts into vectors of a fixed dimension, in batches.
///
/// Object-safe, so the facade holds an `Arc<dyn Embedder>` chosen at configuration time.
#[async_trait]
pub trait Embedder: Send + Sync {
    /// A stable identifier of the embedding space (model name and dimension), stored with every
    /// vector so stores can refuse vectors from a different space.
    fn model_id(&self) -> &str;

    /// The length of every vector this embedder returns.
    fn dimensions(&self) -> usize;

    /// Embeds `texts`, one vector per text in the same order. Implementations split large inputs
    /// into batches themselves; callers pass as many texts as they have.
    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>>;
}

/// Embeds a single text: a convenience over [`Embedder::embed`] for the common one-post case.
pub async fn embed_one(embedder: &dyn Embedder, text: &str) -> Result<Vec<f32>> {
    let mut out = embedder.embed(&[text.to_string()]).await?;
    match out.pop() {
        Some(v) if out.is_empty() => Ok(v),
        _ => Err(Error::internal(format!(
            "embedder {} returned {} vectors for 1 text",
            embedder.model_id(),
            out.len() + 1
        ))),
    }
}

/// Checks the texts an embedder is given: every text must contain something to embed. Shared by
/// the embedders so they refuse the same inputs with the same field names.
pub(crate) fn validate_texts(texts: &[String]) -> Result<()> {
    for (i, t) in texts.iter().enumerate() {
        if t.trim().is_empty() {
            return Err(Error::validation(
                format!("texts[{i}]"),
                "non-empty text (not only whitespace)",
            ));
        }
    }
    Ok(())
}
