//! [`ContentOsBuilder`]: choose the Store, vault key and optional engines, then `.execute()`.

use super::{ContentOs, Inner};
use crate::embed::{Embedder, LexicalEmbedder};
use crate::llm::LlmProvider;
use crate::model::Platform;
use crate::publish::Publisher;
use crate::score::EngagementScorer;
use crate::store::{PostgresStore, SqliteStore, Store};
use crate::vault::Vault;
use crate::vector::{EmbeddedVectorStore, VectorStore};
use crate::{Error, Result};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Which Store to open.
#[derive(Debug, Clone)]
pub enum StoreConfig {
    /// A SQLite file (created if missing).
    SqliteFile(PathBuf),
    /// SQLite in memory.
    SqliteMemory,
    /// PostgreSQL by URL.
    Postgres(String),
}

/// Builds a [`ContentOs`]. Defaults: SQLite file `contentos.db` in the working directory.
#[derive(Default)]
pub struct ContentOsBuilder {
    store: Option<StoreConfig>,
    custom_store: Option<Arc<dyn Store>>,
    vault: Option<Vault>,
    scorer: Option<Arc<dyn EngagementScorer>>,
    publishers: HashMap<Platform, Arc<dyn Publisher>>,
    llm: Option<Arc<dyn LlmProvider>>,
    vectors: Option<Arc<dyn VectorStore>>,
    embedder: Option<Arc<dyn Embedder>>,
}

impl ContentOsBuilder {
    /// Use a SQLite file.
    pub fn sqlite(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.store = Some(StoreConfig::SqliteFile(path.as_ref().to_path_buf()));
        self
    }

    /// Use SQLite in memory.
    pub fn in_memory(mut self) -> Self {
        self.store = Some(StoreConfig::SqliteMemory);
        self
    }

    /// Use PostgreSQL.
    pub fn postgres(mut self, url: impl Into<String>) -> Self {
        self.store = Some(StoreConfig::Postgres(url.into()));
        self
    }

    /// Choose the Store by URL (`postgres://`, `postgresql://`, `sqlite://path`,
    /// `sqlite::memory:` or a plain file path).
    pub fn url(mut self, url: &str) -> Self {
        self.store = Some(
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                StoreConfig::Postgres(url.to_string())
            } else if url == "sqlite::memory:" || url == ":memory:" {
                StoreConfig::SqliteMemory
            } else {
                StoreConfig::SqliteFile(PathBuf::from(url.trim_start_matches("sqlite://")))
            },
        );
        self
    }

    /// Use an already-open Store (any implementation of the trait).
    pub fn store(mut self, store: Arc<dyn Store>) -> Self {
        self.custom_store = Some(store);
        self
    }

    /// Use this vault (otherwise `CONTENTOS_VAULT_KEY`, then a key file beside a SQLite file,
    /// then an ephemeral key for in-memory stores; PostgreSQL requires a configured key).
    pub fn vault(mut self, vault: Vault) -> Self {
        self.vault = Some(vault);
        self
    }

    /// Attach an engagement scorer so generated and transformed variations carry
    /// `estimatedEngagement`.
    pub fn scorer(mut self, scorer: Arc<dyn EngagementScorer>) -> Self {
        self.scorer = Some(scorer);
        self
    }

    /// Attach an engagement scorer if `Some`.
    pub fn scorer_opt(mut self, scorer: Option<Arc<dyn EngagementScorer>>) -> Self {
        self.scorer = scorer;
        self
    }

    /// Use this LLM provider for generate / transform / personalize (wrap it in retries, a
    /// fallback chain and a cache first; see [`crate::llm`]).
    pub fn llm(mut self, llm: Arc<dyn LlmProvider>) -> Self {
        self.llm = Some(llm);
        self
    }

    /// Use this LLM provider if `Some`.
    pub fn llm_opt(mut self, llm: Option<Arc<dyn LlmProvider>>) -> Self {
        self.llm = llm;
        self
    }

    /// Use this vector store (Pinecone, Qdrant, or an embedded one at a path of your choice).
    /// Default: an embedded exact-search store persisted beside a SQLite file
    /// (`<file>.vectors`), in memory for in-memory and PostgreSQL engines.
    pub fn vector_store(mut self, store: Arc<dyn VectorStore>) -> Self {
        self.vectors = Some(store);
        self
    }

    /// Use this embedder (default: the local lexical embedder, no download, no key).
    pub fn embedder(mut self, embedder: Arc<dyn Embedder>) -> Self {
        self.embedder = Some(embedder);
        self
    }

    /// Registers a platform adapter (replacing any earlier one for the same platform). Publishing
    /// and scheduling use it; scheduling also uses it to validate text before a post is queued.
    pub fn publisher(mut self, publisher: Arc<dyn Publisher>) -> Self {
        self.publishers.insert(publisher.platform(), publisher);
        self
    }

    /// Opens the backends and returns the engine.
    pub async fn execute(self) -> Result<ContentOs> {
        let config = self
            .store
            .unwrap_or_else(|| StoreConfig::SqliteFile(PathBuf::from("contentos.db")));
        let env_vault = match self.vault {
            Some(v) => Some(v),
            None => Vault::from_env()?,
        };
        let vectors: Arc<dyn VectorStore> = match (self.vectors, &config) {
            (Some(v), _) => v,
            (None, StoreConfig::SqliteFile(path)) if self.custom_store.is_none() => {
                let mut vpath = path.clone().into_os_string();
                vpath.push(".vectors");
                Arc::new(EmbeddedVectorStore::open(std::path::Path::new(&vpath)).await?)
            }
            (None, _) => Arc::new(EmbeddedVectorStore::in_memory()),
        };
        let embedder: Arc<dyn Embedder> = self
            .embedder
            .unwrap_or_else(|| Arc::new(LexicalEmbedder::default()));
        let (store, vault): (Arc<dyn Store>, Vault) = match (self.custom_store, config) {
            (Some(store), _) => (store, env_vault.unwrap_or_else(Vault::ephemeral)),
            (None, StoreConfig::SqliteFile(path)) => {
                let vault = match env_vault {
                    Some(v) => v,
                    None => {
                        let mut key_path = path.clone().into_os_string();
                        key_path.push(".key");
                        Vault::from_key_file(std::path::Path::new(&key_path))?
                    }
                };
                (Arc::new(SqliteStore::open(&path).await?), vault)
            }
            (None, StoreConfig::SqliteMemory) => (
                Arc::new(SqliteStore::in_memory().await?),
                env_vault.unwrap_or_else(Vault::ephemeral),
            ),
            (None, StoreConfig::Postgres(url)) => {
                let vault = env_vault.ok_or_else(|| {
                    Error::configuration(
                        "PostgreSQL needs a vault key: set CONTENTOS_VAULT_KEY or pass .vault(…)",
                    )
                })?;
                (Arc::new(PostgresStore::connect(&url).await?), vault)
            }
        };
        Ok(ContentOs {
            inner: Arc::new(Inner {
                store,
                vault,
                scorer: self.scorer,
                publishers: self.publishers,
                llm: self.llm,
                vectors,
                embedder,
            }),
        })
    }
}
