//! The quickstart's helpers for the local Bluesky network (`scripts/bluesky/setup.sh`): account
//! creation on the development PDS, an AppView probe, and a second account that likes, reposts
//! and replies to the published post so the metrics step has real counts to read.

use serde_json::{json, Value};
use std::time::Duration;

/// A session on the local PDS.
pub struct Session {
    pub did: String,
    pub jwt: String,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
}

/// Creates a fresh account on a local development PDS; `None` when no PDS answers.
pub async fn create_account(pds: &str, prefix: &str) -> Option<(String, String, Session)> {
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let handle = format!("{prefix}{suffix}.test");
    let password = format!("pw-{suffix}-local");
    let resp = client()
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({"email": format!("{handle}@example.com"), "handle": handle, "password": password}))
        .send()
        .await
        .ok()?;
    if !resp.status().is_success() {
        return None;
    }
    let v: Value = resp.json().await.ok()?;
    let session = Session {
        did: v["did"].as_str()?.to_string(),
        jwt: v["accessJwt"].as_str()?.to_string(),
    };
    Some((handle, password, session))
}

/// True when an AppView answers at `appview` (the bare PDS has none).
pub async fn appview_up(appview: &str) -> bool {
    match client().get(format!("{appview}/xrpc/_health")).send().await {
        Ok(r) => r.status().is_success(),
        Err(_) => false,
    }
}

async fn create_record(
    pds: &str,
    who: &Session,
    collection: &str,
    record: Value,
) -> Result<(), String> {
    let resp = client()
        .post(format!("{pds}/xrpc/com.atproto.repo.createRecord"))
        .bearer_auth(&who.jwt)
        .json(&json!({"repo": who.did, "collection": collection, "record": record}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if resp.status().is_success() {
        Ok(())
    } else {
        Err(format!("{collection}: HTTP {}", resp.status()))
    }
}

/// `fan` likes, reposts and replies to the post `uri`/`cid`.
pub async fn engage(pds: &str, fan: &Session, uri: &str, cid: &str) -> Result<(), String> {
    let now = chrono::Utc::now().to_rfc3339();
    let subject = json!({"uri": uri, "cid": cid});
    create_record(
        pds,
        fan,
        "app.bsky.feed.like",
        json!({"subject": subject, "createdAt": now}),
    )
    .await?;
    create_record(
        pds,
        fan,
        "app.bsky.feed.repost",
        json!({"subject": subject, "createdAt": now}),
    )
    .await?;
    create_record(
        pds,
        fan,
        "app.bsky.feed.post",
        json!({
            "text": "Thirty percent is a big number. Which hospitals?",
            "reply": {"root": subject, "parent": subject},
            "createdAt": now
        }),
    )
    .await
}

/// Waits (up to `limit`) until the AppView has indexed at least one like, repost and reply of
/// `uri`; the AppView follows the PDS's firehose a moment behind.
pub async fn wait_indexed(appview: &str, uri: &str, limit: Duration) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if let Ok(r) = client()
            .get(format!("{appview}/xrpc/app.bsky.feed.getPosts"))
            .query(&[("uris", uri)])
            .send()
            .await
        {
            if let Ok(v) = r.json::<Value>().await {
                let p = &v["posts"][0];
                let n = |f: &str| p[f].as_i64().unwrap_or(0);
                if n("likeCount") >= 1 && n("repostCount") >= 1 && n("replyCount") >= 1 {
                    return true;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}
