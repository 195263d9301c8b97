//! [`LlmStack`]: the ready-made composition the `ContentOs` facade uses, and [`from_env`].
//!
//! Order, outermost first: [`UsageMeter`] (quota before anything else, so a workspace over quota
//! costs nothing) → [`ResponseCache`] (hits and deduplicated calls never reach a provider) →
//! [`ConcurrencyLimit`] (only calls that really go upstream take a slot) → [`Fallback`] → per
//! provider: [`Retry`] → [`Timeouts`] → [`Router`] → provider. Retry sits
//! inside the fallback so a provider is exhausted before the next is tried; timeouts sit inside
//! retry so each attempt gets the full deadline.

use super::anthropic::{AnthropicConfig, AnthropicProvider};
use super::cache::{CacheConfig, ResponseCache};
use super::fallback::Fallback;
use super::limit::ConcurrencyLimit;
use super::openai::{OpenAiConfig, OpenAiProvider};
use super::provider::LlmProvider;
use super::retry::{Retry, RetryPolicy};
use super::router::{ModelRoutes, Router};
use super::timeout::{TimeoutConfig, Timeouts};
use super::usage::{InMemoryLedger, PriceTable, TierQuotas, UsageLedger, UsageMeter};
use crate::{Error, Result};
use std::sync::Arc;

/// Builds a provider stack. Every layer is optional; the defaults are the production ones.
pub struct LlmStack {
    members: Vec<(Arc<dyn LlmProvider>, Option<ModelRoutes>)>,
    retry: Option<RetryPolicy>,
    timeouts: Option<TimeoutConfig>,
    cache: Option<CacheConfig>,
    max_in_flight: Option<usize>,
    meter: Option<(PriceTable, TierQuotas, Arc<dyn UsageLedger>)>,
}

impl Default for LlmStack {
    fn default() -> Self {
        LlmStack::new()
    }
}

impl LlmStack {
    /// An empty stack with default retry, timeouts, cache, a 256-call in-flight cap and metering (default prices and tier
    /// quotas, in-memory ledger).
    pub fn new() -> Self {
        LlmStack {
            members: Vec::new(),
            retry: Some(RetryPolicy::default()),
            timeouts: Some(TimeoutConfig::default()),
            cache: Some(CacheConfig::default()),
            max_in_flight: Some(256),
            meter: Some((
                PriceTable::defaults(),
                TierQuotas::default(),
                Arc::new(InMemoryLedger::new()),
            )),
        }
    }

    /// Appends a provider to the fallback chain, with optional model routes.
    pub fn provider(mut self, p: Arc<dyn LlmProvider>, routes: Option<ModelRoutes>) -> Self {
        self.members.push((p, routes));
        self
    }

    /// Replaces (or with `None` removes) the retry policy.
    pub fn retry(mut self, policy: Option<RetryPolicy>) -> Self {
        self.retry = policy;
        self
    }

    /// Replaces (or removes) the timeouts.
    pub fn timeouts(mut self, cfg: Option<TimeoutConfig>) -> Self {
        self.timeouts = cfg;
        self
    }

    /// Replaces (or removes) the response cache.
    pub fn cache(mut self, cfg: Option<CacheConfig>) -> Self {
        self.cache = cfg;
        self
    }

    /// Caps upstream calls in flight (default 256); `None` removes the cap.
    pub fn max_in_flight(mut self, limit: Option<usize>) -> Self {
        self.max_in_flight = limit;
        self
    }

    /// Replaces (or removes) metering.
    pub fn meter(mut self, meter: Option<(PriceTable, TierQuotas, Arc<dyn UsageLedger>)>) -> Self {
        self.meter = meter;
        self
    }

    /// Composes the layers. Fails with [`Error::Configuration`] when no provider was added.
    pub fn build(self) -> Result<Arc<dyn LlmProvider>> {
        if self.members.is_empty() {
            return Err(Error::configuration(
                "no LLM provider configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or CONTENTOS_LLM_BASE_URL",
            ));
        }
        let mut chain: Vec<Arc<dyn LlmProvider>> = Vec::new();
        for (p, routes) in self.members {
            let mut p = p;
            if let Some(r) = routes {
                p = Arc::new(Router::new(p, r));
            }
            if let Some(t) = self.timeouts {
                p = Arc::new(Timeouts::new(p, t));
            }
            if let Some(r) = &self.retry {
                p = Arc::new(Retry::new(p, r.clone()));
            }
            chain.push(p);
        }
        let mut top: Arc<dyn LlmProvider> = if chain.len() == 1 {
            chain.remove(0)
        } else {
            Arc::new(Fallback::new(chain))
        };
        if let Some(n) = self.max_in_flight {
            top = Arc::new(ConcurrencyLimit::new(top, n));
        }
        if let Some(c) = self.cache {
            top = Arc::new(ResponseCache::new(top, c));
        }
        if let Some((prices, quotas, ledger)) = self.meter {
            top = Arc::new(UsageMeter::new(top, prices, quotas, ledger));
        }
        Ok(top)
    }
}

/// The default stack from the environment: OpenAI (or the OpenAI-compatible server at
/// `CONTENTOS_LLM_BASE_URL`) then Anthropic, with retry, timeouts, cache and metering.
/// `Ok(None)` when none of `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `CONTENTOS_LLM_BASE_URL` is set.
///
/// Model routing is applied to the official APIs only; a custom base URL serves the model named
/// by `CONTENTOS_LLM_MODEL` for every task.
pub fn from_env() -> Result<Option<Arc<dyn LlmProvider>>> {
    let mut stack = LlmStack::new();
    let mut any = false;
    if let Some(cfg) = OpenAiConfig::from_env() {
        let official = cfg.base_url == super::openai::OPENAI_BASE_URL;
        let explicit_model = std::env::var(super::openai::MODEL_ENV).is_ok();
        let routes = (official && !explicit_model).then(ModelRoutes::openai);
        stack = stack.provider(Arc::new(OpenAiProvider::new(cfg)?), routes);
        any = true;
    }
    if let Some(cfg) = AnthropicConfig::from_env() {
        stack = stack.provider(
            Arc::new(AnthropicProvider::new(cfg)?),
            Some(ModelRoutes::anthropic()),
        );
        any = true;
    }
    if !any {
        return Ok(None);
    }
    stack.build().map(Some)
}
