//! Tokens and sessions: expired, tampered and missing tokens (401), wrong passwords, refresh
//! rotation, logout revocation, and CSRF on cookie-authenticated writes.

mod common;

use base64::Engine;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn access_token_carries_section_4_1_payload() {
    let s = start().await;
    let (ws, tokens) = s.workspace_with("payload", &[]).await;
    let payload = tokens[0].split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["email"], "owner-payload@example.com");
    assert_eq!(claims["tier"], "free");
    assert_eq!(claims["workspaces"], json!([ws.to_string()]));
    assert!(claims["userId"]
        .as_str()
        .unwrap()
        .parse::<uuid::Uuid>()
        .is_ok());
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        15 * 60
    );
}

#[tokio::test]
async fn missing_expired_and_tampered_tokens_are_401() {
    let s = start().await;
    let (ws, tokens) = s.workspace_with("tok", &[]).await;
    let good = &tokens[0];
    let path = "/api/v1/content/generate";

    let r = client()
        .post(s.url(path))
        .json(&generate_body(ws))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let claims = s.state.signer.verify(good).unwrap();
    let expired = s
        .state
        .signer
        .sign_at(
            claims.user_id,
            &claims.email,
            &claims.tier,
            claims.workspaces.clone(),
            chrono::Utc::now() - chrono::Duration::minutes(16),
        )
        .unwrap();
    let (status, v) = post_json(&s, path, &expired, generate_body(ws)).await;
    assert_eq!(
        (status, v["message"].clone()),
        (401, json!("token expired"))
    );

    // Tamper with the payload (claim another user) but keep the signature.
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    let mut payload: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&parts[1])
            .unwrap(),
    )
    .unwrap();
    payload["userId"] = json!(uuid::Uuid::new_v4());
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
    let (status, _) = post_json(&s, path, &parts.join("."), generate_body(ws)).await;
    assert_eq!(status, 401);

    // Signed with another key.
    let other = contentos_rest::auth::TokenSigner::new(b"another-secret-another-secret-1234");
    let forged = other
        .sign_at(
            claims.user_id,
            &claims.email,
            "pro",
            vec![],
            chrono::Utc::now(),
        )
        .unwrap();
    let (status, _) = post_json(&s, path, &forged, generate_body(ws)).await;
    assert_eq!(status, 401);

    // The good token still works.
    let (status, _) = post_json(&s, path, good, generate_body(ws)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_the_same_401() {
    let s = start().await;
    s.register("pw@example.com").await;
    for body in [
        json!({"email": "pw@example.com", "password": "wrong password"}),
        json!({"email": "nobody@example.com", "password": PASSWORD}),
    ] {
        let r = client()
            .post(s.url("/api/auth/login"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["message"], "invalid email or password");
    }
    // Duplicate registration is a conflict; a short password a validation error.
    let r = client()
        .post(s.url("/api/auth/register"))
        .json(&json!({"email": "PW@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let r = client()
        .post(s.url("/api/auth/register"))
        .json(&json!({"email": "x@example.com", "password": "short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // The stored hash is argon2id, never the password.
    let u =
        s.os.store()
            .find_user_by_email("pw@example.com")
            .await
            .unwrap()
            .unwrap();
    let h = u.password_hash.unwrap();
    assert!(h.starts_with("$argon2id$") && !h.contains(PASSWORD));
}

#[tokio::test]
async fn refresh_rotates_and_logout_revokes() {
    let s = start().await;
    s.register("r@example.com").await;
    let session = s.login("r@example.com").await;
    let rt1 = session["refreshToken"].as_str().unwrap().to_string();

    let r = client()
        .post(s.url("/api/auth/refresh"))
        .json(&json!({"refreshToken": rt1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s2: Value = r.json().await.unwrap();
    let rt2 = s2["refreshToken"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);
    assert!(s.state.signer.verify(s2["token"].as_str().unwrap()).is_ok());

    // The used token is gone (rotation).
    let r = client()
        .post(s.url("/api/auth/refresh"))
        .json(&json!({"refreshToken": rt1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let r = client()
        .post(s.url("/api/auth/logout"))
        .json(&json!({"refreshToken": rt2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = client()
        .post(s.url("/api/auth/refresh"))
        .json(&json!({"refreshToken": rt2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn cookie_auth_needs_csrf_header_for_writes() {
    let s = start().await;
    let (ws, _) = s.workspace_with("csrf", &[]).await;
    // A browser-like client: cookies from login are kept.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let r = browser
        .post(s.url("/api/auth/login"))
        .json(&json!({"email": "owner-csrf@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("access_token=") && c.contains("HttpOnly")));
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("refresh_token=") && c.contains("HttpOnly")));
    let csrf_cookie = cookies
        .iter()
        .find(|c| c.starts_with("csrf_token="))
        .unwrap();
    assert!(!csrf_cookie.contains("HttpOnly"));
    let body: Value = r.json().await.unwrap();
    let csrf = body["csrfToken"].as_str().unwrap().to_string();

    // Reads need no CSRF token.
    let r = browser
        .get(s.url(&format!("/api/v1/analytics/performance?workspaceId={ws}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Writes without the header, or with a wrong one, are refused before anything runs.
    let r = browser
        .post(s.url("/api/v1/content/generate"))
        .json(&generate_body(ws))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "csrf");
    let r = browser
        .post(s.url("/api/v1/content/generate"))
        .header("x-csrf-token", "forged")
        .json(&generate_body(ws))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(
        s.llm_seen.lock().unwrap().is_empty(),
        "no LLM call on refused requests"
    );

    let r = browser
        .post(s.url("/api/v1/content/generate"))
        .header("x-csrf-token", &csrf)
        .json(&generate_body(ws))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Refresh through the cookie also needs the header.
    let r = browser
        .post(s.url("/api/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = browser
        .post(s.url("/api/auth/refresh"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
