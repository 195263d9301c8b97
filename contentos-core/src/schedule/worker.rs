//! Workers: claim due posts with a lease, publish them concurrently, repeat.
//!
//! One poll = one claimed batch: the batch's variations and accounts are read once, every post
//! is prepared concurrently, the attempt markers of all posts about to be sent are persisted in
//! one statement ([`Store::mark_attempts_started`](crate::store::Store::mark_attempts_started)),
//! then the platform calls run concurrently, each persisting its receipts as they arrive.
//! Store round trips per published post: the receipt + `published` commit, plus a share of the
//! batch's claim, reads and marker.

use super::batch::BatchInputs;
use super::config::WorkerConfig;
use super::group_commit::GroupCommit;
use super::job::{job_span, DeferredIndex, Job, JobReport, Prepared};
use super::lease::{Clock, Lease};
use crate::model::ScheduledPostId;
use crate::{ContentOs, Result};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::future::Future;
use std::time::Instant;
use tracing::Instrument;

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
        let inputs = BatchInputs::load(store, &posts).await;
        let deferred: DeferredIndex = std::sync::Mutex::new(Vec::new());
        let group = std::sync::Arc::new(GroupCommit::new(store.clone()));
        let jobs: Vec<(Job<'_>, tracing::Span)> = posts
            .iter()
            .map(|post| {
                let job = Job {
                    os: &self.os,
                    cfg: &self.config,
                    clock,
                    lease: Lease::new(
                        store.clone(),
                        post,
                        &self.config.worker_id,
                        self.config.lease,
                        clock,
                        claimed_at,
                    )
                    .with_group_commit(group.clone()),
                    unresolved: std::sync::atomic::AtomicBool::new(false),
                    deferred_index: Some(&deferred),
                };
                (job, job_span(post))
            })
            .collect();

        // 1. Everything before the platform call, all posts of the batch concurrently.
        let prepared =
            futures::future::join_all(jobs.iter().zip(posts).map(|((job, span), post)| {
                let (variation, account) = (inputs.variation(&post), inputs.account(&post));
                job.prepare(post, variation, account)
                    .instrument(span.clone())
            }))
            .await;

        // 2. One durable attempt marker for every post about to be sent (one commit per batch).
        let at = clock.now();
        let batched: Vec<ScheduledPostId> = jobs
            .iter()
            .zip(&prepared)
            .filter_map(|((job, _), p)| match p {
                Prepared::Ready(r) if job.lease_is_fresh() => Some(r.post.id),
                _ => None,
            })
            .collect();
        let marked: Option<HashSet<ScheduledPostId>> = if batched.is_empty() {
            Some(HashSet::new())
        } else {
            match store
                .mark_attempts_started(&self.config.worker_id, &batched, at)
                .await
            {
                Ok(ids) => Some(ids.into_iter().collect()),
                Err(e) => {
                    // Falls back to one marker write per post (each retried while its lease
                    // holds). Writing absolute values, they are right whether or not the failed
                    // statement committed.
                    tracing::warn!(worker = %self.config.worker_id, error = %e, "batched attempt marker failed; marking one by one");
                    None
                }
            }
        };
        let batched: HashSet<ScheduledPostId> = batched.into_iter().collect();

        // 3. The platform calls, concurrently; receipt commits overlap.
        let reports = futures::future::join_all(jobs.iter().zip(prepared).map(
            |((job, span), p)| {
                let marked = &marked;
                let batched = &batched;
                async move {
                    match p {
                        Prepared::Done(report) => report,
                        Prepared::Ready(ready) => {
                            let id = ready.post.id;
                            match marked {
                                Some(m) if batched.contains(&id) => {
                                    if m.contains(&id) {
                                        job.attempt_marked(*ready, at).await
                                    } else {
                                        tracing::warn!(post = %id, "lease lost before the platform call");
                                        job.lease_lost_report(&ready.post)
                                    }
                                }
                                _ => job.start_attempt(*ready).await,
                            }
                        }
                    }
                }
                .instrument(span.clone())
            },
        ))
        .await;

        // 4. Index the batch's published posts in one upsert (best effort).
        let published = deferred.into_inner().unwrap_or_default();
        if let Err(e) = self.os.index_published_posts(&published).await {
            tracing::warn!(worker = %self.config.worker_id, posts = published.len(), error = %e, "indexing published posts failed");
        }
        Ok(reports)
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
