//! LLM providers and the wrappers that compose around them (design document sections 4.2,
//! 12.3, 15.1).
//!
//! * [`LlmProvider`] — the object-safe trait (`complete`, `stream`) with normalised
//!   [`CompletionRequest`] / [`Completion`] / [`CompletionChunk`] types.
//! * Providers, one module each: [`openai`] (OpenAI and any OpenAI-compatible server through a
//!   base URL) and [`anthropic`] (Messages API).
//! * Wrappers, each itself an [`LlmProvider`] around any other: [`Retry`], [`Fallback`],
//!   [`Timeouts`], [`ResponseCache`] (TTL + in-flight deduplication), [`Router`],
//!   [`UsageMeter`] (tier quotas, tokens, cost), [`ConcurrencyLimit`] (bounded in-flight calls).
//! * [`LlmStack`] composes them; [`from_env`] builds the default chain from environment
//!   variables.
//!
//! Every call gets a `tracing` span (`llm.request` per HTTP exchange, `llm.call` per metered
//! call) with provider, model, tokens, cost, latency and outcome — never a key. See
//! `docs/llm.md`.

pub mod anthropic;
pub mod openai;

mod cache;
mod error_clone;
mod fallback;
mod http;
mod limit;
mod provider;
mod retry;
mod router;
mod sse;
mod stack;
mod telemetry;
mod timeout;
mod types;
mod usage;

pub use cache::{cache_key, CacheConfig, CacheStats, ResponseCache};
pub use fallback::Fallback;
pub use http::DEFAULT_CONNECT_TIMEOUT;
pub use limit::ConcurrencyLimit;
pub use provider::{collect_stream, CompletionStream, LlmProvider};
pub use retry::{Retry, RetryPolicy};
pub use router::{ModelRoutes, Router};
pub use stack::{from_env, LlmStack};
pub use timeout::{TimeoutConfig, Timeouts};
pub use types::{
    Completion, CompletionChunk, CompletionRequest, FinishReason, Message, Role, StreamSummary,
    TaskHint, Usage, WorkspaceScope,
};
pub use usage::{
    InMemoryLedger, ModelPrice, PriceTable, TierQuotas, UsageLedger, UsageMeter, WorkspaceUsage,
};
