//! Design section 13.2 flows over real HTTP on SQLite, plus the other endpoints, health,
//! metrics, gzip and the OpenAPI document.

mod common;

use common::*;
use contentos_core::access::Actor;
use contentos_core::model::Platform;
use contentos_core::NewSocialAccount;
use serde_json::{json, Value};

#[tokio::test]
async fn login_generate_then_get_content_with_original_input() {
    let s = start().await;
    let (ws, tokens) = s.workspace_with("flow", &[]).await;
    let token = &tokens[0];

    let (status, created) =
        post_json(&s, "/api/v1/content/generate", token, generate_body(ws)).await;
    assert_eq!(status, 200, "{created}");
    let content_id = created["contentId"].as_str().expect("contentId");
    let vars = created["variations"].as_array().unwrap();
    assert_eq!(vars.len(), 1);
    assert!(vars[0]["body"].as_str().unwrap().contains("healthcare"));
    assert!(vars[0]["metadata"]["wordCount"].as_u64().unwrap() > 10);
    assert!(created["generatedAt"].as_str().unwrap().contains('T'));

    let (status, got) = get_json(&s, &format!("/api/v1/content/{content_id}"), token).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["originalInput"], "Test content");
    assert_eq!(got["workspaceId"], ws.to_string());
    assert_eq!(got["variations"][0]["id"], vars[0]["id"]);

    // The LLM saw the user's input, with the configured model.
    let seen = s.llm_seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    assert!(seen[0]["messages"].to_string().contains("Test content"));
}

#[tokio::test]
async fn validation_errors_name_the_field_and_never_leak_internals() {
    let s = start().await;
    let (ws, tokens) = s.workspace_with("val", &[]).await;
    let t = &tokens[0];
    let cases = [
        (
            json!({"workspaceId": ws, "input": "short", "contentType": "blog"}),
            "input",
        ),
        (
            json!({"workspaceId": "nope", "input": "Test content", "contentType": "blog"}),
            "workspaceId",
        ),
        (
            json!({"workspaceId": ws, "input": "Test content", "contentType": "tweet"}),
            "contentType",
        ),
        (
            json!({"workspaceId": ws, "input": "Test content", "contentType": "blog", "variations": 9}),
            "variations",
        ),
        (json!({"workspaceId": ws, "contentType": "blog"}), "input"),
    ];
    for (body, field) in cases {
        let (status, v) = post_json(&s, "/api/v1/content/generate", t, body).await;
        assert_eq!(status, 400, "{v}");
        assert_eq!(v["error"], "validation");
        assert_eq!(v["field"], field, "{v}");
        assert!(v["rule"].as_str().is_some_and(|r| !r.is_empty()));
    }
    // Not JSON at all.
    let r = client()
        .post(s.url("/api/v1/content/generate"))
        .bearer_auth(t)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["field"], "body");
    // Unknown content id: 404 with only the entity.
    let (status, v) = get_json(&s, &format!("/api/v1/content/{}", uuid::Uuid::new_v4()), t).await;
    assert_eq!(status, 404);
    assert_eq!(v, json!({"error": "not_found", "entity": "content"}));
    let (status, v) = get_json(&s, "/api/v1/content/123", t).await;
    assert_eq!((status, v["field"].clone()), (400, json!("id")));
}

#[tokio::test]
async fn transform_personalize_schedule_and_analytics() {
    let s = start().await;
    let (ws, tokens) = s.workspace_with("all", &[]).await;
    let t = &tokens[0];
    let (_, created) = post_json(&s, "/api/v1/content/generate", t, generate_body(ws)).await;
    let cid = created["contentId"].as_str().unwrap().to_string();

    let (status, tr) = post_json(
        &s,
        "/api/v1/content/transform",
        t,
        json!({"contentId": cid, "targetPlatforms": ["twitter", "linkedin"], "preserveKeyMessages": false}),
    )
    .await;
    assert_eq!(status, 200, "{tr}");
    let platforms: Vec<&str> = tr["variations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["platform"].as_str().unwrap())
        .collect();
    assert_eq!(platforms, ["twitter", "linkedin"]);
    let (status, bad) = post_json(
        &s,
        "/api/v1/content/transform",
        t,
        json!({"contentId": cid, "targetPlatforms": ["myspace"]}),
    )
    .await;
    assert_eq!(
        (status, bad["field"].clone()),
        (400, json!("targetPlatforms[0]"))
    );

    // Personalize for a segment by name.
    let owner = Actor::user(s.state.signer.verify(t).unwrap().user_id);
    s.os.create_segment(
        &owner,
        ws,
        contentos_core::model::NewSegment {
            name: "developers".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (status, pv) = post_json(
        &s,
        "/api/v1/content/personalize",
        t,
        json!({"contentId": cid, "audienceSegments": ["developers"]}),
    )
    .await;
    assert_eq!(status, 200, "{pv}");
    assert_eq!(pv["personalizedVersions"][0]["segmentName"], "developers");

    // Schedule a variation on LinkedIn: needs a connected account.
    let vid = created["variations"][0]["id"].as_str().unwrap().to_string();
    let when = "2030-02-07T14:00:00Z";
    let (status, v) = post_json(
        &s,
        "/api/v1/publish/schedule",
        t,
        json!({"variationId": vid, "platform": "linkedin", "scheduledTime": when}),
    )
    .await;
    assert_eq!(
        (status, v["field"].clone()),
        (400, json!("platform")),
        "{v}"
    );
    s.os.connect_account(
        &owner,
        ws,
        NewSocialAccount {
            platform: Platform::LinkedIn,
            account_name: "Team page".into(),
            external_id: Some("urn:li:person:1".into()),
            base_url: None,
            access_token: "li-token".into(),
            refresh_token: None,
            token_expires_at: None,
        },
    )
    .await
    .unwrap();
    let (status, v) = post_json(
        &s,
        "/api/v1/publish/schedule",
        t,
        json!({"variationId": vid, "platform": "linkedin", "scheduledTime": when}),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["status"], "pending");
    assert_eq!(v["scheduledTime"], when);
    assert!(v["scheduledPostId"]
        .as_str()
        .unwrap()
        .parse::<uuid::Uuid>()
        .is_ok());

    let (status, rep) = get_json(
        &s,
        &format!("/api/v1/analytics/performance?workspaceId={ws}&days=30"),
        t,
    )
    .await;
    assert_eq!(status, 200, "{rep}");
    assert_eq!(rep["summary"]["totalPosts"], 0);
    assert!(rep["topPerformers"].is_array() && rep["insights"].is_array());
    let (status, v) = get_json(
        &s,
        &format!("/api/v1/analytics/performance?workspaceId={ws}&days=0"),
        t,
    )
    .await;
    assert_eq!((status, v["field"].clone()), (400, json!("days")));
}

#[tokio::test]
async fn health_metrics_openapi_and_gzip() {
    let s = start().await;
    let r = client().get(s.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h: Value = r.json().await.unwrap();
    assert_eq!(h["status"], "healthy");
    assert_eq!(h["checks"]["database"]["status"], "ok");
    assert_eq!(h["checks"]["redis"]["status"], "disabled");
    assert_eq!(h["checks"]["llm"]["status"], "ok");

    let (ws, tokens) = s.workspace_with("m", &[]).await;
    let (status, _) = post_json(
        &s,
        "/api/v1/content/generate",
        &tokens[0],
        generate_body(ws),
    )
    .await;
    assert_eq!(status, 200);
    let m = client()
        .get(s.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(m.contains(r#"api_requests_total{endpoint="/api/v1/content/generate",method="POST",status="200"} 1"#), "{m}");
    assert!(
        m.contains(r#"content_generation_duration_seconds_count{content_type="blog"} 1"#),
        "{m}"
    );

    let doc: Value = client()
        .get(s.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for p in [
        "/api/v1/content/generate",
        "/api/v1/content/{id}",
        "/api/v1/content/transform",
        "/api/v1/content/personalize",
        "/api/v1/publish/schedule",
        "/api/v1/publish/now",
        "/api/v1/analytics/performance",
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
    ] {
        assert!(doc["paths"][p].is_object(), "missing {p}");
    }
    assert!(doc["components"]["schemas"]["GenerateBody"]["properties"]["workspaceId"].is_object());

    // gzip when asked for (reqwest's gzip feature decodes transparently, so ask by hand).
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let r = raw
        .get(s.url("/openapi.json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn health_is_degraded_when_a_dependency_is_down() {
    let (os, _seen) = os_with_llm(contentos_core::ContentOs::builder().in_memory()).await;
    let mut cfg = test_config();
    cfg.redis_url = Some(redis_url());
    cfg.redis_prefix = format!("test-{}", uuid::Uuid::new_v4());
    let mut state = contentos_rest::state(os, cfg).await.unwrap();
    // Point the health check at a port nobody listens on.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    state.redis = Some(redis::Client::open(format!("redis://127.0.0.1:{port}/")).unwrap());
    let base = serve_state(state).await;
    let r = client().get(format!("{base}/health")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let h: Value = r.json().await.unwrap();
    assert_eq!(h["status"], "degraded");
    assert_eq!(h["checks"]["redis"]["status"], "error");
    assert_eq!(h["checks"]["database"]["status"], "ok");
}

#[tokio::test]
async fn create_and_list_workspaces_over_http() {
    let s = start().await;
    s.register("ws-creator@example.com").await;
    let token = s.login("ws-creator@example.com").await["token"]
        .as_str()
        .expect("token")
        .to_string();

    let (status, created) = post_json(
        &s,
        "/api/v1/workspaces",
        &token,
        json!({"name": "Launch team", "timezone": "America/New_York",
               "brandVoice": {"style": "short sentences", "bannedWords": ["synergy"]}}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["role"], "owner");
    assert_eq!(created["timezone"], "America/New_York");
    assert_eq!(created["brandVoice"]["bannedWords"][0], "synergy");
    let ws = created["id"].as_str().expect("id").to_string();

    // The creator can use it at once (roles come from the SDK, not from the token's claims).
    let (status, gen) = post_json(
        &s,
        "/api/v1/content/generate",
        &token,
        json!({"workspaceId": ws, "input": "Test content", "contentType": "social"}),
    )
    .await;
    assert_eq!(status, 200, "{gen}");

    let (status, list) = get_json(&s, "/api/v1/workspaces", &token).await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], ws.as_str());

    // Bad input names the field; nothing is created.
    for (body, field) in [
        (json!({"timezone": "UTC"}), "name"),
        (json!({"name": "X", "timezone": "Mars/Olympus"}), "timezone"),
        (json!({"name": "X", "brandVoice": 7}), "brandVoice"),
    ] {
        let (status, err) = post_json(&s, "/api/v1/workspaces", &token, body).await;
        assert_eq!(status, 400, "{err}");
        assert_eq!(err["field"], field, "{err}");
    }
    let (_, list) = get_json(&s, "/api/v1/workspaces", &token).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
}
