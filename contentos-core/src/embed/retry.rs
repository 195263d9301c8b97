//! A small retrying HTTP sender shared by the OpenAI embedder and the remote vector stores.
//!
//! Why here and not in the LLM layer: the LLM retry wrapper is being built separately; this loop
//! implements the same policy (retry 429 and 5xx and connection failures with exponential
//! backoff, honouring `Retry-After` / `retry-after-ms`, never retrying other 4xx) so the two
//! can be unified into one client configuration later without changing behaviour.

use crate::{Error, Result};
use std::time::{Duration, Instant};

/// How often and how long to retry a failed request.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts including the first (default 4). `1` disables retries.
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubled on each further attempt (default 500 ms).
    pub base_delay: Duration,
    /// Upper bound of any single wait, including a server's `Retry-After` (default 30 s), so a
    /// misbehaving server cannot park a caller for an hour.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: one attempt, errors returned as they come.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// A successful HTTP response body with its status, read fully.
pub(crate) struct HttpReply {
    /// The HTTP status (always 2xx here).
    pub status: u16,
    /// The response body.
    pub body: Vec<u8>,
}

/// Sends the request built by `build` (called once per attempt) and retries per `policy`.
/// `service` and `endpoint` name the call in spans and errors; secrets are never logged because
/// only the method, endpoint, status and timing are recorded.
pub(crate) async fn send_with_retry(
    policy: &RetryPolicy,
    service: &str,
    endpoint: &str,
    build: impl Fn() -> reqwest::RequestBuilder,
) -> Result<HttpReply> {
    let attempts = policy.max_attempts.max(1);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let started = Instant::now();
        let span = tracing::info_span!(
            "external_call",
            service,
            endpoint,
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty
        );
        let outcome = {
            let _enter = span.enter();
            build().send().await
        };
        let err = match outcome {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let retry_after = retry_after(resp.headers());
                let request_id = resp
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let body = resp.bytes().await.map(|b| b.to_vec());
                span.record("status", status);
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                let body = match body {
                    Ok(b) => b,
                    Err(e) => {
                        return Err(Error::Transient {
                            service: service.to_string(),
                            status: Some(status),
                            request_id,
                            message: format!("reading response body: {}", e.without_url()),
                        })
                    }
                };
                if (200..300).contains(&status) {
                    return Ok(HttpReply { status, body });
                }
                error_for_status(service, status, retry_after, request_id, &body)
            }
            Err(e) => {
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                if e.is_timeout() {
                    Error::Timeout {
                        operation: format!("{service} {endpoint}"),
                        after: started.elapsed(),
                    }
                } else {
                    Error::Unavailable {
                        service: service.to_string(),
                        message: e.without_url().to_string(),
                    }
                }
            }
        };
        tracing::warn!(service, endpoint, attempt, error = %err, "request failed");
        if !err.is_retryable() || attempt >= attempts {
            return Err(err);
        }
        let wait = err
            .retry_after()
            .unwrap_or_else(|| policy.backoff(attempt))
            .min(policy.max_delay);
        tokio::time::sleep(wait).await;
    }
}

/// The wait a response asks for: `retry-after-ms` (OpenAI), else `Retry-After` in seconds.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    get("retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

/// Maps a non-2xx response to the engine's error vocabulary. The message is the service's own
/// error text (truncated), which never contains our credentials.
pub(crate) fn error_for_status(
    service: &str,
    status: u16,
    retry_after: Option<Duration>,
    request_id: Option<String>,
    body: &[u8],
) -> Error {
    let message = service_message(body);
    let code = service_code(body);
    let service = service.to_string();
    match status {
        401 | 403 => Error::Unauthorized { service, message },
        429 if code.as_deref() == Some("insufficient_quota") => {
            Error::QuotaExceeded { service, message }
        }
        429 => Error::RateLimited {
            service,
            retry_after,
        },
        408 | 500..=599 => Error::Transient {
            service,
            status: Some(status),
            request_id,
            message,
        },
        _ => Error::Rejected {
            service,
            code: code.or_else(|| Some(status.to_string())),
            message,
        },
    }
}

/// The human-readable error of a JSON error body in the shapes OpenAI (`{"error":{"message"}}`),
/// Pinecone (`{"error":{"message"}}` or `{"message"}`) and Qdrant (`{"status":{"error"}}`) use.
fn service_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let found = parsed.as_ref().and_then(|v| {
        v.pointer("/error/message")
            .or_else(|| v.pointer("/status/error"))
            .or_else(|| v.get("message"))
            .or_else(|| v.get("error"))
            .and_then(|m| m.as_str().map(str::to_string))
    });
    let msg = found.unwrap_or_else(|| text.into_owned());
    msg.chars().take(500).collect()
}

fn service_code(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.pointer("/error/code")
        .or_else(|| v.get("code"))
        .and_then(|c| match c {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
        };
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(3), Duration::from_millis(350));
    }

    #[test]
    fn statuses_map_to_error_kinds() {
        use crate::ErrorKind;
        let quota = br#"{"error":{"message":"You exceeded your current quota","code":"insufficient_quota"}}"#;
        assert_eq!(
            error_for_status("openai", 429, None, None, quota).kind(),
            ErrorKind::QuotaExceeded
        );
        let e = error_for_status("openai", 429, Some(Duration::from_secs(2)), None, b"{}");
        assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(
            error_for_status("qdrant", 400, None, None, br#"{"status":{"error":"bad"}}"#)
                .to_string(),
            "qdrant rejected the request (code 400): bad"
        );
        assert_eq!(
            error_for_status("x", 503, None, None, b"").kind(),
            ErrorKind::Transient
        );
        assert_eq!(
            error_for_status("x", 401, None, None, b"").kind(),
            ErrorKind::Unauthorized
        );
    }
}
