//! `/api/auth/*`: register (demo and tests), login, refresh (rotating) and logout (revoking).

use super::{json_object, req_str};
use crate::auth::{
    cookie, csrf_ok, hash_password, random_token, set_cookie, verify_password, ACCESS_COOKIE,
    ACCESS_TTL, CSRF_COOKIE, REFRESH_COOKIE, REFRESH_TTL,
};
use crate::errors::ApiError;
use crate::openapi::schemas::{ErrorBody, LoginBody, LoginResponse, RefreshBody, RegisterBody};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contentos_core::access::Actor;
use contentos_core::model::User;
use contentos_core::{Error, ErrorKind};
use serde_json::{json, Value};

const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

/// `POST /api/auth/register` → 201 `{userId, email}`.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterBody,
    responses((status = 201, description = "Registered"), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let obj = json_object(&body)?;
    let email = req_str(&obj, "email")?.trim().to_ascii_lowercase();
    let password = req_str(&obj, "password")?;
    let local_ok = email
        .split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && !d.is_empty() && !d.contains('@'));
    if email.len() > 255 || !local_ok {
        return Err(Error::validation("email", "an e-mail address of at most 255 bytes").into());
    }
    if !PASSWORD_CHARS.contains(&password.chars().count()) {
        return Err(Error::validation("password", "8..=128 characters").into());
    }
    if state.os.store().find_user_by_email(&email).await?.is_some() {
        return Err(Error::Conflict {
            message: "e-mail already registered".into(),
        }
        .into());
    }
    let cfg = &state.config;
    let pw = password.to_string();
    let (mem, iters) = (cfg.argon2_memory_kib, cfg.argon2_iterations);
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw, mem, iters))
        .await
        .map_err(|_| Error::Internal {
            message: "password hashing task failed".into(),
        })??;
    let mut user = User::new(email);
    user.password_hash = Some(hash);
    state.os.store().create_user(&user).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"userId": user.id, "email": user.email})),
    ))
}

async fn issue_session(state: &AppState, user: &User) -> Result<Response, ApiError> {
    let workspaces = state
        .os
        .my_workspaces(&Actor::user(user.id))
        .await?
        .into_iter()
        .map(|(w, _)| w.id.to_string())
        .collect();
    let tier = serde_json::to_value(user.tier)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "free".into());
    let token =
        state
            .signer
            .sign_at(user.id, &user.email, &tier, workspaces, chrono::Utc::now())?;
    let refresh = state.refresh.issue(user.id).await?;
    let csrf = random_token();
    let secure = state.config.secure_cookies;
    let mut resp = Json(json!({
        "token": token,
        "refreshToken": refresh,
        "csrfToken": csrf,
        "expiresIn": ACCESS_TTL.num_seconds(),
        "user": {"id": user.id, "email": user.email, "tier": tier},
    }))
    .into_response();
    for c in [
        set_cookie(
            ACCESS_COOKIE,
            &token,
            ACCESS_TTL.num_seconds(),
            true,
            secure,
        ),
        set_cookie(
            REFRESH_COOKIE,
            &refresh,
            REFRESH_TTL.num_seconds(),
            true,
            secure,
        ),
        set_cookie(CSRF_COOKIE, &csrf, REFRESH_TTL.num_seconds(), false, secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

/// `POST /api/auth/login` `{email, password}` → tokens in the body and as cookies.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, body = LoginResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn login(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let obj = json_object(&body)?;
    let email = req_str(&obj, "email")?.trim().to_ascii_lowercase();
    let password = req_str(&obj, "password")?.to_string();
    let user = state.os.store().find_user_by_email(&email).await?;
    let Some(user) = user else {
        return Err(ApiError::Unauthorized("invalid email or password"));
    };
    let Some(hash) = user.password_hash.clone() else {
        return Err(ApiError::Unauthorized("invalid email or password"));
    };
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(ApiError::Unauthorized("invalid email or password"));
    }
    issue_session(&state, &user).await
}

/// The refresh token from the body, or from the cookie (then CSRF is required).
fn refresh_token_of(headers: &HeaderMap, body: &[u8]) -> Result<String, ApiError> {
    if !body.is_empty() {
        let obj = json_object(body)?;
        if let Some(t) = obj.get("refreshToken") {
            return t
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| Error::validation("refreshToken", "a string").into());
        }
    }
    let t =
        cookie(headers, REFRESH_COOKIE).ok_or(ApiError::Unauthorized("missing refresh token"))?;
    if !csrf_ok(headers) {
        return Err(ApiError::CsrfMissing);
    }
    Ok(t)
}

/// `POST /api/auth/refresh` `{refreshToken}` (or the cookie + CSRF header): rotates the refresh
/// token and returns a new session; a used or revoked token is refused.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshBody,
    responses((status = 200, body = LoginResponse), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token = refresh_token_of(&headers, &body)?;
    let user_id = state
        .refresh
        .consume(&token)
        .await?
        .ok_or(ApiError::Unauthorized("invalid refresh token"))?;
    let user = match state.os.store().get_user(user_id).await {
        Ok(u) => u,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(ApiError::Unauthorized("invalid refresh token"))
        }
        Err(e) => return Err(e.into()),
    };
    issue_session(&state, &user).await
}

/// `POST /api/auth/logout`: revokes the refresh token and clears the cookies (204).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", request_body = RefreshBody,
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token = refresh_token_of(&headers, &body)?;
    state.refresh.revoke(&token).await?;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    let secure = state.config.secure_cookies;
    for name in [ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE] {
        if let Ok(v) = HeaderValue::from_str(&set_cookie(name, "", 0, name != CSRF_COOKIE, secure))
        {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}
