//! Bluesky adapter error paths against a local XRPC server: session caching and refresh, rate
//! limits, ambiguous creates, resuming without a CID, validation.

mod common;

use common::*;
use contentos_core::model::{PartReceipt, Platform};
use contentos_core::publish::{CollectReceipts, PostPart, PostRequest, Publisher};
use contentos_core::Error;
use contentos_publishers::bluesky::BlueskyPublisher;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const DID: &str = "did:plc:alice";

fn session(access: &str) -> serde_json::Value {
    json!({"did": DID, "handle": "alice.test", "accessJwt": access, "refreshJwt": "refresh-1"})
}

fn created(n: usize) -> serde_json::Value {
    json!({"uri": format!("at://{DID}/app.bsky.feed.post/r{n}"), "cid": format!("cid{n}"),
           "validationStatus": "valid"})
}

fn post(parts: &[&str]) -> PostRequest {
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
        languages: vec![],
    }
}

#[tokio::test]
async fn session_is_created_once_and_refreshed_on_expiry() {
    let records = Arc::new(AtomicUsize::new(0));
    let r2 = records.clone();
    let server = MockServer::start(move |r, _| match r.path.as_str() {
        "/xrpc/com.atproto.server.createSession" => {
            let b = r.json();
            ensure(b["identifier"] == "alice", "identifier")?;
            ensure(b["password"] == "app-pass", "password")?;
            ok(session("access-1"))
        }
        "/xrpc/com.atproto.server.refreshSession" => {
            ensure(
                r.bearer().as_deref() == Some("refresh-1"),
                "refresh JWT as bearer",
            )?;
            ok(session("access-2"))
        }
        "/xrpc/com.atproto.repo.createRecord" => {
            let b = r.json();
            ensure(b["repo"] == DID, "repo is the DID")?;
            ensure(b["collection"] == "app.bsky.feed.post", "collection")?;
            ensure(b["record"]["$type"] == "app.bsky.feed.post", "$type")?;
            ensure(
                b["record"]["createdAt"]
                    .as_str()
                    .is_some_and(|s| s.ends_with('Z')),
                "createdAt in UTC",
            )?;
            match r.bearer().as_deref() {
                Some("access-1") if r2.load(Ordering::SeqCst) == 1 => status(
                    400,
                    json!({"error": "ExpiredToken", "message": "Token has expired"}),
                ),
                Some("access-1") | Some("access-2") => {
                    let n = r2.fetch_add(1, Ordering::SeqCst);
                    ok(created(n))
                }
                _ => Err("bad bearer".into()),
            }
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let p = BlueskyPublisher::new(fast_http());
    let acct = account(Platform::Bluesky, Some(&server.base), "app-pass");
    p.publish(&acct, &post(&["one"]), &CollectReceipts::default())
        .await
        .unwrap();
    // Second publish: token expired → refresh → same create succeeds; no second login.
    let r = p
        .publish(&acct, &post(&["two"]), &CollectReceipts::default())
        .await
        .unwrap();
    server.assert_clean();
    assert_eq!(
        r.platform_post_id(),
        Some("at://did:plc:alice/app.bsky.feed.post/r1")
    );
    assert_eq!(
        server.count("POST", "/xrpc/com.atproto.server.createSession"),
        1
    );
    assert_eq!(
        server.count("POST", "/xrpc/com.atproto.server.refreshSession"),
        1
    );
}

#[tokio::test]
async fn rate_limit_headers_and_ambiguous_create() {
    let mode = Arc::new(AtomicUsize::new(0));
    let m = mode.clone();
    let server = MockServer::start(move |r, _| match r.path.as_str() {
        "/xrpc/com.atproto.server.createSession" => ok(session("a")),
        "/xrpc/com.atproto.repo.createRecord" => {
            if m.load(Ordering::SeqCst) == 0 {
                with_headers(
                    429,
                    &[
                        ("ratelimit-limit", "5000"),
                        ("ratelimit-remaining", "0"),
                        (
                            "ratelimit-reset",
                            &(chrono::Utc::now().timestamp() + 900).to_string(),
                        ),
                        ("ratelimit-policy", "5000;w=3600"),
                    ],
                    json!({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}),
                )
            } else {
                Ok(Reply::Hang)
            }
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let p = BlueskyPublisher::new(fast_http());
    let acct = account(Platform::Bluesky, Some(&server.base), "pw");
    let err = p
        .publish(&acct, &post(&["x"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    let wait = err.retry_after().unwrap();
    assert!(wait > Duration::from_secs(800), "{wait:?}");
    mode.store(1, Ordering::SeqCst);
    let err = p
        .publish(&acct, &post(&["x"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unconfirmed { .. }), "{err:?}");
    assert_eq!(
        server.count("POST", "/xrpc/com.atproto.repo.createRecord"),
        2,
        "creates are never retried"
    );
}

#[tokio::test]
async fn resume_without_cid_fetches_it_and_chains_from_it() {
    let server = MockServer::start(|r, _| match r.path.as_str() {
        "/xrpc/com.atproto.server.createSession" => ok(session("a")),
        "/xrpc/com.atproto.repo.getRecord" => {
            ensure(r.q("repo").as_deref() == Some(DID), "repo")?;
            ensure(r.q("rkey").as_deref() == Some("r0"), "rkey")?;
            ok(json!({"uri": format!("at://{DID}/app.bsky.feed.post/r0"), "cid": "cid0", "value": {}}))
        }
        "/xrpc/com.atproto.repo.createRecord" => {
            let reply = &r.json()["record"]["reply"];
            let root = json!({"uri": format!("at://{DID}/app.bsky.feed.post/r0"), "cid": "cid0"});
            ensure(reply["root"] == root, "root strong ref")?;
            ensure(reply["parent"] == root, "parent strong ref")?;
            ok(created(1))
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let p = BlueskyPublisher::new(fast_http());
    let acct = account(Platform::Bluesky, Some(&server.base), "pw");
    let mut req = post(&["one", "two"]);
    req.resume_from = vec![PartReceipt {
        index: 0,
        platform_post_id: format!("at://{DID}/app.bsky.feed.post/r0"),
        cid: None,
        url: None,
    }];
    let r = p
        .publish(&acct, &req, &CollectReceipts::default())
        .await
        .unwrap();
    server.assert_clean();
    assert_eq!(r.parts.len(), 2);
    assert_eq!(r.parts[1].cid.as_deref(), Some("cid1"));
}

#[tokio::test]
async fn validation_names_part_and_rule_without_network() {
    let p = BlueskyPublisher::default().with_pds("http://127.0.0.1:9");
    let long = "é".repeat(301);
    let err = p.validate(&post(&["ok", &long])).unwrap_err();
    match err {
        Error::Validation { field, rule } => {
            assert_eq!(field, "parts[1].text");
            assert!(
                rule.contains("301") && rule.contains("300 graphemes"),
                "{rule}"
            );
        }
        other => panic!("{other:?}"),
    }
    // 300 graphemes but more than 3000 bytes.
    let heavy = "👨‍👩‍👧".repeat(300);
    let err = p.validate(&post(&[&heavy])).unwrap_err();
    assert!(err.to_string().contains("3000 bytes"), "{err}");
    let ok_text = "a".repeat(300);
    p.validate(&post(&[&ok_text])).unwrap();
}

#[tokio::test]
async fn interrupted_thread_resumes_with_part_three_only() {
    let fail = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let f = fail.clone();
    let server = MockServer::start(move |r, _| match r.path.as_str() {
        "/xrpc/com.atproto.server.createSession" => ok(session("a")),
        "/xrpc/com.atproto.repo.createRecord" => {
            let rec = &r.json()["record"];
            let uri = |n: usize| format!("at://{DID}/app.bsky.feed.post/r{n}");
            match rec["text"].as_str().unwrap_or_default() {
                "one" => ok(created(0)),
                "two" => {
                    ensure(rec["reply"]["parent"]["uri"] == uri(0), "two → one")?;
                    ok(created(1))
                }
                "three" if f.load(Ordering::SeqCst) => status(
                    400,
                    json!({"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"}),
                ),
                "three" => {
                    ensure(rec["reply"]["root"] == json!({"uri": uri(0), "cid": "cid0"}), "root = part 1")?;
                    ensure(rec["reply"]["parent"] == json!({"uri": uri(1), "cid": "cid1"}), "parent = part 2")?;
                    ok(created(2))
                }
                _ => Err("unexpected text".into()),
            }
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let p = BlueskyPublisher::new(fast_http());
    let acct = account(Platform::Bluesky, Some(&server.base), "pw");
    let mut req = post(&["one", "two", "three"]);
    let sink = CollectReceipts::default();
    let e = p.publish(&acct, &req, &sink).await.unwrap_err();
    match e {
        Error::Rejected { code, .. } => assert_eq!(code.as_deref(), Some("InvalidRequest")),
        other => panic!("{other:?}"),
    }
    assert_eq!(sink.receipts().len(), 2);
    fail.store(false, Ordering::SeqCst);
    req.resume_from = sink.receipts();
    let before = server.count("POST", "/xrpc/com.atproto.repo.createRecord");
    let r = p
        .publish(&acct, &req, &CollectReceipts::default())
        .await
        .unwrap();
    server.assert_clean();
    assert_eq!(
        server.count("POST", "/xrpc/com.atproto.repo.createRecord") - before,
        1
    );
    assert_eq!(r.parts.len(), 3);
}

#[tokio::test]
async fn metrics_batch_uris_on_the_appview() {
    let server = MockServer::start(|r, _| {
        ensure(r.path == "/xrpc/app.bsky.feed.getPosts", "getPosts")?;
        let uris = r.q_all("uris");
        ensure(uris.len() == 2, "two uris params")?;
        ok(json!({"posts": uris.iter().enumerate().map(|(i, u)| json!({
            "uri": u, "cid": "c", "likeCount": 10 + i, "replyCount": 2, "repostCount": 3, "quoteCount": 1,
            "author": {}, "record": {}, "indexedAt": "2025-01-01T00:00:00Z"})).collect::<Vec<_>>()}))
    })
    .await;
    let p = BlueskyPublisher::new(fast_http()).with_appview(&server.base);
    let acct = account(Platform::Bluesky, None, "pw");
    let ids = vec![
        format!("at://{DID}/app.bsky.feed.post/a"),
        format!("at://{DID}/app.bsky.feed.post/b"),
    ];
    let m = p.metrics(&acct, &ids).await.unwrap();
    server.assert_clean();
    assert_eq!(m.len(), 2);
    assert_eq!(m[1].platform_post_id, ids[1]);
    assert_eq!(
        (m[1].likes, m[1].comments, m[1].shares, m[1].impressions),
        (11, 2, 4, None)
    );
}
