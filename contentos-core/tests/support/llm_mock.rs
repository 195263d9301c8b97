//! A scriptable local HTTP server that speaks an LLM provider's wire protocol, records every
//! request it receives (headers + JSON body) and answers as the test's script says: JSON with
//! any status and headers, or an SSE stream with per-event delays.
#![allow(dead_code)]

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub headers: HeaderMap,
    pub body: serde_json::Value,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// How to answer one request.
pub enum Reply {
    /// A JSON (or deliberately malformed) body with a status and extra headers.
    Body {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
        delay: Duration,
    },
    /// An SSE stream: each item is (delay before it, raw text to send).
    Sse {
        headers: Vec<(&'static str, String)>,
        events: Vec<(Duration, String)>,
    },
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::Body {
            status,
            headers: vec![],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn with_header(mut self, k: &'static str, v: impl Into<String>) -> Reply {
        match &mut self {
            Reply::Body { headers, .. } | Reply::Sse { headers, .. } => headers.push((k, v.into())),
        }
        self
    }

    pub fn delayed(mut self, d: Duration) -> Reply {
        if let Reply::Body { delay, .. } = &mut self {
            *delay = d;
        }
        self
    }

    pub fn raw(status: u16, body: &str) -> Reply {
        Reply::Body {
            status,
            headers: vec![],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    /// SSE `data:` lines (OpenAI style), no delays.
    pub fn sse_data(items: &[String]) -> Reply {
        Reply::Sse {
            headers: vec![],
            events: items
                .iter()
                .map(|d| (Duration::ZERO, format!("data: {d}\n\n")))
                .collect(),
        }
    }

    /// SSE `event:` + `data:` pairs (Anthropic style), no delays.
    pub fn sse_events(items: &[(&str, serde_json::Value)]) -> Reply {
        Reply::Sse {
            headers: vec![],
            events: items
                .iter()
                .map(|(e, d)| (Duration::ZERO, format!("event: {e}\ndata: {d}\n\n")))
                .collect(),
        }
    }
}

type Script = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

#[derive(Clone)]
struct AppState {
    script: Arc<Script>,
    hits: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

/// A running mock server.
pub struct MockServer {
    pub addr: SocketAddr,
    hits: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl MockServer {
    /// Starts a server on 127.0.0.1:0 answering every POST with `script(n, request)`, where `n`
    /// counts requests from 0.
    pub async fn start(script: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let state = AppState {
            script: Arc::new(script),
            hits: Arc::new(AtomicUsize::new(0)),
            requests: Arc::new(Mutex::new(Vec::new())),
        };
        let app = Router::new().fallback(handle).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        MockServer {
            addr,
            hits: state.hits,
            requests: state.requests,
        }
    }

    /// `http://127.0.0.1:port` + `suffix`.
    pub fn url(&self, suffix: &str) -> String {
        format!("http://{}{}", self.addr, suffix)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn last(&self) -> Recorded {
        self.requests()
            .last()
            .cloned()
            .expect("no request received")
    }
}

async fn handle(
    axum::extract::State(st): axum::extract::State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let n = st.hits.fetch_add(1, Ordering::SeqCst);
    let rec = Recorded {
        path: uri.path().to_string(),
        headers,
        body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    };
    st.requests.lock().unwrap().push(rec.clone());
    match (st.script)(n, &rec) {
        Reply::Body {
            status,
            headers,
            body,
            delay,
        } => {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let mut resp = Response::new(Body::from(body));
            *resp.status_mut() = StatusCode::from_u16(status).unwrap();
            resp.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            for (k, v) in headers {
                resp.headers_mut().insert(
                    HeaderName::from_static(k),
                    HeaderValue::from_str(&v).unwrap(),
                );
            }
            resp
        }
        Reply::Sse { headers, events } => {
            let stream = futures::stream::unfold(events.into_iter(), |mut it| async move {
                let (delay, text) = it.next()?;
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Some((Ok::<_, std::convert::Infallible>(Bytes::from(text)), it))
            });
            let mut resp = Response::new(Body::from_stream(stream));
            resp.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("text/event-stream"),
            );
            for (k, v) in headers {
                resp.headers_mut().insert(
                    HeaderName::from_static(k),
                    HeaderValue::from_str(&v).unwrap(),
                );
            }
            resp
        }
    }
}

/// A realistic OpenAI chat completion body.
pub fn openai_completion(
    model: &str,
    text: &str,
    prompt: u32,
    completion: u32,
) -> serde_json::Value {
    serde_json::json!({
        "id": "chatcmpl-123",
        "object": "chat.completion",
        "created": 1_700_000_000u32,
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": text, "refusal": null},
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
        "system_fingerprint": "fp_1"
    })
}

/// OpenAI stream chunks for `parts`, a finish chunk, the usage-only chunk (`choices: []`) and
/// `[DONE]`.
pub fn openai_stream(model: &str, parts: &[&str], prompt: u32, completion: u32) -> Vec<String> {
    let chunk = |delta: serde_json::Value, finish: serde_json::Value| {
        serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1_700_000_000u32,
            "model": model, "system_fingerprint": "fp_1",
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
            "usage": null
        })
        .to_string()
    };
    let mut out = vec![chunk(
        serde_json::json!({"role": "assistant", "content": ""}),
        serde_json::Value::Null,
    )];
    for p in parts {
        out.push(chunk(
            serde_json::json!({"content": p}),
            serde_json::Value::Null,
        ));
    }
    out.push(chunk(serde_json::json!({}), serde_json::json!("stop")));
    out.push(
        serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1_700_000_000u32,
            "model": model, "system_fingerprint": "fp_1", "choices": [],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
        })
        .to_string(),
    );
    out.push("[DONE]".to_string());
    out
}

/// A realistic Anthropic message body.
pub fn anthropic_message(model: &str, text: &str, input: u32, output: u32) -> serde_json::Value {
    serde_json::json!({
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": null,
        "usage": {"input_tokens": input, "output_tokens": output}
    })
}

/// Anthropic stream events for `parts`, including a `ping`.
pub fn anthropic_stream(
    model: &str,
    parts: &[&str],
    input: u32,
    output: u32,
) -> Vec<(&'static str, serde_json::Value)> {
    use serde_json::json;
    let mut ev = vec![
        (
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [], "model": model, "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": input, "output_tokens": 1}}}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        ("ping", json!({"type": "ping"})),
    ];
    for p in parts {
        ev.push(("content_block_delta", json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}})));
    }
    ev.push((
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    ev.push(("message_delta", json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": output}})));
    ev.push(("message_stop", json!({"type": "message_stop"})));
    ev
}
