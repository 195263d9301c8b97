//! The shared [`Store`](super::Store): PostgreSQL through sqlx.
//!
//! Why PostgreSQL: when several workers and API servers share one queue and one content
//! library, they need row locks (`FOR UPDATE SKIP LOCKED` for claiming due posts), JSONB,
//! a GIN full-text index and real concurrency. The schema is that of the design document's
//! section 3 with the indexes of section 10.2; migrations in `migrations/postgres` are embedded
//! and applied on connect.

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
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, Executor, PgPool};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// A [`Store`](super::Store) on a PostgreSQL database. Cheap to clone (shares the pool).
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    schema: Option<String>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL (which may hold a password) is deliberately not kept or shown.
        f.debug_struct("PostgresStore")
            .field("schema", &self.schema)
            .field("connections", &self.pool.size())
            .finish_non_exhaustive()
    }
}

fn options(url: &str) -> Result<PgConnectOptions> {
    PgConnectOptions::from_str(url)
        .map(|o| o.disable_statement_logging())
        .map_err(|_| Error::configuration("invalid PostgreSQL URL"))
}

fn unavailable(e: sqlx::Error) -> Error {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_) => {
            Error::Unavailable {
                service: "postgres".into(),
                message: e.to_string(),
            }
        }
        other => Error::from(other),
    }
}

/// Connection settings of a [`PostgresStore`]. Why configurable: each worker process holds
/// one pool, and a process running many concurrent publishes (large `batch_size`, several
/// workers) needs more connections for their receipt commits to overlap and group-commit,
/// while many small processes sharing one server need fewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresOptions {
    /// Keep every table in this schema (created if missing; `search_path` set on every pooled
    /// connection), or `None` for the connection's default `search_path`. 1..=63 lowercase
    /// ASCII letters, digits and `_`, not starting with a digit.
    pub schema: Option<String>,
    /// Most connections the pool opens (1..=1000; default 10).
    pub max_connections: u32,
    /// How long a caller waits for a free connection before `Unavailable` (default 10 s).
    pub acquire_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            schema: None,
            max_connections: 10,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

impl PostgresOptions {
    fn validate(&self) -> Result<()> {
        if let Some(schema) = &self.schema {
            validate_schema(schema)?;
        }
        if !(1..=1000).contains(&self.max_connections) {
            return Err(Error::validation("max_connections", "between 1 and 1000"));
        }
        if self.acquire_timeout.is_zero() {
            return Err(Error::validation("acquire_timeout", "greater than zero"));
        }
        Ok(())
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:pass@host:5432/db`), using the connection's default
    /// `search_path`, and applies pending migrations. A pool of 10 connections; see
    /// [`connect_with`](Self::connect_with) to choose.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, &PostgresOptions::default()).await
    }

    /// Connects to `url` and keeps every table in `schema`: the schema is created if missing
    /// and every pooled connection gets `search_path = schema`. Lets several deployments (or
    /// test runs) share one database in isolation. `schema` must be 1..=63 characters of
    /// lowercase ASCII letters, digits and `_`, not starting with a digit.
    pub async fn connect_in_schema(url: &str, schema: &str) -> Result<Self> {
        let options = PostgresOptions {
            schema: Some(schema.to_string()),
            ..PostgresOptions::default()
        };
        Self::connect_with(url, &options).await
    }

    /// Connects to `url` with explicit [`PostgresOptions`] (schema, pool size) and applies
    /// pending migrations. `Validation` naming the field for out-of-range options.
    pub async fn connect_with(url: &str, options: &PostgresOptions) -> Result<Self> {
        options.validate()?;
        let opts = self::options(url)?;
        let mut pool_options = PgPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(options.acquire_timeout);
        if let Some(schema) = &options.schema {
            let mut conn = opts.connect().await.map_err(unavailable)?;
            conn.execute(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\"").as_str())
                .await
                .db()?;
            conn.close().await.db()?;
            let set_path = format!("SET search_path TO \"{schema}\"");
            pool_options = pool_options.after_connect(move |conn, _meta| {
                let set_path = set_path.clone();
                Box::pin(async move {
                    conn.execute(set_path.as_str()).await?;
                    Ok(())
                })
            });
        }
        let pool = pool_options.connect_with(opts).await.map_err(unavailable)?;
        MIGRATOR.run(&pool).await?;
        Ok(PostgresStore {
            pool,
            schema: options.schema.clone(),
        })
    }

    /// The schema given to [`PostgresStore::connect_in_schema`], if any.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// The underlying pool, for diagnostics and tests that inspect stored rows directly.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Drops the store's schema with everything in it and closes the pool. Only for stores
    /// opened with [`PostgresStore::connect_in_schema`] (tests, throw-away environments);
    /// `NotSupported` otherwise, so a production database is never dropped by mistake.
    pub async fn drop_schema(self) -> Result<()> {
        let Some(schema) = self.schema.clone() else {
            return Err(Error::not_supported(
                "drop_schema on a store not opened with connect_in_schema",
            ));
        };
        sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .execute(&self.pool)
            .await
            .db()?;
        self.pool.close().await;
        Ok(())
    }

    /// Closes every connection. Further calls fail.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn validate_schema(schema: &str) -> Result<()> {
    let ok = !schema.is_empty()
        && schema.len() <= 63
        && !schema.starts_with(|c: char| c.is_ascii_digit())
        && schema
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "schema",
            "1..=63 lowercase ASCII letters, digits or '_', not starting with a digit",
        ))
    }
}

delegate_store!(PostgresStore, "postgres");
