//! The [`ReceiptSink`] that persists every confirmed part before the publisher moves on.

use super::lease::{Clock, Lease};
use crate::model::{PartReceipt, PostStatus, ScheduledPost};
use crate::publish::ReceiptSink;
use crate::Result;
use async_trait::async_trait;
use std::sync::atomic::{AtomicBool, Ordering};

/// Persists receipts with a compare-and-set on a post this worker leases. When the last part's
/// receipt arrives, the same write also moves the post to `published`, so a crash between
/// "platform confirmed the last part" and "worker recorded success" cannot leave it ambiguous.
pub(crate) struct StoreReceiptSink<'a> {
    lease: &'a Lease,
    clock: Clock,
    total_parts: usize,
    state: tokio::sync::Mutex<ScheduledPost>,
    published: AtomicBool,
    failed: AtomicBool,
}

impl<'a> StoreReceiptSink<'a> {
    pub(crate) fn new(
        lease: &'a Lease,
        clock: Clock,
        post: ScheduledPost,
        total_parts: usize,
    ) -> Self {
        StoreReceiptSink {
            lease,
            clock,
            total_parts,
            state: tokio::sync::Mutex::new(post),
            published: AtomicBool::new(false),
            failed: AtomicBool::new(false),
        }
    }

    /// True once the final receipt was persisted together with the `published` status.
    pub(crate) fn published(&self) -> bool {
        self.published.load(Ordering::SeqCst)
    }

    /// True when persisting a receipt failed: the platform may hold a part the Store does not
    /// know, so the attempt's outcome is unknown whatever the publisher returned.
    pub(crate) fn failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }

    /// The post as last persisted (or as handed in, if nothing was recorded).
    pub(crate) async fn into_post(self) -> ScheduledPost {
        self.state.into_inner()
    }
}

/// Marks `post` published from its receipts (first part's id and URL).
pub(crate) fn mark_published(post: &mut ScheduledPost, now: chrono::DateTime<chrono::Utc>) {
    post.status = PostStatus::Published;
    post.platform_post_id = post.receipts.first().map(|r| r.platform_post_id.clone());
    post.url = post.receipts.first().and_then(|r| r.url.clone());
    post.published_at = Some(now);
    post.error_message = None;
    post.lease_owner = None;
    post.lease_expires_at = None;
    post.attempt_started_at = None;
}

/// True when `receipts` hold one receipt for every index `0..total`.
pub(crate) fn covers_all(receipts: &[PartReceipt], total: usize) -> bool {
    total > 0 && (0..total).all(|i| receipts.iter().any(|r| r.index == i))
}

#[async_trait]
impl ReceiptSink for StoreReceiptSink<'_> {
    async fn record(&self, receipt: &PartReceipt) -> Result<()> {
        let mut post = self.state.lock().await;
        let mut next = post.clone();
        next.receipts.retain(|r| r.index != receipt.index);
        next.receipts.push(receipt.clone());
        next.receipts.sort_by_key(|r| r.index);
        let now = self.clock.now();
        let complete = covers_all(&next.receipts, self.total_parts);
        if complete {
            mark_published(&mut next, now);
        }
        if let Err(e) = self.lease.write(&mut next).await {
            self.failed.store(true, Ordering::SeqCst);
            return Err(e);
        }
        *post = next;
        if complete {
            self.published.store(true, Ordering::SeqCst);
        }
        Ok(())
    }
}
