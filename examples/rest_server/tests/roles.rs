//! Every role's denials, enforced by the SDK through `Actor` (the server has no RBAC of its own).

mod common;

use common::*;
use contentos_core::access::{Actor, Role};
use contentos_core::model::Platform;
use contentos_core::NewSocialAccount;
use serde_json::json;

#[tokio::test]
async fn each_role_gets_exactly_its_permissions() {
    let s = start().await;
    let (ws, t) = s
        .workspace_with("roles", &[Role::Admin, Role::Member, Role::Viewer])
        .await;
    let (owner, admin, member, viewer) = (&t[0], &t[1], &t[2], &t[3]);
    let outsider_id = s.register("outsider@example.com").await;
    let outsider = s.login("outsider@example.com").await["token"]
        .as_str()
        .unwrap()
        .to_string();

    // generate: owner/admin/member yes; viewer and non-members 403.
    for tok in [owner, admin, member] {
        let (status, v) = post_json(&s, "/api/v1/content/generate", tok, generate_body(ws)).await;
        assert_eq!(status, 200, "{v}");
    }
    let calls_before = s.llm_seen.lock().unwrap().len();
    for tok in [viewer, &outsider] {
        let (status, v) = post_json(&s, "/api/v1/content/generate", tok, generate_body(ws)).await;
        assert_eq!(status, 403, "{v}");
        assert_eq!(v["error"], "permission_denied");
        assert!(
            !v.to_string().contains(&outsider_id.to_string()),
            "no ids leaked: {v}"
        );
    }
    assert_eq!(
        s.llm_seen.lock().unwrap().len(),
        calls_before,
        "denied before any LLM call"
    );

    let (_, created) = post_json(&s, "/api/v1/content/generate", member, generate_body(ws)).await;
    let cid = created["contentId"].as_str().unwrap().to_string();
    let vid = created["variations"][0]["id"].as_str().unwrap().to_string();

    // read: every member including the viewer; never the outsider.
    for tok in [owner, admin, member, viewer] {
        let (status, _) = get_json(&s, &format!("/api/v1/content/{cid}"), tok).await;
        assert_eq!(status, 200);
    }
    let (status, _) = get_json(&s, &format!("/api/v1/content/{cid}"), &outsider).await;
    assert_eq!(status, 403);
    let (status, _) = get_json(
        &s,
        &format!("/api/v1/analytics/performance?workspaceId={ws}"),
        &outsider,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = get_json(
        &s,
        &format!("/api/v1/analytics/performance?workspaceId={ws}"),
        viewer,
    )
    .await;
    assert_eq!(status, 200);

    // transform / personalize / schedule / publish: viewer and outsider 403.
    let owner_actor = Actor::user(s.state.signer.verify(owner).unwrap().user_id);
    s.os.connect_account(
        &owner_actor,
        ws,
        NewSocialAccount {
            platform: Platform::LinkedIn,
            account_name: "Team".into(),
            external_id: Some("urn:li:person:1".into()),
            base_url: None,
            access_token: "li-token".into(),
            refresh_token: None,
            token_expires_at: None,
        },
    )
    .await
    .unwrap();
    let writes = [
        (
            "/api/v1/content/transform",
            json!({"contentId": cid, "targetPlatforms": ["twitter"], "preserveKeyMessages": false}),
        ),
        (
            "/api/v1/content/personalize",
            json!({"contentId": cid, "audienceSegments": ["developers"]}),
        ),
        (
            "/api/v1/publish/schedule",
            json!({"variationId": vid, "platform": "linkedin", "scheduledTime": "2030-01-01T10:00:00Z"}),
        ),
        (
            "/api/v1/publish/now",
            json!({"variationId": vid, "platforms": ["linkedin"]}),
        ),
    ];
    for (path, body) in &writes {
        for tok in [viewer, &outsider] {
            let (status, v) = post_json(&s, path, tok, body.clone()).await;
            assert_eq!(status, 403, "{path}: {v}");
        }
    }
    // A member may schedule.
    let (status, v) = post_json(&s, writes[2].0, member, writes[2].1.clone()).await;
    assert_eq!(status, 201, "{v}");

    // Removing a member takes effect at once, even with a still-valid token.
    let member_id = s.state.signer.verify(member).unwrap().user_id;
    s.os.remove_member(&owner_actor, ws, member_id)
        .await
        .unwrap();
    let (status, _) = get_json(&s, &format!("/api/v1/content/{cid}"), member).await;
    assert_eq!(status, 403);
}
