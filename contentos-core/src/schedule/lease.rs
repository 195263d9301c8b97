//! A worker's hold on one claimed post: heartbeats and the fence checked before every write.
//!
//! Why a fence: the Store's compare-and-set (`update_scheduled_post`) checks the *status* only,
//! and a post stays `publishing` when another worker recovers it after our lease lapsed. So
//! before a write the worker proves it still owns the lease — either locally (the last
//! successful claim/extension is recent: more than `lease / 3` of it remains) or by extending it
//! in the Store. Another worker can only take the post after the stored lease expires, which a
//! successful extension has just pushed a full `lease` into the future.

use super::group_commit::GroupCommit;
use crate::model::{PostStatus, ScheduledPost, ScheduledPostId};
use crate::store::Store;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A clock anchored at a (possibly simulated) UTC instant that advances in real time. Workers
/// driven with [`Worker::run_once_at`](super::Worker::run_once_at) use the given instant as
/// "now" for everything they write, so tests can replay a day in milliseconds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    base_now: DateTime<Utc>,
    base: Instant,
}

impl Clock {
    pub(crate) fn starting_at(now: DateTime<Utc>) -> Self {
        Clock {
            base_now: now,
            base: Instant::now(),
        }
    }

    /// The current instant, truncated to microseconds (what both Stores keep), so reported
    /// instants equal stored ones.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        use chrono::SubsecRound;
        (self.base_now + chrono::Duration::from_std(self.base.elapsed()).unwrap_or_default())
            .trunc_subsecs(6)
    }
}

pub(crate) fn chrono_dur(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Ownership of one claimed post.
pub(crate) struct Lease {
    store: Arc<dyn Store>,
    id: ScheduledPostId,
    worker: String,
    length: Duration,
    clock: Clock,
    /// Local monotonic instant until which the stored lease is known to be ours.
    held_until: Mutex<Instant>,
    /// The expiry last written to the Store (so our own writes never shorten the lease).
    stored_until: Mutex<DateTime<Utc>>,
    /// Serializes heartbeats and writes of this post, so a write never overwrites a newer
    /// expiry with an older one.
    writing: tokio::sync::Mutex<()>,
    lost: AtomicBool,
    /// The worker batch's group commit, when the lease belongs to one (writes of the batch's
    /// posts then share commits); `None` writes alone.
    group: Option<Arc<GroupCommit>>,
}

impl Lease {
    /// A lease obtained by a claim that started at `claimed_at` (local monotonic time) and
    /// stored `stored_until` as the expiry.
    pub(crate) fn new(
        store: Arc<dyn Store>,
        post: &ScheduledPost,
        worker: &str,
        length: Duration,
        clock: Clock,
        claimed_at: Instant,
    ) -> Self {
        Lease {
            store,
            id: post.id,
            worker: worker.to_string(),
            length,
            clock,
            held_until: Mutex::new(claimed_at + length),
            stored_until: Mutex::new(post.lease_expires_at.unwrap_or_else(|| clock.now())),
            writing: tokio::sync::Mutex::new(()),
            lost: AtomicBool::new(false),
            group: None,
        }
    }

    /// Routes this lease's post writes through `group` (one commit for the writes of a batch
    /// that are ready together).
    pub(crate) fn with_group_commit(mut self, group: Arc<GroupCommit>) -> Self {
        self.group = Some(group);
        self
    }

    pub(crate) fn is_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    fn held_until(&self) -> Instant {
        self.held_until
            .lock()
            .map(|g| *g)
            .unwrap_or_else(|_| Instant::now())
    }

    /// True while more than a third of the lease is known to remain: a write needs no
    /// extension first (the same rule [`write`](Self::write) applies).
    pub(crate) fn is_fresh(&self) -> bool {
        !self.is_lost() && Instant::now() + self.length / 3 < self.held_until()
    }

    /// Extends the stored lease by a full length; `Ok(false)` (and the lease marked lost) if
    /// another worker owns it now.
    pub(crate) async fn extend(&self) -> Result<bool> {
        let _guard = self.writing.lock().await;
        self.extend_locked().await
    }

    async fn extend_locked(&self) -> Result<bool> {
        if self.is_lost() {
            return Ok(false);
        }
        let started = Instant::now();
        let until = self.clock.now() + chrono_dur(self.length);
        let ok = self
            .store
            .extend_lease(self.id, &self.worker, until)
            .await?;
        if ok {
            if let Ok(mut g) = self.held_until.lock() {
                *g = started + self.length;
            }
            if let Ok(mut g) = self.stored_until.lock() {
                *g = until;
            }
        } else {
            self.lost.store(true, Ordering::SeqCst);
            tracing::warn!(post = %self.id, worker = %self.worker, "lease lost");
        }
        Ok(ok)
    }

    /// Writes `post` with a compare-and-set on status `publishing`, after proving ownership:
    /// free when more than a third of the lease remains, otherwise by extending it first.
    /// While the post stays `publishing`, the written lease fields are ours and current.
    /// `Conflict` when the lease is lost.
    pub(crate) async fn write(&self, post: &mut ScheduledPost) -> Result<()> {
        let _guard = self.writing.lock().await;
        if self.is_lost() {
            return Err(lease_lost(self.id));
        }
        if Instant::now() + self.length / 3 >= self.held_until() && !self.extend_locked().await? {
            return Err(lease_lost(self.id));
        }
        if post.status == PostStatus::Publishing {
            post.lease_owner = Some(self.worker.clone());
            post.lease_expires_at = self.stored_until.lock().ok().map(|g| *g);
        }
        post.updated_at = self.clock.now();
        // A busy database (SQLite `database is locked`, a dropped PostgreSQL connection) is
        // retried briefly while the lease still holds; a `Conflict` never is.
        let mut delay = Duration::from_millis(10);
        loop {
            let written = match &self.group {
                Some(group) => group.write(post).await,
                None => {
                    self.store
                        .update_scheduled_post(post, PostStatus::Publishing)
                        .await
                }
            };
            match written {
                Err(Error::Storage { .. } | Error::Unavailable { .. })
                    if Instant::now() + delay + self.length / 3 < self.held_until() =>
                {
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
                other => return other,
            }
        }
    }

    /// Heartbeats every `lease / 3` until the lease is lost (returns) or the future is dropped.
    /// Store errors are retried; once the locally known hold runs out the lease counts as lost.
    pub(crate) async fn heartbeat(&self) {
        let period = self.length / 3;
        loop {
            tokio::time::sleep(period).await;
            match self.extend().await {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => {
                    tracing::warn!(post = %self.id, error = %e, "heartbeat failed");
                    if Instant::now() >= self.held_until() {
                        self.lost.store(true, Ordering::SeqCst);
                        return;
                    }
                }
            }
        }
    }
}

pub(crate) fn lease_lost(id: ScheduledPostId) -> Error {
    Error::conflict(format!("lease on scheduled post {id} was lost"))
}
