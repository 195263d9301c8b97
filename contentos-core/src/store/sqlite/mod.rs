//! The embedded default [`Store`](super::Store): SQLite through sqlx.
//!
//! Why SQLite: a new user runs ContentOS with no server and no setup — a file path (or memory)
//! is all it needs. The database runs in WAL mode (readers never block the writer), with foreign
//! keys on (cascading deletes as in the schema) and a busy timeout so concurrent writers wait
//! instead of failing. Migrations in `migrations/sqlite` are embedded in the binary and applied
//! on open. Full-text search uses an FTS5 index kept in sync by triggers.

mod accounts;
mod analytics;
mod content;
mod posts;
mod rows;
mod segments;
mod slots;
mod workspaces;

use crate::access::Role;
use crate::model::*;
use crate::store::common::{observe, DbResultExt};
use crate::store::delegate::delegate_store;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a writer waits for another writer's lock before giving up with an error.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A [`Store`](super::Store) on a SQLite file or in memory. Cheap to clone (shares the pool).
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("connections", &self.pool.size())
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating it and its parent directories if missing) the database file at `path`,
    /// in WAL mode, and applies pending migrations. Several processes may open the same file.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        if let Some(parent) = path.as_ref().parent().filter(|p| !p.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(|e| Error::storage(format!("cannot create {}: {e}", parent.display())))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path.as_ref())
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .db()?;
        Self::from_pool(pool).await
    }

    /// A private database in memory, gone when the store is dropped. All queries go through
    /// one connection that is never recycled, so every call sees the same database. For tests,
    /// examples and short-lived jobs.
    pub async fn in_memory() -> Result<Self> {
        let options = SqliteConnectOptions::new()
            .in_memory(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .min_connections(1)
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .db()?;
        Self::from_pool(pool).await
    }

    async fn from_pool(pool: SqlitePool) -> Result<Self> {
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    /// The underlying pool, for diagnostics and tests that inspect stored rows directly.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection (checkpointing the WAL). Further calls fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

delegate_store!(SqliteStore, "sqlite");
