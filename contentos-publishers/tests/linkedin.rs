//! LinkedIn adapter against a local server enforcing the Posts API wire format.

mod common;

use common::*;
use contentos_core::model::Platform;
use contentos_core::publish::{
    CollectReceipts, MediaAttachment, MediaKind, PostPart, PostRequest, Publisher,
};
use contentos_core::vault::Secret;
use contentos_core::Error;
use contentos_publishers::linkedin::LinkedInPublisher;
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const TOKEN: &str = "li-token";
const POST_URN: &str = "urn:li:share:7100";
const COMMENTS_PATH: &str = "/v2/socialActions/urn%3Ali%3Ashare%3A7100/comments";

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

fn png(alt: &str) -> MediaAttachment {
    MediaAttachment {
        kind: MediaKind::Image,
        mime_type: "image/png".into(),
        data: alt.as_bytes().to_vec(),
        url: None,
        alt_text: Some(alt.into()),
        dimensions: None,
    }
}

fn versioned(r: &Req) -> Result<(), String> {
    ensure(r.bearer().as_deref() == Some(TOKEN), "bearer")?;
    ensure(
        r.header("linkedin-version").as_deref() == Some("202501"),
        "LinkedIn-Version",
    )?;
    ensure(
        r.header("x-restli-protocol-version").as_deref() == Some("2.0.0"),
        "X-Restli-Protocol-Version",
    )
}

fn linkedin_server(
    fail_comment: Arc<AtomicBool>,
    uploads: Arc<AtomicUsize>,
) -> impl Fn(&Req, usize) -> Result<Reply, String> {
    move |r, _| match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/v2/userinfo") => {
            ensure(r.bearer().as_deref() == Some(TOKEN), "bearer")?;
            ok(json!({"sub": "abc123", "name": "Alice"}))
        }
        ("POST", "/rest/images") => {
            versioned(r)?;
            ensure(
                r.q("action").as_deref() == Some("initializeUpload"),
                "action=initializeUpload",
            )?;
            ensure(
                r.json()["initializeUploadRequest"]["owner"] == "urn:li:person:abc123",
                "owner URN",
            )?;
            let n = uploads.fetch_add(1, Ordering::SeqCst);
            ok(
                json!({"value": {"uploadUrlExpiresAt": 1, "uploadUrl": format!("{}/upload/{n}", "http://HOST"), "image": format!("urn:li:image:I{n}")}}),
            )
        }
        ("PUT", p) if p.starts_with("/upload/") => {
            ensure(r.bearer().as_deref() == Some(TOKEN), "bearer on upload")?;
            ensure(!r.body.is_empty(), "bytes uploaded")?;
            status(201, json!({}))
        }
        ("POST", "/rest/posts") => {
            versioned(r)?;
            let b = r.json();
            ensure(b["author"] == "urn:li:person:abc123", "author")?;
            ensure(
                b["commentary"] == "Launch \\(beta\\) {hashtag|\\#|rust} for \\@team \\[v2\\]",
                format!("little-text escaped commentary: {}", b["commentary"]),
            )?;
            ensure(b["visibility"] == "PUBLIC", "visibility")?;
            ensure(b["lifecycleState"] == "PUBLISHED", "lifecycleState")?;
            ensure(
                b["distribution"]["feedDistribution"] == "MAIN_FEED",
                "distribution",
            )?;
            let imgs = &b["content"]["multiImage"]["images"];
            ensure(
                imgs[0]["id"] == "urn:li:image:I0" && imgs[1]["id"] == "urn:li:image:I1",
                "multiImage ids",
            )?;
            ensure(imgs[0]["altText"] == "one", "altText")?;
            // 201, empty body, id in x-restli-id.
            Ok(Reply::Full(
                201,
                vec![("x-restli-id".into(), POST_URN.into())],
                vec![],
            ))
        }
        ("POST", COMMENTS_PATH) => {
            let b = r.json();
            ensure(b["actor"] == "urn:li:person:abc123", "actor")?;
            ensure(b["object"] == POST_URN, "object")?;
            let text = b["message"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if text == "third" && fail_comment.load(Ordering::SeqCst) {
                return status(
                    500,
                    json!({"message": "Internal Server Error", "status": 500}),
                );
            }
            Ok(Reply::Full(
                201,
                vec![(
                    "x-restli-id".into(),
                    format!("urn:li:comment:(urn:li:activity:1,{text})"),
                )],
                vec![],
            ))
        }
        _ => Err("unexpected call".into()),
    }
}

#[tokio::test]
async fn post_with_images_then_comments_and_resume_after_failed_comment() {
    let fail = Arc::new(AtomicBool::new(true));
    let uploads = Arc::new(AtomicUsize::new(0));
    // Upload URLs are absolute: the fake hands out URLs pointing back at itself.
    let base_cell = Arc::new(std::sync::Mutex::new(String::new()));
    let cell = base_cell.clone();
    let inner = linkedin_server(fail.clone(), uploads.clone());
    let server2 = MockServer::start(move |r, n| match inner(r, n)? {
        Reply::Json(code, v) => {
            let fixed = v.to_string().replace("http://HOST", &cell.lock().unwrap());
            Ok(Reply::Json(code, serde_json::from_str(&fixed).unwrap()))
        }
        other => Ok(other),
    })
    .await;
    *base_cell.lock().unwrap() = server2.base.clone();
    let p2 =
        LinkedInPublisher::new(fast_http(), "202501").with_base_urls(&server2.base, &server2.base);
    let acct = account(Platform::LinkedIn, None, TOKEN);
    let mut req = post(&["Launch (beta) #rust for @team [v2]", "second", "third"]);
    req.parts[0].media = vec![png("one"), png("two")];
    let sink = CollectReceipts::default();
    let e = p2.publish(&acct, &req, &sink).await.unwrap_err();
    // A 500 on a create is ambiguous.
    assert!(matches!(e, Error::Unconfirmed { .. }), "{e:?}");
    let saved = sink.receipts();
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0].platform_post_id, POST_URN);
    assert_eq!(
        saved[0].url.as_deref(),
        Some("https://www.linkedin.com/feed/update/urn:li:share:7100/")
    );
    fail.store(false, Ordering::SeqCst);
    req.resume_from = saved;
    let r = p2
        .publish(&acct, &req, &CollectReceipts::default())
        .await
        .unwrap();
    server2.assert_clean();
    assert_eq!(r.parts.len(), 3);
    assert_eq!(server2.count("POST", "/rest/posts"), 1, "post created once");
    assert_eq!(
        server2.count("POST", COMMENTS_PATH),
        3,
        "second, third (failed), third"
    );
    let calls = server2.calls();
    let put = calls
        .iter()
        .position(|c| c.starts_with("PUT /upload/"))
        .unwrap();
    let create = calls.iter().position(|c| c == "POST /rest/posts").unwrap();
    assert!(put < create, "images uploaded before the post");
    assert_eq!(uploads.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn sunset_version_is_a_configuration_error() {
    let server = MockServer::start(|r, _| {
        ensure(r.header("linkedin-version").as_deref() == Some("202407"), "version header")?;
        status(426, json!({"code": "NONEXISTENT_VERSION", "status": 426, "message": "Requested version 20240701 is not active"}))
    })
    .await;
    let p =
        LinkedInPublisher::new(fast_http(), "202407").with_base_urls(&server.base, &server.base);
    let mut acct = account(Platform::LinkedIn, None, TOKEN);
    acct.external_id = Some("urn:li:person:abc123".into());
    let e = p
        .publish(&acct, &post(&["hello"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Configuration { .. }), "{e:?}");
    assert!(e.to_string().contains("not active"));
    let today = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    assert!(p.version_warning(today).is_some());
    let fresh = LinkedInPublisher::new(fast_http(), "202503");
    assert!(fresh.version_warning(today).is_none());
}

#[tokio::test]
async fn timeout_on_create_is_unconfirmed_and_refresh_keeps_identity() {
    let server = MockServer::start(|r, _| match r.path.as_str() {
        "/rest/posts" => Ok(Reply::Hang),
        "/oauth/accessToken" => {
            let f = r.form();
            ensure(f.get("grant_type").map(String::as_str) == Some("refresh_token"), "grant_type")?;
            ensure(f.get("client_secret").map(String::as_str) == Some("sec"), "client_secret")?;
            if f.get("refresh_token").map(String::as_str) != Some("rt") {
                return status(400, json!({"error": "invalid_grant", "error_description": "expired"}));
            }
            ok(json!({"access_token": "new-at", "expires_in": 5184000, "refresh_token": "rt", "refresh_token_expires_in": 31536000}))
        }
        _ => Err("unexpected".into()),
    })
    .await;
    let p = LinkedInPublisher::new(fast_http(), "202501")
        .with_base_urls(&server.base, format!("{}/oauth", server.base))
        .with_client("cid", Secret::new("sec"));
    let mut acct = account(Platform::LinkedIn, None, TOKEN);
    acct.external_id = Some("urn:li:organization:42".into());
    let e = p
        .publish(&acct, &post(&["hello"]), &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Unconfirmed { .. }), "{e:?}");
    assert_eq!(server.count("POST", "/rest/posts"), 1);
    acct.refresh_token = Some(Secret::new("rt"));
    let a2 = p.refresh(&acct).await.unwrap();
    assert_eq!(a2.access_token.expose(), "new-at");
    assert_eq!(a2.external_id.as_deref(), Some("urn:li:organization:42"));
    acct.refresh_token = Some(Secret::new("old"));
    assert!(matches!(
        p.refresh(&acct).await.unwrap_err(),
        Error::NeedsReauth { .. }
    ));
    acct.refresh_token = None;
    assert!(matches!(
        p.refresh(&acct).await.unwrap_err(),
        Error::NeedsReauth { .. }
    ));
    server.assert_clean();
}

#[tokio::test]
async fn validation_rules() {
    let p = LinkedInPublisher::new(fast_http(), "202501");
    p.validate(&post(&[&"a".repeat(3000)])).unwrap();
    let e = p.validate(&post(&["ok", &"a".repeat(1251)])).unwrap_err();
    assert!(
        e.to_string().contains("parts[1].text") && e.to_string().contains("1250"),
        "{e}"
    );
    let mut v = post(&["x"]);
    v.parts[0].media.push(MediaAttachment {
        kind: MediaKind::Video,
        mime_type: "video/mp4".into(),
        data: vec![1],
        url: None,
        alt_text: None,
        dimensions: None,
    });
    assert!(p
        .validate(&v)
        .unwrap_err()
        .to_string()
        .contains("parts[0].media"));
}
