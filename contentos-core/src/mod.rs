//! LLM providers and the wrappers that compose around them.
//!
//! * [`LlmProvider`] — the object-safe trait (`complete`, `stream`) with normalised
//!   [`CompletionRequest`] / [`Completion`] / [`CompletionChunk`] types.
//! * Providers: [`openai::OpenAiProvider`] (OpenAI and any OpenAI-compatible server via a base
//!   URL) and [`anthropic::AnthropicProvider`] (Messages API).
//!
//! See `docs/llm.md` for the composition order and the error mapping.

pub mod openai;

mod http;
mod provider;
mod sse;
mod telemetry;
mod types;

pub use http::DEFAULT_CONNECT_TIMEOUT;
pub use provider::{collect_stream, CompletionStream, LlmProvider};
pub use types::{
    Completion, CompletionChunk, CompletionRequest, FinishReason, Message, Role, StreamSummary,
    TaskHint, Usage, WorkspaceScope,
};
