//! Pinecone over its REST data plane.
//!
//! Calls (all with headers `Api-Key` and `X-Pinecone-API-Version`, against the index host):
//! - `POST /vectors/upsert` `{"vectors":[{"id","values","metadata"}],"namespace"}` in batches
//!   of [`PineconeConfig::batch_size`] (Pinecone allows up to 1000 per request);
//! - `POST /query` `{"namespace","vector","topK","filter","includeMetadata":true,
//!   "includeValues":false}` with `filter` as `{"field":{"$eq":value},…}` (implicit AND);
//! - `POST /vectors/delete` `{"ids":[…],"namespace"}`;
//! - `GET /vectors/fetch?ids=…&namespace=…` to read the namespace's spec record (see below).
//!
//! The index must use the `cosine` metric and the namespace's dimension; Pinecone itself
//! refuses other dimensions. Metadata is stored flat (`workspace_id`, `platform`, `kind`,
//! `model_id`, then the extra fields). The namespace's model id is persisted in a bookkeeping
//! record (`contentos-namespace-spec`), because Pinecone has no per-namespace metadata.
//! 429 and 5xx are retried per [`RetryPolicy`].

use super::remote::{
    check_not_reserved, chunks, parse_spec_metadata, spec_metadata, spec_vector, SpecCache,
    SPEC_MARKER, SPEC_RECORD_ID,
};
use super::types::{
    sort_matches, validate_namespace, validate_query, validate_records, Filter, Match,
    NamespaceSpec, VectorMetadata, VectorRecord,
};
use super::VectorStore;
use crate::embed::retry::{send_with_retry, HttpReply};
use crate::embed::RetryPolicy;
use crate::vault::Secret;
use crate::{Error, Result};
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::Duration;

const SERVICE: &str = "pinecone";

/// Connection settings of a [`PineconeVectorStore`].
#[derive(Clone, Debug)]
pub struct PineconeConfig {
    /// The index host, e.g. `https://my-index-abc123.svc.us-east1-gcp.pinecone.io`.
    pub index_host: String,
    /// API key, sent as the `Api-Key` header.
    pub api_key: Secret,
    /// `X-Pinecone-API-Version` (default `2025-04`).
    pub api_version: String,
    /// Vectors per upsert request (default 100).
    pub batch_size: usize,
    /// Retry policy for 429, 5xx and connection failures.
    pub retry: RetryPolicy,
    /// Per-request timeout (default 30 s).
    pub timeout: Duration,
}

impl PineconeConfig {
    /// Defaults for an index host and key.
    pub fn new(index_host: impl Into<String>, api_key: Secret) -> Self {
        PineconeConfig {
            index_host: index_host.into(),
            api_key,
            api_version: "2025-04".into(),
            batch_size: 100,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A [`VectorStore`] on a Pinecone index; namespaces are Pinecone namespaces.
#[derive(Debug)]
pub struct PineconeVectorStore {
    config: PineconeConfig,
    client: reqwest::Client,
    specs: SpecCache,
}

impl PineconeVectorStore {
    /// A store for `config`; refuses an empty key or host with [`Error::Validation`].
    pub fn new(config: PineconeConfig) -> Result<Self> {
        if config.api_key.is_empty() {
            return Err(Error::validation("api_key", "non-empty"));
        }
        if !config.index_host.starts_with("http://") && !config.index_host.starts_with("https://") {
            return Err(Error::validation("index_host", "an http(s) URL"));
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| Error::configuration(format!("http client: {e}")))?;
        Ok(PineconeVectorStore {
            config,
            client,
            specs: SpecCache::default(),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.index_host.trim_end_matches('/'))
    }

    async fn post(&self, path: &str, body: &Value) -> Result<HttpReply> {
        let url = self.url(path);
        send_with_retry(&self.config.retry, SERVICE, path, || {
            self.client
                .post(&url)
                .header("Api-Key", self.config.api_key.expose())
                .header("X-Pinecone-API-Version", &self.config.api_version)
                .json(body)
        })
        .await
    }

    /// The namespace's spec: cached, else read from its spec record.
    async fn spec(&self, ns: &str) -> Result<Option<NamespaceSpec>> {
        if let Some(s) = self.specs.get(ns) {
            return Ok(Some(s));
        }
        let url = self.url("/vectors/fetch");
        let query = [("ids", SPEC_RECORD_ID), ("namespace", ns)];
        let reply = send_with_retry(&self.config.retry, SERVICE, "/vectors/fetch", || {
            self.client
                .get(&url)
                .query(&query)
                .header("Api-Key", self.config.api_key.expose())
                .header("X-Pinecone-API-Version", &self.config.api_version)
        })
        .await?;
        let fetched: FetchResponse = parse(&reply)?;
        let Some(record) = fetched.vectors.get(SPEC_RECORD_ID) else {
            return Ok(None);
        };
        let spec = parse_spec_metadata(SERVICE, &record.metadata.clone().unwrap_or_default())?;
        self.specs.set(ns, spec.clone());
        Ok(Some(spec))
    }
}

fn parse<T: serde::de::DeserializeOwned>(reply: &HttpReply) -> Result<T> {
    serde_json::from_slice(&reply.body).map_err(|e| Error::Protocol {
        service: SERVICE.into(),
        message: format!("response (HTTP {}): {e}", reply.status),
    })
}

#[derive(Deserialize)]
struct FetchResponse {
    #[serde(default)]
    vectors: HashMap<String, FetchedVector>,
}

#[derive(Deserialize)]
struct FetchedVector {
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct QueryResponse {
    #[serde(default)]
    matches: Vec<QueryMatch>,
}

#[derive(Deserialize)]
struct QueryMatch {
    id: String,
    score: f32,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
}

#[async_trait]
impl VectorStore for PineconeVectorStore {
    fn backend(&self) -> &'static str {
        "pinecone"
    }

    async fn upsert(&self, ns: &str, items: Vec<VectorRecord>) -> Result<()> {
        validate_namespace(ns)?;
        check_not_reserved("items.id", items.iter().map(|r| r.id.as_str()))?;
        let existing = self.spec(ns).await?;
        let spec = validate_records(ns, &items, existing.as_ref())?;
        let mut vectors: Vec<Value> = items
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "values": r.vector,
                    "metadata": r.metadata.to_flat(&r.model_id),
                })
            })
            .collect();
        if existing.is_none() {
            // The spec record goes in the first request, so the namespace never holds vectors
            // without it.
            vectors.insert(
                0,
                json!({
                    "id": SPEC_RECORD_ID,
                    "values": spec_vector(spec.dimensions),
                    "metadata": spec_metadata(&spec),
                }),
            );
        }
        for batch in chunks(&vectors, self.config.batch_size) {
            self.post(
                "/vectors/upsert",
                &json!({ "vectors": batch, "namespace": ns }),
            )
            .await?;
            self.specs.set(ns, spec.clone());
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
        validate_query(ns, vector, top_k, filter, None)?;
        let Some(spec) = self.spec(ns).await? else {
            return Ok(Vec::new());
        };
        validate_query(ns, vector, top_k, filter, Some(&spec))?;
        let mut body = json!({
            "namespace": ns,
            "vector": vector,
            "topK": top_k + 1,
            "includeMetadata": true,
            "includeValues": false,
        });
        if let Some(f) = filter {
            let conditions: Map<String, Value> = f
                .conditions()
                .into_iter()
                .map(|(k, v)| (k, json!({ "$eq": v })))
                .collect();
            if !conditions.is_empty() {
                body["filter"] = Value::Object(conditions);
            }
        }
        let reply = self.post("/query", &body).await?;
        let parsed: QueryResponse = parse(&reply)?;
        let mut out = Vec::with_capacity(top_k);
        for m in parsed.matches {
            let meta = m.metadata.unwrap_or_default();
            if m.id == SPEC_RECORD_ID || meta.contains_key(SPEC_MARKER) {
                continue;
            }
            out.push(Match {
                id: m.id,
                score: m.score,
                metadata: VectorMetadata::from_flat(meta, &[])?,
            });
        }
        sort_matches(&mut out);
        out.truncate(top_k);
        Ok(out)
    }

    async fn delete(&self, ns: &str, ids: &[String]) -> Result<()> {
        validate_namespace(ns)?;
        check_not_reserved("ids", ids)?;
        if ids.is_empty() || self.spec(ns).await?.is_none() {
            return Ok(());
        }
        for batch in chunks(ids, 1000) {
            self.post("/vectors/delete", &json!({ "ids": batch, "namespace": ns }))
                .await?;
        }
        Ok(())
    }

    async fn namespace_spec(&self, ns: &str) -> Result<Option<NamespaceSpec>> {
        validate_namespace(ns)?;
        self.spec(ns).await
    }
}
