//! A local OpenAI-compatible server for the pipeline tests (the Rust twin of the Node suite's
//! `fake-openai.mjs`): checks each request and answers like the real API, JSON or SSE.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// What the fake model always answers.
pub const ANSWER: &str =
    "Rust makes systems programming safe and fast. Try it on your next service today!";

/// A running fake server: its `/v1` base URL and the request bodies it received.
pub struct FakeOpenAi {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Value>>>,
}

async fn completions(
    State(log): State<Arc<Mutex<Vec<Value>>>>,
    Json(body): Json<Value>,
) -> Response {
    log.lock().expect("log lock").push(body.clone());
    let ok = body["messages"].as_array().is_some_and(|m| !m.is_empty());
    if !ok {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": {"message": "bad request", "type": "invalid_request_error"}})),
        )
            .into_response();
    }
    let model = body["model"].clone();
    if body["stream"].as_bool() == Some(true) {
        let words: Vec<&str> = ANSWER.split(' ').collect();
        let mut sse = String::new();
        for (i, w) in words.iter().enumerate() {
            let text = if i + 1 == words.len() {
                w.to_string()
            } else {
                format!("{w} ")
            };
            let chunk = json!({"id": "c1", "object": "chat.completion.chunk", "created": 1700000000,
                "model": model, "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]});
            sse.push_str(&format!("data: {chunk}\n\n"));
        }
        let end = json!({"id": "c1", "object": "chat.completion.chunk", "created": 1700000000,
            "model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]});
        sse.push_str(&format!("data: {end}\n\ndata: [DONE]\n\n"));
        return ([(header::CONTENT_TYPE, "text/event-stream")], sse).into_response();
    }
    Json(json!({
        "id": "c1", "object": "chat.completion", "created": 1700000000, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 20, "completion_tokens": 15, "total_tokens": 35},
    }))
    .into_response()
}

/// Starts the server on an ephemeral loopback port.
pub async fn start() -> FakeOpenAi {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(requests.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    FakeOpenAi { url, requests }
}
