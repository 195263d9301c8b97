//! Bluesky adapter against the REAL reference PDS (`@atproto/dev-env`, see
//! scripts/bluesky/start-pds.js and docs/publishers.md).
//!
//! Runs when `CONTENTOS_BLUESKY_PDS` is set (CI sets it to `http://localhost:2583`); when it is
//! set and the server is down, the test fails. Without the variable it prints why and returns.
//!
//! The adapter is pointed at a recording pass-through proxy in front of the PDS so the test can
//! also check what the PDS answered to each `createRecord` (`validationStatus`), which a later
//! `getRecord` does not return.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::{
    AccountCredentials, CollectReceipts, MediaAttachment, MediaKind, PostPart, PostRequest,
    Publisher,
};
use contentos_core::vault::Secret;
use contentos_publishers::bluesky::BlueskyPublisher;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// A valid 1×1 PNG.
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F,
    0x0F, 0x00, 0x02, 0x87, 0x01, 0x80, 0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[derive(Clone)]
struct Proxy {
    upstream: String,
    client: reqwest::Client,
    /// (path, response JSON) of every call.
    log: Arc<Mutex<Vec<(String, Value)>>>,
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let url = format!(
        "{}{}",
        p.upstream,
        uri.path_and_query().map(|x| x.as_str()).unwrap_or("/")
    );
    let mut req = p.client.request(method, &url).body(body.to_vec());
    for name in ["authorization", "content-type"] {
        if let Some(v) = headers.get(name) {
            req = req.header(name, v.as_bytes());
        }
    }
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_string();
    let bytes = resp.bytes().await.unwrap_or_default();
    p.log.lock().unwrap().push((
        uri.path().to_string(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ));
    (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", ct)],
        bytes.to_vec(),
    )
        .into_response()
}

async fn create_account(pds: &str, handle: &str, password: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({"email": format!("{handle}@example.com"), "handle": handle, "password": password}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("PDS at {pds} unreachable: {e}"));
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert!(status.is_success(), "createAccount failed: {v}");
    v["did"].as_str().unwrap().to_string()
}

async fn get_record(pds: &str, uri: &str) -> Value {
    let rest = uri.strip_prefix("at://").unwrap();
    let mut it = rest.splitn(3, '/');
    let (repo, coll, rkey) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
    let r = reqwest::Client::new()
        .get(format!("{pds}/xrpc/com.atproto.repo.getRecord"))
        .query(&[("repo", repo), ("collection", coll), ("rkey", rkey)])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "getRecord {uri}: {}", r.status());
    r.json().await.unwrap()
}

/// The text a facet covers.
fn covered<'a>(text: &'a str, facet: &Value) -> &'a str {
    let s = facet["index"]["byteStart"].as_u64().unwrap() as usize;
    let e = facet["index"]["byteEnd"].as_u64().unwrap() as usize;
    &text[s..e]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishes_a_thread_to_the_real_pds() {
    let Ok(pds) = std::env::var("CONTENTOS_BLUESKY_PDS") else {
        eprintln!("CONTENTOS_BLUESKY_PDS not set: start scripts/bluesky/start-pds.js and set it to run this test");
        return;
    };
    let pds = pds.trim_end_matches('/').to_string();
    let tag = &uuid::Uuid::new_v4().simple().to_string()[..8];
    let alice = format!("a{tag}.test");
    let bob = format!("b{tag}.test");
    let alice_did = create_account(&pds, &alice, "alice-pass-1").await;
    let bob_did = create_account(&pds, &bob, "bob-pass-1").await;

    // Recording proxy in front of the PDS.
    let proxy = Proxy {
        upstream: pds.clone(),
        client: reqwest::Client::new(),
        log: Arc::new(Mutex::new(Vec::new())),
    };
    let log = proxy.log.clone();
    let calls = |path: &str| -> Vec<Value> {
        log.lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let app = Router::new().fallback(forward).with_state(proxy);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let account = AccountCredentials {
        account_id: AccountId::new(),
        platform: Platform::Bluesky,
        handle: alice.clone(),
        external_id: None,
        base_url: Some(proxy_url),
        access_token: Secret::new("alice-pass-1"),
        refresh_token: None,
        expires_at: None,
    };
    let text0 =
        "Shipping ContentOS ✨ docs at https://example.com/docs/start #contentos".to_string();
    let text1 = format!("Thanks @{bob} for the review!");
    let text2 = "Part three: that's all, folks.".to_string();
    let post = PostRequest {
        post_key: uuid::Uuid::new_v4(),
        parts: vec![
            PostPart {
                text: text0.clone(),
                media: vec![MediaAttachment {
                    kind: MediaKind::Image,
                    mime_type: "image/png".into(),
                    data: PNG_1X1.to_vec(),
                    url: None,
                    alt_text: Some("a single pixel".into()),
                    dimensions: Some((1, 1)),
                }],
            },
            PostPart {
                text: text1.clone(),
                media: vec![],
            },
            PostPart {
                text: text2.clone(),
                media: vec![],
            },
        ],
        resume_from: vec![],
        languages: vec!["en".into()],
    };
    let publisher = BlueskyPublisher::default();
    let sink = CollectReceipts::default();
    let receipt = publisher.publish(&account, &post, &sink).await.unwrap();
    assert_eq!(receipt.parts.len(), 3);
    assert_eq!(sink.receipts().len(), 3);

    // What the PDS said when each record was created.
    let created = calls("/xrpc/com.atproto.repo.createRecord");
    assert_eq!(created.len(), 3);
    for c in &created {
        assert_eq!(
            c["validationStatus"], "valid",
            "record failed lexicon validation: {c}"
        );
    }

    let uris: Vec<String> = receipt
        .parts
        .iter()
        .map(|p| p.platform_post_id.clone())
        .collect();
    let cids: Vec<String> = receipt
        .parts
        .iter()
        .map(|p| p.cid.clone().unwrap())
        .collect();
    for u in &uris {
        assert!(
            u.starts_with(&format!("at://{alice_did}/app.bsky.feed.post/")),
            "{u}"
        );
    }

    // Part 1: link and tag facets with exact byte ranges, an image with alt text.
    let r0 = get_record(&pds, &uris[0]).await;
    assert_eq!(r0["cid"], cids[0]);
    let v0 = &r0["value"];
    assert_eq!(v0["text"], text0);
    assert!(v0.get("reply").is_none());
    let facets = v0["facets"].as_array().unwrap();
    assert_eq!(facets.len(), 2, "{facets:?}");
    let link = facets
        .iter()
        .find(|f| f["features"][0]["$type"] == "app.bsky.richtext.facet#link")
        .unwrap();
    assert_eq!(link["features"][0]["uri"], "https://example.com/docs/start");
    assert_eq!(covered(&text0, link), "https://example.com/docs/start");
    let tagf = facets
        .iter()
        .find(|f| f["features"][0]["$type"] == "app.bsky.richtext.facet#tag")
        .unwrap();
    assert_eq!(tagf["features"][0]["tag"], "contentos");
    assert_eq!(covered(&text0, tagf), "#contentos");
    let img = &v0["embed"]["images"][0];
    assert_eq!(v0["embed"]["$type"], "app.bsky.embed.images");
    assert_eq!(img["alt"], "a single pixel");
    assert_eq!(img["image"]["mimeType"], "image/png");
    assert_eq!(img["aspectRatio"], json!({"width": 1, "height": 1}));
    assert_eq!(v0["langs"], json!(["en"]));

    // Part 2: mention resolved to Bob's DID; root = parent = part 1.
    let v1 = get_record(&pds, &uris[1]).await["value"].clone();
    let m = &v1["facets"][0];
    assert_eq!(m["features"][0]["$type"], "app.bsky.richtext.facet#mention");
    assert_eq!(m["features"][0]["did"], bob_did);
    assert_eq!(covered(&text1, m), format!("@{bob}"));
    assert_eq!(v1["reply"]["root"], json!({"uri": uris[0], "cid": cids[0]}));
    assert_eq!(
        v1["reply"]["parent"],
        json!({"uri": uris[0], "cid": cids[0]})
    );

    // Part 3: root = part 1, parent = part 2.
    let v2 = get_record(&pds, &uris[2]).await["value"].clone();
    assert_eq!(v2["text"], text2);
    assert_eq!(v2["reply"]["root"], json!({"uri": uris[0], "cid": cids[0]}));
    assert_eq!(
        v2["reply"]["parent"],
        json!({"uri": uris[1], "cid": cids[1]})
    );

    // A second publish reuses the cached session: no second login.
    let again = PostRequest::text(uuid::Uuid::new_v4(), "one more, same session");
    publisher
        .publish(&account, &again, &CollectReceipts::default())
        .await
        .unwrap();
    assert_eq!(calls("/xrpc/com.atproto.server.createSession").len(), 1);
    assert_eq!(calls("/xrpc/com.atproto.repo.createRecord").len(), 4);
    assert_eq!(calls("/xrpc/com.atproto.identity.resolveHandle").len(), 1);
}
