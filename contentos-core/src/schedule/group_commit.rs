//! Group commit of a worker batch's post writes (receipts, final states).
//!
//! Why: a batch's platform calls run concurrently, and each confirmed post must be made durable
//! before the worker moves on. One commit per post makes the database's commit rate the
//! scheduler's ceiling (PostgreSQL flushes its WAL once per commit). Here a write that arrives
//! while no commit is in flight becomes the *leader*: it commits every write queued so far in one
//! transaction ([`Store::update_scheduled_posts`]); writes arriving meanwhile wait and go in the
//! leader's next round. A write is never held back by a timer — the leader only yields once so
//! that confirmations of the same instant join it — so "stored the moment the platform confirms
//! it" still holds: a confirmation waits at most for the commit already in flight.

use crate::model::{PostStatus, ScheduledPost, ScheduledPostId};
use crate::store::Store;
use crate::{Error, Result};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

type Waiter = (ScheduledPost, oneshot::Sender<Result<()>>);

/// Coalesces compare-and-set writes (expected status `publishing`) of one worker batch.
pub(crate) struct GroupCommit {
    store: Arc<dyn Store>,
    state: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Waiter>,
    leader_active: bool,
}

impl GroupCommit {
    pub(crate) fn new(store: Arc<dyn Store>) -> Self {
        GroupCommit {
            store,
            state: Mutex::new(Queue::default()),
        }
    }

    /// Writes `post` if its stored status is still `publishing` (else `Conflict`), committed
    /// together with whatever other writes of the batch are queued.
    pub(crate) async fn write(&self, post: &ScheduledPost) -> Result<()> {
        let (tx, rx) = oneshot::channel();
        let lead = {
            let mut q = self.lock();
            q.waiting.push((post.clone(), tx));
            !std::mem::replace(&mut q.leader_active, true)
        };
        if lead {
            self.lead().await;
        }
        rx.await
            .unwrap_or_else(|_| Err(Error::storage("group commit ended without a result")))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        // A panic while holding this lock cannot leave the queue inconsistent (push/take only).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Commits queued writes in rounds until none are left, then steps down.
    async fn lead(&self) {
        // One yield before the first round: a batch's jobs run as futures of one task, so the
        // confirmations that arrived in the same poll pass queue up behind the leader instead
        // of each waiting for a round of its own. It costs one scheduler turn, not a timer.
        tokio::task::yield_now().await;
        loop {
            let round = {
                let mut q = self.lock();
                if q.waiting.is_empty() {
                    q.leader_active = false;
                    return;
                }
                std::mem::take(&mut q.waiting)
            };
            self.commit(round).await;
        }
    }

    async fn commit(&self, round: Vec<Waiter>) {
        // Two writes of the same post in one round would race inside the statement; keep the
        // first and leave the later one for the next round (writes of one post are serialized
        // by its lease anyway, so this does not happen in practice).
        let mut seen = HashSet::new();
        let (now, later): (Vec<Waiter>, Vec<Waiter>) =
            round.into_iter().partition(|(p, _)| seen.insert(p.id));
        if !later.is_empty() {
            self.lock().waiting.extend(later);
        }
        let posts: Vec<ScheduledPost> = now.iter().map(|(p, _)| p.clone()).collect();
        match self
            .store
            .update_scheduled_posts(&posts, PostStatus::Publishing)
            .await
        {
            Ok(written) => {
                let written: HashSet<ScheduledPostId> = written.into_iter().collect();
                for (p, tx) in now {
                    let result = if written.contains(&p.id) {
                        Ok(())
                    } else {
                        Err(Error::conflict(format!(
                            "scheduled post {} is no longer publishing",
                            p.id
                        )))
                    };
                    let _ = tx.send(result);
                }
            }
            Err(e) => {
                // Nothing of the round was written; every writer sees the error and applies its
                // own retry rule.
                for (_, tx) in now {
                    let _ = tx.send(Err(same_failure(&e)));
                }
            }
        }
    }
}

/// A copy of a failed round's error for each of its writers, keeping the kind their retry rule
/// looks at (`Storage` / `Unavailable` are retried while the lease holds; anything else is not).
fn same_failure(e: &Error) -> Error {
    match e {
        Error::Unavailable { service, message } => Error::Unavailable {
            service: service.clone(),
            message: message.clone(),
        },
        Error::Conflict { message } => Error::conflict(message.clone()),
        Error::Storage { message } => Error::storage(message.clone()),
        other => Error::internal(other.to_string()),
    }
}
