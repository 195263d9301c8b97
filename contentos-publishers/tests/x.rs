//! X adapter against a local server enforcing the v2 wire format.

mod common;

use common::*;
use contentos_core::model::Platform;
use contentos_core::publish::{
    CollectReceipts, MediaAttachment, MediaKind, PostPart, PostRequest, Publisher,
};
use contentos_core::vault::Secret;
use contentos_core::Error;
use contentos_publishers::x::XPublisher;
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "x-user-token";

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
        languages: vec![],
    }
}

fn publisher(base: &str) -> XPublisher {
    XPublisher::new(fast_http(), "client-1")
        .with_api_base(base)
        .with_media_tuning(4, Duration::from_millis(5))
}

#[tokio::test]
async fn thread_with_chunked_video_follows_init_append_finalize_status() {
    // Server-side state machine of one upload: INIT before APPEND, APPENDs in order, FINALIZE
    // after all bytes, STATUS until succeeded, tweet only with a ready media id.
    #[derive(Default)]
    struct Up {
        inited: bool,
        next_segment: usize,
        bytes: usize,
        finalized: bool,
        polls: usize,
    }
    let up = Arc::new(Mutex::new(Up::default()));
    let u = up.clone();
    let server = MockServer::start(move |r, _| {
        ensure(r.bearer().as_deref() == Some(TOKEN), "bearer")?;
        let mut st = u.lock().unwrap();
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/2/media/upload/initialize") => {
                let b = r.json();
                ensure(b["media_type"] == "video/mp4", "media_type")?;
                ensure(b["total_bytes"] == 10, "total_bytes")?;
                ensure(b["media_category"] == "tweet_video", "media_category")?;
                st.inited = true;
                ok(json!({"data": {"id": "777", "media_key": "13_777", "expires_after_secs": 86400}}))
            }
            ("POST", "/2/media/upload/777/append") => {
                ensure(st.inited, "APPEND before INIT")?;
                let body = r.body_str();
                let expected = format!("name=\"segment_index\"\r\n\r\n{}\r\n", st.next_segment);
                ensure(body.contains(&expected), format!("segment_index {}", st.next_segment))?;
                ensure(body.contains("name=\"media\""), "media part")?;
                st.next_segment += 1;
                st.bytes += if st.next_segment < 3 { 4 } else { 2 };
                status(204, json!({}))
            }
            ("POST", "/2/media/upload/777/finalize") => {
                ensure(st.next_segment == 3 && st.bytes == 10, "FINALIZE after all 3 segments")?;
                st.finalized = true;
                ok(json!({"data": {"id": "777", "processing_info": {"state": "pending", "check_after_secs": 1}}}))
            }
            ("GET", "/2/media/upload") => {
                ensure(r.q("command").as_deref() == Some("STATUS"), "command=STATUS")?;
                ensure(r.q("media_id").as_deref() == Some("777"), "media_id")?;
                ensure(st.finalized, "STATUS before FINALIZE")?;
                st.polls += 1;
                let state = if st.polls < 2 { "in_progress" } else { "succeeded" };
                ok(json!({"data": {"id": "777", "processing_info": {"state": state, "check_after_secs": 1}}}))
            }
            ("POST", "/2/tweets") => {
                let b = r.json();
                match b["text"].as_str().unwrap_or_default() {
                    "first" => {
                        ensure(st.polls >= 2, "tweet before media processing succeeded")?;
                        ensure(b["media"]["media_ids"] == json!(["777"]), "media_ids")?;
                        ensure(b.get("reply").is_none(), "first is not a reply")?;
                        status(201, json!({"data": {"id": "1880028106020515840", "text": "first"}}))
                    }
                    "second" => {
                        ensure(
                            b["reply"]["in_reply_to_tweet_id"] == "1880028106020515840",
                            "reply to previous",
                        )?;
                        status(201, json!({"data": {"id": "1880028106020515841", "text": "second"}}))
                    }
                    _ => Err("unexpected text".into()),
                }
            }
            _ => Err("unexpected call".into()),
        }
    })
    .await;
    let acct = account(Platform::X, None, TOKEN);
    let mut post = thread(&["first", "second"]);
    post.parts[0].media.push(MediaAttachment {
        kind: MediaKind::Video,
        mime_type: "video/mp4".into(),
        data: (0u8..10).collect(),
        url: None,
        alt_text: None,
        dimensions: None,
    });
    let r = publisher(&server.base)
        .publish(&acct, &post, &CollectReceipts::default())
        .await
        .unwrap();
    server.assert_clean();
    // Ids stay exact strings (they overflow f64).
    assert_eq!(r.parts[0].platform_post_id, "1880028106020515840");
    assert_eq!(r.parts[1].platform_post_id, "1880028106020515841");
    assert_eq!(
        r.url(),
        Some("https://x.com/i/web/status/1880028106020515840")
    );
    assert_eq!(up.lock().unwrap().next_segment, 3);
}

#[tokio::test]
async fn interrupted_thread_resumes_with_part_three_only() {
    let fail = Arc::new(AtomicBool::new(true));
    let f = fail.clone();
    let server = MockServer::start(move |r, _| {
        let b = r.json();
        match b["text"].as_str().unwrap_or_default() {
            "p1" => status(201, json!({"data": {"id": "11", "text": "p1"}})),
            "p2" => status(201, json!({"data": {"id": "12", "text": "p2"}})),
            "p3" if f.load(Ordering::SeqCst) => status(
                403,
                json!({"title": "Forbidden", "detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "status": 403}),
            ),
            "p3" => {
                ensure(b["reply"]["in_reply_to_tweet_id"] == "12", "p3 replies to p2")?;
                status(201, json!({"data": {"id": "13", "text": "p3"}}))
            }
            _ => Err("unexpected".into()),
        }
    })
    .await;
    let acct = account(Platform::X, None, TOKEN);
    let p = publisher(&server.base);
    let mut post = thread(&["p1", "p2", "p3"]);
    let sink = CollectReceipts::default();
    let err = p.publish(&acct, &post, &sink).await.unwrap_err();
    match &err {
        Error::Rejected { code, .. } => assert_eq!(code.as_deref(), Some("duplicate")),
        other => panic!("{other:?}"),
    }
    assert_eq!(sink.receipts().len(), 2);
    fail.store(false, Ordering::SeqCst);
    post.resume_from = sink.receipts();
    let before = server.count("POST", "/2/tweets");
    let r = p
        .publish(&acct, &post, &CollectReceipts::default())
        .await
        .unwrap();
    server.assert_clean();
    assert_eq!(server.count("POST", "/2/tweets") - before, 1);
    let ids: Vec<_> = r
        .parts
        .iter()
        .map(|x| x.platform_post_id.as_str())
        .collect();
    assert_eq!(ids, ["11", "12", "13"]);
}

#[tokio::test]
async fn rate_limit_timeout_and_server_error_are_not_retried() {
    let mode = Arc::new(AtomicUsize::new(0));
    let m = mode.clone();
    let server = MockServer::start(move |_r, _| match m.load(Ordering::SeqCst) {
        0 => {
            let reset = (chrono::Utc::now().timestamp() + 600).to_string();
            with_headers(
                429,
                &[
                    ("x-rate-limit-limit", "200"),
                    ("x-rate-limit-remaining", "0"),
                    ("x-rate-limit-reset", &reset),
                ],
                json!({"errors": [{"code": 88, "message": "Rate limit exceeded"}]}),
            )
        }
        1 => Ok(Reply::Hang),
        _ => status(500, json!({"title": "Internal Server Error"})),
    })
    .await;
    let acct = account(Platform::X, None, TOKEN);
    let p = publisher(&server.base);
    let e = p
        .publish(&acct, &thread(&["a"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::RateLimited { .. }));
    let wait = e.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(590) && wait <= Duration::from_secs(600),
        "{wait:?}"
    );
    mode.store(1, Ordering::SeqCst);
    let e = p
        .publish(&acct, &thread(&["a"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unconfirmed { .. }), "{e:?}");
    mode.store(2, Ordering::SeqCst);
    let e = p
        .publish(&acct, &thread(&["a"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unconfirmed { .. }), "{e:?}");
    assert_eq!(
        server.count("POST", "/2/tweets"),
        3,
        "one attempt per publish"
    );
}

#[tokio::test]
async fn validation_counts_weighted_length() {
    let p = publisher("http://127.0.0.1:9");
    // 140 CJK characters weigh 280: allowed; one more is not.
    p.validate(&thread(&[&"日".repeat(140)])).unwrap();
    let e = p.validate(&thread(&["ok", &"日".repeat(141)])).unwrap_err();
    match e {
        Error::Validation { field, rule } => {
            assert_eq!(field, "parts[1].text");
            assert!(rule.contains("282") && rule.contains("280"), "{rule}");
        }
        other => panic!("{other:?}"),
    }
    let mut five = thread(&["pics"]);
    for _ in 0..5 {
        five.parts[0].media.push(MediaAttachment {
            kind: MediaKind::Image,
            mime_type: "image/png".into(),
            data: vec![1],
            url: None,
            alt_text: None,
            dimensions: None,
        });
    }
    let e = p.validate(&five).unwrap_err();
    assert!(e.to_string().contains("parts[0].media"), "{e}");
}

#[tokio::test]
async fn oauth_pkce_exchange_and_rotating_refresh() {
    let server = MockServer::start(|r, _| {
        ensure(r.path == "/2/oauth2/token", "token path")?;
        ensure(
            r.header("content-type").unwrap_or_default().starts_with("application/x-www-form-urlencoded"),
            "form encoded",
        )?;
        // Confidential client: HTTP Basic base64("client-1:shh").
        ensure(
            r.header("authorization").as_deref() == Some("Basic Y2xpZW50LTE6c2ho"),
            "basic client auth",
        )?;
        let f = r.form();
        ensure(f.get("client_id").map(String::as_str) == Some("client-1"), "client_id")?;
        match f.get("grant_type").map(String::as_str) {
            Some("authorization_code") => {
                ensure(f.get("code").map(String::as_str) == Some("the-code"), "code")?;
                ensure(f.get("redirect_uri").map(String::as_str) == Some("https://app/cb"), "redirect_uri")?;
                let v = f.get("code_verifier").cloned().unwrap_or_default();
                ensure(v.len() >= 43, "code_verifier")?;
                ok(json!({"token_type": "bearer", "access_token": "at-1", "refresh_token": "rt-1",
                          "expires_in": 7200, "scope": "tweet.read tweet.write users.read offline.access"}))
            }
            Some("refresh_token") => match f.get("refresh_token").map(String::as_str) {
                Some("rt-1") => ok(json!({"access_token": "at-2", "refresh_token": "rt-2", "expires_in": 7200})),
                Some("rt-2") => ok(json!({"access_token": "at-3", "expires_in": 7200})),
                _ => status(400, json!({"error": "invalid_request", "error_description": "Value passed for the token was invalid."})),
            },
            _ => Err("grant_type".into()),
        }
    })
    .await;
    let p = XPublisher::new(fast_http(), "client-1")
        .with_api_base(&server.base)
        .with_client_secret(Secret::new("shh"));
    let (url, pkce) = p
        .authorization_url(
            "https://app/cb",
            &["tweet.read", "tweet.write", "users.read", "offline.access"],
            "st8",
        )
        .unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(parsed.host_str(), Some("x.com"));
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(
        q["code_challenge"],
        contentos_publishers::oauth::s256(pkce.verifier.expose())
    );
    assert_eq!(
        q["scope"],
        "tweet.read tweet.write users.read offline.access"
    );
    assert_eq!(q["state"], "st8");

    let tokens = p
        .exchange_code("the-code", &pkce.verifier, "https://app/cb")
        .await
        .unwrap();
    assert_eq!(tokens.access_token.expose(), "at-1");
    assert!(tokens.expires_at.unwrap() > chrono::Utc::now() + chrono::Duration::seconds(7000));

    let mut acct = account(Platform::X, None, "at-1");
    acct.refresh_token = Some(Secret::new("rt-1"));
    let acct = p.refresh(&acct).await.unwrap();
    assert_eq!(acct.access_token.expose(), "at-2");
    assert_eq!(
        acct.refresh_token.as_ref().unwrap().expose(),
        "rt-2",
        "rotated token returned"
    );
    // A response without a refresh token keeps the stored one.
    let acct = p.refresh(&acct).await.unwrap();
    assert_eq!(acct.access_token.expose(), "at-3");
    assert_eq!(acct.refresh_token.as_ref().unwrap().expose(), "rt-2");
    let mut dead = acct.clone();
    dead.refresh_token = Some(Secret::new("revoked"));
    let e = p.refresh(&dead).await.unwrap_err();
    assert!(matches!(e, Error::NeedsReauth { .. }), "{e:?}");
    server.assert_clean();
}

#[tokio::test]
async fn metrics_read_public_metrics() {
    let server = MockServer::start(|r, _| {
        ensure(r.path == "/2/tweets" && r.method == "GET", "lookup")?;
        ensure(r.q("ids").as_deref() == Some("1,2"), "ids")?;
        ensure(r.q("tweet.fields").unwrap_or_default().contains("public_metrics"), "fields")?;
        ok(json!({"data": [
            {"id": "1", "text": "a", "public_metrics": {"retweet_count": 2, "reply_count": 3, "like_count": 10, "quote_count": 1, "bookmark_count": 0, "impression_count": 500}},
            {"id": "2", "text": "b", "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0, "impression_count": 20}}
        ]}))
    })
    .await;
    let m = publisher(&server.base)
        .metrics(
            &account(Platform::X, None, TOKEN),
            &["1".into(), "2".into()],
        )
        .await
        .unwrap();
    server.assert_clean();
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[0].likes, m[0].comments, m[0].shares, m[0].impressions),
        (10, 3, 3, Some(500))
    );
}

#[tokio::test]
async fn uploads_are_retried_but_the_create_is_not() {
    let init_calls = Arc::new(AtomicUsize::new(0));
    let n = init_calls.clone();
    let server = MockServer::start(move |r, _| match r.path.as_str() {
        "/2/media/upload/initialize" => {
            if n.fetch_add(1, Ordering::SeqCst) == 0 {
                status(503, json!({"title": "Service Unavailable"}))
            } else {
                ok(json!({"data": {"id": "9"}}))
            }
        }
        "/2/media/upload/9/append" => status(204, json!({})),
        "/2/media/upload/9/finalize" => ok(json!({"data": {"id": "9"}})),
        "/2/media/metadata" => {
            ensure(
                r.json()["metadata"]["alt_text"]["text"] == "chart",
                "alt text",
            )?;
            ok(json!({}))
        }
        "/2/tweets" => {
            ensure(r.json()["media"]["media_ids"] == json!(["9"]), "media id")?;
            status(503, json!({"title": "Service Unavailable"}))
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let mut post = thread(&["with image"]);
    post.parts[0].media.push(MediaAttachment {
        kind: MediaKind::Image,
        mime_type: "image/png".into(),
        data: vec![1, 2, 3],
        url: None,
        alt_text: Some("chart".into()),
        dimensions: None,
    });
    let e = publisher(&server.base)
        .publish(
            &account(Platform::X, None, TOKEN),
            &post,
            &CollectReceipts::default(),
        )
        .await
        .unwrap_err();
    server.assert_clean();
    // 503 on the create: refused before acting, so Transient (the caller may retry later).
    assert!(
        matches!(
            e,
            Error::Transient {
                status: Some(503),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        init_calls.load(Ordering::SeqCst),
        2,
        "upload retried after 503"
    );
    assert_eq!(server.count("POST", "/2/tweets"), 1, "create sent once");
}
