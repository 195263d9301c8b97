//! The local reference Bluesky PDS (scripts/bluesky/setup.sh): fresh accounts and records read
//! back. Tests that use it run when `CONTENTOS_BLUESKY_PDS` is set and fail when it is down.

#![allow(dead_code)]

use serde_json::{json, Value};

/// The PDS URL, or `None` (the caller prints why and returns) when the variable is unset.
pub fn pds() -> Option<String> {
    match std::env::var("CONTENTOS_BLUESKY_PDS") {
        Ok(p) => Some(p.trim_end_matches('/').to_string()),
        Err(_) => {
            eprintln!("CONTENTOS_BLUESKY_PDS not set: run scripts/bluesky/setup.sh and set it");
            None
        }
    }
}

/// A fresh account `<prefix><random>.test`: `(handle, password, did)`.
pub async fn create_account(pds: &str, prefix: &str) -> (String, String, String) {
    let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let handle = format!("{prefix}{tag}.test");
    let password = format!("pw-{tag}");
    let r = reqwest::Client::new()
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({"email": format!("{handle}@example.com"), "handle": handle, "password": password}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("PDS at {pds} unreachable: {e}"));
    let status = r.status();
    let v: Value = r.json().await.expect("createAccount JSON");
    assert!(status.is_success(), "createAccount failed: {v}");
    let did = v["did"].as_str().expect("did").to_string();
    (handle, password, did)
}

/// A post record read back by its `at://` URI.
pub async fn get_record(pds: &str, uri: &str) -> Value {
    let rest = uri.strip_prefix("at://").expect("at:// uri");
    let mut it = rest.splitn(3, '/');
    let (repo, coll, rkey) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    let r = reqwest::Client::new()
        .get(format!("{pds}/xrpc/com.atproto.repo.getRecord"))
        .query(&[("repo", repo), ("collection", coll), ("rkey", rkey)])
        .send()
        .await
        .expect("getRecord");
    assert!(r.status().is_success(), "getRecord {uri}: {}", r.status());
    r.json().await.expect("record JSON")
}
