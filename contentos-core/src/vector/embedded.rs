//! The embedded default vector store: exact cosine search in process, persisted in SQLite.
//!
//! Layout: per namespace, one contiguous `Vec<f32>` of `n × dim` unit vectors (normalised at
//! insert, so a cosine is one dot product), parallel `ids` and metadata vectors, and an id →
//! row index. Deleting swaps the last row into the hole, so storage stays contiguous.
//!
//! Persistence: its own SQLite file (the caller picks the path, typically beside the main
//! database, e.g. `contentos.vectors.db`) with two tables — `vector_namespaces(ns, model_id,
//! dim)` and `vector_records(ns, id, model_id, dim, metadata JSON, vector BLOB of little-endian
//! f32)`. The file is read once at [`EmbeddedVectorStore::open`]; afterwards every write goes to
//! SQLite first, in one transaction, and only then into memory, so memory never holds what the
//! file lost. Queries never touch the file.
//!
//! Queries are CPU-bound and run on the calling task (≈ a few ms for 100,000 × 384, see
//! `docs/bench-vector.md`); very large namespaces split the scan across threads.

use super::kernel;
use super::types::{
    sort_matches, validate_namespace, validate_query, validate_records, Filter, Match,
    NamespaceSpec, VectorMetadata, VectorRecord,
};
use super::VectorStore;
use crate::{Error, Result};
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Row;
use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

/// One namespace in memory.
#[derive(Debug)]
struct Namespace {
    spec: NamespaceSpec,
    ids: Vec<String>,
    rows: HashMap<String, usize>,
    data: Vec<f32>,
    metadata: Vec<VectorMetadata>,
}

impl Namespace {
    fn new(spec: NamespaceSpec) -> Self {
        Namespace {
            spec,
            ids: Vec::new(),
            rows: HashMap::new(),
            data: Vec::new(),
            metadata: Vec::new(),
        }
    }

    /// Inserts or replaces a unit vector.
    fn put(&mut self, id: String, unit: &[f32], metadata: VectorMetadata) {
        let dim = self.spec.dimensions;
        match self.rows.get(&id) {
            Some(&row) => {
                self.data[row * dim..(row + 1) * dim].copy_from_slice(unit);
                self.metadata[row] = metadata;
            }
            None => {
                self.rows.insert(id.clone(), self.ids.len());
                self.ids.push(id);
                self.data.extend_from_slice(unit);
                self.metadata.push(metadata);
            }
        }
    }

    fn remove(&mut self, id: &str) {
        let dim = self.spec.dimensions;
        let Some(row) = self.rows.remove(id) else {
            return;
        };
        let last = self.ids.len() - 1;
        if row != last {
            self.data
                .copy_within(last * dim..(last + 1) * dim, row * dim);
            self.ids.swap(row, last);
            self.metadata.swap(row, last);
            self.rows.insert(self.ids[row].clone(), row);
        }
        self.data.truncate(last * dim);
        self.ids.pop();
        self.metadata.pop();
    }
}

/// Exact cosine search in process; see the module documentation.
pub struct EmbeddedVectorStore {
    namespaces: RwLock<HashMap<String, Namespace>>,
    db: Option<SqlitePool>,
    /// Serialises writers so the SQLite write and the memory update happen in the same order
    /// for every writer.
    writer: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for EmbeddedVectorStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedVectorStore")
            .field("persistent", &self.db.is_some())
            .finish_non_exhaustive()
    }
}

impl EmbeddedVectorStore {
    /// A store that lives only in memory (tests, notebooks, short jobs).
    pub fn in_memory() -> Self {
        EmbeddedVectorStore {
            namespaces: RwLock::new(HashMap::new()),
            db: None,
            writer: tokio::sync::Mutex::new(()),
        }
    }

    /// Opens (creating if missing) the SQLite file at `path` and loads every namespace into
    /// memory.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(|e| Error::storage(format!("opening vector file {}: {e}", path.display())))?;
        for ddl in [
            "CREATE TABLE IF NOT EXISTS vector_namespaces (
                ns TEXT PRIMARY KEY NOT NULL,
                model_id TEXT NOT NULL,
                dim INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS vector_records (
                ns TEXT NOT NULL,
                id TEXT NOT NULL,
                model_id TEXT NOT NULL,
                dim INTEGER NOT NULL,
                metadata TEXT NOT NULL,
                vector BLOB NOT NULL,
                PRIMARY KEY (ns, id))",
        ] {
            sqlx::query(ddl).execute(&pool).await?;
        }
        let mut namespaces = HashMap::new();
        for row in sqlx::query("SELECT ns, model_id, dim FROM vector_namespaces")
            .fetch_all(&pool)
            .await?
        {
            let ns: String = row.try_get("ns")?;
            let dim: i64 = row.try_get("dim")?;
            let spec = NamespaceSpec {
                dimensions: usize::try_from(dim)
                    .map_err(|_| Error::storage(format!("namespace {ns}: bad dimension {dim}")))?,
                model_id: row.try_get("model_id")?,
            };
            namespaces.insert(ns, Namespace::new(spec));
        }
        let rows = sqlx::query(
            "SELECT ns, id, model_id, dim, metadata, vector FROM vector_records ORDER BY ns, rowid",
        )
        .fetch_all(&pool)
        .await?;
        for row in rows {
            let ns: String = row.try_get("ns")?;
            let id: String = row.try_get("id")?;
            let space = namespaces
                .get_mut(&ns)
                .ok_or_else(|| Error::storage(format!("record {id} in unknown namespace {ns}")))?;
            let model_id: String = row.try_get("model_id")?;
            let blob: Vec<u8> = row.try_get("vector")?;
            if model_id != space.spec.model_id || blob.len() != space.spec.dimensions * 4 {
                return Err(Error::storage(format!(
                    "record {id} in namespace {ns} does not match the namespace's model/dimension"
                )));
            }
            let vector: Vec<f32> = blob
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            let meta: String = row.try_get("metadata")?;
            let metadata: VectorMetadata = serde_json::from_str(&meta).map_err(|e| {
                Error::storage(format!("record {id} in namespace {ns}: metadata: {e}"))
            })?;
            space.put(id, &vector, metadata);
        }
        Ok(EmbeddedVectorStore {
            namespaces: RwLock::new(namespaces),
            db: Some(pool),
            writer: tokio::sync::Mutex::new(()),
        })
    }

    /// Number of records in `ns` (0 for an unknown namespace).
    pub fn len(&self, ns: &str) -> usize {
        self.namespaces
            .read()
            .map(|m| m.get(ns).map_or(0, |n| n.ids.len()))
            .unwrap_or(0)
    }

    /// True when `ns` holds no record.
    pub fn is_empty(&self, ns: &str) -> bool {
        self.len(ns) == 0
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, HashMap<String, Namespace>>> {
        self.namespaces
            .read()
            .map_err(|_| Error::internal("vector store lock poisoned"))
    }

    fn write(&self) -> Result<std::sync::RwLockWriteGuard<'_, HashMap<String, Namespace>>> {
        self.namespaces
            .write()
            .map_err(|_| Error::internal("vector store lock poisoned"))
    }
}

#[async_trait]
impl VectorStore for EmbeddedVectorStore {
    fn backend(&self) -> &'static str {
        "embedded"
    }

    async fn upsert(&self, ns: &str, items: Vec<VectorRecord>) -> Result<()> {
        let _writer = self.writer.lock().await;
        let existing = self.read()?.get(ns).map(|n| n.spec.clone());
        let spec = validate_records(ns, &items, existing.as_ref())?;
        let units: Vec<Vec<f32>> = items
            .iter()
            .map(|r| kernel::normalized(&r.vector))
            .collect();
        if let Some(db) = &self.db {
            let mut tx = db.begin().await?;
            if existing.is_none() {
                sqlx::query("INSERT INTO vector_namespaces (ns, model_id, dim) VALUES (?, ?, ?)")
                    .bind(ns)
                    .bind(&spec.model_id)
                    .bind(spec.dimensions as i64)
                    .execute(&mut *tx)
                    .await?;
            }
            for (r, unit) in items.iter().zip(&units) {
                let blob: Vec<u8> = unit.iter().flat_map(|x| x.to_le_bytes()).collect();
                sqlx::query(
                    "INSERT INTO vector_records (ns, id, model_id, dim, metadata, vector)
                     VALUES (?, ?, ?, ?, ?, ?)
                     ON CONFLICT (ns, id) DO UPDATE SET
                       model_id = excluded.model_id, dim = excluded.dim,
                       metadata = excluded.metadata, vector = excluded.vector",
                )
                .bind(ns)
                .bind(&r.id)
                .bind(&r.model_id)
                .bind(spec.dimensions as i64)
                .bind(serde_json::to_string(&r.metadata)?)
                .bind(blob)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
        let mut map = self.write()?;
        let space = map
            .entry(ns.to_string())
            .or_insert_with(|| Namespace::new(spec));
        for (r, unit) in items.into_iter().zip(units) {
            space.put(r.id, &unit, r.metadata);
        }
        Ok(())
    }

    async fn query(
        &self,
        ns: &str,
        vector: &[f32],
        top_k: usize,
        filter: Option<&Filter>,
    ) -> Result<Vec<Match>> {
        let map = self.read()?;
        let space = map.get(ns);
        validate_query(ns, vector, top_k, filter, space.map(|s| &s.spec))?;
        let Some(space) = space else {
            return Ok(Vec::new());
        };
        let q = kernel::normalized(vector);
        let metadata = &space.metadata;
        let accept = |row: usize| filter.is_none_or_matches(&metadata[row]);
        let hits = kernel::top_k(
            &space.data,
            space.spec.dimensions,
            &q,
            top_k,
            &space.ids,
            &accept,
        );
        let mut out: Vec<Match> = hits
            .into_iter()
            .map(|(row, score)| Match {
                id: space.ids[row].clone(),
                score,
                metadata: space.metadata[row].clone(),
            })
            .collect();
        sort_matches(&mut out);
        Ok(out)
    }

    async fn delete(&self, ns: &str, ids: &[String]) -> Result<()> {
        validate_namespace(ns)?;
        let _writer = self.writer.lock().await;
        if ids.is_empty() || !self.read()?.contains_key(ns) {
            return Ok(());
        }
        if let Some(db) = &self.db {
            let mut tx = db.begin().await?;
            for id in ids {
                sqlx::query("DELETE FROM vector_records WHERE ns = ? AND id = ?")
                    .bind(ns)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        let mut map = self.write()?;
        if let Some(space) = map.get_mut(ns) {
            for id in ids {
                space.remove(id);
            }
        }
        Ok(())
    }

    async fn namespace_spec(&self, ns: &str) -> Result<Option<NamespaceSpec>> {
        validate_namespace(ns)?;
        Ok(self.read()?.get(ns).map(|n| n.spec.clone()))
    }
}

/// `None` accepts everything; `Some(f)` accepts what `f` matches.
trait OptionalFilter {
    fn is_none_or_matches(&self, m: &VectorMetadata) -> bool;
}

impl OptionalFilter for Option<&Filter> {
    fn is_none_or_matches(&self, m: &VectorMetadata) -> bool {
        match self {
            Some(f) => f.matches(m),
            None => true,
        }
    }
}
