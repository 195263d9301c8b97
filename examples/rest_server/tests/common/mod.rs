//! Test harness: a fake OpenAI-compatible LLM and the REST server, both on 127.0.0.1:0.
#![allow(dead_code)]

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use contentos_core::access::{Actor, Role};
use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::model::{BrandVoice, WorkspaceId};
use contentos_core::ContentOs;
use contentos_rest::{AppState, ServerConfig};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const MODEL: &str = "fake-model";
pub const SECRET: &[u8] = b"test-secret-test-secret-test-secret!!";
pub const PASSWORD: &str = "correct horse battery";

/// Requests the fake LLM received.
pub type Seen = Arc<Mutex<Vec<Value>>>;

async fn chat(State(seen): State<Seen>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    // Check the request like the real service would.
    let model_ok = body["model"] == MODEL;
    let messages_ok = body["messages"].as_array().is_some_and(|m| {
        !m.is_empty()
            && m.iter().all(|x| {
                matches!(x["role"].as_str(), Some("system" | "user" | "assistant"))
                    && x["content"].is_string()
            })
    });
    seen.lock().unwrap().push(body.clone());
    if !model_ok || !messages_ok {
        return (
            StatusCode::BAD_REQUEST,
            Json(
                json!({"error": {"message": "invalid request", "type": "invalid_request_error", "param": null, "code": null}}),
            ),
        );
    }
    let text = "AI is transforming healthcare. Hospitals use models to read scans faster, \
                triage patients and cut paperwork, so clinicians spend more time with people.";
    (
        StatusCode::OK,
        Json(json!({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000u32,
            "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": null},
                         "logprobs": null, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 30, "total_tokens": 80},
            "system_fingerprint": "fp_1"
        })),
    )
}

/// Starts the fake LLM; returns its `/v1` base URL and the requests it sees.
pub async fn fake_llm() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/v1/chat/completions", post(chat))
        .with_state(seen.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (format!("http://{addr}/v1"), seen)
}

/// A running server.
pub struct Server {
    pub base: String,
    pub os: ContentOs,
    pub state: AppState,
    pub llm_seen: Seen,
}

pub fn test_config() -> ServerConfig {
    let mut c = ServerConfig::new(SECRET.to_vec());
    c.secure_cookies = false;
    // Cheap argon2 so tests stay fast; production uses the defaults of ServerConfig::new.
    c.argon2_memory_kib = 1024;
    c.argon2_iterations = 1;
    c
}

pub async fn os_with_llm(builder: contentos_core::ContentOsBuilder) -> (ContentOs, Seen) {
    let (llm_url, seen) = fake_llm().await;
    let llm = OpenAiProvider::new(OpenAiConfig::compatible(llm_url, MODEL)).unwrap();
    let os = builder.llm(Arc::new(llm)).execute().await.unwrap();
    (os, seen)
}

/// The Redis of the test machine (override with `CONTENTOS_TEST_REDIS_URL`).
pub fn redis_url() -> String {
    std::env::var("CONTENTOS_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
}

/// Serves `state` on a loopback port; returns the base URL.
pub async fn serve_state(state: AppState) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        contentos_rest::serve(l, state, std::future::pending())
            .await
            .unwrap()
    });
    format!("http://{addr}")
}

/// Starts a server on `os` with `config`.
pub async fn start_with(os: ContentOs, config: ServerConfig, seen: Seen) -> Server {
    let state = contentos_rest::state(os.clone(), config).await.unwrap();
    let base = serve_state(state.clone()).await;
    Server {
        base,
        os,
        state,
        llm_seen: seen,
    }
}

/// A server on in-memory SQLite with the in-process limiter.
pub async fn start() -> Server {
    let (os, seen) = os_with_llm(ContentOs::builder().in_memory()).await;
    start_with(os, test_config(), seen).await
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Registers `email` over HTTP and returns the user id.
    pub async fn register(&self, email: &str) -> contentos_core::model::UserId {
        let r = client()
            .post(self.url("/api/auth/register"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "register {email}");
        let v: Value = r.json().await.unwrap();
        v["userId"].as_str().unwrap().parse().unwrap()
    }

    /// Logs in and returns the whole body (`token`, `refreshToken`, `csrfToken`, …).
    pub async fn login(&self, email: &str) -> Value {
        let r = client()
            .post(self.url("/api/auth/login"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "login {email}");
        r.json().await.unwrap()
    }

    /// A workspace owned by a new user, plus one user per `roles` entry added with that role;
    /// returns the workspace and a bearer token per user (owner first).
    pub async fn workspace_with(&self, tag: &str, roles: &[Role]) -> (WorkspaceId, Vec<String>) {
        let owner_email = format!("owner-{tag}@example.com");
        let owner = self.register(&owner_email).await;
        let ws = self
            .os
            .create_workspace(&Actor::user(owner), "Team", BrandVoice::default(), "UTC")
            .await
            .unwrap();
        let mut tokens = vec![self.login(&owner_email).await["token"]
            .as_str()
            .unwrap()
            .to_string()];
        for (i, role) in roles.iter().enumerate() {
            let email = format!("{}-{i}-{tag}@example.com", role.as_str());
            let id = self.register(&email).await;
            self.os
                .set_member(&Actor::user(owner), ws.id, id, *role)
                .await
                .unwrap();
            tokens.push(
                self.login(&email).await["token"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        (ws.id, tokens)
    }
}

/// POSTs JSON with a bearer token; returns status and body.
pub async fn post_json(s: &Server, path: &str, token: &str, body: Value) -> (u16, Value) {
    let r = client()
        .post(s.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// GETs with a bearer token; returns status and body.
pub async fn get_json(s: &Server, path: &str, token: &str) -> (u16, Value) {
    let r = client()
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub fn generate_body(ws: WorkspaceId) -> Value {
    json!({"workspaceId": ws, "input": "Test content", "contentType": "blog"})
}
