//! OpenAI provider against a local server that speaks Chat Completions and checks what it gets.

#[path = "support/llm_mock.rs"]
mod llm_mock;

use contentos_core::llm::openai::{MaxTokensField, OpenAiConfig, OpenAiProvider};
use contentos_core::llm::{
    collect_stream, CompletionChunk, CompletionRequest, FinishReason, LlmProvider, Message, Retry,
    RetryPolicy,
};
use contentos_core::{Error, ErrorKind};
use futures::StreamExt;
use llm_mock::{openai_completion, openai_stream, MockServer, Reply};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "sk-test-super-secret-key-123";

fn provider(server: &MockServer) -> OpenAiProvider {
    OpenAiProvider::new(
        OpenAiConfig::new(KEY)
            .with_base_url(server.url("/v1"))
            .with_default_model("gpt-4o-mini"),
    )
    .unwrap()
}

fn request() -> CompletionRequest {
    let mut r = CompletionRequest::new("Write a tweet about Rust")
        .with_system("You are a concise copywriter.")
        .with_temperature(0.7)
        .with_max_tokens(500);
    r.messages.push(Message::assistant("Draft one"));
    r.messages.push(Message::user("Shorter please"));
    r
}

#[tokio::test]
async fn complete_sends_the_documented_request_and_parses_the_answer() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            200,
            openai_completion("gpt-4o-mini-2024-07-18", "Rust is fast.", 42, 7),
        )
        .with_header("x-request-id", "req_abc")
    })
    .await;
    let c = provider(&server).complete(request()).await.unwrap();

    let got = server.last();
    assert_eq!(got.path, "/v1/chat/completions");
    assert_eq!(
        got.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(got.body["model"], "gpt-4o-mini");
    let msgs = got.body["messages"].as_array().unwrap();
    let roles: Vec<_> = msgs.iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["system", "user", "assistant", "user"]);
    assert_eq!(msgs[0]["content"], "You are a concise copywriter.");
    assert_eq!(msgs[1]["content"], "Write a tweet about Rust");
    assert!((got.body["temperature"].as_f64().unwrap() - 0.7).abs() < 1e-6);
    assert_eq!(got.body["max_completion_tokens"], 500);
    assert!(got.body.get("max_tokens").is_none());
    assert!(got.body.get("stream").is_none());

    assert_eq!(c.text, "Rust is fast.");
    assert_eq!(c.finish_reason, FinishReason::Stop);
    assert_eq!(c.provider, "openai");
    assert_eq!(c.served_by, "openai");
    assert_eq!(c.model, "gpt-4o-mini-2024-07-18");
    assert_eq!(c.request_id.as_deref(), Some("req_abc"));
    let u = c.usage.unwrap();
    assert_eq!((u.prompt_tokens, u.completion_tokens), (42, 7));
}

#[tokio::test]
async fn compatible_servers_get_max_tokens_and_no_auth_header() {
    let server =
        MockServer::start(|_, _| Reply::json(200, openai_completion("llama3.2", "hi", 1, 1))).await;
    let cfg = OpenAiConfig::compatible(server.url("/v1/"), "llama3.2");
    assert_eq!(cfg.max_tokens_field, MaxTokensField::MaxTokens);
    let p = OpenAiProvider::new(cfg).unwrap();
    p.complete(CompletionRequest::new("x").with_max_tokens(64))
        .await
        .unwrap();
    let got = server.last();
    assert_eq!(got.path, "/v1/chat/completions");
    assert!(got.header("authorization").is_none());
    assert_eq!(got.body["model"], "llama3.2");
    assert_eq!(got.body["max_tokens"], 64);
}

#[tokio::test]
async fn stream_sends_stream_options_and_ends_with_usage_only_chunk() {
    let server = MockServer::start(|_, _| {
        Reply::sse_data(&openai_stream(
            "gpt-4o-mini",
            &["Hel", "lo", " world"],
            11,
            3,
        ))
        .with_header("x-request-id", "req_stream")
    })
    .await;
    let mut s = provider(&server).stream(request()).await.unwrap();
    let got = server.last();
    assert_eq!(got.body["stream"], true);
    assert_eq!(got.body["stream_options"], json!({"include_usage": true}));

    let mut deltas = Vec::new();
    let mut done = None;
    while let Some(item) = s.next().await {
        match item.unwrap() {
            CompletionChunk::Delta(d) => {
                assert!(done.is_none(), "delta after Done");
                deltas.push(d)
            }
            CompletionChunk::Done(sum) => done = Some(sum),
        }
    }
    assert_eq!(deltas, ["Hel", "lo", " world"]);
    let done = done.expect("stream must end with Done");
    let u = done.usage.expect("usage from the usage-only chunk");
    assert_eq!((u.prompt_tokens, u.completion_tokens), (11, 3));
    assert_eq!(done.request_id.as_deref(), Some("req_stream"));
    assert_eq!(done.finish_reason, FinishReason::Stop);
}

#[tokio::test]
async fn collect_stream_rebuilds_the_completion() {
    let server =
        MockServer::start(|_, _| Reply::sse_data(&openai_stream("gpt-4o-mini", &["a", "b"], 2, 2)))
            .await;
    let p = provider(&server);
    let c = collect_stream(p.stream(request()).await.unwrap())
        .await
        .unwrap();
    assert_eq!(c.text, "ab");
    assert_eq!(c.usage.unwrap().completion_tokens, 2);
}

#[tokio::test]
async fn rate_limit_carries_retry_after() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            429,
            json!({"error": {"message": "Rate limit reached for requests", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}),
        )
        .with_header("retry-after", "3")
    })
    .await;
    match provider(&server).complete(request()).await.unwrap_err() {
        Error::RateLimited {
            service,
            retry_after,
        } => {
            assert_eq!(service, "openai");
            assert_eq!(retry_after, Some(Duration::from_secs(3)));
        }
        e => panic!("expected RateLimited, got {e:?}"),
    }
}

#[tokio::test]
async fn insufficient_quota_is_typed_and_not_retried() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            429,
            json!({"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}),
        )
    })
    .await;
    let p = Retry::new(Arc::new(provider(&server)), RetryPolicy::default());
    let e = p.complete(request()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::QuotaExceeded);
    assert_eq!(server.hits(), 1, "quota exhaustion must not be retried");
}

#[tokio::test]
async fn server_error_is_transient_with_status_and_request_id() {
    let server = MockServer::start(|_, _| {
        Reply::json(500, json!({"error": {"message": "The server had an error", "type": "server_error", "param": null, "code": null}}))
            .with_header("x-request-id", "req_500")
    })
    .await;
    match provider(&server).complete(request()).await.unwrap_err() {
        Error::Transient {
            status, request_id, ..
        } => {
            assert_eq!(status, Some(500));
            assert_eq!(request_id.as_deref(), Some("req_500"));
        }
        e => panic!("expected Transient, got {e:?}"),
    }
}

#[tokio::test]
async fn unauthorized_is_typed_not_retried_and_never_shows_the_key() {
    let server = MockServer::start(|_, r| {
        // The real API echoes a masked key; echo the whole one to prove it is scrubbed.
        let auth = r.header("authorization").unwrap_or("").to_string();
        Reply::json(
            401,
            json!({"error": {"message": format!("Incorrect API key provided: {}", auth.trim_start_matches("Bearer ")), "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}),
        )
    })
    .await;
    let p = Retry::new(Arc::new(provider(&server)), RetryPolicy::default());
    let e = p.complete(request()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(server.hits(), 1);
    assert!(!e.to_string().contains(KEY));
    assert!(!format!("{e:?}").contains(KEY));
    assert!(!format!("{:?}", provider(&server)).contains(KEY));
}

#[tokio::test]
async fn malformed_json_is_a_protocol_error() {
    let server = MockServer::start(|_, _| Reply::raw(200, "{\"id\": \"x\", \"choices\": [")).await;
    let e = provider(&server).complete(request()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol);

    let server = MockServer::start(|_, _| Reply::sse_data(&["{not json".to_string()])).await;
    let mut s = provider(&server).stream(request()).await.unwrap();
    let first = s.next().await.unwrap();
    assert_eq!(first.unwrap_err().kind(), ErrorKind::Protocol);
    assert!(s.next().await.is_none(), "stream ends after an error");
}

#[tokio::test]
async fn retry_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start(|n, _| {
        if n == 0 {
            Reply::json(429, json!({"error": {"message": "slow down", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}))
                .with_header("retry-after-ms", "50")
        } else if n == 1 {
            Reply::json(503, json!({"error": {"message": "overloaded", "type": "server_error", "param": null, "code": null}}))
        } else {
            Reply::json(200, openai_completion("gpt-4o-mini", "third time", 1, 1))
        }
    })
    .await;
    let p = Retry::new(
        Arc::new(provider(&server)),
        RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        },
    );
    let started = std::time::Instant::now();
    let c = p.complete(request()).await.unwrap();
    assert_eq!(c.text, "third time");
    assert_eq!(server.hits(), 3);
    assert!(
        started.elapsed() >= Duration::from_millis(50),
        "Retry-After honoured"
    );
}

#[tokio::test]
async fn mid_stream_error_object_is_mapped() {
    let mut events = openai_stream("gpt-4o-mini", &["partial"], 1, 1);
    events.truncate(2);
    events.push(json!({"error": {"message": "The server had an error while processing your request.", "type": "server_error", "param": null, "code": null}}).to_string());
    let server = MockServer::start(move |_, _| Reply::sse_data(&events)).await;
    let mut s = provider(&server).stream(request()).await.unwrap();
    assert_eq!(
        s.next().await.unwrap().unwrap(),
        CompletionChunk::Delta("partial".into())
    );
    assert_eq!(
        s.next().await.unwrap().unwrap_err().kind(),
        ErrorKind::Transient
    );
}

#[tokio::test]
async fn cut_stream_is_transient() {
    let mut events = openai_stream("gpt-4o-mini", &["partial"], 1, 1);
    events.truncate(2); // no finish, no usage, no [DONE]
    let server = MockServer::start(move |_, _| Reply::sse_data(&events)).await;
    let mut s = provider(&server).stream(request()).await.unwrap();
    assert!(matches!(
        s.next().await,
        Some(Ok(CompletionChunk::Delta(_)))
    ));
    assert_eq!(
        s.next().await.unwrap().unwrap_err().kind(),
        ErrorKind::Transient
    );
}

#[tokio::test]
async fn connection_refused_is_transient_and_invalid_requests_are_rejected_locally() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let p = OpenAiProvider::new(OpenAiConfig::new(KEY).with_base_url(format!("http://{addr}/v1")))
        .unwrap();
    let e = p.complete(request()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transient);
    assert!(!e.to_string().contains(KEY));

    let mut empty = request();
    empty.messages.clear();
    assert_eq!(
        p.complete(empty).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
}
