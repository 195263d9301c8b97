//! Qdrant over its REST API, one collection per namespace.
//!
//! Calls (header `api-key` when a key is configured):
//! - `PUT /collections/{c}` `{"vectors":{"size":d,"distance":"Cosine"}}` when a namespace's
//!   first upsert finds no collection;
//! - `PUT /collections/{c}/points?wait=true` `{"points":[{"id","vector","payload"}]}`;
//! - `POST /collections/{c}/points/query` `{"query":[…],"limit":k,"filter":{"must":[{"key",
//!   "match":{"value"}}]},"with_payload":true}`;
//! - `POST /collections/{c}/points/delete?wait=true` `{"points":[…]}`;
//! - `POST /collections/{c}/points` `{"ids":[…],"with_payload":true}` to read the spec record.
//!
//! Qdrant point ids must be unsigned integers or UUIDs, so a caller id becomes the UUID v5 of
//! `namespace/id` and the original id is kept in the payload (`contentos_id`). Collection names
//! are [`QdrantConfig::collection_prefix`] + namespace. For large collections, create payload
//! indexes on `workspace_id`, `platform` and `kind` (keyword) so filtered queries stay fast.

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
use std::time::Duration;
use uuid::Uuid;

const SERVICE: &str = "qdrant";

/// Payload key holding the caller's original id.
const ID_KEY: &str = "contentos_id";

/// Connection settings of a [`QdrantVectorStore`].
#[derive(Clone, Debug)]
pub struct QdrantConfig {
    /// Base URL, e.g. `http://localhost:6333`.
    pub url: String,
    /// API key sent as the `api-key` header (Qdrant Cloud); `None` for an open local server.
    pub api_key: Option<Secret>,
    /// Prefix of collection names (default `contentos_`), so namespaces do not collide with
    /// other applications' collections.
    pub collection_prefix: String,
    /// Points per upsert request (default 256).
    pub batch_size: usize,
    /// Retry policy for 429, 5xx and connection failures.
    pub retry: RetryPolicy,
    /// Per-request timeout (default 30 s).
    pub timeout: Duration,
}

impl QdrantConfig {
    /// Defaults for a server URL.
    pub fn new(url: impl Into<String>) -> Self {
        QdrantConfig {
            url: url.into(),
            api_key: None,
            collection_prefix: "contentos_".into(),
            batch_size: 256,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A [`VectorStore`] on a Qdrant server.
#[derive(Debug)]
pub struct QdrantVectorStore {
    config: QdrantConfig,
    client: reqwest::Client,
    specs: SpecCache,
}

/// The UUID a caller id is stored under: UUID v5 of `namespace/id` in a fixed ContentOS UUID
/// namespace, so the same id always maps to the same point.
pub(crate) fn point_id(ns: &str, id: &str) -> Uuid {
    let root = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://contentos/vector-ids");
    Uuid::new_v5(&root, format!("{ns}/{id}").as_bytes())
}

impl QdrantVectorStore {
    /// A store for `config`; refuses a URL that is not http(s) with [`Error::Validation`].
    pub fn new(config: QdrantConfig) -> Result<Self> {
        if !config.url.starts_with("http://") && !config.url.starts_with("https://") {
            return Err(Error::validation("url", "an http(s) URL"));
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| Error::configuration(format!("http client: {e}")))?;
        Ok(QdrantVectorStore {
            config,
            client,
            specs: SpecCache::default(),
        })
    }

    fn collection(&self, ns: &str) -> String {
        format!("{}{ns}", self.config.collection_prefix)
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        endpoint: &str,
        body: &Value,
    ) -> Result<HttpReply> {
        let url = format!("{}{path}", self.config.url.trim_end_matches('/'));
        send_with_retry(&self.config.retry, SERVICE, endpoint, || {
            let mut req = self.client.request(method.clone(), &url).json(body);
            if let Some(key) = &self.config.api_key {
                req = req.header("api-key", key.expose());
            }
            req
        })
        .await
    }

    /// The namespace's spec: cached, else read from its spec record; `None` when the collection
    /// or the record does not exist.
    async fn spec(&self, ns: &str) -> Result<Option<NamespaceSpec>> {
        if let Some(s) = self.specs.get(ns) {
            return Ok(Some(s));
        }
        let c = self.collection(ns);
        let body = json!({
            "ids": [point_id(ns, SPEC_RECORD_ID).to_string()],
            "with_payload": true,
            "with_vector": false,
        });
        let reply = match self
            .call(
                reqwest::Method::POST,
                &format!("/collections/{c}/points"),
                "/collections/{c}/points",
                &body,
            )
            .await
        {
            Ok(r) => r,
            Err(Error::Rejected { code, .. }) if code.as_deref() == Some("404") => return Ok(None),
            Err(e) => return Err(e),
        };
        let parsed: RetrieveResponse = parse(&reply)?;
        let Some(point) = parsed.result.into_iter().next() else {
            return Ok(None);
        };
        let spec = parse_spec_metadata(SERVICE, &point.payload.unwrap_or_default())?;
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
struct RetrieveResponse {
    #[serde(default)]
    result: Vec<RetrievedPoint>,
}

#[derive(Deserialize)]
struct RetrievedPoint {
    #[serde(default)]
    payload: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct QueryResponse {
    result: QueryResult,
}

#[derive(Deserialize)]
struct QueryResult {
    #[serde(default)]
    points: Vec<ScoredPoint>,
}

#[derive(Deserialize)]
struct ScoredPoint {
    score: f32,
    #[serde(default)]
    payload: Option<Map<String, Value>>,
}

#[async_trait]
impl VectorStore for QdrantVectorStore {
    fn backend(&self) -> &'static str {
        "qdrant"
    }

    async fn upsert(&self, ns: &str, items: Vec<VectorRecord>) -> Result<()> {
        validate_namespace(ns)?;
        check_not_reserved("items.id", items.iter().map(|r| r.id.as_str()))?;
        let existing = self.spec(ns).await?;
        let spec = validate_records(ns, &items, existing.as_ref())?;
        let c = self.collection(ns);
        let mut points: Vec<Value> = items
            .iter()
            .map(|r| {
                let mut payload = r.metadata.to_flat(&r.model_id);
                payload.insert(ID_KEY.into(), json!(r.id));
                json!({
                    "id": point_id(ns, &r.id).to_string(),
                    "vector": r.vector,
                    "payload": payload,
                })
            })
            .collect();
        if existing.is_none() {
            let create = json!({ "vectors": { "size": spec.dimensions, "distance": "Cosine" } });
            match self
                .call(
                    reqwest::Method::PUT,
                    &format!("/collections/{c}"),
                    "/collections/{c}",
                    &create,
                )
                .await
            {
                Ok(_) => {}
                // Another writer created it first; the dimension check below still holds
                // because Qdrant refuses vectors of another size.
                Err(Error::Rejected { code, .. }) if code.as_deref() == Some("409") => {}
                Err(e) => return Err(e),
            }
            let mut payload = spec_metadata(&spec);
            payload.insert(ID_KEY.into(), json!(SPEC_RECORD_ID));
            points.insert(
                0,
                json!({
                    "id": point_id(ns, SPEC_RECORD_ID).to_string(),
                    "vector": spec_vector(spec.dimensions),
                    "payload": payload,
                }),
            );
        }
        for batch in chunks(&points, self.config.batch_size) {
            self.call(
                reqwest::Method::PUT,
                &format!("/collections/{c}/points?wait=true"),
                "/collections/{c}/points",
                &json!({ "points": batch }),
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
        let c = self.collection(ns);
        let mut body = json!({
            "query": vector,
            "limit": top_k + 1,
            "with_payload": true,
            "with_vector": false,
        });
        if let Some(f) = filter {
            let must: Vec<Value> = f
                .conditions()
                .into_iter()
                .map(|(k, v)| json!({ "key": k, "match": { "value": v } }))
                .collect();
            if !must.is_empty() {
                body["filter"] = json!({ "must": must });
            }
        }
        let reply = self
            .call(
                reqwest::Method::POST,
                &format!("/collections/{c}/points/query"),
                "/collections/{c}/points/query",
                &body,
            )
            .await?;
        let parsed: QueryResponse = parse(&reply)?;
        let mut out = Vec::with_capacity(top_k);
        for p in parsed.result.points {
            let mut payload = p.payload.unwrap_or_default();
            if payload.contains_key(SPEC_MARKER) {
                continue;
            }
            let id = match payload.remove(ID_KEY) {
                Some(Value::String(s)) => s,
                _ => {
                    return Err(Error::Protocol {
                        service: SERVICE.into(),
                        message: format!("point without {ID_KEY} in payload"),
                    })
                }
            };
            out.push(Match {
                id,
                score: p.score,
                metadata: VectorMetadata::from_flat(payload, &[])?,
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
        let c = self.collection(ns);
        for batch in chunks(ids, 1000) {
            let points: Vec<String> = batch
                .iter()
                .map(|id| point_id(ns, id).to_string())
                .collect();
            self.call(
                reqwest::Method::POST,
                &format!("/collections/{c}/points/delete?wait=true"),
                "/collections/{c}/points/delete",
                &json!({ "points": points }),
            )
            .await?;
        }
        Ok(())
    }

    async fn namespace_spec(&self, ns: &str) -> Result<Option<NamespaceSpec>> {
        validate_namespace(ns)?;
        self.spec(ns).await
    }
}
