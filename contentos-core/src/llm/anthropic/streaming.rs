//! Streaming messages: SSE events from `message_start` to `message_stop`.

use super::client::AnthropicProvider;
use super::completion::{body, finish_reason, map_error, send};
use super::wire::{BlockDelta, StreamEvent};
use crate::llm::http::{header, map_transport_error, snippet};
use crate::llm::provider::CompletionStream;
use crate::llm::sse::{drive, SseEvent, SseHandler};
use crate::llm::telemetry::{record_outcome, record_usage, request_span};
use crate::llm::types::{CompletionChunk, CompletionRequest, FinishReason, StreamSummary, Usage};
use crate::{Error, Result};
use reqwest::header::HeaderMap;
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use tracing::{Instrument, Span};

pub(super) async fn stream(
    p: &AnthropicProvider,
    req: &CompletionRequest,
) -> Result<CompletionStream> {
    let model = p.model_for(req);
    let span = request_span(&p.cfg.name, &model, "v1/messages", true);
    let started = Instant::now();
    let resp = match send(p, &body(p, req, &model, true))
        .instrument(span.clone())
        .await
    {
        Ok(r) => r,
        Err(e) => {
            record_outcome(&span, started, Some(&e));
            return Err(e);
        }
    };
    let request_id = header(resp.headers(), "request-id");
    Ok(drive(
        resp,
        AnthropicSse {
            service: p.cfg.name.clone(),
            model,
            request_id,
            finish: None,
            usage: Usage::default(),
            saw_usage: false,
            span,
            started,
            connect_timeout: p.cfg.connect_timeout,
        },
    ))
}

struct AnthropicSse {
    service: String,
    model: String,
    request_id: Option<String>,
    finish: Option<FinishReason>,
    usage: Usage,
    saw_usage: bool,
    span: Span,
    started: Instant,
    connect_timeout: Duration,
}

impl AnthropicSse {
    fn fail(&self, e: Error, out: &mut VecDeque<Result<CompletionChunk>>) -> bool {
        record_outcome(&self.span, self.started, Some(&e));
        out.push_back(Err(e));
        true
    }

    fn merge_usage(&mut self, u: super::wire::WireUsage) {
        if let Some(i) = u.input_tokens {
            self.usage.prompt_tokens = i;
            self.saw_usage = true;
        }
        if let Some(o) = u.output_tokens {
            // message_delta's output_tokens is cumulative, so it replaces message_start's.
            self.usage.completion_tokens = o;
            self.saw_usage = true;
        }
    }
}

impl SseHandler for AnthropicSse {
    fn on_event(&mut self, ev: SseEvent, out: &mut VecDeque<Result<CompletionChunk>>) -> bool {
        let parsed: StreamEvent = match serde_json::from_str(&ev.data) {
            Ok(e) => e,
            Err(e) => {
                // Unknown event types are allowed by Anthropic's versioning policy: skip them.
                if let Some(kind) = ev.event.as_deref() {
                    if !matches!(
                        kind,
                        "message_start"
                            | "content_block_start"
                            | "content_block_delta"
                            | "content_block_stop"
                            | "message_delta"
                            | "message_stop"
                            | "ping"
                            | "error"
                    ) {
                        return false;
                    }
                }
                let err = Error::Protocol {
                    service: self.service.clone(),
                    message: format!("malformed stream event: {e}: {}", snippet(&ev.data)),
                };
                return self.fail(err, out);
            }
        };
        match parsed {
            StreamEvent::MessageStart { message } => {
                if let Some(m) = message.model {
                    self.model = m;
                }
                if let Some(u) = message.usage {
                    self.merge_usage(u);
                }
            }
            StreamEvent::ContentBlockDelta {
                delta: BlockDelta::TextDelta { text },
            } => {
                if !text.is_empty() {
                    out.push_back(Ok(CompletionChunk::Delta(text)));
                }
            }
            StreamEvent::MessageDelta { delta, usage: u } => {
                self.finish = Some(finish_reason(delta.stop_reason.as_deref()));
                if let Some(u) = u {
                    self.merge_usage(u);
                }
            }
            StreamEvent::MessageStop {} => {
                let usage = self.saw_usage.then_some(self.usage);
                record_usage(&self.span, usage.as_ref());
                record_outcome(&self.span, self.started, None);
                out.push_back(Ok(CompletionChunk::Done(StreamSummary {
                    finish_reason: self.finish.clone().unwrap_or(FinishReason::Stop),
                    provider: self.service.clone(),
                    model: self.model.clone(),
                    request_id: self.request_id.clone(),
                    usage,
                    served_by: self.service.clone(),
                    cost_usd: None,
                })));
                return true;
            }
            StreamEvent::Error {} => {
                let mut e = map_error(&self.service, 0, &HeaderMap::new(), &ev.data);
                if let Error::Transient { request_id, .. } = &mut e {
                    *request_id = self.request_id.clone();
                }
                return self.fail(e, out);
            }
            StreamEvent::ContentBlockStart {}
            | StreamEvent::ContentBlockDelta { .. }
            | StreamEvent::ContentBlockStop {}
            | StreamEvent::Ping {} => {}
        }
        false
    }

    fn on_eof(&mut self, out: &mut VecDeque<Result<CompletionChunk>>) {
        let e = Error::Transient {
            service: self.service.clone(),
            status: None,
            request_id: self.request_id.clone(),
            message: "stream ended before message_stop".into(),
        };
        self.fail(e, out);
    }

    fn on_transport_error(&mut self, e: reqwest::Error) -> Error {
        let err = map_transport_error(&self.service, &e, self.connect_timeout);
        record_outcome(&self.span, self.started, Some(&err));
        err
    }
}
