//! Authentication (design sections 4.1, 9.1, 9.2): argon2id passwords, 15-minute HS256 access
//! tokens with the section 4.1 payload, 7-day refresh tokens (random, stored as SHA-256, rotated
//! on use, revoked on logout), bearer header or httpOnly cookie, and double-submit CSRF for
//! cookie-authenticated state changes.
//!
//! Authorization is *not* here: handlers turn the verified user into an SDK
//! [`Actor`](contentos_core::access::Actor) and the SDK checks the stored workspace role.

use crate::errors::ApiError;
use crate::state::AppState;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use contentos_core::access::Actor;
use contentos_core::model::UserId;
use contentos_core::{Error, Result};
use jsonwebtoken::{Algorithm as JwtAlg, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// Lifetime of an access token (section 9.1: 15 minutes).
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// Lifetime of a refresh token (section 9.1: 7 days).
pub const REFRESH_TTL: Duration = Duration::days(7);
/// Cookie carrying the access token.
pub const ACCESS_COOKIE: &str = "access_token";
/// Cookie carrying the refresh token.
pub const REFRESH_COOKIE: &str = "refresh_token";
/// Cookie carrying the CSRF token (readable by scripts, echoed in `X-CSRF-Token`).
pub const CSRF_COOKIE: &str = "csrf_token";
/// Header that must echo the CSRF cookie on cookie-authenticated state changes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The access-token payload of section 4.1.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Claims {
    /// The user.
    pub user_id: UserId,
    /// Their e-mail address.
    pub email: String,
    /// Subscription tier (`free`, `pro`, …).
    pub tier: String,
    /// Workspaces the user belonged to when the token was issued (informational: the SDK checks
    /// the stored membership on every call, so a removed member loses access at once).
    pub workspaces: Vec<String>,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Signs and verifies access tokens with one HMAC key.
pub struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl TokenSigner {
    /// A signer over `secret` (at least 32 bytes, checked by `main`).
    pub fn new(secret: &[u8]) -> Self {
        TokenSigner {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    /// Signs claims issued at `now` for [`ACCESS_TTL`]. Taking `now` lets tests mint tokens
    /// that are already expired.
    pub fn sign_at(
        &self,
        user_id: UserId,
        email: &str,
        tier: &str,
        workspaces: Vec<String>,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let claims = Claims {
            user_id,
            email: email.to_string(),
            tier: tier.to_string(),
            workspaces,
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(JwtAlg::HS256), &claims, &self.encoding).map_err(|e| {
            Error::Internal {
                message: format!("signing access token: {e}"),
            }
        })
    }

    /// Verifies signature, algorithm and expiry (no leeway).
    pub fn verify(&self, token: &str) -> std::result::Result<Claims, ApiError> {
        let mut v = Validation::new(JwtAlg::HS256);
        v.leeway = 0;
        v.set_required_spec_claims(&["exp", "iat"]);
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &v)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    ApiError::Unauthorized("token expired")
                }
                _ => ApiError::Unauthorized("invalid token"),
            })
    }
}

fn argon2(memory_kib: u32, iterations: u32) -> Result<Argon2<'static>> {
    let params = Params::new(memory_kib, iterations, 1, None)
        .map_err(|e| Error::configuration(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with argon2id and a random salt into a PHC string.
pub fn hash_password(password: &str, memory_kib: u32, iterations: u32) -> Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2(memory_kib, iterations)?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal {
            message: format!("hashing password: {e}"),
        })
}

/// Checks a password against a PHC string (parameters are read from the string).
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A fresh random token: 32 bytes from the OS, base64url.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// SHA-256 of a token, hex: what is stored, so a leaked store does not leak usable tokens.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Where refresh tokens live. Implementations store only [`token_hash`] values.
#[async_trait]
pub trait RefreshTokens: Send + Sync {
    /// Issues a new refresh token for `user`, valid for [`REFRESH_TTL`].
    async fn issue(&self, user: UserId) -> Result<String>;
    /// Consumes `token` (single use) and returns its user; `None` when unknown, expired or
    /// already used.
    async fn consume(&self, token: &str) -> Result<Option<UserId>>;
    /// Revokes `token` if it exists.
    async fn revoke(&self, token: &str) -> Result<()>;
}

/// In-process refresh tokens (one server instance).
#[derive(Default)]
pub struct MemoryRefreshTokens {
    tokens: Mutex<HashMap<String, (UserId, DateTime<Utc>)>>,
}

#[async_trait]
impl RefreshTokens for MemoryRefreshTokens {
    async fn issue(&self, user: UserId) -> Result<String> {
        let token = random_token();
        let now = Utc::now();
        let mut map = self.tokens.lock().map_err(|_| Error::Internal {
            message: "refresh token map poisoned".into(),
        })?;
        map.retain(|_, (_, exp)| *exp > now);
        map.insert(token_hash(&token), (user, now + REFRESH_TTL));
        Ok(token)
    }

    async fn consume(&self, token: &str) -> Result<Option<UserId>> {
        let mut map = self.tokens.lock().map_err(|_| Error::Internal {
            message: "refresh token map poisoned".into(),
        })?;
        Ok(map
            .remove(&token_hash(token))
            .filter(|(_, exp)| *exp > Utc::now())
            .map(|(u, _)| u))
    }

    async fn revoke(&self, token: &str) -> Result<()> {
        self.consume(token).await.map(|_| ())
    }
}

/// Refresh tokens in Redis (`SET … EX`, consumed with `GETDEL`), shared by every instance.
pub struct RedisRefreshTokens {
    conn: redis::aio::ConnectionManager,
    prefix: String,
}

fn redis_err(e: redis::RedisError) -> Error {
    Error::Unavailable {
        service: "redis".into(),
        message: e.to_string(),
    }
}

impl RedisRefreshTokens {
    /// Connects to Redis; keys are `{prefix}:rt:{sha256}`.
    pub async fn connect(client: redis::Client, prefix: &str) -> Result<Self> {
        let conn = redis::aio::ConnectionManager::new(client)
            .await
            .map_err(redis_err)?;
        Ok(RedisRefreshTokens {
            conn,
            prefix: prefix.to_string(),
        })
    }

    fn key(&self, token: &str) -> String {
        format!("{}:rt:{}", self.prefix, token_hash(token))
    }
}

#[async_trait]
impl RefreshTokens for RedisRefreshTokens {
    async fn issue(&self, user: UserId) -> Result<String> {
        let token = random_token();
        let mut c = self.conn.clone();
        redis::cmd("SET")
            .arg(self.key(&token))
            .arg(user.to_string())
            .arg("EX")
            .arg(REFRESH_TTL.num_seconds())
            .query_async::<()>(&mut c)
            .await
            .map_err(redis_err)?;
        Ok(token)
    }

    async fn consume(&self, token: &str) -> Result<Option<UserId>> {
        let mut c = self.conn.clone();
        let v: Option<String> = redis::cmd("GETDEL")
            .arg(self.key(token))
            .query_async(&mut c)
            .await
            .map_err(redis_err)?;
        Ok(v.and_then(|s| s.parse().ok()))
    }

    async fn revoke(&self, token: &str) -> Result<()> {
        self.consume(token).await.map(|_| ())
    }
}

/// The value of cookie `name` in the request, if present.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value. Access and refresh cookies are httpOnly; the CSRF cookie is not (the
/// page's script must read it to echo it in `X-CSRF-Token`).
pub fn set_cookie(name: &str, value: &str, max_age: i64, http_only: bool, secure: bool) -> String {
    let path = if name == REFRESH_COOKIE {
        "/api/auth"
    } else {
        "/"
    };
    let mut c = format!("{name}={value}; Path={path}; Max-Age={max_age}; SameSite=Strict");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// True when a cookie-authenticated request carries `X-CSRF-Token` equal to the CSRF cookie.
pub fn csrf_ok(headers: &HeaderMap) -> bool {
    let header = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    match (header, cookie(headers, CSRF_COOKIE)) {
        (Some(h), Some(c)) => !c.is_empty() && constant_time_eq(h.as_bytes(), c.as_bytes()),
        _ => false,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A verified caller, already counted against its rate limit. Extracting it from a request
/// rejects missing/expired/tampered tokens (401), cookie state changes without CSRF (403) and
/// callers over their budget (429).
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The verified claims.
    pub claims: Claims,
}

impl AuthUser {
    /// The SDK actor for this caller.
    pub fn actor(&self) -> Actor {
        Actor::user(self.claims.user_id)
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|s| s.trim().to_string());
        let (token, via_cookie) = match bearer {
            Some(t) => (t, false),
            None => match cookie(&parts.headers, ACCESS_COOKIE) {
                Some(t) => (t, true),
                None => return Err(ApiError::Unauthorized("missing credentials")),
            },
        };
        let claims = state.signer.verify(&token)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if via_cookie && !safe && !csrf_ok(&parts.headers) {
            return Err(ApiError::CsrfMissing);
        }
        state.limiter.check(&claims.user_id.to_string()).await?;
        Ok(AuthUser { claims })
    }
}
