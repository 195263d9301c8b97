//! Bluesky metrics against the REAL reference AppView (`@atproto/dev-env` `TestNetwork`, started
//! by scripts/bluesky/setup.sh: PDS :2583, AppView :2584 indexing the PDS's firehose).
//!
//! Runs when `CONTENTOS_BLUESKY_APPVIEW` is set (CI's scripts/test-all.sh sets it to
//! `http://localhost:2584`, and the PDS from `CONTENTOS_BLUESKY_PDS`, default
//! `http://localhost:2583`); when it is set and the AppView is down, the test fails. Without the
//! variable it prints why and returns.
//!
//! Publishes a post through the adapter, has a second account like, repost, quote and reply to
//! it through the PDS, then reads the counts back through `Publisher::metrics` (which calls
//! `app.bsky.feed.getPosts` on the AppView): likes 1, comments 1 (the reply), shares 2 (repost +
//! quote), impressions unknown.

use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::{
    AccountCredentials, CollectReceipts, PostPart, PostRequest, Publisher,
};
use contentos_core::vault::Secret;
use contentos_publishers::bluesky::BlueskyPublisher;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

struct Session {
    did: String,
    jwt: String,
}

async fn create_account(pds: &str, handle: &str, password: &str) -> Session {
    let r = reqwest::Client::new()
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({"email": format!("{handle}@example.com"), "handle": handle, "password": password}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("PDS at {pds} unreachable: {e}"));
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert!(status.is_success(), "createAccount failed: {v}");
    Session {
        did: v["did"].as_str().unwrap().to_string(),
        jwt: v["accessJwt"].as_str().unwrap().to_string(),
    }
}

async fn create_record(pds: &str, who: &Session, collection: &str, record: Value) {
    let r = reqwest::Client::new()
        .post(format!("{pds}/xrpc/com.atproto.repo.createRecord"))
        .bearer_auth(&who.jwt)
        .json(&json!({"repo": who.did, "collection": collection, "record": record}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert!(
        status.is_success(),
        "createRecord {collection}: {status} {body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_real_counts_from_the_appview() {
    let Ok(appview) = std::env::var("CONTENTOS_BLUESKY_APPVIEW") else {
        eprintln!("CONTENTOS_BLUESKY_APPVIEW not set: run scripts/bluesky/setup.sh (full network) and set it to run this test");
        return;
    };
    let appview = appview.trim_end_matches('/').to_string();
    let pds = std::env::var("CONTENTOS_BLUESKY_PDS")
        .unwrap_or_else(|_| "http://localhost:2583".into())
        .trim_end_matches('/')
        .to_string();
    let health = reqwest::get(format!("{appview}/xrpc/_health")).await;
    assert!(
        health.as_ref().is_ok_and(|r| r.status().is_success()),
        "AppView at {appview} is not answering: {health:?}"
    );

    let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let author = format!("m{tag}.test");
    let fan_handle = format!("f{tag}.test");
    create_account(&pds, &author, "author-pass-1").await;
    let fan = create_account(&pds, &fan_handle, "fan-pass-1").await;

    let creds = AccountCredentials {
        account_id: AccountId::new(),
        platform: Platform::Bluesky,
        handle: author.clone(),
        external_id: None,
        base_url: Some(pds.clone()),
        access_token: Secret::new("author-pass-1"),
        refresh_token: None,
        expires_at: None,
    };
    let publisher = BlueskyPublisher::default().with_appview(appview.clone());
    let receipt = publisher
        .publish(
            &creds,
            &PostRequest {
                post_key: uuid::Uuid::new_v4(),
                parts: vec![PostPart {
                    text: "Metrics from a real AppView".into(),
                    media: vec![],
                }],
                resume_from: vec![],
                languages: vec!["en".into()],
            },
            &CollectReceipts::default(),
        )
        .await
        .unwrap();
    let part = &receipt.parts[0];
    let uri = part.platform_post_id.clone();
    let cid = part
        .cid
        .clone()
        .expect("Bluesky receipts carry the record's CID");

    // A second account likes, reposts, replies to and quotes the post, through its PDS.
    let now = chrono::Utc::now().to_rfc3339();
    let subject = json!({"uri": uri, "cid": cid});
    create_record(
        &pds,
        &fan,
        "app.bsky.feed.like",
        json!({"subject": subject, "createdAt": now}),
    )
    .await;
    create_record(
        &pds,
        &fan,
        "app.bsky.feed.repost",
        json!({"subject": subject, "createdAt": now}),
    )
    .await;
    create_record(
        &pds,
        &fan,
        "app.bsky.feed.post",
        json!({"text": "A reply", "reply": {"root": subject, "parent": subject}, "createdAt": now}),
    )
    .await;
    create_record(
        &pds,
        &fan,
        "app.bsky.feed.post",
        json!({
            "text": "A quote",
            "embed": {"$type": "app.bsky.embed.record", "record": subject},
            "createdAt": now
        }),
    )
    .await;

    // The AppView follows the firehose a moment behind: poll through the adapter.
    let started = Instant::now();
    let metrics = loop {
        let got = publisher
            .metrics(&creds, std::slice::from_ref(&uri))
            .await
            .unwrap();
        let done = got
            .first()
            .is_some_and(|m| m.likes >= 1 && m.comments >= 1 && m.shares >= 2);
        if done || started.elapsed() > Duration::from_secs(30) {
            break got;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(metrics.len(), 1, "the AppView returned {metrics:?}");
    let m = &metrics[0];
    assert_eq!(m.platform_post_id, uri);
    assert_eq!((m.likes, m.comments, m.shares), (1, 1, 2), "{m:?}");
    assert_eq!(m.impressions, None, "Bluesky reports no impressions");
    assert_eq!(m.clicks, None);

    // An unknown post is simply absent from the answer.
    let ghost = format!("at://{}/app.bsky.feed.post/3zzzzzzzzzzzz", fan.did);
    assert!(publisher
        .metrics(&creds, &[ghost])
        .await
        .unwrap()
        .is_empty());
}
