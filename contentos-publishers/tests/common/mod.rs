//! A scriptable local HTTP server standing in for a platform: it records every request, lets the
//! test's handler check it field by field and answer like the platform, and collects wire
//! violations so a test fails when the adapter sends something the platform would refuse.
#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::AccountCredentials;
use contentos_core::vault::Secret;
use contentos_publishers::HttpConfig;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Req {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
    pub fn q(&self, name: &str) -> Option<String> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
    pub fn q_all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    /// Form-urlencoded body fields.
    pub fn form(&self) -> HashMap<String, String> {
        url::form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
    pub fn body_str(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// Checks `Authorization: Bearer <token>`.
    pub fn bearer(&self) -> Option<String> {
        self.header("authorization")
            .and_then(|h| h.strip_prefix("Bearer ").map(str::to_string))
    }
}

/// How the server answers.
pub enum Reply {
    /// Status + JSON body.
    Json(u16, Value),
    /// Status + headers + raw body.
    Full(u16, Vec<(String, String)>, Vec<u8>),
    /// Receive the request, then never answer in time (client timeout → Unconfirmed for creates).
    Hang,
}

pub fn ok(v: Value) -> Result<Reply, String> {
    Ok(Reply::Json(200, v))
}

pub fn status(code: u16, v: Value) -> Result<Reply, String> {
    Ok(Reply::Json(code, v))
}

pub fn with_headers(code: u16, headers: &[(&str, &str)], v: Value) -> Result<Reply, String> {
    Ok(Reply::Full(
        code,
        headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        serde_json::to_vec(&v).unwrap(),
    ))
}

/// Fails a wire check: `ensure(cond, "what was expected")?`.
pub fn ensure(cond: bool, what: impl Into<String>) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(what.into())
    }
}

type Handler = dyn Fn(&Req, usize) -> Result<Reply, String> + Send + Sync;

#[derive(Clone)]
struct Shared {
    log: Arc<Mutex<Vec<Req>>>,
    violations: Arc<Mutex<Vec<String>>>,
    handler: Arc<Handler>,
}

pub struct MockServer {
    pub base: String,
    log: Arc<Mutex<Vec<Req>>>,
    violations: Arc<Mutex<Vec<String>>>,
}

impl MockServer {
    /// Starts a server on 127.0.0.1:0. The handler gets each request and its 0-based sequence
    /// number; `Err(msg)` records a wire violation and answers 400 (a test then fails on
    /// [`MockServer::assert_clean`]).
    pub async fn start(
        handler: impl Fn(&Req, usize) -> Result<Reply, String> + Send + Sync + 'static,
    ) -> MockServer {
        let shared = Shared {
            log: Arc::new(Mutex::new(Vec::new())),
            violations: Arc::new(Mutex::new(Vec::new())),
            handler: Arc::new(handler),
        };
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        MockServer {
            base: format!("http://{addr}"),
            log: shared.log,
            violations: shared.violations,
        }
    }

    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }

    /// Paths in order, as `METHOD /path`.
    pub fn calls(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    pub fn count(&self, method: &str, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .count()
    }

    pub fn assert_clean(&self) {
        let v = self.violations.lock().unwrap().clone();
        assert!(v.is_empty(), "wire violations: {v:#?}");
    }
}

async fn handle(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let req = Req {
        method: method.to_string(),
        path: uri.path().to_string(),
        query,
        headers,
        body: body.to_vec(),
    };
    let seq = {
        let mut log = s.log.lock().unwrap();
        log.push(req.clone());
        log.len() - 1
    };
    match (s.handler)(&req, seq) {
        Ok(Reply::Json(code, v)) => (
            StatusCode::from_u16(code).unwrap(),
            [("content-type", "application/json")],
            serde_json::to_vec(&v).unwrap(),
        )
            .into_response(),
        Ok(Reply::Full(code, hs, body)) => {
            let mut resp = (StatusCode::from_u16(code).unwrap(), body).into_response();
            for (k, v) in hs {
                resp.headers_mut().insert(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    axum::http::HeaderValue::from_str(&v).unwrap(),
                );
            }
            resp
        }
        Ok(Reply::Hang) => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Err(msg) => {
            let text = format!("{} {}: {msg}", req.method, req.path);
            s.violations.lock().unwrap().push(text.clone());
            (
                StatusCode::BAD_REQUEST,
                [("content-type", "application/json")],
                serde_json::to_vec(
                    &serde_json::json!({"error": "wire_violation", "message": text}),
                )
                .unwrap(),
            )
                .into_response()
        }
    }
}

/// Fast timeouts and retries for tests.
pub fn fast_http() -> contentos_publishers::Http {
    contentos_publishers::Http::new(HttpConfig {
        timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_millis(500),
        max_attempts: 3,
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(2),
    })
}

pub fn account(platform: Platform, base: Option<&str>, token: &str) -> AccountCredentials {
    AccountCredentials {
        account_id: AccountId::new(),
        platform,
        handle: "alice".into(),
        external_id: None,
        base_url: base.map(str::to_string),
        access_token: Secret::new(token),
        refresh_token: None,
        expires_at: None,
    }
}
