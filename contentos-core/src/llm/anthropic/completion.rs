//! Non-streaming messages: request body, response parsing and the error mapping shared with
//! streaming.

use super::client::AnthropicProvider;
use super::wire::{ErrorEnvelope, MessagesRequest, MessagesResponse, WireMessage, WireUsage};
use crate::llm::http::{header, map_transport_error, retry_after, snippet};
use crate::llm::telemetry::{record_outcome, record_usage, request_span};
use crate::llm::types::{Completion, CompletionRequest, FinishReason, Role, Usage};
use crate::{Error, Result};
use reqwest::header::HeaderMap;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The request body. Anthropic's temperature range is 0..=1, so values above 1 (valid for
/// OpenAI, and so possible after a fallback) are clamped.
pub(super) fn body<'a>(
    p: &AnthropicProvider,
    req: &'a CompletionRequest,
    model: &'a str,
    stream: bool,
) -> MessagesRequest<'a> {
    MessagesRequest {
        model,
        max_tokens: req.max_tokens.unwrap_or(p.cfg.default_max_tokens),
        system: req.system.as_deref(),
        messages: req
            .messages
            .iter()
            .map(|m| WireMessage {
                role: match m.role {
                    Role::User => "user",
                    Role::Assistant => "assistant",
                },
                content: &m.content,
            })
            .collect(),
        temperature: req.temperature.map(|t| t.clamp(0.0, 1.0)),
        stream,
    }
}

pub(super) fn finish_reason(r: Option<&str>) -> FinishReason {
    match r {
        None | Some("end_turn") | Some("stop_sequence") => FinishReason::Stop,
        Some("max_tokens") => FinishReason::Length,
        Some("tool_use") => FinishReason::ToolUse,
        Some("refusal") => FinishReason::ContentFilter,
        Some(other) => FinishReason::Other(other.to_string()),
    }
}

pub(super) fn usage(u: WireUsage) -> Usage {
    Usage {
        prompt_tokens: u.input_tokens.unwrap_or(0),
        completion_tokens: u.output_tokens.unwrap_or(0),
    }
}

pub(super) async fn send(
    p: &AnthropicProvider,
    body: &MessagesRequest<'_>,
) -> Result<reqwest::Response> {
    let resp = p
        .post()
        .json(body)
        .send()
        .await
        .map_err(|e| map_transport_error(&p.cfg.name, &e, p.cfg.connect_timeout))?;
    let span = tracing::Span::current();
    span.record("status", resp.status().as_u16());
    if let Some(id) = header(resp.headers(), "request-id") {
        span.record("request_id", id.as_str());
    }
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    Err(map_error(&p.cfg.name, status, &headers, &text))
}

pub(super) async fn complete(p: &AnthropicProvider, req: &CompletionRequest) -> Result<Completion> {
    let model = p.model_for(req);
    let span = request_span(&p.cfg.name, &model, "v1/messages", false);
    let started = Instant::now();
    let result = async {
        let resp = send(p, &body(p, req, &model, false)).await?;
        let request_id = header(resp.headers(), "request-id");
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| map_transport_error(&p.cfg.name, &e, p.cfg.connect_timeout))?;
        parse_response(&p.cfg.name, &bytes, request_id)
    }
    .instrument(span.clone())
    .await;
    record_usage(&span, result.as_ref().ok().and_then(|c| c.usage.as_ref()));
    record_outcome(&span, started, result.as_ref().err());
    result
}

/// Parses a 2xx body; anything unexpected is a [`Error::Protocol`].
pub(super) fn parse_response(
    service: &str,
    bytes: &[u8],
    request_id: Option<String>,
) -> Result<Completion> {
    let r: MessagesResponse = serde_json::from_slice(bytes).map_err(|e| Error::Protocol {
        service: service.to_string(),
        message: format!(
            "malformed message: {e}: {}",
            snippet(&String::from_utf8_lossy(bytes))
        ),
    })?;
    let text: String = r
        .content
        .iter()
        .filter(|b| b.kind == "text")
        .filter_map(|b| b.text.as_deref())
        .collect();
    Ok(Completion {
        text,
        finish_reason: finish_reason(r.stop_reason.as_deref()),
        provider: service.to_string(),
        model: r.model,
        request_id: request_id.or(r.id),
        usage: r.usage.map(usage),
        served_by: service.to_string(),
        cost_usd: None,
        cached: false,
    })
}

/// Maps an Anthropic error (HTTP status plus `{"type":"error","error":{"type","message"}}`, or
/// an `error` stream event with status 0) to a typed error.
pub(super) fn map_error(service: &str, status: u16, headers: &HeaderMap, body: &str) -> Error {
    let parsed = serde_json::from_str::<ErrorEnvelope>(body)
        .ok()
        .map(|e| e.error);
    let kind = parsed.as_ref().map(|e| e.kind.as_str()).unwrap_or("");
    let message = parsed
        .as_ref()
        .map(|e| e.message.clone())
        .unwrap_or_else(|| snippet(body));
    let request_id = header(headers, "request-id");
    let service = service.to_string();
    let low_credit = message.to_ascii_lowercase().contains("credit balance");
    match (status, kind) {
        (402, _) | (_, "billing_error") => Error::QuotaExceeded { service, message },
        (400, _) if low_credit => Error::QuotaExceeded { service, message },
        (429, _) | (_, "rate_limit_error") => Error::RateLimited {
            service,
            retry_after: retry_after(headers).or_else(|| ratelimit_reset(headers)),
        },
        (401 | 403, _) | (_, "authentication_error" | "permission_error") => {
            Error::Unauthorized { service, message }
        }
        (408 | 500..=599, _) | (_, "overloaded_error" | "api_error" | "timeout_error") => {
            Error::Transient {
                service,
                status: (status != 0).then_some(status),
                request_id,
                message,
            }
        }
        _ => Error::Rejected {
            service,
            code: Some(if kind.is_empty() {
                status.to_string()
            } else {
                kind.to_string()
            }),
            message,
        },
    }
}

/// The wait until the earliest `anthropic-ratelimit-*-reset` instant (RFC 3339) whose
/// `-remaining` is 0, or the latest reset when none says.
fn ratelimit_reset(headers: &HeaderMap) -> Option<Duration> {
    let now = chrono::Utc::now();
    let mut exhausted = None;
    let mut latest = None;
    for k in ["requests", "tokens", "input-tokens", "output-tokens"] {
        let Some(at) = header(headers, &format!("anthropic-ratelimit-{k}-reset"))
            .and_then(|v| chrono::DateTime::parse_from_rfc3339(&v).ok())
        else {
            continue;
        };
        let wait = (at.with_timezone(&chrono::Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO);
        latest = latest.max(Some(wait));
        if header(headers, &format!("anthropic-ratelimit-{k}-remaining")).as_deref() == Some("0") {
            exhausted = Some(exhausted.map_or(wait, |w: Duration| w.max(wait)));
        }
    }
    exhausted.or(latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_types_map_to_kinds() {
        let h = HeaderMap::new();
        let e = |s, t: &str| {
            map_error(
                "anthropic",
                s,
                &h,
                &format!(r#"{{"type":"error","error":{{"type":"{t}","message":"m"}}}}"#),
            )
            .kind()
        };
        use crate::ErrorKind as K;
        assert_eq!(e(529, "overloaded_error"), K::Transient);
        assert_eq!(e(429, "rate_limit_error"), K::RateLimited);
        assert_eq!(e(401, "authentication_error"), K::Unauthorized);
        assert_eq!(e(403, "permission_error"), K::Unauthorized);
        assert_eq!(e(402, "billing_error"), K::QuotaExceeded);
        assert_eq!(e(400, "invalid_request_error"), K::Rejected);
        assert_eq!(e(0, "overloaded_error"), K::Transient);
    }
}
