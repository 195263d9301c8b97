//! Threads adapter against a stateful local fake of graph.threads.net: containers must exist and
//! be FINISHED before publish, a container publishes once, the quota is read first.

mod common;

use common::*;
use contentos_core::model::Platform;
use contentos_core::publish::{
    CollectReceipts, MediaAttachment, MediaKind, PostPart, PostRequest, Publisher,
};
use contentos_core::vault::Secret;
use contentos_core::Error;
use contentos_publishers::threads::ThreadsPublisher;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "th-long-lived";
const USER: &str = "1789";

/// A container: its form params, status polls so far, published media id.
type Container = (HashMap<String, String>, u32, Option<String>);

#[derive(Default)]
struct Fake {
    next: u64,
    /// container id → (params, polls, published media id)
    containers: HashMap<String, Container>,
    quota_read: bool,
    quota_used: u64,
    /// Texts whose publish fails with this JSON error (once per entry).
    fail_publish: HashMap<String, (u16, serde_json::Value)>,
    /// Texts whose publish is applied but never answered in time.
    hang_publish: Vec<String>,
    /// Texts whose publish times out before being applied.
    hang_unapplied: Vec<String>,
    published: Vec<(String, String)>,
}

fn fake_server(state: Arc<Mutex<Fake>>) -> impl Fn(&Req, usize) -> Result<Reply, String> {
    move |r, _| {
        let mut st = state.lock().unwrap();
        let token = if r.method == "GET" {
            r.q("access_token")
        } else {
            r.form().get("access_token").cloned()
        };
        if token.as_deref() != Some(TOKEN) {
            return status(
                400,
                json!({"error": {"message": "Error validating access token: Session has expired", "type": "OAuthException", "code": 190}}),
            );
        }
        let path = r.path.clone();
        match (r.method.as_str(), path.as_str()) {
            ("GET", p) if p == format!("/v1.0/{USER}/threads_publishing_limit") => {
                ensure(
                    r.q("fields").unwrap_or_default().contains("quota_usage"),
                    "fields include quota_usage",
                )?;
                st.quota_read = true;
                ok(
                    json!({"data": [{"quota_usage": st.quota_used, "config": {"quota_total": 250, "quota_duration": 86400},
                                    "reply_quota_usage": 0, "reply_config": {"quota_total": 1000, "quota_duration": 86400}}]}),
                )
            }
            ("POST", p) if p == format!("/v1.0/{USER}/threads") => {
                ensure(st.quota_read, "quota read before creating containers")?;
                let f = r.form();
                let mt = f.get("media_type").cloned().unwrap_or_default();
                ensure(
                    ["TEXT", "IMAGE", "VIDEO", "CAROUSEL"].contains(&mt.as_str()),
                    "media_type",
                )?;
                if mt == "IMAGE" {
                    ensure(
                        f.get("image_url")
                            .is_some_and(|u| u.starts_with("https://")),
                        "image_url",
                    )?;
                }
                if mt == "CAROUSEL" {
                    let children = f.get("children").cloned().unwrap_or_default();
                    for c in children.split(',') {
                        let child = st.containers.get(c).ok_or("unknown child")?;
                        ensure(
                            child.0.get("is_carousel_item").map(String::as_str) == Some("true"),
                            "child is carousel item",
                        )?;
                    }
                }
                st.next += 1;
                let id = format!("c{}", st.next);
                st.containers.insert(id.clone(), (f, 0, None));
                ok(json!({"id": id}))
            }
            ("GET", p) if p.starts_with("/v1.0/c") => {
                let id = p.trim_start_matches("/v1.0/").to_string();
                ensure(
                    r.q("fields").unwrap_or_default().contains("status"),
                    "fields=status",
                )?;
                let c = st.containers.get_mut(&id).ok_or("unknown container")?;
                c.1 += 1;
                let status = if c.2.is_some() {
                    "PUBLISHED"
                } else if c.1 < 2 {
                    "IN_PROGRESS"
                } else {
                    "FINISHED"
                };
                ok(json!({"id": id, "status": status}))
            }
            ("POST", p) if p == format!("/v1.0/{USER}/threads_publish") => {
                let f = r.form();
                let cid = f.get("creation_id").cloned().ok_or("creation_id")?;
                let c = st
                    .containers
                    .get(&cid)
                    .ok_or("publish of unknown container")?
                    .clone();
                ensure(c.1 >= 2, "published before the container was FINISHED")?;
                ensure(c.2.is_none(), "container published twice")?;
                let text = c.0.get("text").cloned().unwrap_or_default();
                if let Some((code, body)) = st.fail_publish.remove(&text) {
                    return status(code, body);
                }
                if let Some(i) = st.hang_unapplied.iter().position(|t| t == &text) {
                    st.hang_unapplied.remove(i);
                    return Ok(Reply::Hang);
                }
                st.next += 1;
                let media = format!("m{}", st.next);
                st.containers.get_mut(&cid).unwrap().2 = Some(media.clone());
                st.published.push((media.clone(), text.clone()));
                if let Some(i) = st.hang_publish.iter().position(|t| t == &text) {
                    st.hang_publish.remove(i);
                    return Ok(Reply::Hang);
                }
                ok(json!({"id": media}))
            }
            ("GET", p) if p == format!("/v1.0/{USER}/threads") => {
                let data: Vec<_> = st
                    .published
                    .iter()
                    .rev()
                    .map(|(id, t)| json!({"id": id, "text": t, "timestamp": "2025-01-01T00:00:00+0000"}))
                    .collect();
                ok(json!({"data": data}))
            }
            ("GET", "/refresh_access_token") => {
                ensure(
                    r.q("grant_type").as_deref() == Some("th_refresh_token"),
                    "grant_type",
                )?;
                ok(json!({"access_token": "th-new", "token_type": "bearer", "expires_in": 5183944}))
            }
            ("GET", p) if p.ends_with("/insights") => {
                ensure(
                    r.q("metric").unwrap_or_default().contains("views"),
                    "metric list",
                )?;
                ok(json!({"data": [
                    {"name": "views", "period": "lifetime", "values": [{"value": 120}]},
                    {"name": "likes", "period": "lifetime", "values": [{"value": 9}]},
                    {"name": "replies", "period": "lifetime", "values": [{"value": 2}]},
                    {"name": "reposts", "period": "lifetime", "values": [{"value": 1}]},
                    {"name": "quotes", "period": "lifetime", "values": [{"value": 1}]}
                ]}))
            }
            _ => Err("unexpected call".into()),
        }
    }
}

fn publisher(base: &str) -> ThreadsPublisher {
    ThreadsPublisher::new(fast_http())
        .with_base_urls(format!("{base}/v1.0"), base)
        .with_polling(Duration::from_millis(5), 10, 2, Duration::from_millis(5))
}

fn acct(base: &str) -> contentos_core::publish::AccountCredentials {
    let mut a = account(Platform::Threads, Some(base), TOKEN);
    a.external_id = Some(USER.into());
    a
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
        languages: vec![],
    }
}

fn image(url: &str) -> MediaAttachment {
    MediaAttachment {
        kind: MediaKind::Image,
        mime_type: "image/jpeg".into(),
        data: vec![],
        url: Some(url.into()),
        alt_text: None,
        dimensions: None,
    }
}

#[tokio::test]
async fn thread_with_carousel_retries_4279009_and_chains_replies() {
    let state = Arc::new(Mutex::new(Fake::default()));
    state.lock().unwrap().fail_publish.insert(
        "two".into(),
        (
            400,
            json!({"error": {"message": "Media Not Found", "type": "OAuthException", "code": 24, "error_subcode": 4279009}}),
        ),
    );
    let server = MockServer::start(fake_server(state.clone())).await;
    let mut post = thread(&["one", "two", "three"]);
    post.parts[0].media = vec![image("https://cdn/a.jpg"), image("https://cdn/b.jpg")];
    let r = publisher(&server.base)
        .publish(&acct(&server.base), &post, &CollectReceipts::default())
        .await
        .unwrap();
    server.assert_clean();
    assert_eq!(r.parts.len(), 3);
    let st = state.lock().unwrap();
    // reply_to_id of each reply's container = previous published id.
    let by_text: HashMap<String, &HashMap<String, String>> = st
        .containers
        .values()
        .filter_map(|c| c.0.get("text").map(|t| (t.clone(), &c.0)))
        .collect();
    assert_eq!(
        by_text["one"].get("media_type").map(String::as_str),
        Some("CAROUSEL")
    );
    assert_eq!(
        by_text["two"].get("reply_to_id"),
        Some(&r.parts[0].platform_post_id)
    );
    assert_eq!(
        by_text["three"].get("reply_to_id"),
        Some(&r.parts[1].platform_post_id)
    );
    assert_eq!(st.published.len(), 3, "each part published exactly once");
    assert_eq!(
        server.count("POST", "/v1.0/1789/threads_publish"),
        4,
        "one 4279009 retry"
    );
}

#[tokio::test]
async fn interrupted_thread_resumes_with_part_three_only() {
    let state = Arc::new(Mutex::new(Fake::default()));
    state.lock().unwrap().fail_publish.insert(
        "three".into(),
        (
            400,
            json!({"error": {"message": "Activity restricted", "type": "OAuthException", "code": 10, "error_subcode": 2207051}}),
        ),
    );
    let server = MockServer::start(fake_server(state.clone())).await;
    let p = publisher(&server.base);
    let mut post = thread(&["one", "two", "three"]);
    let sink = CollectReceipts::default();
    let e = p
        .publish(&acct(&server.base), &post, &sink)
        .await
        .unwrap_err();
    match e {
        Error::Rejected { code, .. } => assert_eq!(code.as_deref(), Some("10/2207051")),
        other => panic!("{other:?}"),
    }
    assert_eq!(sink.receipts().len(), 2);
    post.resume_from = sink.receipts();
    let r = p
        .publish(&acct(&server.base), &post, &CollectReceipts::default())
        .await
        .unwrap();
    server.assert_clean();
    let st = state.lock().unwrap();
    let texts: Vec<&str> = st.published.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        ["one", "two", "three"],
        "part 3 published once, nothing repeated"
    );
    assert_eq!(r.parts[2].platform_post_id, st.published[2].0);
}

#[tokio::test]
async fn ambiguous_publish_is_reconciled_through_container_status() {
    let state = Arc::new(Mutex::new(Fake::default()));
    {
        let mut st = state.lock().unwrap();
        st.hang_publish.push("applied".into());
        st.hang_unapplied.push("not applied".into());
    }
    let server = MockServer::start(fake_server(state.clone())).await;
    let p = publisher(&server.base);
    // Applied but unanswered: container PUBLISHED → id found, no second publish.
    let r = p
        .publish(
            &acct(&server.base),
            &thread(&["applied"]),
            &CollectReceipts::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        r.parts[0].platform_post_id,
        state.lock().unwrap().published[0].0
    );
    // Timed out before applying: container FINISHED → published once now.
    let r2 = p
        .publish(
            &acct(&server.base),
            &thread(&["not applied"]),
            &CollectReceipts::default(),
        )
        .await
        .unwrap();
    server.assert_clean();
    let st = state.lock().unwrap();
    assert_eq!(st.published.len(), 2);
    assert_eq!(r2.parts[0].platform_post_id, st.published[1].0);
}

#[tokio::test]
async fn quota_exhaustion_stops_before_any_container() {
    let state = Arc::new(Mutex::new(Fake {
        quota_used: 250,
        ..Default::default()
    }));
    let server = MockServer::start(fake_server(state.clone())).await;
    let e = publisher(&server.base)
        .publish(
            &acct(&server.base),
            &thread(&["one"]),
            &CollectReceipts::default(),
        )
        .await
        .unwrap_err();
    assert!(matches!(e, Error::QuotaExceeded { .. }), "{e:?}");
    assert!(state.lock().unwrap().containers.is_empty());
}

#[tokio::test]
async fn validation_refresh_reauth_and_insights() {
    let state = Arc::new(Mutex::new(Fake::default()));
    let server = MockServer::start(fake_server(state)).await;
    let p = publisher(&server.base);
    // 497 letters + one emoji (4 bytes) = 501 > 500.
    let text = format!("{}😀", "a".repeat(497));
    let e = p.validate(&thread(&[&text])).unwrap_err();
    assert!(
        e.to_string().contains("parts[0].text") && e.to_string().contains("501"),
        "{e}"
    );
    let mut no_url = thread(&["x"]);
    no_url.parts[0].media.push(MediaAttachment {
        url: None,
        data: vec![1],
        ..image("")
    });
    let e = p.validate(&no_url).unwrap_err();
    assert!(e.to_string().contains("parts[0].media[0].url"), "{e}");

    let a = acct(&server.base);
    let refreshed = p.refresh(&a).await.unwrap();
    assert_eq!(refreshed.access_token.expose(), "th-new");
    assert!(refreshed.expires_at.is_some());
    let mut expired = a.clone();
    expired.access_token = Secret::new("old");
    let e = p.refresh(&expired).await.unwrap_err();
    assert!(matches!(e, Error::NeedsReauth { .. }), "{e:?}");

    let m = p.metrics(&a, &["m5".into()]).await.unwrap();
    assert_eq!(m[0].impressions, Some(120));
    assert_eq!((m[0].likes, m[0].comments, m[0].shares), (9, 2, 2));
    server.assert_clean();
}
