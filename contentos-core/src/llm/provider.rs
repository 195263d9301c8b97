//! The [`LlmProvider`] trait: what every provider and every wrapper implements.

use super::types::{Completion, CompletionChunk, CompletionRequest, StreamSummary};
use crate::{Error, Result};
use async_trait::async_trait;
use futures::stream::BoxStream;
use futures::StreamExt;

/// A stream of completion chunks, `'static` so it can outlive the call that opened it.
pub type CompletionStream = BoxStream<'static, Result<CompletionChunk>>;

/// A large language model behind a uniform, object-safe interface.
///
/// Why one trait for providers *and* wrappers: retry, fallback, timeouts, caching, routing and
/// metering each wrap an `Arc<dyn LlmProvider>` and are themselves providers, so any stack can be
/// composed (and tested) piece by piece, and the pipeline never knows what is underneath.
#[async_trait]
pub trait LlmProvider: Send + Sync {
    /// A short stable name (`"openai"`, `"anthropic"`); wrappers report their inner provider's
    /// name, a fallback chain its members' names joined by `|`.
    fn name(&self) -> &str;

    /// Generates a whole completion.
    async fn complete(&self, req: CompletionRequest) -> Result<Completion>;

    /// Streams a completion: [`CompletionChunk::Delta`] items, then one
    /// [`CompletionChunk::Done`] with usage. Errors that happen before anything was generated
    /// (HTTP status, connection) are returned by this call rather than inside the stream.
    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream>;
}

/// Drains a stream into a [`Completion`], as if [`LlmProvider::complete`] had been called.
///
/// Useful for callers that want streaming's idle timeout but a whole answer, and for tests.
pub async fn collect_stream(mut stream: CompletionStream) -> Result<Completion> {
    let mut text = String::new();
    while let Some(item) = stream.next().await {
        match item? {
            CompletionChunk::Delta(d) => text.push_str(&d),
            CompletionChunk::Done(s) => return Ok(completion_from_summary(text, s)),
        }
    }
    Err(Error::Protocol {
        service: "llm".into(),
        message: "stream ended without a final chunk".into(),
    })
}

/// Builds a [`Completion`] from streamed text and the stream's summary.
pub(crate) fn completion_from_summary(text: String, s: StreamSummary) -> Completion {
    Completion {
        text,
        finish_reason: s.finish_reason,
        provider: s.provider,
        model: s.model,
        request_id: s.request_id,
        usage: s.usage,
        served_by: s.served_by,
        cost_usd: s.cost_usd,
        cached: false,
    }
}
