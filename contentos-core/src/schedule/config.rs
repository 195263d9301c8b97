//! Worker configuration and the retry backoff rule (design document section 7.2: 3 attempts,
//! exponential backoff).

use crate::{Error, Result};
use std::time::Duration;

/// How a [`Worker`](super::Worker) claims and retries jobs. Every field has a production
/// default ([`WorkerConfig::default`]); tests shorten the durations.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerConfig {
    /// Name written into `lease_owner`; must be unique among live workers (default: a random
    /// `worker-<uuid>`).
    pub worker_id: String,
    /// How long a claim is valid without a heartbeat. A worker that dies loses its jobs to
    /// another worker after at most this long. Heartbeats run every `lease / 3`.
    pub lease: Duration,
    /// Sleep between polls when nothing was due.
    pub poll_interval: Duration,
    /// Jobs claimed per poll; they are published concurrently.
    pub batch_size: u32,
    /// Attempts (platform calls) before a transiently failing post is marked failed. Rate
    /// limits and re-authorization waits do not spend one.
    pub max_attempts: u32,
    /// Delay before the 2nd attempt; each later attempt doubles it (section 7.2 uses 60 s).
    pub backoff_base: Duration,
    /// Upper bound on one backoff delay.
    pub backoff_max: Duration,
    /// Wait used when a platform rate-limits without saying how long.
    pub default_rate_limit_wait: Duration,
    /// How long the jobs of an account needing re-authorization wait before they look again.
    pub reauth_recheck: Duration,
    /// Refresh an access token this long before its known expiry instead of failing a call.
    pub refresh_ahead: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            worker_id: format!("worker-{}", uuid::Uuid::new_v4()),
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_secs(5),
            batch_size: 16,
            max_attempts: 3,
            backoff_base: Duration::from_secs(60),
            backoff_max: Duration::from_secs(3600),
            default_rate_limit_wait: Duration::from_secs(60),
            reauth_recheck: Duration::from_secs(15 * 60),
            refresh_ahead: Duration::from_secs(60),
        }
    }
}

impl WorkerConfig {
    /// Rejects configurations that cannot work (empty id, zero lease or batch, no attempts).
    pub fn validate(&self) -> Result<()> {
        if self.worker_id.trim().is_empty() || self.worker_id.len() > 200 {
            return Err(Error::validation("workerId", "1..=200 bytes"));
        }
        if self.lease < Duration::from_millis(300) {
            return Err(Error::validation("lease", "at least 300 ms"));
        }
        if self.batch_size == 0 || self.batch_size > 1000 {
            return Err(Error::validation("batchSize", "1..=1000"));
        }
        if self.max_attempts == 0 {
            return Err(Error::validation("maxAttempts", "at least 1"));
        }
        Ok(())
    }

    /// The delay before the next attempt after `attempts_spent` failed ones:
    /// `backoff_base × 2^(attempts_spent − 1)`, capped at `backoff_max`.
    pub fn backoff(&self, attempts_spent: u32) -> Duration {
        let exp = attempts_spent.saturating_sub(1).min(20);
        self.backoff_base
            .checked_mul(1u32 << exp)
            .unwrap_or(self.backoff_max)
            .min(self.backoff_max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let c = WorkerConfig::default();
        assert_eq!(c.backoff(1), Duration::from_secs(60));
        assert_eq!(c.backoff(2), Duration::from_secs(120));
        assert_eq!(c.backoff(3), Duration::from_secs(240));
        assert_eq!(c.backoff(30), Duration::from_secs(3600));
        assert!(c.validate().is_ok());
        let bad = WorkerConfig {
            batch_size: 0,
            ..WorkerConfig::default()
        };
        assert!(bad.validate().is_err());
    }
}
