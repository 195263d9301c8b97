//! The records, matches, filters and namespace rules shared by every vector backend.

use crate::model::{Platform, WorkspaceId};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// Namespace of audience segment embeddings (design section 3.2).
pub const AUDIENCE_EMBEDDINGS: &str = "audience_embeddings";
/// Namespace of generated and published content embeddings (design section 3.2).
pub const CONTENT_EMBEDDINGS: &str = "content_embeddings";

/// `kind` of an audience segment record.
pub const KIND_SEGMENT: &str = "segment";
/// `kind` of a generated (not yet published) content or variation record.
pub const KIND_CONTENT: &str = "content";
/// `kind` of a post that was published on a platform: what near-duplicate checks compare with.
pub const KIND_PUBLISHED: &str = "published";

/// Largest `top_k` a query may ask for (Pinecone's limit when metadata is included).
pub const MAX_TOP_K: usize = 1000;

/// Metadata keys the backends use themselves; `extra` may not contain them.
pub(crate) const RESERVED_KEYS: &[&str] = &["workspace_id", "platform", "kind", "model_id"];

/// What is stored beside a vector: the fields every query filters on, plus free scalars
/// (`performance_score`, `published_at`, `segment_id`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VectorMetadata {
    /// The owning workspace; every facade query filters on it, so tenants never see each other.
    pub workspace_id: WorkspaceId,
    /// The platform a post was adapted to or published on, if any.
    pub platform: Option<Platform>,
    /// What the vector represents ([`KIND_SEGMENT`], [`KIND_CONTENT`], [`KIND_PUBLISHED`], or
    /// the caller's own kind).
    pub kind: String,
    /// Free metadata: strings, booleans and finite numbers only (what Pinecone and Qdrant
    /// both store and filter on).
    #[serde(default)]
    pub extra: Map<String, Value>,
}

impl VectorMetadata {
    /// Metadata for `workspace_id` with `kind`, no platform and no extra fields.
    pub fn new(workspace_id: WorkspaceId, kind: impl Into<String>) -> Self {
        VectorMetadata {
            workspace_id,
            platform: None,
            kind: kind.into(),
            extra: Map::new(),
        }
    }

    /// The same metadata with `platform` set.
    pub fn with_platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The same metadata with one extra field.
    pub fn with_extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// A flat JSON object (`workspace_id`, `platform`, `kind`, `model_id`, then the extra
    /// fields), the shape Pinecone metadata and Qdrant payloads hold.
    pub(crate) fn to_flat(&self, model_id: &str) -> Map<String, Value> {
        let mut m = self.extra.clone();
        m.insert("workspace_id".into(), self.workspace_id.to_string().into());
        if let Some(p) = self.platform {
            m.insert("platform".into(), p.as_str().into());
        }
        m.insert("kind".into(), self.kind.clone().into());
        m.insert("model_id".into(), model_id.into());
        m
    }

    /// Parses [`VectorMetadata::to_flat`] output back, ignoring `model_id` and the keys listed
    /// in `drop` (backend bookkeeping).
    pub(crate) fn from_flat(mut m: Map<String, Value>, drop: &[&str]) -> Result<Self> {
        let bad = |what: &str| Error::Protocol {
            service: "vector store".into(),
            message: format!("stored metadata has no valid {what}"),
        };
        let workspace_id = m
            .remove("workspace_id")
            .and_then(|v| v.as_str().and_then(|s| s.parse().ok()))
            .ok_or_else(|| bad("workspace_id"))?;
        let platform = match m.remove("platform") {
            Some(Value::String(s)) => Some(s.parse().map_err(|_| bad("platform"))?),
            Some(Value::Null) | None => None,
            Some(_) => return Err(bad("platform")),
        };
        let kind = match m.remove("kind") {
            Some(Value::String(s)) => s,
            _ => return Err(bad("kind")),
        };
        m.remove("model_id");
        for k in drop {
            m.remove(*k);
        }
        Ok(VectorMetadata {
            workspace_id,
            platform,
            kind,
            extra: m,
        })
    }
}

/// One vector to store.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorRecord {
    /// Caller's id (a content, variation or segment id); unique within the namespace.
    pub id: String,
    /// The embedding. Any non-zero length: stores normalise it, scores are cosine similarities.
    pub vector: Vec<f32>,
    /// Filterable metadata.
    pub metadata: VectorMetadata,
    /// The [`Embedder::model_id`](crate::embed::Embedder::model_id) that produced the vector.
    pub model_id: String,
}

/// One query result.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The record's id.
    pub id: String,
    /// Cosine similarity to the query, in `[-1, 1]`.
    pub score: f32,
    /// The record's metadata.
    pub metadata: VectorMetadata,
}

/// Equality filters on metadata; all set conditions must hold (AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only records of this workspace.
    pub workspace_id: Option<WorkspaceId>,
    /// Only records on this platform.
    pub platform: Option<Platform>,
    /// Only records of this kind.
    pub kind: Option<String>,
    /// Only records whose extra field equals the value (strings, booleans or integers: the
    /// values every backend can match exactly).
    pub extra: BTreeMap<String, Value>,
}

impl Filter {
    /// A filter on one workspace.
    pub fn workspace(workspace_id: WorkspaceId) -> Self {
        Filter {
            workspace_id: Some(workspace_id),
            ..Filter::default()
        }
    }

    /// The same filter also requiring `platform`.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// The same filter also requiring `kind`.
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }

    /// The same filter also requiring an extra field to equal `value`.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// True when `m` satisfies every condition.
    pub fn matches(&self, m: &VectorMetadata) -> bool {
        let workspace_ok = match self.workspace_id {
            Some(w) => w == m.workspace_id,
            None => true,
        };
        let platform_ok = match self.platform {
            Some(p) => Some(p) == m.platform,
            None => true,
        };
        let kind_ok = match &self.kind {
            Some(k) => *k == m.kind,
            None => true,
        };
        workspace_ok
            && platform_ok
            && kind_ok
            && self
                .extra
                .iter()
                .all(|(k, v)| m.extra.get(k).is_some_and(|x| json_eq(x, v)))
    }

    /// The conditions as flat `(key, value)` pairs, in the shape of [`VectorMetadata::to_flat`].
    pub(crate) fn conditions(&self) -> Vec<(String, Value)> {
        let mut c = Vec::new();
        if let Some(w) = self.workspace_id {
            c.push(("workspace_id".to_string(), Value::String(w.to_string())));
        }
        if let Some(p) = self.platform {
            c.push(("platform".to_string(), Value::String(p.as_str().into())));
        }
        if let Some(k) = &self.kind {
            c.push(("kind".to_string(), Value::String(k.clone())));
        }
        for (k, v) in &self.extra {
            c.push((k.clone(), v.clone()));
        }
        c
    }

    /// Refuses extra conditions that not every backend can evaluate exactly.
    pub(crate) fn validate(&self) -> Result<()> {
        for (k, v) in &self.extra {
            let field = || format!("filter.extra.{k}");
            if RESERVED_KEYS.contains(&k.as_str()) {
                return Err(Error::validation(
                    field(),
                    "not a reserved key; use the typed field",
                ));
            }
            let ok = match v {
                Value::String(_) | Value::Bool(_) => true,
                Value::Number(n) => n.is_i64() || n.is_u64(),
                _ => false,
            };
            if !ok {
                return Err(Error::validation(field(), "a string, boolean or integer"));
            }
        }
        Ok(())
    }
}

/// Numbers compare by value (1 == 1.0), everything else structurally.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A namespace's fixed embedding space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamespaceSpec {
    /// Vector length.
    pub dimensions: usize,
    /// The embedder model id.
    pub model_id: String,
}

/// Refuses namespace names the backends could not all store: 1–64 of `[a-z0-9_-]`.
pub(crate) fn validate_namespace(ns: &str) -> Result<()> {
    let ok = !ns.is_empty()
        && ns.len() <= 64
        && ns
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            "namespace",
            "1-64 characters of a-z, 0-9, _ and -",
        ))
    }
}

/// Checks a batch against the namespace's spec (or against its own first record when the
/// namespace is new) and returns the spec the namespace will have afterwards.
pub(crate) fn validate_records(
    ns: &str,
    items: &[VectorRecord],
    existing: Option<&NamespaceSpec>,
) -> Result<NamespaceSpec> {
    validate_namespace(ns)?;
    let first = match items.first() {
        Some(f) => f,
        None => return Err(Error::validation("items", "at least one record")),
    };
    let spec = match existing {
        Some(s) => s.clone(),
        None => NamespaceSpec {
            dimensions: first.vector.len(),
            model_id: first.model_id.clone(),
        },
    };
    if spec.model_id.trim().is_empty() {
        return Err(Error::validation("items[0].model_id", "non-empty"));
    }
    let mut seen = HashSet::with_capacity(items.len());
    for (i, r) in items.iter().enumerate() {
        if r.id.is_empty() || r.id.len() > 512 {
            return Err(Error::validation(format!("items[{i}].id"), "1-512 bytes"));
        }
        if !seen.insert(r.id.as_str()) {
            return Err(Error::validation(
                format!("items[{i}].id"),
                "unique within one upsert",
            ));
        }
        if r.model_id != spec.model_id {
            return Err(Error::validation(
                format!("items[{i}].model_id"),
                format!("model {} of namespace {ns}", spec.model_id),
            ));
        }
        if r.vector.len() != spec.dimensions {
            return Err(Error::validation(
                format!("items[{i}].vector"),
                format!("dimension {} of namespace {ns}", spec.dimensions),
            ));
        }
        validate_vector(&format!("items[{i}].vector"), &r.vector)?;
        for (k, v) in &r.metadata.extra {
            let field = || format!("items[{i}].metadata.extra.{k}");
            if RESERVED_KEYS.contains(&k.as_str()) || k.starts_with("contentos_") {
                return Err(Error::validation(field(), "not a reserved key"));
            }
            let ok = match v {
                Value::String(_) | Value::Bool(_) => true,
                Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
                _ => false,
            };
            if !ok {
                return Err(Error::validation(
                    field(),
                    "a string, boolean or finite number",
                ));
            }
        }
        if r.metadata.kind.is_empty() {
            return Err(Error::validation(
                format!("items[{i}].metadata.kind"),
                "non-empty",
            ));
        }
    }
    Ok(spec)
}

/// Finite components and a non-zero norm (cosine similarity is undefined for the zero vector).
pub(crate) fn validate_vector(field: &str, v: &[f32]) -> Result<()> {
    if v.is_empty() {
        return Err(Error::validation(field, "at least one dimension"));
    }
    if v.iter().any(|x| !x.is_finite()) {
        return Err(Error::validation(field, "finite numbers only"));
    }
    if v.iter().all(|x| *x == 0.0) {
        return Err(Error::validation(field, "a non-zero vector"));
    }
    Ok(())
}

/// Checks a query's vector, `top_k` and filter against the namespace's spec.
pub(crate) fn validate_query(
    ns: &str,
    vector: &[f32],
    top_k: usize,
    filter: Option<&Filter>,
    spec: Option<&NamespaceSpec>,
) -> Result<()> {
    validate_namespace(ns)?;
    if top_k == 0 || top_k > MAX_TOP_K {
        return Err(Error::validation("top_k", format!("1..={MAX_TOP_K}")));
    }
    if let Some(s) = spec {
        if vector.len() != s.dimensions {
            return Err(Error::validation(
                "vector",
                format!("dimension {} of namespace {ns}", s.dimensions),
            ));
        }
    }
    validate_vector("vector", vector)?;
    if let Some(f) = filter {
        f.validate()?;
    }
    Ok(())
}

/// Orders matches best first, ties by id, so every backend returns the same order.
pub(crate) fn sort_matches(matches: &mut [Match]) {
    matches.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
}
