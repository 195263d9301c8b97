//! What the remote backends share: the persisted namespace spec and its in-process cache.
//!
//! Pinecone and Qdrant know an index's dimension but not which embedding model produced the
//! vectors, and the trait promises that a namespace's model id is fixed by its first upsert and
//! persisted. So each remote namespace holds one bookkeeping record, the *spec record*
//! ([`SPEC_RECORD_ID`]): a unit vector along the first axis whose metadata carries
//! `contentos_spec: true`, `model_id` and `dimensions`. It is written together with the first
//! upsert, read once per process when a namespace is first used, and never returned by queries
//! (they ask for one extra match and drop it; it has no `workspace_id`, so workspace-filtered
//! queries never see it anyway). Callers cannot use its id.

use super::types::NamespaceSpec;
use crate::{Error, Result};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// The id of the bookkeeping record that persists a remote namespace's spec.
pub(crate) const SPEC_RECORD_ID: &str = "contentos-namespace-spec";

/// Metadata key marking the spec record.
pub(crate) const SPEC_MARKER: &str = "contentos_spec";

/// The spec record's vector: the first axis (any non-zero vector would do; remote services
/// reject all-zero vectors under cosine).
pub(crate) fn spec_vector(dimensions: usize) -> Vec<f32> {
    let mut v = vec![0f32; dimensions];
    if let Some(first) = v.first_mut() {
        *first = 1.0;
    }
    v
}

/// The spec record's metadata.
pub(crate) fn spec_metadata(spec: &NamespaceSpec) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(SPEC_MARKER.into(), json!(true));
    m.insert("model_id".into(), json!(spec.model_id));
    m.insert("dimensions".into(), json!(spec.dimensions));
    m
}

/// Reads a spec back from the spec record's metadata.
pub(crate) fn parse_spec_metadata(service: &str, m: &Map<String, Value>) -> Result<NamespaceSpec> {
    let model_id = m.get("model_id").and_then(Value::as_str);
    let dimensions = m.get("dimensions").and_then(Value::as_f64);
    match (model_id, dimensions) {
        (Some(model_id), Some(d)) if d >= 1.0 && d.fract() == 0.0 => Ok(NamespaceSpec {
            dimensions: d as usize,
            model_id: model_id.to_string(),
        }),
        _ => Err(Error::Protocol {
            service: service.into(),
            message: "namespace spec record has no valid model_id/dimensions".into(),
        }),
    }
}

/// Refuses caller ids that collide with the spec record.
pub(crate) fn check_not_reserved(
    field: &str,
    ids: impl IntoIterator<Item = impl AsRef<str>>,
) -> Result<()> {
    for (i, id) in ids.into_iter().enumerate() {
        if id.as_ref() == SPEC_RECORD_ID {
            return Err(Error::validation(
                format!("{field}[{i}]"),
                format!("not the reserved id {SPEC_RECORD_ID}"),
            ));
        }
    }
    Ok(())
}

/// Namespace specs this process has already read or written.
#[derive(Debug, Default)]
pub(crate) struct SpecCache(Mutex<HashMap<String, NamespaceSpec>>);

impl SpecCache {
    pub(crate) fn get(&self, ns: &str) -> Option<NamespaceSpec> {
        self.0.lock().ok().and_then(|m| m.get(ns).cloned())
    }

    pub(crate) fn set(&self, ns: &str, spec: NamespaceSpec) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(ns.to_string(), spec);
        }
    }
}

/// Splits `items` into chunks of at most `size` (at least 1).
pub(crate) fn chunks<T>(items: &[T], size: usize) -> std::slice::Chunks<'_, T> {
    items.chunks(size.max(1))
}
