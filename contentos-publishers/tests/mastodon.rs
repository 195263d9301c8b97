//! Mastodon adapter against a local server that enforces the documented wire format.

mod common;

use common::*;
use contentos_core::model::Platform;
use contentos_core::publish::{
    CollectReceipts, MediaAttachment, MediaKind, PostPart, PostRequest, Publisher,
};
use contentos_core::Error;
use contentos_publishers::mastodon::MastodonPublisher;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const TOKEN: &str = "masto-token-123";

fn instance(max_chars: usize) -> serde_json::Value {
    json!({"domain": "local", "configuration": {"statuses": {
        "max_characters": max_chars, "max_media_attachments": 4, "characters_reserved_per_url": 23}}})
}

fn thread(parts: &[&str]) -> PostRequest {
    PostRequest {
        post_key: uuid::Uuid::new_v4(),
        parts: parts
            .iter()
            .map(|t| PostPart {
                text: t.to_string(),
                media: vec![],
            })
            .collect(),
        resume_from: vec![],
        languages: vec!["en".into()],
    }
}

fn png() -> MediaAttachment {
    MediaAttachment {
        kind: MediaKind::Image,
        mime_type: "image/png".into(),
        data: vec![0x89, b'P', b'N', b'G', 1, 2, 3],
        url: None,
        alt_text: Some("a chart".into()),
        dimensions: None,
    }
}

/// Checks a create-status request and answers with a Status whose id is `id`.
fn check_status(r: &common::Req) -> Result<(), String> {
    ensure(r.bearer().as_deref() == Some(TOKEN), "bearer token")?;
    let key = r.header("idempotency-key").unwrap_or_default();
    ensure(key.len() == 64, format!("Idempotency-Key present: {key:?}"))?;
    let b = r.json();
    ensure(b["status"].is_string(), "status field")?;
    Ok(())
}

fn publisher() -> MastodonPublisher {
    MastodonPublisher::new(fast_http()).with_media_polling(Duration::from_millis(5), 10)
}

#[tokio::test]
async fn thread_with_media_chains_replies_and_uses_distinct_deterministic_keys() {
    let polls = Arc::new(AtomicUsize::new(0));
    let polls2 = polls.clone();
    let server = MockServer::start(move |r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/api/v2/instance") => ok(instance(500)),
        ("POST", "/api/v2/media") => {
            ensure(r.bearer().as_deref() == Some(TOKEN), "bearer on media")?;
            let ct = r.header("content-type").unwrap_or_default();
            ensure(ct.starts_with("multipart/form-data"), "multipart upload")?;
            let body = r.body_str();
            ensure(body.contains("name=\"file\""), "file part")?;
            ensure(
                body.contains("name=\"description\""),
                "description (alt) part",
            )?;
            ensure(body.contains("a chart"), "alt text value")?;
            status(202, json!({"id": "m1", "type": "image", "url": null}))
        }
        ("GET", "/api/v1/media/m1") => {
            if polls2.fetch_add(1, Ordering::SeqCst) == 0 {
                status(206, json!({"id": "m1", "url": null}))
            } else {
                ok(json!({"id": "m1", "url": "https://files/m1.png"}))
            }
        }
        ("POST", "/api/v1/statuses") => {
            check_status(r)?;
            let b = r.json();
            let text = b["status"].as_str().unwrap_or_default();
            match text {
                "one" => {
                    ensure(b["in_reply_to_id"].is_null(), "first part is not a reply")?;
                    ensure(b["media_ids"] == json!(["m1"]), "media_ids of part 1")?;
                    ensure(b["visibility"] == "public", "first part public")?;
                    ensure(b["language"] == "en", "language")?;
                    ok(json!({"id": "101", "url": "https://local/@alice/101"}))
                }
                "two" => {
                    ensure(b["in_reply_to_id"] == "101", "part 2 replies to 101")?;
                    ensure(b["visibility"] == "unlisted", "replies unlisted")?;
                    ok(json!({"id": "102", "url": "https://local/@alice/102"}))
                }
                "three" => {
                    ensure(b["in_reply_to_id"] == "102", "part 3 replies to 102")?;
                    ok(json!({"id": "103", "url": "https://local/@alice/103"}))
                }
                other => Err(format!("unexpected text {other}")),
            }
        }
        _ => Err("unexpected call".into()),
    })
    .await;
    let acct = account(Platform::Mastodon, Some(&server.base), TOKEN);
    let mut post = thread(&["one", "two", "three"]);
    post.parts[0].media.push(png());
    let sink = CollectReceipts::default();
    let receipt = publisher().publish(&acct, &post, &sink).await.unwrap();
    server.assert_clean();
    let ids: Vec<_> = receipt
        .parts
        .iter()
        .map(|p| p.platform_post_id.as_str())
        .collect();
    assert_eq!(ids, ["101", "102", "103"]);
    assert_eq!(receipt.url(), Some("https://local/@alice/101"));
    assert_eq!(sink.receipts().len(), 3);
    assert_eq!(polls.load(Ordering::SeqCst), 2, "polled until 200");
    // Media uploaded before the status that uses it.
    let calls = server.calls();
    let media_at = calls
        .iter()
        .position(|c| c == "POST /api/v2/media")
        .unwrap();
    let first_status = calls
        .iter()
        .position(|c| c == "POST /api/v1/statuses")
        .unwrap();
    assert!(media_at < first_status);
    // Keys: distinct per part, and the same for the same (post, account, part).
    let keys: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/statuses")
        .map(|r| r.header("idempotency-key").unwrap())
        .collect();
    assert_eq!(keys.len(), 3);
    assert_ne!(keys[0], keys[1]);
    assert_ne!(keys[1], keys[2]);
    assert_eq!(
        keys[2],
        MastodonPublisher::idempotency_key(post.post_key, &acct, 2)
    );
}

#[tokio::test]
async fn interrupted_thread_resumes_with_part_three_only() {
    let fail_part3 = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let f = fail_part3.clone();
    let server = MockServer::start(move |r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/api/v2/instance") => ok(instance(500)),
        ("POST", "/api/v1/statuses") => {
            check_status(r)?;
            let b = r.json();
            match b["status"].as_str().unwrap_or_default() {
                "one" => ok(json!({"id": "201"})),
                "two" => ok(json!({"id": "202"})),
                "three" if f.load(Ordering::SeqCst) => status(
                    422,
                    json!({"error": "Validation failed: Text character limit"}),
                ),
                "three" => {
                    ensure(b["in_reply_to_id"] == "202", "part 3 replies to part 2")?;
                    ok(json!({"id": "203"}))
                }
                other => Err(format!("unexpected text {other}")),
            }
        }
        _ => Err("unexpected call".into()),
    })
    .await;
    let acct = account(Platform::Mastodon, Some(&server.base), TOKEN);
    let mut post = thread(&["one", "two", "three"]);
    let sink = CollectReceipts::default();
    let err = publisher().publish(&acct, &post, &sink).await.unwrap_err();
    match err {
        Error::Rejected { message, .. } => assert!(message.contains("character limit")),
        other => panic!("expected Rejected, got {other:?}"),
    }
    let saved = sink.receipts();
    assert_eq!(
        saved.len(),
        2,
        "parts 1 and 2 were recorded before part 3 failed"
    );

    fail_part3.store(false, Ordering::SeqCst);
    post.resume_from = saved;
    let before = server.count("POST", "/api/v1/statuses");
    let sink2 = CollectReceipts::default();
    let receipt = publisher().publish(&acct, &post, &sink2).await.unwrap();
    server.assert_clean();
    assert_eq!(
        server.count("POST", "/api/v1/statuses") - before,
        1,
        "only part 3 sent"
    );
    let ids: Vec<_> = receipt
        .parts
        .iter()
        .map(|p| p.platform_post_id.as_str())
        .collect();
    assert_eq!(ids, ["201", "202", "203"]);
    assert_eq!(sink2.receipts().len(), 1);
    assert_eq!(sink2.receipts()[0].index, 2);
}

#[tokio::test]
async fn rate_limit_reads_iso_reset_header() {
    let server = MockServer::start(|r, _| match r.path.as_str() {
        "/api/v2/instance" => ok(instance(500)),
        "/api/v1/statuses" => {
            let reset = (chrono::Utc::now() + chrono::Duration::seconds(120))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            with_headers(
                429,
                &[
                    ("X-RateLimit-Limit", "300"),
                    ("X-RateLimit-Remaining", "0"),
                    ("X-RateLimit-Reset", &reset),
                ],
                json!({"error": "Too many requests"}),
            )
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let acct = account(Platform::Mastodon, Some(&server.base), TOKEN);
    let err = publisher()
        .publish(&acct, &thread(&["hello"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    let wait = err.retry_after().expect("retry_after parsed");
    assert!(matches!(err, Error::RateLimited { .. }));
    assert!(
        wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
        "{wait:?}"
    );
    // The wait exceeds the client's max backoff: returned at once, not slept through.
    assert_eq!(server.count("POST", "/api/v1/statuses"), 1);
}

async fn hang_then(answer_after: usize) -> MockServer {
    let n = Arc::new(AtomicUsize::new(0));
    MockServer::start(move |r, _| match r.path.as_str() {
        "/api/v2/instance" => ok(instance(500)),
        "/api/v1/statuses" => {
            check_status(r)?;
            if n.fetch_add(1, Ordering::SeqCst) < answer_after {
                // Received, never answered in time.
                Ok(Reply::Hang)
            } else {
                ok(json!({"id": "301"}))
            }
        }
        _ => Err("unexpected".into()),
    })
    .await
}

fn status_keys(server: &MockServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/statuses")
        .map(|r| r.header("idempotency-key").unwrap())
        .collect()
}

#[tokio::test]
async fn timeout_is_retried_with_the_same_idempotency_key() {
    let server = hang_then(1).await;
    let acct = account(Platform::Mastodon, Some(&server.base), TOKEN);
    let receipt = publisher()
        .publish(&acct, &thread(&["hello"]), &CollectReceipts::default())
        .await
        .unwrap();
    assert_eq!(receipt.platform_post_id(), Some("301"));
    let keys = status_keys(&server);
    assert_eq!(keys.len(), 2);
    assert_eq!(
        keys[0], keys[1],
        "the retry reuses the key, so Mastodon deduplicates"
    );
}

#[tokio::test]
async fn timeouts_on_every_attempt_are_unconfirmed() {
    let server = hang_then(usize::MAX).await;
    let acct = account(Platform::Mastodon, Some(&server.base), TOKEN);
    let err = publisher()
        .publish(&acct, &thread(&["hello"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unconfirmed { .. }), "{err:?}");
    assert!(!err.is_retryable());
    let keys = status_keys(&server);
    assert_eq!(keys.len(), 3, "retried up to max_attempts");
    assert!(keys.iter().all(|k| k == &keys[0]));
}

#[tokio::test]
async fn instance_limit_is_enforced_before_any_status_call() {
    let server = MockServer::start(|r, _| match r.path.as_str() {
        "/api/v2/instance" => ok(instance(100)),
        _ => Err("no call expected after validation failed".into()),
    })
    .await;
    let acct = account(Platform::Mastodon, Some(&server.base), TOKEN);
    let long = "x".repeat(150);
    let err = publisher()
        .publish(
            &acct,
            &thread(&["short", &long]),
            &CollectReceipts::default(),
        )
        .await
        .unwrap_err();
    match err {
        Error::Validation { field, rule } => {
            assert_eq!(field, "parts[1].text");
            assert!(rule.contains("150") && rule.contains("100"), "{rule}");
        }
        other => panic!("{other:?}"),
    }
    server.assert_clean();
    assert_eq!(server.count("POST", "/api/v1/statuses"), 0);
}

#[tokio::test]
async fn unauthorized_needs_reauth_and_metrics_are_read() {
    let server = MockServer::start(|r, _| match r.path.as_str() {
        "/api/v1/statuses/55" => {
            if r.bearer().as_deref() != Some(TOKEN) {
                return status(401, json!({"error": "The access token is invalid"}));
            }
            ok(json!({"id": "55", "favourites_count": 7, "reblogs_count": 3, "replies_count": 2}))
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let p = publisher();
    let acct = account(Platform::Mastodon, Some(&server.base), TOKEN);
    let m = p.metrics(&acct, &["55".into()]).await.unwrap();
    assert_eq!((m[0].likes, m[0].shares, m[0].comments), (7, 3, 2));
    assert_eq!(m[0].impressions, None);
    let bad = account(Platform::Mastodon, Some(&server.base), "wrong");
    let err = p.metrics(&bad, &["55".into()]).await.unwrap_err();
    assert!(matches!(err, Error::NeedsReauth { .. }), "{err:?}");
    assert!(
        !format!("{err:?}").contains("wrong"),
        "token never in errors"
    );
}
