//! The section 13.2 flow on PostgreSQL (a fresh schema per run).
//! `CONTENTOS_TEST_POSTGRES_URL` overrides the default `postgres://postgres@127.0.0.1:5432/test`.

mod common;

use common::*;
use contentos_core::store::PostgresStore;
use contentos_core::vault::Vault;
use std::sync::Arc;

#[tokio::test]
async fn login_generate_get_on_postgres() {
    let url = std::env::var("CONTENTOS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("rest_{}", uuid::Uuid::new_v4().simple());
    let store = PostgresStore::connect_in_schema(&url, &schema)
        .await
        .unwrap();
    let builder = contentos_core::ContentOs::builder()
        .store(Arc::new(store))
        .vault(Vault::ephemeral());
    let (os, seen) = os_with_llm(builder).await;
    let s = start_with(os, test_config(), seen).await;
    let (ws, t) = s
        .workspace_with("pg", &[contentos_core::access::Role::Viewer])
        .await;

    let (status, created) =
        post_json(&s, "/api/v1/content/generate", &t[0], generate_body(ws)).await;
    assert_eq!(status, 200, "{created}");
    let cid = created["contentId"].as_str().unwrap();
    let (status, got) = get_json(&s, &format!("/api/v1/content/{cid}"), &t[1]).await;
    assert_eq!(status, 200);
    assert_eq!(got["originalInput"], "Test content");
    let (status, _) = post_json(&s, "/api/v1/content/generate", &t[1], generate_body(ws)).await;
    assert_eq!(status, 403);

    let h: serde_json::Value = client()
        .get(s.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(h["checks"]["database"]["status"], "ok");
}
