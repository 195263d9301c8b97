//! Section 9.2: the 101st request of a user within a minute is 429 with `retryAfter`, in-process
//! and shared across two instances through Redis.

mod common;

use common::*;
use serde_json::Value;

async fn hit(base: &str, token: &str) -> reqwest::Response {
    client()
        .get(format!("{base}/api/v1/content/{}", uuid::Uuid::new_v4()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn assert_limited(r: reqwest::Response) {
    assert_eq!(r.status(), 429);
    let header: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "Too many requests");
    let after = v["retryAfter"].as_u64().unwrap();
    assert!((1..=60).contains(&after), "{after}");
    assert_eq!(after, header);
}

#[tokio::test]
async fn in_process_limiter_refuses_the_101st_request() {
    let s = start().await;
    let (_, t) = s.workspace_with("rl", &[Role::Member]).await;
    for i in 0..100 {
        let r = hit(&s.base, &t[0]).await;
        assert_eq!(r.status(), 404, "request {i}");
    }
    assert_limited(hit(&s.base, &t[0]).await).await;
    // Another user has their own budget.
    assert_eq!(hit(&s.base, &t[1]).await.status(), 404);
}

use contentos_core::access::Role;

#[tokio::test]
async fn redis_limiter_is_shared_by_two_instances() {
    // One database, two server instances sharing one Redis (a fresh key prefix per run).
    let (os, seen) = os_with_llm(contentos_core::ContentOs::builder().in_memory()).await;
    let mut cfg = test_config();
    cfg.redis_url = Some(redis_url());
    cfg.redis_prefix = format!("test-{}", uuid::Uuid::new_v4());
    let a = start_with(os.clone(), cfg.clone(), seen.clone()).await;
    let b = start_with(os, cfg, seen).await;
    let (_, t) = a.workspace_with("shared", &[]).await;
    // Refresh tokens are shared too: a session started on A refreshes on B.
    let session = a.login("owner-shared@example.com").await;
    let r = client()
        .post(b.url("/api/auth/refresh"))
        .json(&serde_json::json!({"refreshToken": session["refreshToken"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Stay inside one fixed window: wait if the minute is about to roll over.
    let sec = chrono::Utc::now().timestamp().rem_euclid(60);
    if sec > 45 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - sec) as u64)).await;
    }
    for i in 0..100 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        assert_eq!(hit(base, &t[0]).await.status(), 404, "request {i}");
    }
    assert_limited(hit(&a.base, &t[0]).await).await;
    assert_limited(hit(&b.base, &t[0]).await).await;
}
