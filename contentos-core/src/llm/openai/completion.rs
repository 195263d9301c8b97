//! Non-streaming chat completions: request body, response parsing and the error mapping shared
//! with streaming.

use super::client::{MaxTokensField, OpenAiProvider};
use crate::llm::http::{go_duration, header, map_transport_error, retry_after, snippet};
use crate::llm::telemetry::{record_outcome, record_usage, request_span};
use crate::llm::types::{Completion, CompletionRequest, FinishReason, Role, Usage};
use crate::{Error, Result};
use async_openai::error::ApiError;
use async_openai::types::{
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestAssistantMessageContent,
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage,
    ChatCompletionRequestSystemMessageContent, ChatCompletionRequestUserMessage,
    ChatCompletionRequestUserMessageContent, ChatCompletionStreamOptions, CompletionUsage,
    CreateChatCompletionRequest, CreateChatCompletionResponse, FinishReason as OaFinish,
};
use reqwest::header::HeaderMap;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The `async-openai` request body for `req`.
pub(super) fn body(
    p: &OpenAiProvider,
    req: &CompletionRequest,
    model: String,
    stream: bool,
) -> CreateChatCompletionRequest {
    let mut messages = Vec::with_capacity(req.messages.len() + 1);
    if let Some(system) = &req.system {
        messages.push(ChatCompletionRequestMessage::System(
            ChatCompletionRequestSystemMessage {
                content: ChatCompletionRequestSystemMessageContent::Text(system.clone()),
                name: None,
            },
        ));
    }
    for m in &req.messages {
        messages.push(match m.role {
            Role::User => ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage {
                content: ChatCompletionRequestUserMessageContent::Text(m.content.clone()),
                name: None,
            }),
            Role::Assistant => {
                ChatCompletionRequestMessage::Assistant(ChatCompletionRequestAssistantMessage {
                    content: Some(ChatCompletionRequestAssistantMessageContent::Text(
                        m.content.clone(),
                    )),
                    ..Default::default()
                })
            }
        });
    }
    let mut b = CreateChatCompletionRequest {
        messages,
        model,
        temperature: req.temperature,
        ..Default::default()
    };
    match p.cfg.max_tokens_field {
        #[allow(deprecated)] // still the only field many compatible servers read
        MaxTokensField::MaxTokens => b.max_tokens = req.max_tokens,
        MaxTokensField::MaxCompletionTokens => b.max_completion_tokens = req.max_tokens,
    }
    if stream {
        b.stream = Some(true);
        b.stream_options = Some(ChatCompletionStreamOptions {
            include_usage: true,
        });
    }
    b
}

pub(super) fn finish_reason(r: Option<OaFinish>) -> FinishReason {
    match r {
        Some(OaFinish::Stop) | None => FinishReason::Stop,
        Some(OaFinish::Length) => FinishReason::Length,
        Some(OaFinish::ContentFilter) => FinishReason::ContentFilter,
        Some(OaFinish::ToolCalls) | Some(OaFinish::FunctionCall) => FinishReason::ToolUse,
    }
}

pub(super) fn usage(u: &CompletionUsage) -> Usage {
    Usage {
        prompt_tokens: u.prompt_tokens,
        completion_tokens: u.completion_tokens,
    }
}

/// Sends `body` and returns the response when the status is 2xx, a typed error otherwise.
pub(super) async fn send(
    p: &OpenAiProvider,
    body: &CreateChatCompletionRequest,
) -> Result<reqwest::Response> {
    let resp = p
        .post()
        .json(body)
        .send()
        .await
        .map_err(|e| map_transport_error(&p.cfg.name, &e, p.cfg.connect_timeout))?;
    let span = tracing::Span::current();
    span.record("status", resp.status().as_u16());
    if let Some(id) = header(resp.headers(), "x-request-id") {
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

pub(super) async fn complete(p: &OpenAiProvider, req: &CompletionRequest) -> Result<Completion> {
    let model = p.model_for(req);
    let span = request_span(&p.cfg.name, &model, "chat/completions", false);
    let started = Instant::now();
    let result = async {
        let resp = send(p, &body(p, req, model.clone(), false)).await?;
        let request_id = header(resp.headers(), "x-request-id");
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
    let r: CreateChatCompletionResponse =
        serde_json::from_slice(bytes).map_err(|e| Error::Protocol {
            service: service.to_string(),
            message: format!(
                "malformed chat completion: {e}: {}",
                snippet(&String::from_utf8_lossy(bytes))
            ),
        })?;
    let choice = r
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| Error::Protocol {
            service: service.to_string(),
            message: "chat completion without choices".into(),
        })?;
    Ok(Completion {
        text: choice.message.content.unwrap_or_default(),
        finish_reason: finish_reason(choice.finish_reason),
        provider: service.to_string(),
        model: r.model,
        request_id,
        usage: r.usage.as_ref().map(usage),
        served_by: service.to_string(),
        cost_usd: None,
        cached: false,
    })
}

/// Removes anything that looks like an API key (`sk-…`) from an upstream message: OpenAI echoes
/// a masked key in 401 messages, and a masked key is still a secret's fingerprint.
pub(crate) fn redact_keys(msg: &str) -> String {
    msg.split(' ')
        .map(|w| if w.contains("sk-") { "<redacted>" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `{"error": {...}}` around `async-openai`'s [`ApiError`].
#[derive(serde::Deserialize)]
struct ErrorEnvelope {
    error: ApiError,
}

/// Maps a non-2xx OpenAI response to a typed error.
pub(crate) fn map_error(service: &str, status: u16, headers: &HeaderMap, body: &str) -> Error {
    let api = serde_json::from_str::<ErrorEnvelope>(body)
        .ok()
        .map(|w| w.error);
    let code = api
        .as_ref()
        .and_then(|a| a.code.clone().or_else(|| a.r#type.clone()));
    let message = redact_keys(
        &api.as_ref()
            .map(|a| a.message.clone())
            .unwrap_or_else(|| snippet(body)),
    );
    let request_id = header(headers, "x-request-id");
    let is_quota = api.as_ref().is_some_and(|a| {
        a.code.as_deref() == Some("insufficient_quota")
            || a.r#type.as_deref() == Some("insufficient_quota")
    });
    let service = service.to_string();
    match status {
        _ if is_quota => Error::QuotaExceeded { service, message },
        429 => Error::RateLimited {
            service,
            retry_after: retry_after(headers).or_else(|| ratelimit_reset(headers)),
        },
        401 | 403 => Error::Unauthorized { service, message },
        408 | 409 | 500..=599 => Error::Transient {
            service,
            status: Some(status),
            request_id,
            message,
        },
        _ => Error::Rejected {
            service,
            code: code.or_else(|| Some(status.to_string())),
            message,
        },
    }
}

/// The wait implied by `x-ratelimit-reset-{requests,tokens}`: the reset of the exhausted limit
/// (remaining 0), or the longer of the two when neither says which.
fn ratelimit_reset(headers: &HeaderMap) -> Option<Duration> {
    let reset =
        |k: &str| header(headers, &format!("x-ratelimit-reset-{k}")).and_then(|v| go_duration(&v));
    let exhausted =
        |k: &str| header(headers, &format!("x-ratelimit-remaining-{k}")).is_some_and(|v| v == "0");
    let (rq, tk) = (reset("requests"), reset("tokens"));
    match (exhausted("requests"), exhausted("tokens")) {
        (true, false) => rq.or(tk),
        (false, true) => tk.or(rq),
        _ => rq.max(tk),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn quota_beats_rate_limit_and_keys_are_redacted() {
        let body = r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
        let e = map_error("openai", 429, &HeaderMap::new(), body);
        assert_eq!(e.kind(), crate::ErrorKind::QuotaExceeded);
        let body = r#"{"error":{"message":"Incorrect API key provided: sk-abc***xyz. See docs","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
        let e = map_error("openai", 401, &HeaderMap::new(), body);
        assert_eq!(e.kind(), crate::ErrorKind::Unauthorized);
        assert!(!e.to_string().contains("sk-"), "{e}");
    }

    #[test]
    fn rate_limit_reset_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-reset-requests", HeaderValue::from_static("2s"));
        h.insert("x-ratelimit-reset-tokens", HeaderValue::from_static("1m0s"));
        h.insert(
            "x-ratelimit-remaining-requests",
            HeaderValue::from_static("0"),
        );
        h.insert(
            "x-ratelimit-remaining-tokens",
            HeaderValue::from_static("500"),
        );
        match map_error("openai", 429, &h, "{}") {
            Error::RateLimited { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::from_secs(2)))
            }
            e => panic!("{e:?}"),
        }
    }
}
