//! Anthropic provider against a local server that speaks the Messages API and checks what it
//! gets.

#[path = "support/llm_mock.rs"]
mod llm_mock;

use contentos_core::llm::anthropic::{AnthropicConfig, AnthropicProvider, ANTHROPIC_VERSION};
use contentos_core::llm::{
    CompletionChunk, CompletionRequest, FinishReason, LlmProvider, Message, Retry, RetryPolicy,
};
use contentos_core::{Error, ErrorKind};
use futures::StreamExt;
use llm_mock::{anthropic_message, anthropic_stream, MockServer, Reply};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "sk-ant-test-secret-456";

fn provider(server: &MockServer) -> AnthropicProvider {
    AnthropicProvider::new(
        AnthropicConfig::new(KEY)
            .with_base_url(server.url(""))
            .with_default_model("claude-sonnet-4-0"),
    )
    .unwrap()
}

fn request() -> CompletionRequest {
    let mut r = CompletionRequest::new("Summarise this post")
        .with_system("Brand voice: friendly.")
        .with_temperature(0.4)
        .with_max_tokens(300);
    r.messages.push(Message::assistant("Sure"));
    r.messages.push(Message::user("In one line"));
    r
}

#[tokio::test]
async fn complete_sends_headers_top_level_system_and_parses_usage() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            200,
            anthropic_message("claude-sonnet-4-20250514", "One line.", 30, 4),
        )
        .with_header("request-id", "req_ant_1")
    })
    .await;
    let c = provider(&server).complete(request()).await.unwrap();
    let got = server.last();
    assert_eq!(got.path, "/v1/messages");
    assert_eq!(got.header("x-api-key"), Some(KEY));
    assert_eq!(got.header("anthropic-version"), Some(ANTHROPIC_VERSION));
    assert!(got.header("authorization").is_none());
    assert_eq!(got.body["model"], "claude-sonnet-4-0");
    assert_eq!(got.body["system"], "Brand voice: friendly.");
    assert_eq!(got.body["max_tokens"], 300);
    assert!((got.body["temperature"].as_f64().unwrap() - 0.4).abs() < 1e-6);
    let roles: Vec<_> = got.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["user", "assistant", "user"],
        "no system message in the list"
    );
    assert!(got.body.get("stream").is_none());

    assert_eq!(c.text, "One line.");
    assert_eq!(c.provider, "anthropic");
    assert_eq!(c.model, "claude-sonnet-4-20250514");
    assert_eq!(c.request_id.as_deref(), Some("req_ant_1"));
    assert_eq!(c.finish_reason, FinishReason::Stop);
    let u = c.usage.unwrap();
    assert_eq!((u.prompt_tokens, u.completion_tokens), (30, 4));
}

#[tokio::test]
async fn max_tokens_defaults_and_temperature_is_clamped() {
    let server =
        MockServer::start(|_, _| Reply::json(200, anthropic_message("m", "x", 1, 1))).await;
    let mut req = CompletionRequest::new("x").with_temperature(1.5);
    req.max_tokens = None;
    provider(&server).complete(req).await.unwrap();
    let got = server.last();
    assert_eq!(got.body["max_tokens"], 4096);
    assert_eq!(got.body["temperature"], 1.0);
    assert!(got.body.get("system").is_none());
}

#[tokio::test]
async fn stream_handles_every_event_type_and_ends_with_usage() {
    let server = MockServer::start(|_, _| {
        Reply::sse_events(&anthropic_stream(
            "claude-sonnet-4-0",
            &["Hi", " there"],
            25,
            15,
        ))
        .with_header("request-id", "req_s")
    })
    .await;
    let mut s = provider(&server).stream(request()).await.unwrap();
    assert_eq!(server.last().body["stream"], true);
    let mut text = String::new();
    let mut done = None;
    while let Some(item) = s.next().await {
        match item.unwrap() {
            CompletionChunk::Delta(d) => text.push_str(&d),
            CompletionChunk::Done(sum) => done = Some(sum),
        }
    }
    assert_eq!(text, "Hi there");
    let done = done.unwrap();
    let u = done.usage.unwrap();
    assert_eq!((u.prompt_tokens, u.completion_tokens), (25, 15));
    assert_eq!(done.request_id.as_deref(), Some("req_s"));
}

#[tokio::test]
async fn stream_max_tokens_stop_reason_is_length() {
    let mut ev = anthropic_stream("m", &["cut"], 1, 300);
    for e in &mut ev {
        if e.0 == "message_delta" {
            e.1 = json!({"type": "message_delta", "delta": {"stop_reason": "max_tokens", "stop_sequence": null}, "usage": {"output_tokens": 300}});
        }
    }
    let server = MockServer::start(move |_, _| Reply::sse_events(&ev)).await;
    let c = contentos_core::llm::collect_stream(provider(&server).stream(request()).await.unwrap())
        .await
        .unwrap();
    assert_eq!(c.finish_reason, FinishReason::Length);
}

#[tokio::test]
async fn error_event_mid_stream_is_typed() {
    let mut ev = anthropic_stream("m", &["partial"], 1, 1);
    ev.truncate(4);
    ev.push((
        "error",
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
    ));
    let server = MockServer::start(move |_, _| Reply::sse_events(&ev)).await;
    let mut s = provider(&server).stream(request()).await.unwrap();
    assert_eq!(
        s.next().await.unwrap().unwrap(),
        CompletionChunk::Delta("partial".into())
    );
    assert_eq!(
        s.next().await.unwrap().unwrap_err().kind(),
        ErrorKind::Transient
    );
    assert!(s.next().await.is_none());
}

#[tokio::test]
async fn unknown_events_are_skipped_and_malformed_ones_rejected() {
    let mut ev = anthropic_stream("m", &["ok"], 1, 1);
    ev.insert(3, ("future_event", json!({"type": "future_event", "x": 1})));
    let server = MockServer::start(move |_, _| Reply::sse_events(&ev)).await;
    let c = contentos_core::llm::collect_stream(provider(&server).stream(request()).await.unwrap())
        .await
        .unwrap();
    assert_eq!(c.text, "ok");

    let server = MockServer::start(|_, _| Reply::Sse {
        headers: vec![],
        events: vec![(
            Duration::ZERO,
            "event: message_start\ndata: {broken\n\n".into(),
        )],
    })
    .await;
    let mut s = provider(&server).stream(request()).await.unwrap();
    assert_eq!(
        s.next().await.unwrap().unwrap_err().kind(),
        ErrorKind::Protocol
    );
}

#[tokio::test]
async fn http_errors_map_to_typed_errors() {
    let cases: Vec<(u16, &str, ErrorKind)> = vec![
        (529, "overloaded_error", ErrorKind::Transient),
        (500, "api_error", ErrorKind::Transient),
        (401, "authentication_error", ErrorKind::Unauthorized),
        (403, "permission_error", ErrorKind::Unauthorized),
        (400, "invalid_request_error", ErrorKind::Rejected),
    ];
    for (status, kind, expected) in cases {
        let server = MockServer::start(move |_, _| {
            Reply::json(
                status,
                json!({"type": "error", "error": {"type": kind, "message": "nope"}}),
            )
            .with_header("request-id", "req_err")
        })
        .await;
        let e = provider(&server).complete(request()).await.unwrap_err();
        assert_eq!(e.kind(), expected, "{status} {kind}: {e}");
        if let Error::Transient {
            status: s,
            request_id,
            ..
        } = &e
        {
            assert_eq!(*s, Some(status));
            assert_eq!(request_id.as_deref(), Some("req_err"));
        }
        assert!(!e.to_string().contains(KEY));
    }
}

#[tokio::test]
async fn rate_limit_uses_retry_after_then_reset_headers() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            429,
            json!({"type": "error", "error": {"type": "rate_limit_error", "message": "slow"}}),
        )
        .with_header("retry-after", "12")
    })
    .await;
    match provider(&server).complete(request()).await.unwrap_err() {
        Error::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(12)))
        }
        e => panic!("{e:?}"),
    }

    let reset = (chrono::Utc::now() + chrono::Duration::seconds(20)).to_rfc3339();
    let server = MockServer::start(move |_, _| {
        Reply::json(
            429,
            json!({"type": "error", "error": {"type": "rate_limit_error", "message": "slow"}}),
        )
        .with_header("anthropic-ratelimit-tokens-remaining", "0")
        .with_header("anthropic-ratelimit-tokens-reset", reset.clone())
    })
    .await;
    match provider(&server).complete(request()).await.unwrap_err() {
        Error::RateLimited { retry_after, .. } => {
            let d = retry_after.unwrap();
            assert!(
                d > Duration::from_secs(15) && d <= Duration::from_secs(20),
                "{d:?}"
            );
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn low_credit_balance_is_quota_and_not_retried() {
    let server = MockServer::start(|_, _| {
        Reply::json(400, json!({"type": "error", "error": {"type": "invalid_request_error", "message": "Your credit balance is too low to access the Anthropic API."}}))
    })
    .await;
    let p = Retry::new(Arc::new(provider(&server)), RetryPolicy::default());
    assert_eq!(
        p.complete(request()).await.unwrap_err().kind(),
        ErrorKind::QuotaExceeded
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn malformed_body_is_protocol() {
    let server = MockServer::start(|_, _| Reply::raw(200, "<html>gateway</html>")).await;
    assert_eq!(
        provider(&server)
            .complete(request())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Protocol
    );
}
