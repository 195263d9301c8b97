//! Vector stores: exact and remote nearest-neighbour search over embeddings.
//!
//! Why: personalization needs the audience segment's context, scoring wants "how did similar
//! past posts do", and scheduling must catch a post that repeats one already published. All
//! three are top-k cosine queries over embeddings filtered by workspace, platform and kind.
//!
//! Backends behind one object-safe [`VectorStore`] trait:
//! - [`EmbeddedVectorStore`] (default): exact cosine search over contiguous `f32` memory,
//!   persisted in its own SQLite file (or purely in memory), loaded once at open;
//! - [`PineconeVectorStore`]: Pinecone's REST data plane;
//! - [`QdrantVectorStore`]: Qdrant's REST API, one collection per namespace.
//!
//! Namespaces follow design section 3.2: [`AUDIENCE_EMBEDDINGS`] and [`CONTENT_EMBEDDINGS`].
//! A namespace's dimension and embedding model are fixed by its first upsert and persisted;
//! later vectors of another dimension or model are refused with [`Error::Validation`] naming
//! the offending field, because scores across embedding spaces mean nothing.
//!
//! The building blocks the facade calls (near-duplicate check, similar-content history) are in
//! [`similarity`].

mod embedded;
mod kernel;
mod pinecone;
mod qdrant;
mod remote;
pub mod similarity;
mod types;

pub use embedded::EmbeddedVectorStore;
pub use pinecone::{PineconeConfig, PineconeVectorStore};
pub use qdrant::{QdrantConfig, QdrantVectorStore};
pub use types::{
    Filter, Match, NamespaceSpec, VectorMetadata, VectorRecord, AUDIENCE_EMBEDDINGS,
    CONTENT_EMBEDDINGS, KIND_CONTENT, KIND_PUBLISHED, KIND_SEGMENT, MAX_TOP_K,
};

use crate::Result;
use async_trait::async_trait;

/// A namespaced store of embeddings with top-k cosine search and metadata filters.
///
/// Object-safe: the facade holds an `Arc<dyn VectorStore>`. Every backend passes the same
/// conformance suite (`contentos-core/tests/vector_conformance.rs`).
#[async_trait]
pub trait VectorStore: Send + Sync {
    /// Backend name (`"embedded"`, `"pinecone"`, `"qdrant"`) for spans and diagnostics.
    fn backend(&self) -> &'static str;

    /// Inserts or replaces records by id. All records must share the namespace's dimension and
    /// model id (the first upsert into an empty namespace fixes them); otherwise nothing is
    /// written and [`Error::Validation`](crate::Error::Validation) names the first bad field
    /// (`items[3].vector`, `items[0].model_id`).
    async fn upsert(&self, ns: &str, items: Vec<VectorRecord>) -> Result<()>;

    /// The `top_k` records most similar to `vector` by cosine similarity, best first, limited to
    /// records whose metadata matches `filter`. Ties are ordered by id. An unknown namespace
    /// yields no matches; a vector of the wrong dimension is refused.
    async fn query(
        &self,
        ns: &str,
        vector: &[f32],
        top_k: usize,
        filter: Option<&Filter>,
    ) -> Result<Vec<Match>>;

    /// Removes records by id; unknown ids are ignored (deleting is idempotent).
    async fn delete(&self, ns: &str, ids: &[String]) -> Result<()>;

    /// The namespace's fixed dimension and model id, or `None` before its first upsert. Callers
    /// use it to check that their embedder matches before querying.
    async fn namespace_spec(&self, ns: &str) -> Result<Option<NamespaceSpec>>;
}
