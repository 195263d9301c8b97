//! Instagram adapter against a local fake of the Graph content-publishing endpoints.

mod common;

use common::*;
use contentos_core::model::Platform;
use contentos_core::publish::{
    CollectReceipts, MediaAttachment, MediaKind, PostPart, PostRequest, Publisher,
};
use contentos_core::Error;
use contentos_publishers::instagram::InstagramPublisher;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "ig-token";

#[derive(Default)]
struct St {
    quota_used: u64,
    quota_read: bool,
    containers: Vec<(String, std::collections::HashMap<String, String>)>,
    polls: u32,
    published: Vec<String>,
    comments: Vec<String>,
    fail_comment_once: Option<String>,
}

fn server(st: Arc<Mutex<St>>) -> impl Fn(&Req, usize) -> Result<Reply, String> {
    move |r, _| {
        let mut s = st.lock().unwrap();
        let form = r.form();
        let token = if r.method == "GET" {
            r.q("access_token")
        } else {
            form.get("access_token").cloned()
        };
        ensure(token.as_deref() == Some(TOKEN), "access_token")?;
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/v21.0/17841/content_publishing_limit") => {
                ensure(
                    r.q("fields").as_deref() == Some("quota_usage,config"),
                    "fields",
                )?;
                s.quota_read = true;
                ok(
                    json!({"data": [{"quota_usage": s.quota_used, "config": {"quota_total": 50, "quota_duration": 86400}}]}),
                )
            }
            ("POST", "/v21.0/17841/media") => {
                ensure(s.quota_read, "limit read before creating containers")?;
                if !form.contains_key("is_carousel_item") {
                    ensure(
                        form.contains_key("caption"),
                        "caption on the post container",
                    )?;
                }
                let id = format!("ct{}", s.containers.len());
                s.containers.push((id.clone(), form));
                ok(json!({"id": id}))
            }
            ("GET", p) if p.starts_with("/v21.0/ct") => {
                ensure(
                    r.q("fields").unwrap_or_default().contains("status_code"),
                    "status_code field",
                )?;
                s.polls += 1;
                let id = p.trim_start_matches("/v21.0/");
                let published = s.published.iter().any(|c| c == id);
                let code = if published {
                    "PUBLISHED"
                } else if s.polls % 2 == 1 {
                    "IN_PROGRESS"
                } else {
                    "FINISHED"
                };
                ok(json!({"id": id, "status_code": code}))
            }
            ("POST", "/v21.0/17841/media_publish") => {
                let c = form.get("creation_id").cloned().ok_or("creation_id")?;
                ensure(
                    s.containers.iter().any(|(id, _)| id == &c),
                    "known container",
                )?;
                ensure(!s.published.contains(&c), "published twice")?;
                s.published.push(c);
                ok(json!({"id": "1790001"}))
            }
            ("POST", "/v21.0/1790001/comments") => {
                let m = form.get("message").cloned().ok_or("message")?;
                if s.fail_comment_once.as_deref() == Some(m.as_str()) {
                    s.fail_comment_once = None;
                    return status(
                        400,
                        json!({"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}}),
                    );
                }
                s.comments.push(m.clone());
                ok(json!({"id": format!("cm-{m}")}))
            }
            _ => Err("unexpected call".into()),
        }
    }
}

fn publisher(base: &str) -> InstagramPublisher {
    InstagramPublisher::new(fast_http())
        .with_base_urls(format!("{base}/v21.0"), base)
        .with_polling(Duration::from_millis(5), 10, 1, Duration::from_millis(5))
}

fn acct(base: &str) -> contentos_core::publish::AccountCredentials {
    let mut a = account(Platform::Instagram, Some(base), TOKEN);
    a.external_id = Some("17841".into());
    a
}

fn media(kind: MediaKind, url: &str) -> MediaAttachment {
    MediaAttachment {
        kind,
        mime_type: if kind == MediaKind::Image {
            "image/jpeg"
        } else {
            "video/mp4"
        }
        .into(),
        data: vec![],
        url: Some(url.into()),
        alt_text: None,
        dimensions: None,
    }
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
async fn carousel_post_then_comments_resumes_after_failed_comment() {
    let st = Arc::new(Mutex::new(St {
        fail_comment_once: Some("third".into()),
        ..Default::default()
    }));
    let srv = MockServer::start(server(st.clone())).await;
    let p = publisher(&srv.base);
    let mut req = post(&["caption #one", "second", "third"]);
    req.parts[0].media = vec![
        media(MediaKind::Image, "https://cdn/a.jpg"),
        media(MediaKind::Video, "https://cdn/b.mp4"),
    ];
    let sink = CollectReceipts::default();
    let e = p.publish(&acct(&srv.base), &req, &sink).await.unwrap_err();
    assert!(matches!(e, Error::Rejected { .. }), "{e:?}");
    assert_eq!(sink.receipts().len(), 2);
    req.resume_from = sink.receipts();
    let r = p
        .publish(&acct(&srv.base), &req, &CollectReceipts::default())
        .await
        .unwrap();
    srv.assert_clean();
    let s = st.lock().unwrap();
    assert_eq!(r.parts[0].platform_post_id, "1790001");
    assert_eq!(s.published.len(), 1, "media published once");
    assert_eq!(s.comments, ["second", "third"]);
    // Two children then the carousel container.
    assert_eq!(s.containers.len(), 3);
    let (_, child_video) = &s.containers[1];
    assert_eq!(
        child_video.get("media_type").map(String::as_str),
        Some("VIDEO")
    );
    assert_eq!(
        child_video.get("is_carousel_item").map(String::as_str),
        Some("true")
    );
    assert!(
        !s.containers[0].1.contains_key("media_type"),
        "carousel image child has no media_type"
    );
    let (_, carousel) = &s.containers[2];
    assert_eq!(
        carousel.get("media_type").map(String::as_str),
        Some("CAROUSEL")
    );
    assert_eq!(
        carousel.get("children").map(String::as_str),
        Some("ct0,ct1")
    );
    assert_eq!(
        carousel.get("caption").map(String::as_str),
        Some("caption #one")
    );
}

#[tokio::test]
async fn publishing_limit_is_respected() {
    let st = Arc::new(Mutex::new(St {
        quota_used: 50,
        ..Default::default()
    }));
    let srv = MockServer::start(server(st.clone())).await;
    let mut req = post(&["full"]);
    req.parts[0].media = vec![media(MediaKind::Image, "https://cdn/a.jpg")];
    let e = publisher(&srv.base)
        .publish(&acct(&srv.base), &req, &CollectReceipts::default())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::QuotaExceeded { .. }), "{e:?}");
    assert!(st.lock().unwrap().containers.is_empty());
}

#[tokio::test]
async fn validation_needs_media_and_caps_hashtags() {
    let p = publisher("http://127.0.0.1:9");
    let e = p.validate(&post(&["text only"])).unwrap_err();
    assert!(e.to_string().contains("parts[0].media"), "{e}");
    let tags: String = (0..31).map(|i| format!("#t{i} ")).collect();
    let mut req = post(&[&tags]);
    req.parts[0].media = vec![media(MediaKind::Image, "https://cdn/a.jpg")];
    let e = p.validate(&req).unwrap_err();
    assert!(e.to_string().contains("31 hashtags"), "{e}");
}
