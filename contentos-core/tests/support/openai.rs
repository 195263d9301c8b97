//! OpenAI `POST /v1/embeddings`: checks the bearer key and the body (model, input array,
//! encoding_format, dimensions) and answers with deterministic vectors, in reverse order to
//! prove the client matches by `index`.

use super::{json, parse_body, serve, Core};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;

pub const API_KEY: &str = "sk-test-embeddings-789";

pub struct OpenAi {
    pub core: Core,
}

pub async fn start() -> (Arc<OpenAi>, String) {
    let state = Arc::new(OpenAi {
        core: Core::default(),
    });
    let app = Router::new()
        .route("/v1/embeddings", post(embeddings))
        .with_state(state.clone());
    let base = serve(app).await;
    (state, format!("{base}/v1"))
}

fn error(status: u16, message: &str, kind: &str, code: Value) -> Response {
    json(
        status,
        json!({ "error": { "message": message, "type": kind, "param": null, "code": code } }),
    )
}

/// The vector the mock returns for `text` at `dims`: deterministic, distinct per text.
pub fn fake_vector(text: &str, dims: usize) -> Vec<f32> {
    let seed = text
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    (0..dims)
        .map(|i| {
            (((seed.wrapping_add((i as u32).wrapping_mul(2654435761))) % 1000) as f32) / 1000.0
                - 0.5
        })
        .collect()
}

async fn embeddings(State(s): State<Arc<OpenAi>>, h: HeaderMap, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, &e, "invalid_request_error", Value::Null),
    };
    if let Some(r) = s.core.record("POST", "/v1/embeddings", &body) {
        return r;
    }
    match h.get("authorization").and_then(|v| v.to_str().ok()) {
        Some(v) if v == format!("Bearer {API_KEY}") => {}
        _ => {
            return error(
                401,
                "Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                json!("invalid_api_key"),
            )
        }
    }
    let native = match body.get("model").and_then(Value::as_str) {
        Some("text-embedding-3-small") => 1536,
        Some("text-embedding-3-large") => 3072,
        Some(m) => {
            return error(
                404,
                &format!("The model `{m}` does not exist or you do not have access to it."),
                "invalid_request_error",
                json!("model_not_found"),
            )
        }
        None => {
            return error(
                400,
                "you must provide a model parameter",
                "invalid_request_error",
                Value::Null,
            )
        }
    };
    let Some(inputs) = body.get("input").and_then(Value::as_array) else {
        return error(
            400,
            "'input' must be an array of strings here",
            "invalid_request_error",
            Value::Null,
        );
    };
    if inputs.is_empty()
        || inputs.len() > 2048
        || inputs
            .iter()
            .any(|i| i.as_str().unwrap_or_default().is_empty())
    {
        return error(
            400,
            "'input' : array must be 1..=2048 non-empty strings",
            "invalid_request_error",
            Value::Null,
        );
    }
    if body.get("encoding_format").and_then(Value::as_str) != Some("float") {
        return error(
            400,
            "test server expects encoding_format=float",
            "invalid_request_error",
            Value::Null,
        );
    }
    let dims = match body.get("dimensions") {
        None => native,
        Some(d) => match d.as_u64() {
            Some(d) if d >= 1 && d as usize <= native => d as usize,
            _ => {
                return error(
                    400,
                    "Invalid 'dimensions'",
                    "invalid_request_error",
                    json!("invalid_value"),
                )
            }
        },
    };
    let mut data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "object": "embedding",
                "index": i,
                "embedding": fake_vector(t.as_str().unwrap_or_default(), dims),
            })
        })
        .collect();
    data.reverse();
    json(
        200,
        json!({
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": { "prompt_tokens": 8 * inputs.len(), "total_tokens": 8 * inputs.len() }
        }),
    )
}
