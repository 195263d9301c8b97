//! The [`ContentOs`] facade: one handle that wires a Store, the token vault and (when
//! configured) LLM providers and an engagement scorer together, and checks access on every call.
//!
//! Why a facade: embedding applications (a SaaS backend, a notebook, a Node service) should not
//! have to know which backend sits behind which trait, or remember to check permissions before a
//! write. Every mutating operation here takes an [`Actor`] and refuses with
//! [`Error::PermissionDenied`] before anything is written.

mod accounts;
mod builder;
mod content;
mod queue_slots;
mod schedule;
mod segments;
mod similar;
mod workspaces;

pub use accounts::NewSocialAccount;
pub use builder::{ContentOsBuilder, StoreConfig};

use crate::access::{authorize, Actor, Permission, Role};
use crate::embed::Embedder;
use crate::llm::LlmProvider;
use crate::model::{Platform, WorkspaceId};
use crate::publish::Publisher;
use crate::score::EngagementScorer;
use crate::store::Store;
use crate::vault::Vault;
use crate::vector::VectorStore;
use crate::Result;
use std::collections::HashMap;
use std::sync::Arc;

/// The ContentOS engine handle. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct ContentOs {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) vault: Vault,
    pub(crate) scorer: Option<Arc<dyn EngagementScorer>>,
    pub(crate) llm: Option<Arc<dyn LlmProvider>>,
    pub(crate) vectors: Arc<dyn VectorStore>,
    pub(crate) embedder: Arc<dyn Embedder>,
    pub(crate) publishers: HashMap<Platform, Arc<dyn Publisher>>,
}

impl std::fmt::Debug for ContentOs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentOs")
            .field("store", &self.inner.store.backend())
            .field("vault", &self.inner.vault)
            .field("scorer", &self.inner.scorer.is_some())
            .field(
                "llm",
                &self.inner.llm.as_ref().map(|l| l.name().to_string()),
            )
            .field(
                "publishers",
                &self.inner.publishers.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl ContentOs {
    /// A builder to choose backends explicitly.
    pub fn builder() -> ContentOsBuilder {
        ContentOsBuilder::default()
    }

    /// Opens (creating if needed) the embedded default: a SQLite file at `path`, with the vault
    /// key from `CONTENTOS_VAULT_KEY` or a key file beside the database.
    pub async fn open(path: impl AsRef<std::path::Path>) -> Result<Self> {
        Self::builder().sqlite(path).execute().await
    }

    /// An in-memory engine (SQLite in memory, ephemeral vault key): for tests and notebooks.
    pub async fn in_memory() -> Result<Self> {
        Self::builder().in_memory().execute().await
    }

    /// Connects by URL: `postgres://…` for PostgreSQL, `sqlite://path` or a plain path for
    /// SQLite, `sqlite::memory:` for in-memory.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::builder().url(url).execute().await
    }

    /// The underlying Store (for advanced use; bypasses access checks).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// The token vault.
    pub fn vault(&self) -> &Vault {
        &self.inner.vault
    }

    /// The engagement scorer, if one is attached.
    pub fn scorer(&self) -> Option<&Arc<dyn EngagementScorer>> {
        self.inner.scorer.as_ref()
    }

    /// The LLM provider (usually a fallback chain with retries and a cache), if configured.
    pub fn llm(&self) -> Option<&Arc<dyn LlmProvider>> {
        self.inner.llm.as_ref()
    }

    /// The vector store behind personalization context, similarity and duplicate checks.
    pub fn vector_store(&self) -> &Arc<dyn VectorStore> {
        &self.inner.vectors
    }

    /// The embedder used for segments and content.
    pub fn embedder(&self) -> &Arc<dyn Embedder> {
        &self.inner.embedder
    }

    /// The publisher registered for `platform`, if any.
    pub fn publisher(&self, platform: Platform) -> Option<&Arc<dyn Publisher>> {
        self.inner.publishers.get(&platform)
    }

    /// Checks that `actor` holds `permission` in `workspace` according to the *stored*
    /// membership, returning the actor's role.
    pub async fn authorize(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        permission: Permission,
    ) -> Result<Role> {
        let role = self
            .inner
            .store
            .member_role(workspace, actor.user_id)
            .await?;
        authorize(actor, workspace, role, permission)
    }
}
