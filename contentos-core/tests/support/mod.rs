//! Local HTTP servers that stand in for OpenAI, Pinecone and Qdrant in tests.
//!
//! Each one checks requests field by field against the service's documented shape, keeps
//! state like the real service (so upsert → query → delete round-trips are real), and replies
//! with the service's own success and error bodies. Failures (429 with rate-limit headers, 5xx,
//! 401) can be queued to test retries.
#![allow(dead_code)]

pub mod openai;
pub mod pinecone;
pub mod qdrant;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// A canned failure returned instead of handling the next request.
#[derive(Clone, Debug)]
pub struct Failure {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Failure {
    pub fn new(status: u16, body: &str) -> Self {
        Failure {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// A request as the mock saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub body: Value,
}

/// Failure queue and request log shared by every mock.
#[derive(Default)]
pub struct Core {
    pub failures: Mutex<VecDeque<Failure>>,
    pub seen: Mutex<Vec<Seen>>,
}

impl Core {
    pub fn fail_next(&self, f: Failure) {
        self.failures.lock().unwrap().push_back(f);
    }

    pub fn record(&self, method: &str, path: &str, body: &Value) -> Option<Response> {
        self.seen.lock().unwrap().push(Seen {
            method: method.into(),
            path: path.into(),
            body: body.clone(),
        });
        let f = self.failures.lock().unwrap().pop_front()?;
        let mut headers = HeaderMap::new();
        for (k, v) in &f.headers {
            headers.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        headers.insert("content-type", "application/json".parse().unwrap());
        Some((StatusCode::from_u16(f.status).unwrap(), headers, f.body).into_response())
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, path_contains: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.path.contains(path_contains))
            .count()
    }
}

/// Serves `router` on 127.0.0.1:0 and returns its base URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

/// A JSON response.
pub fn json(status: u16, body: Value) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Parses a request body as JSON or returns the error the caller wants to reply with.
pub fn parse_body(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON body: {e}"))
}

/// Cosine similarity as the services compute it.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum();
    let na: f64 = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    (dot / (na * nb)) as f32
}

/// A `Vec<f32>` from a JSON array of numbers, or `None` if any element is not a number.
pub fn floats(v: &Value) -> Option<Vec<f32>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_f64().map(|f| f as f32))
        .collect()
}

pub type Shared<T> = Arc<T>;
