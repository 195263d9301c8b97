//! [`Retry`]: exponential backoff with jitter around any provider.
//!
//! Retries only what waiting can fix — [`Error::RateLimited`], [`Error::Transient`] (5xx,
//! connection resets, cut streams) and [`Error::Timeout`] — and honours the upstream's
//! `Retry-After`. Auth failures, `insufficient_quota` and bad requests surface at once as typed
//! errors. A `Retry-After` longer than [`RetryPolicy::max_retry_after`] is not slept through:
//! the error is returned so a [`Fallback`](super::Fallback) can move on to the next provider.

use super::provider::{CompletionStream, LlmProvider};
use super::types::{Completion, CompletionRequest};
use crate::{Error, Result};
use async_trait::async_trait;
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;

/// How often and how long to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Delay before the first retry; doubles each attempt.
    pub base_delay: Duration,
    /// Cap on the computed backoff.
    pub max_delay: Duration,
    /// The longest `Retry-After` worth waiting for; longer ones end the retries.
    pub max_retry_after: Duration,
    /// Randomise each delay within [delay/2, delay] so many clients do not retry in lockstep.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// True for the errors that waiting can fix.
    pub fn is_retryable(e: &Error) -> bool {
        matches!(
            e,
            Error::RateLimited { .. } | Error::Transient { .. } | Error::Timeout { .. }
        )
    }

    /// The wait before retry number `attempt` (0-based) after `err`, or `None` to give up.
    pub fn delay(&self, attempt: u32, err: &Error) -> Option<Duration> {
        if attempt >= self.max_retries || !Self::is_retryable(err) {
            return None;
        }
        if let Some(ra) = err.retry_after() {
            return (ra <= self.max_retry_after).then_some(ra);
        }
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.min(16)));
        let capped = exp.min(self.max_delay);
        if !self.jitter || capped.is_zero() {
            return Some(capped);
        }
        let half = capped / 2;
        let extra = rand::thread_rng().gen_range(0..=half.as_micros() as u64);
        Some(half + Duration::from_micros(extra))
    }
}

/// Retries a provider's calls according to a [`RetryPolicy`]. For streams only opening the
/// stream is retried; once chunks flow, an error ends the stream (resending would duplicate
/// text the caller has already seen).
pub struct Retry {
    inner: Arc<dyn LlmProvider>,
    policy: RetryPolicy,
}

impl Retry {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn LlmProvider>, policy: RetryPolicy) -> Self {
        Retry { inner, policy }
    }
}

#[async_trait]
impl LlmProvider for Retry {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        let mut attempt = 0;
        loop {
            match self.inner.complete(req.clone()).await {
                Ok(c) => return Ok(c),
                Err(e) => match self.policy.delay(attempt, &e) {
                    Some(d) => {
                        tracing::warn!(provider = self.inner.name(), attempt = attempt + 1, delay_ms = d.as_millis() as u64, error = %e, "llm call failed, retrying");
                        tokio::time::sleep(d).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
            }
        }
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        let mut attempt = 0;
        loop {
            match self.inner.stream(req.clone()).await {
                Ok(s) => return Ok(s),
                Err(e) => match self.policy.delay(attempt, &e) {
                    Some(d) => {
                        tracing::warn!(provider = self.inner.name(), attempt = attempt + 1, delay_ms = d.as_millis() as u64, error = %e, "llm stream failed to open, retrying");
                        tokio::time::sleep(d).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let p = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let t = Error::Transient {
            service: "x".into(),
            status: Some(500),
            request_id: None,
            message: String::new(),
        };
        assert_eq!(p.delay(0, &t), Some(Duration::from_millis(250)));
        assert_eq!(p.delay(1, &t), Some(Duration::from_millis(500)));
        assert_eq!(p.delay(3, &t), None);
        let big = RetryPolicy {
            max_retries: 20,
            jitter: false,
            ..RetryPolicy::default()
        };
        assert_eq!(big.delay(10, &t), Some(Duration::from_secs(8)));
        let rl = |s| Error::RateLimited {
            service: "x".into(),
            retry_after: Some(Duration::from_secs(s)),
        };
        assert_eq!(p.delay(0, &rl(2)), Some(Duration::from_secs(2)));
        assert_eq!(p.delay(0, &rl(60)), None);
        let auth = Error::Unauthorized {
            service: "x".into(),
            message: String::new(),
        };
        assert_eq!(p.delay(0, &auth), None);
        let jit = RetryPolicy::default();
        for _ in 0..50 {
            let d = jit.delay(1, &t).unwrap();
            assert!(d >= Duration::from_millis(250) && d <= Duration::from_millis(500));
        }
    }
}
