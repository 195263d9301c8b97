//! Per-user request limits (section 9.2: 100 requests per minute, then 429 with `retryAfter`).
//!
//! Two implementations behind one trait: [`LocalLimiter`] (the `governor` crate's GCRA, for a
//! single instance) and [`RedisLimiter`] (a fixed one-minute window counted with an atomic Lua
//! `INCR`+`EXPIRE`, shared by every instance that points at the same Redis). If Redis fails, the
//! Redis limiter falls back to its local limiter rather than refusing all traffic, and logs it.

use crate::errors::ApiError;
use async_trait::async_trait;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts a request for `key` and refuses it when the key is over budget.
#[async_trait]
pub trait RateLimiter: Send + Sync {
    /// `Ok` when the request may proceed; [`ApiError::TooManyRequests`] otherwise.
    async fn check(&self, key: &str) -> Result<(), ApiError>;
}

/// In-process GCRA limiter: a burst of `per_minute` requests, refilled evenly over a minute.
pub struct LocalLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
    calls: AtomicU64,
}

impl LocalLimiter {
    /// A limiter allowing `per_minute` requests per key per minute (0 is treated as 1).
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        LocalLimiter {
            limiter: governor::RateLimiter::keyed(Quota::per_minute(n)),
            clock: DefaultClock::default(),
            calls: AtomicU64::new(0),
        }
    }

    fn check_sync(&self, key: &str) -> Result<(), ApiError> {
        // Forget idle keys now and then so memory stays bounded by active users.
        if self.calls.fetch_add(1, Ordering::Relaxed) % 10_000 == 9_999 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key.to_string())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now());
                ApiError::TooManyRequests {
                    retry_after_secs: wait.as_secs_f64().ceil() as u64,
                }
            })
    }
}

#[async_trait]
impl RateLimiter for LocalLimiter {
    async fn check(&self, key: &str) -> Result<(), ApiError> {
        self.check_sync(key)
    }
}

/// Atomically counts one request in the current window and returns `{count, ttl}`.
const WINDOW_SCRIPT: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
";

/// Fixed-window limiter in Redis shared across server instances.
pub struct RedisLimiter {
    conn: redis::aio::ConnectionManager,
    script: redis::Script,
    prefix: String,
    per_minute: u32,
    fallback: LocalLimiter,
}

impl RedisLimiter {
    /// Connects; keys are `{prefix}:rl:{user}:{minute}`.
    pub async fn connect(
        client: redis::Client,
        prefix: &str,
        per_minute: u32,
    ) -> contentos_core::Result<Self> {
        let conn = redis::aio::ConnectionManager::new(client)
            .await
            .map_err(|e| contentos_core::Error::Unavailable {
                service: "redis".into(),
                message: e.to_string(),
            })?;
        Ok(RedisLimiter {
            conn,
            script: redis::Script::new(WINDOW_SCRIPT),
            prefix: prefix.to_string(),
            per_minute,
            fallback: LocalLimiter::new(per_minute),
        })
    }
}

#[async_trait]
impl RateLimiter for RedisLimiter {
    async fn check(&self, key: &str) -> Result<(), ApiError> {
        let minute = chrono::Utc::now().timestamp().div_euclid(60);
        let rkey = format!("{}:rl:{key}:{minute}", self.prefix);
        let mut conn = self.conn.clone();
        let started = std::time::Instant::now();
        let res: redis::RedisResult<(i64, i64)> =
            self.script.key(&rkey).arg(60).invoke_async(&mut conn).await;
        tracing::debug!(
            service = "redis",
            op = "ratelimit",
            elapsed_ms = started.elapsed().as_millis() as u64,
            ok = res.is_ok(),
            "redis call"
        );
        match res {
            Ok((count, ttl)) if count > i64::from(self.per_minute) => {
                Err(ApiError::TooManyRequests {
                    retry_after_secs: ttl.max(1) as u64,
                })
            }
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "redis rate limiter unavailable; limiting in-process");
                self.fallback.check_sync(key)
            }
        }
    }
}
