//! The HTTP layer every adapter shares: one `reqwest` client with timeouts, a retry policy that
//! depends on what a call does, rate-limit header parsing and the error taxonomy.
//!
//! Why one layer: the rule "uploads and reads are retried freely, creates never blindly" must
//! hold on every platform, and so must "a timeout after a create was sent is
//! [`Error::Unconfirmed`]". Each adapter only supplies a function that turns a platform's error
//! body into an [`Error`] (it knows the platform's codes); everything else lives here.

use chrono::{DateTime, Utc};
use contentos_core::model::Platform;
use contentos_core::{Error, Result};
use reqwest::header::HeaderMap;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// Timeouts and retry policy of the shared client.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Whole-request timeout (send + response). A create that hits it after being sent is
    /// `Unconfirmed`.
    pub timeout: Duration,
    /// TCP/TLS connect timeout. Hitting it means nothing was sent, so it is always `Transient`.
    pub connect_timeout: Duration,
    /// Attempts for reads, uploads and idempotent creates (1 = no retry).
    pub max_attempts: u32,
    /// First backoff delay; doubled on every retry.
    pub backoff: Duration,
    /// Upper bound on any single wait, including a platform's `Retry-After`. A longer wait is
    /// returned to the caller as `RateLimited` instead of being slept through.
    pub max_backoff: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_attempts: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// What a call does, which decides whether it may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// Reads have no side effect: retried on transient failures and rate limits.
    Read,
    /// Uploads and containers create nothing visible: retried like reads.
    Upload,
    /// Creates something visible without an idempotency key: exactly one attempt; an outcome
    /// that is unknown (timeout after send, 5xx other than 503) becomes `Unconfirmed`.
    Create,
    /// A create protected by a platform idempotency key (Mastodon): retried with the same key,
    /// since the platform deduplicates.
    IdempotentCreate,
}

impl CallKind {
    fn retries(self) -> bool {
        !matches!(self, CallKind::Create)
    }
}

/// A response whose status and body have been read.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Parses the body as JSON, mapping failure to [`Error::Protocol`] naming the platform.
    pub fn json<T: serde::de::DeserializeOwned>(&self, platform: Platform) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::Protocol {
            service: platform.as_str().into(),
            message: format!("unexpected JSON (HTTP {}): {e}", self.status),
        })
    }

    /// The body as JSON, or `Null` when it is not JSON (error mapping uses this).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as (lossy) text, truncated for error messages.
    pub fn text_snippet(&self) -> String {
        let t = String::from_utf8_lossy(&self.body);
        t.chars().take(300).collect()
    }
}

/// Turns a non-success response into an error; supplied by each adapter.
pub type ErrorMapper = fn(Platform, &RawResponse) -> Error;

/// The shared client.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    config: HttpConfig,
}

impl Default for Http {
    fn default() -> Self {
        Http::new(HttpConfig::default())
    }
}

impl Http {
    /// A client with the given timeouts and retry policy.
    pub fn new(config: HttpConfig) -> Self {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("contentos/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Http { client, config }
    }

    /// The policy in force.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Sends a request built by `build` (called again for each attempt), inside a tracing span
    /// carrying platform, endpoint, status and latency — never the URL, which may carry a
    /// token (Meta puts `access_token` in the query). Non-2xx answers go through `map`, then
    /// the retry policy of `kind` applies.
    pub async fn send(
        &self,
        platform: Platform,
        endpoint: &str,
        kind: CallKind,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        map: ErrorMapper,
    ) -> Result<RawResponse> {
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let result = self.once(platform, endpoint, kind, &build, map).await;
            let err = match result {
                Ok(r) => return Ok(r),
                Err(e) => e,
            };
            let may_retry = kind.retries()
                && attempt < self.config.max_attempts
                && (err.is_retryable()
                    || (kind == CallKind::IdempotentCreate
                        && matches!(err, Error::Unconfirmed { .. })));
            if !may_retry {
                return Err(err);
            }
            let backoff = self
                .config
                .backoff
                .saturating_mul(1u32 << (attempt - 1).min(16));
            let wait = err.retry_after().unwrap_or(backoff).max(backoff);
            if wait > self.config.max_backoff {
                return Err(err);
            }
            tracing::debug!(platform = platform.as_str(), endpoint, attempt, wait_ms = wait.as_millis() as u64, error = %err, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn once(
        &self,
        platform: Platform,
        endpoint: &str,
        kind: CallKind,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        map: ErrorMapper,
    ) -> Result<RawResponse> {
        let span = tracing::info_span!(
            "platform_call",
            platform = platform.as_str(),
            endpoint,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        async {
            let sent = build(&self.client).send().await;
            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    tracing::Span::current()
                        .record("latency_ms", started.elapsed().as_millis() as u64);
                    return Err(transport_error(platform, endpoint, kind, &e));
                }
            };
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let body = match resp.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) => return Err(transport_error(platform, endpoint, kind, &e)),
            };
            let span = tracing::Span::current();
            span.record("status", status);
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            let raw = RawResponse {
                status,
                headers,
                body,
            };
            if (200..300).contains(&status) {
                return Ok(raw);
            }
            let err = map(platform, &raw);
            tracing::debug!(error = %err, "platform refused");
            Err(unconfirm_ambiguous(platform, endpoint, kind, status, err))
        }
        .instrument(span)
        .await
    }
}

/// A create answered with a server error other than 503 may have happened: say so.
fn unconfirm_ambiguous(
    platform: Platform,
    endpoint: &str,
    kind: CallKind,
    status: u16,
    err: Error,
) -> Error {
    let creates = matches!(kind, CallKind::Create | CallKind::IdempotentCreate);
    if creates && status >= 500 && status != 503 && matches!(err, Error::Transient { .. }) {
        return Error::Unconfirmed {
            platform: platform.as_str().into(),
            message: format!(
                "{endpoint} answered HTTP {status} after the request was sent; the post may exist — check the account before publishing again"
            ),
        };
    }
    err
}

/// Maps a transport failure. A failure to connect means nothing was sent (safe to retry); any
/// other failure of a create (timeout while waiting, connection reset) leaves the outcome
/// unknown.
fn transport_error(
    platform: Platform,
    endpoint: &str,
    kind: CallKind,
    e: &reqwest::Error,
) -> Error {
    let creates = matches!(kind, CallKind::Create | CallKind::IdempotentCreate);
    // reqwest errors can include the URL, which may hold a token: strip it.
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "failed reading the response"
    } else {
        "connection failed"
    };
    if creates && !e.is_connect() {
        return Error::Unconfirmed {
            platform: platform.as_str().into(),
            message: format!(
                "{endpoint} {what} after the request was sent; the post may exist — check the account before publishing again"
            ),
        };
    }
    Error::Transient {
        service: platform.as_str().into(),
        status: None,
        request_id: None,
        message: format!("{endpoint} {what}"),
    }
}

/// The default mapping of a non-success status, given the platform's own code and message:
/// 401 → `NeedsReauth`, 429 → `RateLimited` (wait parsed from headers), 408/5xx → `Transient`,
/// other 4xx → `Rejected` (permanent).
pub fn default_error(
    platform: Platform,
    resp: &RawResponse,
    code: Option<String>,
    message: String,
) -> Error {
    let service = platform.as_str().to_string();
    match resp.status {
        401 => Error::NeedsReauth {
            platform: service,
            message,
        },
        429 => Error::RateLimited {
            service,
            retry_after: retry_after_from_headers(&resp.headers, Utc::now()),
        },
        408 | 500..=599 => Error::Transient {
            service,
            status: Some(resp.status),
            request_id: request_id(&resp.headers),
            message,
        },
        _ => Error::Rejected {
            service,
            code: code.or_else(|| Some(resp.status.to_string())),
            message,
        },
    }
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    [
        "x-request-id",
        "x-transaction-id",
        "x-li-uuid",
        "x-fb-trace-id",
    ]
    .iter()
    .find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok()))
    .map(str::to_string)
}

/// How long to wait according to a response's rate-limit headers, in this order:
/// `Retry-After` (seconds or HTTP date), `x-rate-limit-reset` (X: epoch seconds),
/// `X-RateLimit-Reset` (Mastodon: ISO 8601 time), `RateLimit-Reset` (IETF draft: delta seconds;
/// values that look like epoch seconds, as Bluesky's PDS sends, are read as such). A reset in the
/// past gives zero.
pub fn retry_after_from_headers(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let get = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(v) = get("retry-after") {
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(t) = DateTime::parse_from_rfc2822(v) {
            return Some(until(now, t.with_timezone(&Utc)));
        }
    }
    if let Some(v) = get("x-rate-limit-reset") {
        if let Some(d) = reset_value(v, now, true) {
            return Some(d);
        }
    }
    if let Some(v) = get("x-ratelimit-reset") {
        if let Some(d) = reset_value(v, now, true) {
            return Some(d);
        }
    }
    if let Some(v) = get("ratelimit-reset") {
        if let Some(d) = reset_value(v, now, false) {
            return Some(d);
        }
    }
    None
}

/// A reset value: ISO time, epoch seconds, or (for the IETF header) delta seconds.
fn reset_value(v: &str, now: DateTime<Utc>, numeric_is_epoch: bool) -> Option<Duration> {
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(until(now, t.with_timezone(&Utc)));
    }
    let n: f64 = v.parse().ok()?;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    if numeric_is_epoch || n > 1_000_000_000.0 {
        let t = DateTime::<Utc>::from_timestamp(n as i64, 0)?;
        Some(until(now, t))
    } else {
        Some(Duration::from_secs_f64(n))
    }
}

fn until(now: DateTime<Utc>, t: DateTime<Utc>) -> Duration {
    (t - now).to_std().unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2025-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        let h = headers(&[("Retry-After", "17")]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(17))
        );
        let h = headers(&[("Retry-After", "Wed, 01 Jan 2025 12:01:30 GMT")]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(90))
        );
    }

    #[test]
    fn x_epoch_reset() {
        let reset = now().timestamp() + 600;
        let h = headers(&[
            ("x-rate-limit-limit", "300"),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", &reset.to_string()),
        ]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(600))
        );
    }

    #[test]
    fn mastodon_iso_reset() {
        let h = headers(&[
            ("X-RateLimit-Limit", "300"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "2025-01-01T12:05:00.000Z"),
        ]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(300))
        );
    }

    #[test]
    fn ietf_delta_and_epoch_reset() {
        let h = headers(&[("RateLimit-Reset", "42")]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(42))
        );
        let epoch = (now().timestamp() + 120).to_string();
        let h = headers(&[("ratelimit-reset", &epoch)]);
        assert_eq!(
            retry_after_from_headers(&h, now()),
            Some(Duration::from_secs(120))
        );
    }

    #[test]
    fn past_reset_is_zero_and_garbage_is_none() {
        let h = headers(&[("x-rate-limit-reset", "1000")]);
        assert_eq!(retry_after_from_headers(&h, now()), Some(Duration::ZERO));
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(retry_after_from_headers(&h, now()), None);
    }

    #[test]
    fn default_mapping() {
        let r = |status| RawResponse {
            status,
            headers: headers(&[("retry-after", "3")]),
            body: vec![],
        };
        let p = Platform::Mastodon;
        assert!(matches!(
            default_error(p, &r(401), None, "x".into()),
            Error::NeedsReauth { .. }
        ));
        assert_eq!(
            default_error(p, &r(429), None, "x".into()).retry_after(),
            Some(Duration::from_secs(3))
        );
        assert!(matches!(
            default_error(p, &r(502), None, "x".into()),
            Error::Transient {
                status: Some(502),
                ..
            }
        ));
        match default_error(p, &r(422), Some("E1".into()), "bad".into()) {
            Error::Rejected { code, message, .. } => {
                assert_eq!(code.as_deref(), Some("E1"));
                assert_eq!(message, "bad");
            }
            other => panic!("{other:?}"),
        }
        let e = unconfirm_ambiguous(
            p,
            "statuses",
            CallKind::Create,
            500,
            default_error(p, &r(500), None, "x".into()),
        );
        assert!(matches!(e, Error::Unconfirmed { .. }));
        let e = unconfirm_ambiguous(
            p,
            "statuses",
            CallKind::Create,
            503,
            default_error(p, &r(503), None, "x".into()),
        );
        assert!(matches!(e, Error::Transient { .. }));
    }
}
