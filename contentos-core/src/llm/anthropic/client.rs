//! Configuration and the [`AnthropicProvider`] itself.

use super::{completion, streaming};
use crate::llm::http::{build_client, DEFAULT_CONNECT_TIMEOUT};
use crate::llm::provider::{CompletionStream, LlmProvider};
use crate::llm::types::{Completion, CompletionRequest};
use crate::vault::Secret;
use crate::{Error, Result};
use async_trait::async_trait;
use std::time::Duration;

/// The API version header value this module speaks.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";
/// The official endpoint (without `/v1`).
pub const ANTHROPIC_BASE_URL: &str = "https://api.anthropic.com";
/// Environment variable holding the Anthropic key.
pub const ANTHROPIC_API_KEY_ENV: &str = "ANTHROPIC_API_KEY";

/// How to reach the Messages API. `Debug` is safe: the key is a [`Secret`].
#[derive(Debug, Clone)]
pub struct AnthropicConfig {
    /// Name reported by [`LlmProvider::name`].
    pub name: String,
    /// The `x-api-key` value.
    pub api_key: Secret,
    /// Base URL without `/v1` (tests point it at a local server).
    pub base_url: String,
    /// Model used when the request names none.
    pub default_model: String,
    /// `max_tokens` is mandatory for Anthropic; used when the request sets none.
    pub default_max_tokens: u32,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
}

impl AnthropicConfig {
    /// The official API with `key`, default model `claude-sonnet-4-0`.
    pub fn new(api_key: impl Into<Secret>) -> Self {
        AnthropicConfig {
            name: "anthropic".into(),
            api_key: api_key.into(),
            base_url: ANTHROPIC_BASE_URL.into(),
            default_model: "claude-sonnet-4-0".into(),
            default_max_tokens: 4096,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// From `ANTHROPIC_API_KEY`; `None` when unset.
    pub fn from_env() -> Option<Self> {
        std::env::var(ANTHROPIC_API_KEY_ENV)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .map(|k| AnthropicConfig::new(k.trim()))
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
}

/// An [`LlmProvider`] for the Anthropic Messages API.
#[derive(Debug, Clone)]
pub struct AnthropicProvider {
    pub(super) cfg: AnthropicConfig,
    pub(super) http: reqwest::Client,
    pub(super) url: String,
}

impl AnthropicProvider {
    /// Builds the provider and its HTTP client.
    pub fn new(cfg: AnthropicConfig) -> Result<Self> {
        let url = format!("{}/v1/messages", cfg.base_url.trim_end_matches('/'));
        reqwest::Url::parse(&url).map_err(|e| Error::validation("base_url", format!("{e}")))?;
        if cfg.api_key.is_empty() {
            return Err(Error::validation("api_key", "non-empty Anthropic key"));
        }
        let http = build_client(cfg.connect_timeout)?;
        Ok(AnthropicProvider { cfg, http, url })
    }

    /// The configuration (key redacted in `Debug`).
    pub fn config(&self) -> &AnthropicConfig {
        &self.cfg
    }

    pub(super) fn model_for(&self, req: &CompletionRequest) -> String {
        req.model
            .clone()
            .unwrap_or_else(|| self.cfg.default_model.clone())
    }

    /// A POST with the auth and version headers; the key is exposed only here.
    pub(super) fn post(&self) -> reqwest::RequestBuilder {
        self.http
            .post(&self.url)
            .header("x-api-key", self.cfg.api_key.expose())
            .header("anthropic-version", ANTHROPIC_VERSION)
    }
}

#[async_trait]
impl LlmProvider for AnthropicProvider {
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
