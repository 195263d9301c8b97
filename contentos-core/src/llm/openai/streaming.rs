//! Streaming chat completions: `stream: true` with `stream_options.include_usage`, so the last
//! data chunk before `[DONE]` carries usage and an empty `choices` array.

use super::client::OpenAiProvider;
use super::completion::{body, finish_reason, map_error, send, usage};
use crate::llm::http::{header, map_transport_error, snippet};
use crate::llm::provider::CompletionStream;
use crate::llm::sse::{drive, SseEvent, SseHandler};
use crate::llm::telemetry::{record_outcome, record_usage, request_span};
use crate::llm::types::{CompletionChunk, CompletionRequest, FinishReason, StreamSummary, Usage};
use crate::{Error, Result};
use async_openai::types::CreateChatCompletionStreamResponse;
use reqwest::header::HeaderMap;
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use tracing::{Instrument, Span};

pub(super) async fn stream(
    p: &OpenAiProvider,
    req: &CompletionRequest,
) -> Result<CompletionStream> {
    let model = p.model_for(req);
    let span = request_span(&p.cfg.name, &model, "chat/completions", true);
    let started = Instant::now();
    let resp = match send(p, &body(p, req, model.clone(), true))
        .instrument(span.clone())
        .await
    {
        Ok(r) => r,
        Err(e) => {
            record_outcome(&span, started, Some(&e));
            return Err(e);
        }
    };
    let request_id = header(resp.headers(), "x-request-id");
    Ok(drive(
        resp,
        OpenAiSse {
            service: p.cfg.name.clone(),
            model,
            request_id,
            finish: None,
            usage: None,
            span,
            started,
            connect_timeout: p.cfg.connect_timeout,
        },
    ))
}

struct OpenAiSse {
    service: String,
    model: String,
    request_id: Option<String>,
    finish: Option<FinishReason>,
    usage: Option<Usage>,
    span: Span,
    started: Instant,
    connect_timeout: Duration,
}

impl OpenAiSse {
    fn fail(&self, e: Error, out: &mut VecDeque<Result<CompletionChunk>>) -> bool {
        record_outcome(&self.span, self.started, Some(&e));
        out.push_back(Err(e));
        true
    }

    fn finish(&mut self, out: &mut VecDeque<Result<CompletionChunk>>) {
        record_usage(&self.span, self.usage.as_ref());
        record_outcome(&self.span, self.started, None);
        out.push_back(Ok(CompletionChunk::Done(StreamSummary {
            finish_reason: self.finish.clone().unwrap_or(FinishReason::Stop),
            provider: self.service.clone(),
            model: self.model.clone(),
            request_id: self.request_id.clone(),
            usage: self.usage,
            served_by: self.service.clone(),
            cost_usd: None,
        })));
    }
}

impl SseHandler for OpenAiSse {
    fn on_event(&mut self, ev: SseEvent, out: &mut VecDeque<Result<CompletionChunk>>) -> bool {
        let data = ev.data.trim();
        if data == "[DONE]" {
            self.finish(out);
            return true;
        }
        if data.is_empty() {
            return false;
        }
        // An error object in the middle of a stream (OpenAI sends one on server errors).
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(data) {
            if v.get("error").is_some() {
                let e = map_error(&self.service, 500, &HeaderMap::new(), data);
                return self.fail(e, out);
            }
        }
        let chunk: CreateChatCompletionStreamResponse = match serde_json::from_str(data) {
            Ok(c) => c,
            Err(e) => {
                let err = Error::Protocol {
                    service: self.service.clone(),
                    message: format!("malformed stream chunk: {e}: {}", snippet(data)),
                };
                return self.fail(err, out);
            }
        };
        if !chunk.model.is_empty() {
            self.model = chunk.model;
        }
        if let Some(u) = &chunk.usage {
            self.usage = Some(usage(u));
        }
        // The usage-only chunk has `choices: []`; ordinary chunks carry one choice.
        for choice in chunk.choices.into_iter().filter(|c| c.index == 0) {
            if let Some(text) = choice.delta.content.filter(|t| !t.is_empty()) {
                out.push_back(Ok(CompletionChunk::Delta(text)));
            }
            if choice.finish_reason.is_some() {
                self.finish = Some(finish_reason(choice.finish_reason));
            }
        }
        false
    }

    fn on_eof(&mut self, out: &mut VecDeque<Result<CompletionChunk>>) {
        // Some compatible servers close without `[DONE]`; accept that once a finish reason came.
        if self.finish.is_some() {
            self.finish(out);
        } else {
            let e = Error::Transient {
                service: self.service.clone(),
                status: None,
                request_id: self.request_id.clone(),
                message: "stream ended before the completion finished".into(),
            };
            self.fail(e, out);
        }
    }

    fn on_transport_error(&mut self, e: reqwest::Error) -> Error {
        let err = map_transport_error(&self.service, &e, self.connect_timeout);
        record_outcome(&self.span, self.started, Some(&err));
        err
    }
}
