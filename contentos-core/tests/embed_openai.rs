//! OpenAI embeddings against a local server that checks the documented request body.

mod support;

use contentos_core::embed::{
    Embedder, OpenAiEmbedder, OpenAiEmbedderConfig, OpenAiEmbeddingModel, RetryPolicy,
};
use contentos_core::{vault::Secret, ErrorKind};
use std::time::Duration;
use support::Failure;

async fn embedder(
    batch: usize,
    dims: Option<usize>,
) -> (std::sync::Arc<support::openai::OpenAi>, OpenAiEmbedder) {
    let (state, base) = support::openai::start().await;
    let mut cfg = OpenAiEmbedderConfig::new(
        Secret::new(support::openai::API_KEY),
        OpenAiEmbeddingModel::Small3,
    );
    cfg.base_url = base;
    cfg.batch_size = batch;
    cfg.dimensions = dims;
    cfg.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(100),
    };
    (state, OpenAiEmbedder::new(cfg).unwrap())
}

fn texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("post number {i} about launches"))
        .collect()
}

#[tokio::test]
async fn batches_requests_and_matches_by_index() {
    let (state, e) = embedder(2, Some(256)).await;
    assert_eq!(e.dimensions(), 256);
    assert_eq!(e.model_id(), "openai/text-embedding-3-small@256");
    let input = texts(5);
    let out = e.embed(&input).await.unwrap();
    assert_eq!(out.len(), 5);
    for (t, v) in input.iter().zip(&out) {
        assert_eq!(v, &support::openai::fake_vector(t, 256), "vector for {t}");
    }
    let seen = state.core.seen();
    assert_eq!(seen.len(), 3, "5 texts in batches of 2");
    assert_eq!(seen[0].body["model"], "text-embedding-3-small");
    assert_eq!(seen[0].body["dimensions"], 256);
    assert_eq!(seen[0].body["encoding_format"], "float");
    assert_eq!(seen[0].body["input"], serde_json::json!(input[..2]));
    assert_eq!(seen[2].body["input"], serde_json::json!(input[4..]));
}

#[tokio::test]
async fn native_dimensions_omit_the_parameter() {
    let (state, e) = embedder(16, None).await;
    let out = e.embed(&texts(1)).await.unwrap();
    assert_eq!(out[0].len(), 1536);
    assert!(state.core.seen()[0].body.get("dimensions").is_none());
}

#[tokio::test]
async fn retries_429_honouring_retry_after_ms_then_5xx() {
    let (state, e) = embedder(8, Some(8)).await;
    state.core.fail_next(
        Failure::new(429, r#"{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}"#)
            .header("retry-after-ms", "20")
            .header("x-ratelimit-remaining-requests", "0"),
    );
    state.core.fail_next(Failure::new(
        500,
        r#"{"error":{"message":"The server had an error","type":"server_error"}}"#,
    ));
    let out = e.embed(&texts(3)).await.unwrap();
    assert_eq!(out.len(), 3);
    assert_eq!(state.core.seen().len(), 3);
}

#[tokio::test]
async fn quota_and_auth_errors_are_typed_and_not_retried() {
    let (state, e) = embedder(8, Some(8)).await;
    state.core.fail_next(Failure::new(
        429,
        r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
    ));
    let err = e.embed(&texts(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::QuotaExceeded);
    assert_eq!(state.core.seen().len(), 1);

    let (state, base) = support::openai::start().await;
    let mut cfg = OpenAiEmbedderConfig::new(
        Secret::new("sk-wrong-key-xyz"),
        OpenAiEmbeddingModel::Large3,
    );
    cfg.base_url = base;
    let bad = OpenAiEmbedder::new(cfg).unwrap();
    let err = bad.embed(&texts(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(state.core.seen().len(), 1);
    assert!(!format!("{err} {err:?} {bad:?}").contains("sk-wrong-key-xyz"));
}

#[tokio::test]
async fn refuses_bad_configuration_and_input() {
    let key = || Secret::new("k");
    let mut cfg = OpenAiEmbedderConfig::new(key(), OpenAiEmbeddingModel::Small3);
    cfg.dimensions = Some(2000);
    assert_eq!(
        OpenAiEmbedder::new(cfg).unwrap_err().kind(),
        ErrorKind::Validation
    );
    let mut cfg = OpenAiEmbedderConfig::new(key(), OpenAiEmbeddingModel::Small3);
    cfg.batch_size = 0;
    assert_eq!(
        OpenAiEmbedder::new(cfg).unwrap_err().kind(),
        ErrorKind::Validation
    );
    let (state, e) = embedder(8, Some(8)).await;
    let err = e.embed(&["ok".into(), "  ".into()]).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid texts[1]: non-empty text (not only whitespace)"
    );
    assert!(state.core.seen().is_empty(), "refused before any request");
}
