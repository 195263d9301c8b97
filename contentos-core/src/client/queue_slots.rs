//! Posting queue slots on the facade: an account's recurring weekly posting times, persisted in
//! the Store, and scheduling into the next free one.
//!
//! Access: reading the slots needs `read` on the account's workspace; setting or removing them
//! needs `write` — the permission that changes the publishing schedule. The account is looked up
//! first and its workspace checked, so another workspace's account is `NotFound`/`Forbidden`
//! exactly as for the other account operations, and nothing is written on a refusal.

use super::ContentOs;
use crate::access::{Actor, Permission};
use crate::model::{AccountId, ScheduledPost, SocialAccount, VariationId};
use crate::schedule::QueueSlots;
use crate::store::QUEUE_SLOTS_ENTITY;
use crate::{Error, Result};
use chrono::{DateTime, Utc};

impl ContentOs {
    async fn authorized_account(
        &self,
        actor: &Actor,
        account: AccountId,
        permission: Permission,
    ) -> Result<SocialAccount> {
        let acc = self.inner.store.get_account(account).await?;
        self.authorize(actor, acc.workspace_id, permission).await?;
        Ok(acc)
    }

    /// Replaces the account's posting queue slots (permission `write`) after validating them
    /// ([`QueueSlots::validate`]: zone, 1..=672 slots, whole minutes, no duplicates — each
    /// error names its field). Returns the stored set.
    pub async fn set_queue_slots(
        &self,
        actor: &Actor,
        account: AccountId,
        slots: QueueSlots,
    ) -> Result<QueueSlots> {
        self.authorized_account(actor, account, Permission::Write)
            .await?;
        slots.validate()?;
        self.inner
            .store
            .set_queue_slots(account, &slots, Utc::now())
            .await?;
        Ok(slots)
    }

    /// The account's stored posting queue slots, `None` when none were set (permission `read`).
    pub async fn queue_slots(
        &self,
        actor: &Actor,
        account: AccountId,
    ) -> Result<Option<QueueSlots>> {
        self.authorized_account(actor, account, Permission::Read)
            .await?;
        self.inner.store.get_queue_slots(account).await
    }

    /// Removes the account's posting queue slots (permission `write`); `NotFound` if none
    /// were set. Posts already scheduled into slots stay scheduled.
    pub async fn delete_queue_slots(&self, actor: &Actor, account: AccountId) -> Result<()> {
        self.authorized_account(actor, account, Permission::Write)
            .await?;
        self.inner.store.delete_queue_slots(account).await
    }

    /// The first of the account's stored slots after `after` not taken by one of its pending,
    /// publishing or published posts (permission `read`). `NotFound` (entity `queue_slots`)
    /// when the account has no slots; `Conflict` when every slot in the next 26 weeks is taken.
    pub async fn next_queue_slot(
        &self,
        actor: &Actor,
        account: AccountId,
        after: DateTime<Utc>,
    ) -> Result<DateTime<Utc>> {
        let slots = self.stored_slots(actor, account).await?;
        self.next_free_slot(actor, account, &slots, after).await
    }

    /// Queues `variation` in the next free one of the account's stored slots after now
    /// (permission `write`), in the slots' zone.
    pub async fn schedule_in_queue(
        &self,
        actor: &Actor,
        variation: VariationId,
        account: AccountId,
    ) -> Result<ScheduledPost> {
        let slots = self.stored_slots(actor, account).await?;
        self.schedule_in_next_slot(actor, variation, account, &slots)
            .await
    }

    async fn stored_slots(&self, actor: &Actor, account: AccountId) -> Result<QueueSlots> {
        self.queue_slots(actor, account)
            .await?
            .ok_or_else(|| Error::not_found(QUEUE_SLOTS_ENTITY, account))
    }
}
