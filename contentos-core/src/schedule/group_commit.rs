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
        // A dropped sender means the leader was cancelled with this write in its round: the
        // outcome is unknown, and `Storage` makes the writer retry (its write is absolute values
        // under a compare-and-set, so a retry after a commit that did happen is a `Conflict` or
        // a no-op rewrite, never a wrong state).
        rx.await
            .unwrap_or_else(|_| Err(Error::storage("group commit ended without a result")))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        // A panic while holding this lock cannot leave the queue inconsistent (push/take only).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Commits queued writes in rounds until none are left, then steps down.
    async fn lead(&self) {
        // If this future is dropped mid-way (its job's publish lost the race against a lost
        // lease), the guard steps down and fails the queued writes so their writers retry and
        // one of them leads; without it they would wait for a leader that never comes.
        let mut guard = StepDown {
            group: self,
            armed: true,
        };
        // One yield before the first round: a batch's jobs run as futures of one task, so the
        // confirmations that arrived in the same poll pass queue up behind the leader instead
        // of each waiting for a round of its own. It costs one scheduler turn, not a timer.
        tokio::task::yield_now().await;
        loop {
            let round = {
                let mut q = self.lock();
                if q.waiting.is_empty() {
                    q.leader_active = false;
                    guard.armed = false;
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

/// Steps a cancelled leader down (see [`GroupCommit::lead`]).
struct StepDown<'a> {
    group: &'a GroupCommit,
    armed: bool,
}

impl Drop for StepDown<'_> {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let waiting = {
            let mut q = self.group.lock();
            q.leader_active = false;
            std::mem::take(&mut q.waiting)
        };
        for (_, tx) in waiting {
            // `Storage` is retried by the writer while its lease holds (`Lease::write`).
            let _ = tx.send(Err(Error::storage(
                "group commit leader was cancelled before this write; retry",
            )));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Actor;
    use crate::model::*;
    use crate::store::SqliteStore;
    use crate::vault::{Secret, Vault};
    use crate::{ContentOs, NewSocialAccount};

    /// Two posts of one workspace, both `publishing`, in an in-memory Store.
    async fn two_publishing_posts() -> (Arc<dyn Store>, ScheduledPost, ScheduledPost) {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().await.unwrap());
        let os = ContentOs::builder()
            .store(store.clone())
            .vault(Vault::ephemeral())
            .execute()
            .await
            .unwrap();
        let user = os.create_user("gc@example.com").await.unwrap();
        let actor = Actor::user(user.id);
        let ws = os
            .create_workspace(&actor, "gc", BrandVoice::default(), "UTC")
            .await
            .unwrap();
        let acc = os
            .connect_account(
                &actor,
                ws.id,
                NewSocialAccount {
                    platform: Platform::Mastodon,
                    account_name: "gc".into(),
                    external_id: None,
                    base_url: None,
                    access_token: Secret::new("t"),
                    refresh_token: None,
                    token_expires_at: None,
                },
            )
            .await
            .unwrap();
        let content = os
            .create_content(
                &actor,
                NewContent {
                    workspace_id: ws.id,
                    created_by: user.id,
                    title: None,
                    original_input: "group commit".into(),
                    content_type: ContentType::Social,
                    format: Format::default(),
                    metadata: Metadata::new(),
                    variations: vec![NewVariation {
                        platform: None,
                        body: "group commit post".into(),
                        metadata: Metadata::new(),
                    }],
                },
            )
            .await
            .unwrap();
        let mut posts = Vec::new();
        for _ in 0..2 {
            let mut p = os
                .schedule(
                    &actor,
                    content.variations[0].id,
                    acc.id,
                    chrono::Utc::now(),
                    "UTC",
                )
                .await
                .unwrap();
            let mut publishing = p.clone();
            publishing.status = PostStatus::Publishing;
            store
                .update_scheduled_post(&publishing, PostStatus::Pending)
                .await
                .unwrap();
            p.status = PostStatus::Publishing;
            posts.push(p);
        }
        let b = posts.pop().unwrap();
        let a = posts.pop().unwrap();
        (store, a, b)
    }

    #[tokio::test]
    async fn writes_queued_behind_one_leader_share_its_round() {
        let (store, a, b) = two_publishing_posts().await;
        let group = GroupCommit::new(store.clone());
        let (mut a2, mut b2) = (a.clone(), b.clone());
        a2.error_message = Some("a".into());
        b2.error_message = Some("b".into());
        let (ra, rb) = tokio::join!(group.write(&a2), group.write(&b2));
        ra.unwrap();
        rb.unwrap();
        assert_eq!(
            store.get_scheduled_post(a.id).await.unwrap().error_message,
            Some("a".into())
        );
        assert_eq!(
            store.get_scheduled_post(b.id).await.unwrap().error_message,
            Some("b".into())
        );
        // A post that moved on loses its compare-and-set, alone.
        let mut done = b.clone();
        done.status = PostStatus::Published;
        store
            .update_scheduled_post(&done, PostStatus::Publishing)
            .await
            .unwrap();
        let (ra, rb) = tokio::join!(group.write(&a), group.write(&b));
        ra.unwrap();
        assert_eq!(rb.unwrap_err().kind(), crate::ErrorKind::Conflict);
    }

    #[tokio::test]
    async fn a_cancelled_leader_fails_queued_writes_instead_of_stranding_them() {
        let (store, a, b) = two_publishing_posts().await;
        let group = GroupCommit::new(store.clone());
        let mut leader = Box::pin(group.write(&a));
        // First poll: `a` queues itself, becomes the leader and yields before its round.
        assert!(futures::poll!(leader.as_mut()).is_pending());
        let mut follower = Box::pin(group.write(&b));
        assert!(futures::poll!(follower.as_mut()).is_pending());
        drop(leader);
        let err = tokio::time::timeout(std::time::Duration::from_secs(5), follower)
            .await
            .expect("the queued write must not wait for a leader that is gone")
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Storage, "{err}");
        // The group works again: the retry leads its own round.
        group.write(&b).await.unwrap();
    }
}
