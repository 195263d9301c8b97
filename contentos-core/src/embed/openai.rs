//! OpenAI embeddings (`POST /v1/embeddings`), for semantic rather than lexical similarity.
//!
//! Requests carry a batch of inputs (`"input": [..]`, at most [`OpenAiEmbedderConfig::batch_size`]
//! per request, OpenAI allows 2048), the model, `"encoding_format": "float"` and, when set, the
//! `dimensions` parameter that shortens `text-embedding-3-*` vectors. Responses are matched back
//! to inputs by their `index`, not by position. 429 and 5xx are retried with backoff honouring
//! `Retry-After` ([`RetryPolicy`]); `insufficient_quota` becomes [`Error::QuotaExceeded`].
//!
//! The API key is a [`Secret`]: it is sent only in the `Authorization` header and never appears
//! in `Debug`, spans or errors.

use super::retry::{send_with_retry, RetryPolicy};
use super::{validate_texts, Embedder};
use crate::vault::Secret;
use crate::{Error, Result};
use async_trait::async_trait;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

const SERVICE: &str = "openai";

/// The OpenAI embedding models this SDK knows the native size of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenAiEmbeddingModel {
    /// `text-embedding-3-small`: 1536 dimensions natively, cheapest.
    Small3,
    /// `text-embedding-3-large`: 3072 dimensions natively, best quality.
    Large3,
}

impl OpenAiEmbeddingModel {
    /// The model name sent in requests.
    pub fn as_str(self) -> &'static str {
        match self {
            OpenAiEmbeddingModel::Small3 => "text-embedding-3-small",
            OpenAiEmbeddingModel::Large3 => "text-embedding-3-large",
        }
    }

    /// The full vector length when no `dimensions` parameter is sent.
    pub fn native_dimensions(self) -> usize {
        match self {
            OpenAiEmbeddingModel::Small3 => 1536,
            OpenAiEmbeddingModel::Large3 => 3072,
        }
    }
}

/// Configuration of an [`OpenAiEmbedder`].
#[derive(Clone)]
pub struct OpenAiEmbedderConfig {
    /// API key, sent as `Authorization: Bearer …`.
    pub api_key: Secret,
    /// Base URL up to and including `/v1` (default `https://api.openai.com/v1`); point it at a
    /// proxy or a compatible server.
    pub base_url: String,
    /// The model.
    pub model: OpenAiEmbeddingModel,
    /// Shortened output size (the `dimensions` parameter); `None` keeps the native size.
    pub dimensions: Option<usize>,
    /// Inputs per request (default 256, at most 2048).
    pub batch_size: usize,
    /// Retry policy for 429, 5xx and connection failures.
    pub retry: RetryPolicy,
    /// Per-request timeout (default 60 s).
    pub timeout: Duration,
}

impl fmt::Debug for OpenAiEmbedderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiEmbedderConfig")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("dimensions", &self.dimensions)
            .field("batch_size", &self.batch_size)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl OpenAiEmbedderConfig {
    /// Defaults for `model` with `api_key`: official base URL, native dimensions, batches of 256.
    pub fn new(api_key: Secret, model: OpenAiEmbeddingModel) -> Self {
        OpenAiEmbedderConfig {
            api_key,
            base_url: "https://api.openai.com/v1".into(),
            model,
            dimensions: None,
            batch_size: 256,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
        }
    }
}

/// Embeds through OpenAI's embeddings endpoint.
#[derive(Debug, Clone)]
pub struct OpenAiEmbedder {
    config: OpenAiEmbedderConfig,
    client: reqwest::Client,
    model_id: String,
    dimensions: usize,
}

impl OpenAiEmbedder {
    /// An embedder for `config`; refuses an empty key, a batch size outside 1..=2048 and a
    /// `dimensions` outside 1..=native size with [`Error::Validation`].
    pub fn new(config: OpenAiEmbedderConfig) -> Result<Self> {
        if config.api_key.is_empty() {
            return Err(Error::validation("api_key", "non-empty"));
        }
        if config.batch_size == 0 || config.batch_size > 2048 {
            return Err(Error::validation("batch_size", "1..=2048"));
        }
        let native = config.model.native_dimensions();
        let dimensions = config.dimensions.unwrap_or(native);
        if dimensions == 0 || dimensions > native {
            return Err(Error::validation(
                "dimensions",
                format!("1..={native} for {}", config.model.as_str()),
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| Error::configuration(format!("http client: {e}")))?;
        let model_id = format!("openai/{}@{dimensions}", config.model.as_str());
        Ok(OpenAiEmbedder {
            config,
            client,
            model_id,
            dimensions,
        })
    }

    async fn embed_batch(&self, batch: &[String]) -> Result<Vec<Vec<f32>>> {
        let url = format!("{}/embeddings", self.config.base_url.trim_end_matches('/'));
        let mut body = serde_json::json!({
            "model": self.config.model.as_str(),
            "input": batch,
            "encoding_format": "float",
        });
        if let Some(d) = self.config.dimensions {
            body["dimensions"] = serde_json::json!(d);
        }
        let reply = send_with_retry(&self.config.retry, SERVICE, "/embeddings", || {
            self.client
                .post(&url)
                .bearer_auth(self.config.api_key.expose())
                .json(&body)
        })
        .await?;
        let parsed: EmbeddingsResponse =
            serde_json::from_slice(&reply.body).map_err(|e| Error::Protocol {
                service: SERVICE.into(),
                message: format!("embeddings response (HTTP {}): {e}", reply.status),
            })?;
        let mut out: Vec<Option<Vec<f32>>> = vec![None; batch.len()];
        for item in parsed.data {
            if item.embedding.len() != self.dimensions {
                return Err(Error::Protocol {
                    service: SERVICE.into(),
                    message: format!(
                        "embedding {} has {} dimensions, expected {}",
                        item.index,
                        item.embedding.len(),
                        self.dimensions
                    ),
                });
            }
            match out.get_mut(item.index) {
                Some(slot @ None) => *slot = Some(item.embedding),
                _ => {
                    return Err(Error::Protocol {
                        service: SERVICE.into(),
                        message: format!("unexpected or repeated embedding index {}", item.index),
                    })
                }
            }
        }
        out.into_iter()
            .enumerate()
            .map(|(i, v)| {
                v.ok_or_else(|| Error::Protocol {
                    service: SERVICE.into(),
                    message: format!("no embedding returned for input {i}"),
                })
            })
            .collect()
    }
}

#[derive(Deserialize)]
struct EmbeddingsResponse {
    data: Vec<EmbeddingItem>,
}

#[derive(Deserialize)]
struct EmbeddingItem {
    index: usize,
    embedding: Vec<f32>,
}

#[async_trait]
impl Embedder for OpenAiEmbedder {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn dimensions(&self) -> usize {
        self.dimensions
    }

    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        validate_texts(texts)?;
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(self.config.batch_size) {
            out.extend(self.embed_batch(batch).await?);
        }
        Ok(out)
    }
}
