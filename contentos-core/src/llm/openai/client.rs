//! Configuration and the [`OpenAiProvider`] itself.

use super::{completion, streaming};
use crate::llm::http::{build_client, DEFAULT_CONNECT_TIMEOUT};
use crate::llm::provider::{CompletionStream, LlmProvider};
use crate::llm::types::{Completion, CompletionRequest};
use crate::vault::Secret;
use crate::{Error, Result};
use async_trait::async_trait;
use std::time::Duration;

/// The official endpoint.
pub const OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
/// Environment variable holding the OpenAI key.
pub const OPENAI_API_KEY_ENV: &str = "OPENAI_API_KEY";
/// Environment variable holding an OpenAI-compatible base URL (Ollama, vLLM, OpenRouter …).
pub const BASE_URL_ENV: &str = "CONTENTOS_LLM_BASE_URL";
/// Environment variable naming the default model for the OpenAI-compatible provider.
pub const MODEL_ENV: &str = "CONTENTOS_LLM_MODEL";

/// Which JSON field carries the token budget.
///
/// Why configurable: OpenAI deprecated `max_tokens` in favour of `max_completion_tokens` (its
/// reasoning models reject the old one), while many OpenAI-compatible servers only know
/// `max_tokens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxTokensField {
    /// `max_tokens` (OpenAI-compatible servers).
    MaxTokens,
    /// `max_completion_tokens` (api.openai.com).
    MaxCompletionTokens,
}

/// How to reach an OpenAI-compatible server. `Debug` is safe: the key is a [`Secret`].
#[derive(Debug, Clone)]
pub struct OpenAiConfig {
    /// Name reported by [`LlmProvider::name`] and in completions (`"openai"`, `"ollama"` …).
    pub name: String,
    /// Bearer key; `None` for local servers that need none.
    pub api_key: Option<Secret>,
    /// Base URL up to and including `/v1`.
    pub base_url: String,
    /// Model used when the request names none.
    pub default_model: String,
    /// `OpenAI-Organization` header, when the key belongs to several organisations.
    pub organization: Option<String>,
    /// Which field carries the token budget.
    pub max_tokens_field: MaxTokensField,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
}

impl OpenAiConfig {
    /// The official API with `key`, default model `gpt-4o-mini`.
    pub fn new(api_key: impl Into<Secret>) -> Self {
        OpenAiConfig {
            name: "openai".into(),
            api_key: Some(api_key.into()),
            base_url: OPENAI_BASE_URL.into(),
            default_model: "gpt-4o-mini".into(),
            organization: None,
            max_tokens_field: MaxTokensField::MaxCompletionTokens,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// An OpenAI-compatible server at `base_url` (for example `http://localhost:11434/v1` for
    /// Ollama) serving `model`, without a key; sends `max_tokens`.
    pub fn compatible(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        OpenAiConfig {
            name: "openai".into(),
            api_key: None,
            base_url: base_url.into(),
            default_model: model.into(),
            organization: None,
            max_tokens_field: MaxTokensField::MaxTokens,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// From `OPENAI_API_KEY`, `CONTENTOS_LLM_BASE_URL` and `CONTENTOS_LLM_MODEL`; `None` when
    /// neither a key nor a base URL is set.
    pub fn from_env() -> Option<Self> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let key = var(OPENAI_API_KEY_ENV);
        let base = var(BASE_URL_ENV);
        let mut cfg = match (key, base) {
            (None, None) => return None,
            (Some(k), None) => OpenAiConfig::new(k),
            (key, Some(base)) => {
                let mut c = OpenAiConfig::compatible(base.trim(), "gpt-4o-mini");
                c.api_key = key.map(Secret::from);
                c
            }
        };
        if let Some(m) = var(MODEL_ENV) {
            cfg.default_model = m.trim().to_string();
        }
        Some(cfg)
    }

    /// Replaces the base URL.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Replaces the default model.
    pub fn with_default_model(mut self, model: impl Into<String>) -> Self {
        self.default_model = model.into();
        self
    }

    /// Replaces the provider name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

/// An [`LlmProvider`] for OpenAI Chat Completions (`POST {base}/chat/completions`).
#[derive(Debug, Clone)]
pub struct OpenAiProvider {
    pub(super) cfg: OpenAiConfig,
    pub(super) http: reqwest::Client,
    pub(super) url: String,
}

impl OpenAiProvider {
    /// Builds the provider and its HTTP client.
    pub fn new(cfg: OpenAiConfig) -> Result<Self> {
        if cfg.base_url.trim().is_empty() {
            return Err(Error::validation("base_url", "non-empty URL"));
        }
        let url = format!("{}/chat/completions", cfg.base_url.trim_end_matches('/'));
        reqwest::Url::parse(&url).map_err(|e| Error::validation("base_url", format!("{e}")))?;
        let http = build_client(cfg.connect_timeout)?;
        Ok(OpenAiProvider { cfg, http, url })
    }

    /// The configuration (key redacted in `Debug`).
    pub fn config(&self) -> &OpenAiConfig {
        &self.cfg
    }

    /// The model a request will use.
    pub(super) fn model_for(&self, req: &CompletionRequest) -> String {
        req.model
            .clone()
            .unwrap_or_else(|| self.cfg.default_model.clone())
    }

    /// A POST with auth headers; the key is exposed only here.
    pub(super) fn post(&self) -> reqwest::RequestBuilder {
        let mut rb = self.http.post(&self.url);
        if let Some(key) = &self.cfg.api_key {
            rb = rb.bearer_auth(key.expose());
        }
        if let Some(org) = &self.cfg.organization {
            rb = rb.header("OpenAI-Organization", org);
        }
        rb
    }
}

#[async_trait]
impl LlmProvider for OpenAiProvider {
    fn name(&self) -> &str {
        &self.cfg.name
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        req.validate()?;
        completion::complete(self, &req).await
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        req.validate()?;
        streaming::stream(self, &req).await
    }
}
