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
use crate::model::{AccountStatus, Platform, PostStatus, ScheduledPost, ScheduledPostId};
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

    /// Runs the state machine for a post this worker has just claimed.
    pub(crate) async fn run(&self, post: ScheduledPost) -> JobReport {
        let span = tracing::info_span!("publish_job", post = %post.id, platform = %post.platform, attempts = post.attempts);
        self.run_inner(post).instrument(span).await
    }

    async fn run_inner(&self, mut post: ScheduledPost) -> JobReport {
        let interrupted = post.attempt_started_at.is_some();
        let Some(publisher) = self.os.publisher(post.platform).cloned() else {
            let status = if interrupted {
                PostStatus::Unconfirmed
            } else {
                PostStatus::Failed
            };
            let msg = format!("no publisher registered for {}", post.platform);
            return self.fail(post, status, msg).await;
        };
        let store = self.os.inner.store.clone();
        let parts = match store.get_variation(post.variation_id).await {
            Ok(v) => variation_parts(&v),
            Err(e @ Error::NotFound { .. }) => {
                return self.fail(post, PostStatus::Failed, e.to_string()).await
            }
            Err(e) => return self.write_failed(&post, e),
        };

        if interrupted {
            self.unresolved
                .store(true, std::sync::atomic::Ordering::SeqCst);
            // Recovery of a post whose worker died (or lost its lease) mid-publish.
            if covers_all(&post.receipts, parts.len()) {
                mark_published(&mut post, self.clock.now());
                return self.finish(post, JobOutcome::Published, None).await;
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
                    return self.fail(post, PostStatus::Unconfirmed, msg).await;
                }
                Idempotency::NativeKey | Idempotency::ContainerStatus => {
                    if post.attempts >= self.cfg.max_attempts {
                        let msg = format!(
                            "interrupted on its last attempt ({} of {}); outcome unknown",
                            post.attempts, self.cfg.max_attempts
                        );
                        return self.fail(post, PostStatus::Unconfirmed, msg).await;
                    }
                    tracing::info!(post = %post.id, "resuming interrupted publish with the same idempotency key");
                }
            }
        }

        let account = match store.get_account(post.account_id).await {
            Ok(a) => a,
            Err(e @ Error::NotFound { .. }) => {
                return self.fail(post, PostStatus::Failed, e.to_string()).await
            }
            Err(e) => return self.write_failed(&post, e),
        };
        if account.status == AccountStatus::NeedsReauth {
            let msg = format!("account {} needs re-authorization", account.id);
            return self
                .retry_later(
                    post,
                    self.cfg.reauth_recheck,
                    |at| JobOutcome::WaitingForReauth { at },
                    msg,
                )
                .await;
        }
        let mut creds = match self.os.open_credentials(&account) {
            Ok(c) => c,
            Err(e) => return self.fail(post, PostStatus::Failed, e.to_string()).await,
        };
        let expiring = creds
            .expires_at
            .is_some_and(|t| t <= self.clock.now() + chrono_dur(self.cfg.refresh_ahead));
        if expiring && creds.refresh_token.is_some() {
            match self.refresh(publisher.as_ref(), &creds).await {
                Ok(c) => creds = c,
                Err(e) => return self.refresh_failed(post, e).await,
            }
        }

        // Persist the attempt before the platform hears of it.
        post.attempts += 1;
        post.attempt_started_at = Some(self.clock.now());
        post.error_message = None;
        if let Err(e) = self.save(&mut post).await {
            return self.write_failed(&post, e);
        }
        self.attempt(publisher, creds, post, parts).await
    }

    async fn attempt(
        &self,
        publisher: Arc<dyn Publisher>,
        creds: AccountCredentials,
        post: ScheduledPost,
        parts: Vec<PostPart>,
    ) -> JobReport {
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
            self.index_published(&post).await;
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
                        self.index_published(&post).await;
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
    async fn index_published(&self, post: &ScheduledPost) {
        if let Err(e) = self.os.index_published(post, None).await {
            tracing::warn!(post = %post.id, error = %e, "indexing a published post failed");
        }
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
