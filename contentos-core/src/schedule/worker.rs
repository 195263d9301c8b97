//! Workers: claim due posts with a lease, publish them concurrently, repeat.

use super::config::WorkerConfig;
use super::job::{Job, JobReport};
use super::lease::{Clock, Lease};
use crate::{ContentOs, Result};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::time::Instant;

/// A publishing worker. Run any number of them, in one process or many, against one Store:
/// claims are atomic (PostgreSQL `FOR UPDATE SKIP LOCKED`, SQLite an immediate transaction), so
/// two workers never hold the same post, and a dead worker's posts are recovered when its lease
/// expires.
#[derive(Debug, Clone)]
pub struct Worker {
    os: ContentOs,
    config: WorkerConfig,
}

impl Worker {
    /// A worker publishing through `os`'s registered publishers. Fails on an invalid config.
    pub fn new(os: ContentOs, config: WorkerConfig) -> Result<Self> {
        config.validate()?;
        Ok(Worker { os, config })
    }

    /// The configuration.
    pub fn config(&self) -> &WorkerConfig {
        &self.config
    }

    /// Claims one batch of posts due now and publishes them; returns one report per claimed
    /// post (empty when nothing was due).
    pub async fn run_once(&self) -> Result<Vec<JobReport>> {
        self.run_once_at(Utc::now()).await
    }

    /// As [`run_once`](Self::run_once) with "now" = `now` (advancing in real time from there).
    /// Everything the worker writes — claim, lease, retry times — is relative to it, which lets
    /// tests and backfills replay a schedule without waiting for the wall clock. Leases are
    /// written relative to `now` too, so use it with a single worker; live workers that share a
    /// Store use [`run_once`](Self::run_once) or [`run_until`](Self::run_until).
    pub async fn run_once_at(&self, now: DateTime<Utc>) -> Result<Vec<JobReport>> {
        let clock = Clock::starting_at(now);
        let claimed_at = Instant::now();
        let store = &self.os.inner.store;
        let posts = store
            .claim_due_posts(
                &self.config.worker_id,
                now,
                self.config.lease,
                self.config.batch_size,
            )
            .await?;
        if posts.is_empty() {
            return Ok(vec![]);
        }
        tracing::debug!(worker = %self.config.worker_id, claimed = posts.len(), "claimed due posts");
        let jobs = posts.into_iter().map(|post| {
            let job = Job {
                os: &self.os,
                cfg: &self.config,
                clock,
                lease: Lease::new(
                    store.clone(),
                    &post,
                    &self.config.worker_id,
                    self.config.lease,
                    clock,
                    claimed_at,
                ),
                unresolved: std::sync::atomic::AtomicBool::new(false),
            };
            async move { job.run(post).await }
        });
        Ok(futures::future::join_all(jobs).await)
    }

    /// Polls until `shutdown` completes: a full batch is followed immediately by the next
    /// claim, an empty one by `poll_interval` of sleep. Store errors are logged and retried
    /// after `poll_interval`. Shutdown is graceful: a batch in progress is finished (never
    /// abandoned mid-publish, which would turn posts on platforms without idempotency into
    /// `unconfirmed`). Returns how many posts were processed.
    pub async fn run_until<F: Future<Output = ()>>(&self, shutdown: F) -> u64 {
        use futures::FutureExt;
        tokio::pin!(shutdown);
        let mut processed = 0u64;
        loop {
            let idle = match self.run_once().await {
                Ok(reports) => {
                    processed += reports.len() as u64;
                    reports.len() < self.config.batch_size as usize
                }
                Err(e) => {
                    tracing::warn!(worker = %self.config.worker_id, error = %e, "claim failed");
                    true
                }
            };
            if (&mut shutdown).now_or_never().is_some() {
                return processed;
            }
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(self.config.poll_interval) => {}
                    _ = &mut shutdown => return processed,
                }
            }
        }
    }
}
