//! Server configuration and the shared state every handler sees.

use crate::auth::{RefreshTokens, TokenSigner};
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use contentos_core::ContentOs;
use std::sync::Arc;

/// How the server behaves; built from the environment by `main`, explicitly by tests.
#[derive(Clone)]
pub struct ServerConfig {
    /// HMAC key for access tokens (at least 32 bytes). Never logged.
    pub jwt_secret: Vec<u8>,
    /// Requests per minute per user (section 9.2: 100).
    pub requests_per_minute: u32,
    /// Redis URL shared by all instances (rate limits, refresh tokens); in-process when `None`.
    pub redis_url: Option<String>,
    /// Prefix of every Redis key, so several deployments (or test runs) can share one Redis.
    pub redis_prefix: String,
    /// Mark cookies `Secure` (true behind TLS; false for loopback development).
    pub secure_cookies: bool,
    /// Argon2 memory cost in KiB (production default 19456, the OWASP minimum).
    pub argon2_memory_kib: u32,
    /// Argon2 iterations.
    pub argon2_iterations: u32,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("jwt_secret", &"<redacted>")
            .field("requests_per_minute", &self.requests_per_minute)
            .field("redis", &self.redis_url.is_some())
            .field("redis_prefix", &self.redis_prefix)
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

impl ServerConfig {
    /// Production defaults around `jwt_secret`: 100 requests/minute, in-process limits,
    /// secure cookies, argon2id m=19456 KiB t=2.
    pub fn new(jwt_secret: Vec<u8>) -> Self {
        ServerConfig {
            jwt_secret,
            requests_per_minute: 100,
            redis_url: None,
            redis_prefix: "contentos".into(),
            secure_cookies: true,
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
        }
    }
}

/// What handlers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The embedded SDK; it enforces workspace RBAC on every call.
    pub os: ContentOs,
    /// The configuration.
    pub config: Arc<ServerConfig>,
    /// Signs and verifies access tokens.
    pub signer: Arc<TokenSigner>,
    /// Refresh-token storage (in-process or Redis).
    pub refresh: Arc<dyn RefreshTokens>,
    /// Per-user request limiter (in-process or Redis).
    pub limiter: Arc<dyn RateLimiter>,
    /// Prometheus registry and instruments.
    pub metrics: Arc<Metrics>,
    /// Redis client for health checks, when configured.
    pub redis: Option<redis::Client>,
}
