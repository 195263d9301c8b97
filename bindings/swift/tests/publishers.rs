//! The publishers through the Swift glue: a thread with a link and a mention to the REAL local
//! Bluesky PDS (runs when `CONTENTOS_BLUESKY_PDS` is set, fails when it is down), `publishNow`
//! through a connected account, a Mastodon thread against a local server that checks the wire
//! format, and the typed errors.

mod support;

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use contentos_swift::{
    BlueskyPublisher, ClientOptions, ContentOs, ContentOsError, MastodonPublisher, NewVariation,
    PlatformPublisher,
};
use serde_json::{json, Value};
use support::bluesky::{create_account, get_record, pds};

/// The text a facet covers.
fn covered<'a>(text: &'a str, facet: &Value) -> &'a str {
    let s = facet["index"]["byteStart"].as_u64().unwrap() as usize;
    let e = facet["index"]["byteEnd"].as_u64().unwrap() as usize;
    &text[s..e]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bluesky_thread_with_link_and_mention_on_the_real_pds() {
    let Some(pds) = pds() else { return };
    let (alice, alice_pw, alice_did) = create_account(&pds, "sa").await;
    let (bob, _, bob_did) = create_account(&pds, "sb").await;
    let p = BlueskyPublisher::new(format!("{pds}/"));
    assert_eq!(p.base_url(), pds);
    let texts = vec![
        "Swift glue test: docs at https://example.com/swift/start".to_string(),
        format!("Thanks @{bob} for reviewing!"),
    ];
    let receipt = p
        .publish(alice.clone(), alice_pw, texts.clone())
        .await
        .unwrap();
    assert_eq!(receipt.platform, "bluesky");
    assert_eq!(receipt.parts.len(), 2);
    let mut records = Vec::new();
    for (i, part) in receipt.parts.iter().enumerate() {
        assert_eq!(part.index as usize, i);
        assert!(part
            .platform_post_id
            .starts_with(&format!("at://{alice_did}/app.bsky.feed.post/")));
        let rec = get_record(&pds, &part.platform_post_id).await;
        assert_eq!(rec["value"]["text"], texts[i]);
        assert_eq!(rec["cid"].as_str(), part.cid.as_deref());
        records.push(rec);
    }
    let link = &records[0]["value"]["facets"][0];
    assert_eq!(link["features"][0]["$type"], "app.bsky.richtext.facet#link");
    assert_eq!(
        link["features"][0]["uri"],
        "https://example.com/swift/start"
    );
    assert_eq!(covered(&texts[0], link), "https://example.com/swift/start");
    let mention = &records[1]["value"]["facets"][0];
    assert_eq!(
        mention["features"][0]["$type"],
        "app.bsky.richtext.facet#mention"
    );
    assert_eq!(mention["features"][0]["did"], bob_did);
    assert_eq!(covered(&texts[1], mention), format!("@{bob}"));
    let reply = &records[1]["value"]["reply"];
    assert_eq!(
        reply["root"]["uri"],
        receipt.parts[0].platform_post_id.as_str()
    );
    assert_eq!(
        reply["parent"]["uri"],
        receipt.parts[0].platform_post_id.as_str()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_now_through_a_connected_bluesky_account() {
    let Some(pds) = pds() else { return };
    let (handle, pw, _) = create_account(&pds, "sn").await;
    let os = ContentOs::in_memory(ClientOptions {
        publishers: vec![PlatformPublisher::Bluesky {
            publisher: BlueskyPublisher::new(pds.clone()),
        }],
        ..Default::default()
    })
    .await
    .unwrap();
    let u = os.create_user("pub@example.com".into()).await.unwrap();
    let w = os
        .create_workspace(u.id.clone(), "Pub".into(), "UTC".into(), None)
        .await
        .unwrap();
    let acc = os
        .connect_account(
            u.id.clone(),
            w.id.clone(),
            "bluesky".into(),
            handle,
            pw,
            Some(pds.clone()),
        )
        .await
        .unwrap();
    let c = os
        .create_content(
            u.id.clone(),
            w.id.clone(),
            "Launch note".into(),
            vec![NewVariation {
                platform: Some("bluesky".into()),
                body: "Shipped from the Swift glue via publishNow".into(),
            }],
        )
        .await
        .unwrap();
    let results = os
        .publish_now(
            u.id.clone(),
            c.variations[0].id.clone(),
            vec![acc.id.clone()],
        )
        .await
        .unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r.outcome.as_deref(), Some("published"), "{r:?}");
    assert_eq!(r.account_id, acc.id);
    let uri = r.platform_post_id.clone().expect("platform post id");
    let rec = get_record(&pds, &uri).await;
    assert_eq!(
        rec["value"]["text"],
        "Shipped from the Swift glue via publishNow"
    );
}

#[tokio::test]
async fn a_wrong_app_password_is_needs_reauth_without_the_secret() {
    let Some(pds) = pds() else { return };
    let (handle, _, _) = create_account(&pds, "sw").await;
    let err = BlueskyPublisher::new(pds)
        .publish(handle, "not-the-password".into(), vec!["hi".into()])
        .await
        .unwrap_err();
    match &err {
        ContentOsError::NeedsReauth { platform, message } => {
            assert_eq!(platform, "bluesky");
            assert!(!message.contains("not-the-password"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_over_long_part_is_refused_before_any_request() {
    let err = BlueskyPublisher::new("http://127.0.0.1:9".into())
        .publish("x.test".into(), "pw".into(), vec!["x".repeat(301)])
        .await
        .unwrap_err();
    assert!(matches!(err, ContentOsError::Validation { .. }), "{err:?}");
}

type Log = Arc<Mutex<Vec<(Option<String>, Value)>>>;

async fn status(
    State(log): State<Log>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut log = log.lock().unwrap();
    let id = format!("{}", 100 + log.len());
    log.push((auth, body));
    Json(json!({"id": id, "url": format!("https://mastodon.example/@me/{id}"), "uri": "x"}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_thread_is_a_reply_chain_with_the_token() {
    let log: Log = Arc::default();
    let app = Router::new()
        .route(
            "/api/v2/instance",
            get(|| async {
                Json(json!({"configuration": {"statuses": {"max_characters": 500,
                    "max_media_attachments": 4, "characters_reserved_per_url": 23}}}))
            }),
        )
        .route("/api/v1/statuses", post(status))
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let p = MastodonPublisher::new(base.clone());
    assert_eq!(p.base_url(), base);
    let receipt = p
        .publish(
            "tok-123".into(),
            vec!["hello fediverse".into(), "part two".into()],
        )
        .await
        .unwrap();
    assert_eq!(receipt.platform, "mastodon");
    let ids: Vec<_> = receipt
        .parts
        .iter()
        .map(|p| p.platform_post_id.as_str())
        .collect();
    assert_eq!(ids, ["100", "101"]);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].0.as_deref(), Some("Bearer tok-123"));
    assert_eq!(log[0].1["status"], "hello fediverse");
    assert_eq!(log[1].1["in_reply_to_id"], "100");
}
