//! `tracing` spans for LLM calls. Fields are declared up front (as `Empty`) and recorded when
//! known, so subscribers see one span per call with provider, model, tokens, cost, latency and
//! outcome. Keys are never a field: nothing here receives one.

use super::types::Usage;
use crate::Error;
use std::time::Instant;
use tracing::field::Empty;
use tracing::Span;

/// The span of one HTTP request to a provider.
pub(crate) fn request_span(provider: &str, model: &str, endpoint: &str, stream: bool) -> Span {
    tracing::info_span!(
        "llm.request",
        provider = provider,
        model = model,
        endpoint = endpoint,
        stream = stream,
        status = Empty,
        request_id = Empty,
        prompt_tokens = Empty,
        completion_tokens = Empty,
        latency_ms = Empty,
        outcome = Empty,
    )
}

/// The span of one metered call (see [`UsageMeter`](super::UsageMeter)), which adds cost and the
/// workspace to what the provider span says.
pub(crate) fn call_span(provider: &str, model: &str, workspace: Option<String>) -> Span {
    tracing::info_span!(
        "llm.call",
        provider = provider,
        model = model,
        workspace = workspace,
        served_by = Empty,
        prompt_tokens = Empty,
        completion_tokens = Empty,
        cost_usd = Empty,
        latency_ms = Empty,
        cached = Empty,
        outcome = Empty,
    )
}

/// Records usage on a span.
pub(crate) fn record_usage(span: &Span, usage: Option<&Usage>) {
    if let Some(u) = usage {
        span.record("prompt_tokens", u.prompt_tokens);
        span.record("completion_tokens", u.completion_tokens);
    }
}

/// Records latency and the outcome (`ok` or the error kind) on a span.
pub(crate) fn record_outcome(span: &Span, started: Instant, err: Option<&Error>) {
    span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
    match err {
        None => span.record("outcome", "ok"),
        Some(e) => span.record("outcome", e.kind().as_str()),
    };
}
