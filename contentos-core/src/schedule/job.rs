//! The publish state machine for one claimed post.
//!
//! ```text
//! pending ──claim──▶ publishing ──▶ published {ids, url}
//!    ▲                  │  ├──────▶ failed {permanent error | out of attempts}
//!    │                  │  └──────▶ unconfirmed {outcome unknown, platform has no idempotency}
//!    └── retry at t ────┘  (transient: backoff, attempt spent; rate limit / re-auth: no attempt)
//! ```
//!
//! Every arrow is a compare-and-set write, fenced by the lease. `attempt_started_at` and the
//! incremented `attempts` are persisted *before* the platform is called, and each part's receipt
//! the moment the platform confirms it; so a post claimed with `attempt_started_at` set was
//! interrupted mid-publish, and recovery knows exactly which parts are confirmed.

use super::config::WorkerConfig;
use super::lease::{chrono_dur, Clock, Lease};
use super::parts::variation_parts;
use super::sink::{covers_all, mark_published, StoreReceiptSink};
use crate::model::{
    AccountStatus, Platform, PostStatus, ScheduledPost, ScheduledPostId, SocialAccount, Variation,
};
use crate::publish::{AccountCredentials, Idempotency, PostPart, PostRequest, Publisher};
use crate::{ContentOs, Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// What happened to one claimed post in one worker pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum JobOutcome {
    /// The platform confirmed every part.
    Published,
    /// Permanently refused, or out of attempts.
    Failed,
    /// Outcome unknown on a platform without idempotency; reported, never re-posted.
    Unconfirmed,
    /// A transient failure spent an attempt; the post is pending again until `at`.
    RetryScheduled {
        /// When it becomes due again.
        at: DateTime<Utc>,
    },
    /// The platform rate-limited the call; pending again until `at`, no attempt spent.
    RateLimited {
        /// When it becomes due again.
        at: DateTime<Utc>,
    },
    /// The account needs re-authorization; the post waits (pending) until `at`, no attempt spent.
    WaitingForReauth {
        /// When it looks again.
        at: DateTime<Utc>,
    },
    /// Another worker took the post over (our lease lapsed); this worker wrote nothing more.
    LeaseLost,
    /// The Store failed mid-way; the post stays `publishing` and is recovered once its lease
    /// expires.
    Abandoned,
}

/// The result of one claimed post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobReport {
    /// The post.
    pub post_id: ScheduledPostId,
    /// Its platform.
    pub platform: Platform,
    /// What happened.
    pub outcome: JobOutcome,
    /// The first part's platform id, when published.
    pub platform_post_id: Option<String>,
    /// The public URL, when published.
    pub url: Option<String>,
    /// The error that decided the outcome, if any.
    pub error: Option<String>,
}

pub(crate) struct Job<'a> {
    pub(crate) os: &'a ContentOs,
    pub(crate) cfg: &'a WorkerConfig,
    pub(crate) clock: Clock,
    pub(crate) lease: Lease,
    /// Set when an earlier call's outcome is unknown and not yet resolved (the post was claimed
    /// interrupted, or the adapter answered `Unconfirmed`). While set, a post sent back to
    /// `pending` keeps its `attempt_started_at` marker, and giving up yields `unconfirmed`,
    /// never `failed`: the platform may have the post.
    pub(crate) unresolved: std::sync::atomic::AtomicBool,
    /// Where published posts are collected for indexing once per batch (workers); `None`
    /// indexes each at once (`publish_now`).
    pub(crate) deferred_index: Option<&'a DeferredIndex>,
}

/// Published posts (with their variation) waiting to be embedded into the vector store.
pub(crate) type DeferredIndex = std::sync::Mutex<Vec<(ScheduledPost, Arc<Variation>)>>;

/// The `publish_job` span of one post.
pub(crate) fn job_span(post: &ScheduledPost) -> tracing::Span {
    tracing::info_span!("publish_job", post = %post.id, platform = %post.platform, attempts = post.attempts)
}

/// The outcome of [`Job::prepare`].
pub(crate) enum Prepared {
    /// The post reached an outcome (or was left to recovery) without a platform call.
    Done(JobReport),
    /// Ready for the attempt marker, then the platform call.
    Ready(Box<Ready>),
}

/// What the platform call needs; the post is exactly as stored (no attempt marker yet).
pub(crate) struct Ready {
    publisher: Arc<dyn Publisher>,
    creds: AccountCredentials,
    pub(crate) post: ScheduledPost,
    parts: Vec<PostPart>,
    variation: Arc<Variation>,
}

enum Call {
    Done(Result<()>),
    LeaseLost,
}

impl Job<'_> {
    fn report(
        &self,
        post: &ScheduledPost,
        outcome: JobOutcome,
        error: Option<String>,
    ) -> JobReport {
        JobReport {
            post_id: post.id,
            platform: post.platform,
            outcome,
            platform_post_id: post.platform_post_id.clone(),
            url: post.url.clone(),
            error,
        }
    }

    /// Writes `post` (status still `publishing` in the Store), fenced by the lease.
    async fn save(&self, post: &mut ScheduledPost) -> Result<()> {
        self.lease.write(post).await
    }

    /// Persists a transition and reports it; a failed write becomes `LeaseLost`/`Abandoned`.
    async fn finish(
        &self,
        mut post: ScheduledPost,
        outcome: JobOutcome,
        error: Option<String>,
    ) -> JobReport {
        match self.save(&mut post).await {
            Ok(()) => {
                match &outcome {
                    JobOutcome::Unconfirmed => {
                        tracing::warn!(post = %post.id, platform = %post.platform, error = error.as_deref().unwrap_or(""), "post unconfirmed: check the platform by hand")
                    }
                    JobOutcome::Failed => {
                        tracing::warn!(post = %post.id, platform = %post.platform, error = error.as_deref().unwrap_or(""), "post failed")
                    }
                    _ => tracing::debug!(post = %post.id, outcome = ?outcome, "post transition"),
                }
                self.report(&post, outcome, error)
            }
            Err(e) => self.write_failed(&post, e),
        }
    }

    fn write_failed(&self, post: &ScheduledPost, e: Error) -> JobReport {
        let outcome = if self.lease.is_lost() {
            JobOutcome::LeaseLost
        } else {
            tracing::warn!(post = %post.id, error = %e, "store write failed; leaving post for recovery");
            JobOutcome::Abandoned
        };
        self.report(post, outcome, Some(e.to_string()))
    }

    fn terminal(post: &mut ScheduledPost, status: PostStatus, error: &str) {
        post.status = status;
        post.error_message = Some(error.to_string());
        post.lease_owner = None;
        post.lease_expires_at = None;
        post.attempt_started_at = None;
    }

    fn is_unresolved(&self) -> bool {
        self.unresolved.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn back_to_pending(&self, post: &mut ScheduledPost, at: DateTime<Utc>, error: Option<String>) {
        post.status = PostStatus::Pending;
        post.scheduled_time = at;
        post.error_message = error;
        post.lease_owner = None;
        post.lease_expires_at = None;
        if !self.is_unresolved() {
            post.attempt_started_at = None;
        }
    }

    async fn fail(&self, mut post: ScheduledPost, status: PostStatus, error: String) -> JobReport {
        Self::terminal(&mut post, status, &error);
        let outcome = if status == PostStatus::Unconfirmed {
            JobOutcome::Unconfirmed
        } else {
            JobOutcome::Failed
        };
        self.finish(post, outcome, Some(error)).await
    }

    async fn retry_later(
        &self,
        mut post: ScheduledPost,
        wait: Duration,
        kind: fn(DateTime<Utc>) -> JobOutcome,
        error: String,
    ) -> JobReport {
        let at = self.clock.now() + chrono_dur(wait);
        self.back_to_pending(&mut post, at, Some(error.clone()));
        self.finish(post, kind(at), Some(error)).await
    }

    /// Runs the state machine for a post this worker has just claimed (one post on its own:
    /// `publish_now`; workers go through [`prepare`](Self::prepare) per batch).
    pub(crate) async fn run(&self, post: ScheduledPost) -> JobReport {
        let span = job_span(&post);
        async {
            let store = &self.os.inner.store;
            let variation = store.get_variation(post.variation_id).await.map(Arc::new);
            let account = store.get_account(post.account_id).await.map(Arc::new);
            match self.prepare(post, variation, account).await {
                Prepared::Done(report) => report,
                Prepared::Ready(ready) => self.start_attempt(*ready).await,
            }
        }
        .instrument(span)
        .await
    }

    /// Persists the attempt marker for this post alone, then calls the platform.
    pub(crate) async fn start_attempt(&self, mut ready: Ready) -> JobReport {
        ready.post.attempts += 1;
        ready.post.attempt_started_at = Some(self.clock.now());
        ready.post.error_message = None;
        if let Err(e) = self.save(&mut ready.post).await {
            return self.write_failed(&ready.post, e);
        }
        self.attempt(ready).await
    }

    /// Calls the platform for a post whose attempt marker the worker already persisted for the
    /// whole batch ([`Store::mark_attempts_started`](crate::store::Store::mark_attempts_started)
    /// at `at`); mirrors that write in memory first.
    pub(crate) async fn attempt_marked(&self, mut ready: Ready, at: DateTime<Utc>) -> JobReport {
        ready.post.attempts += 1;
        ready.post.attempt_started_at = Some(at);
        ready.post.error_message = None;
        ready.post.updated_at = at;
        self.attempt(ready).await
    }

    /// True while this worker may write without extending its lease first (used to decide
    /// whether the post can join a batched attempt marker).
    pub(crate) fn lease_is_fresh(&self) -> bool {
        self.lease.is_fresh()
    }

    /// Everything before the platform call: publisher, parts, recovery of an interrupted
    /// publish, account state and token refresh. `Done` when the post reached an outcome
    /// without calling the platform; `Ready` when the attempt marker is the next write.
    /// `variation` and `account` are looked up by the caller (once per batch for workers);
    /// an error in either only matters if this post gets to the step that needs it.
    pub(crate) async fn prepare(
        &self,
        mut post: ScheduledPost,
        variation: Result<Arc<Variation>>,
        account: Result<Arc<SocialAccount>>,
    ) -> Prepared {
        let interrupted = post.attempt_started_at.is_some();
        let Some(publisher) = self.os.publisher(post.platform).cloned() else {
            let status = if interrupted {
                PostStatus::Unconfirmed
            } else {
                PostStatus::Failed
            };
            let msg = format!("no publisher registered for {}", post.platform);
            return Prepared::Done(self.fail(post, status, msg).await);
        };
        let variation = match variation {
            Ok(v) => v,
            Err(e @ Error::NotFound { .. }) => {
                return Prepared::Done(self.fail(post, PostStatus::Failed, e.to_string()).await)
            }
            Err(e) => return Prepared::Done(self.write_failed(&post, e)),
        };
        let parts = variation_parts(&variation);

        if interrupted {
            self.unresolved
                .store(true, std::sync::atomic::Ordering::SeqCst);
            // Recovery of a post whose worker died (or lost its lease) mid-publish.
            if covers_all(&post.receipts, parts.len()) {
                mark_published(&mut post, self.clock.now());
                return Prepared::Done(self.finish(post, JobOutcome::Published, None).await);
            }
            match publisher.capabilities().idempotency {
                Idempotency::None => {
                    let msg = format!(
                        "publishing was interrupted after {} of {} part(s) were confirmed and {} \
                         offers no idempotency: check the account and re-post by hand if needed",
                        post.receipts.len(),
                        parts.len(),
                        post.platform
                    );
                    return Prepared::Done(self.fail(post, PostStatus::Unconfirmed, msg).await);
                }
                Idempotency::NativeKey | Idempotency::ContainerStatus => {
                    if post.attempts >= self.cfg.max_attempts {
                        let msg = format!(
                            "interrupted on its last attempt ({} of {}); outcome unknown",
                            post.attempts, self.cfg.max_attempts
                        );
                        return Prepared::Done(self.fail(post, PostStatus::Unconfirmed, msg).await);
                    }
                    tracing::info!(post = %post.id, "resuming interrupted publish with the same idempotency key");
                }
            }
        }

        let account = match account {
            Ok(a) => a,
            Err(e @ Error::NotFound { .. }) => {
                return Prepared::Done(self.fail(post, PostStatus::Failed, e.to_string()).await)
            }
            Err(e) => return Prepared::Done(self.write_failed(&post, e)),
        };
        if account.status == AccountStatus::NeedsReauth {
            let msg = format!("account {} needs re-authorization", account.id);
            return Prepared::Done(
                self.retry_later(
                    post,
                    self.cfg.reauth_recheck,
                    |at| JobOutcome::WaitingForReauth { at },
                    msg,
                )
                .await,
            );
        }
        let mut creds = match self.os.open_credentials(&account) {
            Ok(c) => c,
            Err(e) => {
                return Prepared::Done(self.fail(post, PostStatus::Failed, e.to_string()).await)
            }
        };
        let expiring = creds
            .expires_at
            .is_some_and(|t| t <= self.clock.now() + chrono_dur(self.cfg.refresh_ahead));
        if expiring && creds.refresh_token.is_some() {
            match self.refresh(publisher.as_ref(), &creds).await {
                Ok(c) => creds = c,
                Err(e) => return Prepared::Done(self.refresh_failed(post, e).await),
            }
        }

        // The attempt marker is the next write: the platform hears of the post only after it.
        Prepared::Ready(Box::new(Ready {
            publisher,
            creds,
            post,
            parts,
            variation,
        }))
    }

    async fn attempt(&self, ready: Ready) -> JobReport {
        let Ready {
            publisher,
            creds,
            post,
            parts,
            variation,
        } = ready;
        let total = parts.len();
        let (id, platform) = (post.id, post.platform);
        let mut request = PostRequest {
            post_key: post.id.as_uuid(),
            parts,
            resume_from: post.receipts.clone(),
            languages: vec![],
        };
        let (mut post, mut result) = match self.call(&publisher, &creds, post, &request).await {
            Some(r) => r,
            None => return Self::lost(id, platform),
        };
        if matches!(
            result,
            Err(Error::NeedsReauth { .. }) | Err(Error::Unauthorized { .. })
        ) && post.status == PostStatus::Publishing
        {
            // The platform refused the token before creating anything: refresh once, persist
            // the rotated tokens, then try again within the same attempt.
            match self.refresh(publisher.as_ref(), &creds).await {
                Ok(fresh) => {
                    request.resume_from = post.receipts.clone();
                    (post, result) = match self.call(&publisher, &fresh, post, &request).await {
                        Some(r) => r,
                        None => return Self::lost(id, platform),
                    };
                }
                Err(e) => {
                    post.attempts = post.attempts.saturating_sub(1);
                    return self.refresh_failed(post, e).await;
                }
            }
        }
        if post.status == PostStatus::Published {
            self.index_published(&post, &variation).await;
            return self.report(&post, JobOutcome::Published, None);
        }
        match result {
            Ok(()) => {
                if covers_all(&post.receipts, total) {
                    mark_published(&mut post, self.clock.now());
                    let report = self.finish(post.clone(), JobOutcome::Published, None).await;
                    // Index for near-duplicate checks and similar-content history. Best effort:
                    // the post is published whatever the vector store says.
                    if report.outcome == JobOutcome::Published {
                        self.index_published(&post, &variation).await;
                    }
                    report
                } else {
                    let msg = format!(
                        "publisher reported success but confirmed {} of {total} part(s)",
                        post.receipts.len()
                    );
                    self.fail(post, PostStatus::Unconfirmed, msg).await
                }
            }
            Err(e) => self.handle_error(publisher.as_ref(), post, e).await,
        }
    }

    /// Indexes a published post for near-duplicate checks and similar-content history. Best
    /// effort: the post is published whatever the vector store says.
    /// A worker defers this to one upsert per batch ([`Job::deferred_index`]).
    async fn index_published(&self, post: &ScheduledPost, variation: &Arc<Variation>) {
        if let Some(deferred) = self.deferred_index {
            if let Ok(mut list) = deferred.lock() {
                list.push((post.clone(), variation.clone()));
                return;
            }
        }
        if let Err(e) = self
            .os
            .index_published_posts(&[(post.clone(), variation.clone())])
            .await
        {
            tracing::warn!(post = %post.id, error = %e, "indexing a published post failed");
        }
    }

    /// The report of a post whose lease another worker took before its platform call.
    pub(crate) fn lease_lost_report(&self, post: &ScheduledPost) -> JobReport {
        Self::lost(post.id, post.platform)
    }

    fn lost(id: ScheduledPostId, platform: Platform) -> JobReport {
        JobReport {
            post_id: id,
            platform,
            outcome: JobOutcome::LeaseLost,
            platform_post_id: None,
            url: None,
            error: None,
        }
    }

    /// Calls the platform with a receipt sink and a heartbeat; `None` when the lease was lost
    /// (the call is then abandoned and the post left to its new owner).
    async fn call(
        &self,
        publisher: &Arc<dyn Publisher>,
        creds: &AccountCredentials,
        post: ScheduledPost,
        request: &PostRequest,
    ) -> Option<(ScheduledPost, Result<()>)> {
        let sink = StoreReceiptSink::new(&self.lease, self.clock, post, request.parts.len());
        let started = std::time::Instant::now();
        let span = tracing::info_span!("platform_publish", platform = %publisher.platform(), parts = request.parts.len(), resumed = request.resume_from.len());
        let call = async {
            tokio::select! {
                r = publisher.publish(creds, request, &sink) => Call::Done(r.map(|_| ())),
                _ = self.lease.heartbeat() => Call::LeaseLost,
            }
        }
        .instrument(span)
        .await;
        let published = sink.published();
        let sink_failed = sink.failed();
        let post = sink.into_post().await;
        match call {
            Call::LeaseLost => None,
            Call::Done(r) => {
                tracing::info!(
                    platform = %publisher.platform(),
                    ok = r.is_ok(),
                    error_kind = r.as_ref().err().map(|e| e.kind().as_str()).unwrap_or(""),
                    duration_ms = started.elapsed().as_millis() as u64,
                    "platform publish returned"
                );
                // A final receipt already persisted `published`; a later error changes nothing.
                // A receipt that could not be stored makes the outcome unknown: leave the post
                // to recovery, whatever the publisher made of the sink's error.
                let r = if published {
                    Ok(())
                } else if sink_failed {
                    Err(Error::storage(
                        "a confirmed part's receipt could not be stored",
                    ))
                } else {
                    r
                };
                Some((post, r))
            }
        }
    }

    async fn refresh(
        &self,
        publisher: &dyn Publisher,
        creds: &AccountCredentials,
    ) -> Result<AccountCredentials> {
        if creds.refresh_token.is_none() {
            return Err(Error::NeedsReauth {
                platform: creds.platform.to_string(),
                message: "token refused and no refresh token is stored".into(),
            });
        }
        let started = std::time::Instant::now();
        let fresh = publisher
            .refresh(creds)
            .instrument(tracing::info_span!("platform_refresh", platform = %creds.platform))
            .await?;
        // Persist (a rotated refresh token first of all) before the new token is used.
        self.os.store_refreshed_credentials(&fresh).await?;
        tracing::info!(platform = %creds.platform, duration_ms = started.elapsed().as_millis() as u64, "token refreshed");
        Ok(fresh)
    }

    async fn refresh_failed(&self, post: ScheduledPost, e: Error) -> JobReport {
        match e {
            Error::NeedsReauth { .. } | Error::Unauthorized { .. } | Error::Rejected { .. } => {
                if let Err(se) = self
                    .os
                    .inner
                    .store
                    .set_account_status(post.account_id, AccountStatus::NeedsReauth)
                    .await
                {
                    return self.write_failed(&post, se);
                }
                tracing::warn!(account = %post.account_id, error = %e, "account marked needs_reauth");
                self.retry_later(
                    post,
                    self.cfg.reauth_recheck,
                    |at| JobOutcome::WaitingForReauth { at },
                    e.to_string(),
                )
                .await
            }
            e if e.is_retryable() => {
                let wait = self.cfg.backoff(post.attempts.max(1));
                self.retry_later(
                    post,
                    wait,
                    |at| JobOutcome::RetryScheduled { at },
                    e.to_string(),
                )
                .await
            }
            e => self.write_failed(&post, e),
        }
    }

    async fn handle_error(
        &self,
        publisher: &dyn Publisher,
        mut post: ScheduledPost,
        e: Error,
    ) -> JobReport {
        let msg = e.to_string();
        match e {
            Error::RateLimited { retry_after, .. } => {
                // Not the post's fault: the attempt is given back.
                post.attempts = post.attempts.saturating_sub(1);
                let wait = retry_after.unwrap_or(self.cfg.default_rate_limit_wait);
                self.retry_later(post, wait, |at| JobOutcome::RateLimited { at }, msg)
                    .await
            }
            Error::NeedsReauth { .. } | Error::Unauthorized { .. } => {
                // Still refused after a successful refresh.
                post.attempts = post.attempts.saturating_sub(1);
                self.refresh_failed(post, e).await
            }
            Error::Unconfirmed { .. } => {
                let idempotent = publisher.capabilities().idempotency != Idempotency::None;
                if idempotent && post.attempts < self.cfg.max_attempts {
                    self.unresolved
                        .store(true, std::sync::atomic::Ordering::SeqCst);
                    let wait = self.cfg.backoff(post.attempts);
                    self.retry_later(post, wait, |at| JobOutcome::RetryScheduled { at }, msg)
                        .await
                } else {
                    self.fail(post, PostStatus::Unconfirmed, msg).await
                }
            }
            Error::Storage { .. } | Error::Conflict { .. } => self.write_failed(&post, e),
            e if e.is_retryable() => {
                if post.attempts >= self.cfg.max_attempts && self.is_unresolved() {
                    let msg = format!(
                        "gave up after {} attempts with an earlier outcome unknown: {msg}",
                        post.attempts
                    );
                    self.fail(post, PostStatus::Unconfirmed, msg).await
                } else if post.attempts >= self.cfg.max_attempts {
                    let msg = format!("gave up after {} attempts: {msg}", post.attempts);
                    self.fail(post, PostStatus::Failed, msg).await
                } else {
                    let wait = self.cfg.backoff(post.attempts);
                    self.retry_later(post, wait, |at| JobOutcome::RetryScheduled { at }, msg)
                        .await
                }
            }
            _ => self.fail(post, PostStatus::Failed, msg).await,
        }
    }
}
