//! Scheduling and publishing on the facade: queue a variation for an account at an instant,
//! cancel, reschedule, publish now, read a month's calendar, find the next free queue slot.
//!
//! Every call checks access first (`write` to change the queue or publish, `read` for the
//! calendar), then validates: the zone is an IANA name, the variation and the account belong to
//! the same workspace, a platform-specific variation matches the account's platform, and — when
//! a publisher for the platform is registered — the text passes the publisher's own `validate`
//! before anything is queued.

use super::ContentOs;
use crate::access::{Actor, Permission};
use crate::model::{
    AccountId, PostStatus, ScheduledPost, ScheduledPostId, SocialAccount, Variation, VariationId,
    WorkspaceId,
};
use crate::publish::PostRequest;
use crate::schedule::{
    days_in_month, local_date, local_to_utc, month_bounds, parse_zone, variation_parts,
    CalendarDay, CalendarMonth, Clock, Job, Lease, PublishNowResult, QueueSlots, Worker,
    WorkerConfig,
};
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::collections::HashSet;

impl ContentOs {
    /// Checks access and consistency for queueing `variation` on `account`.
    async fn check_post(
        &self,
        actor: &Actor,
        variation: VariationId,
        account: AccountId,
        post_key: ScheduledPostId,
    ) -> Result<(SocialAccount, Variation)> {
        let store = &self.inner.store;
        let account = store.get_account(account).await?;
        self.authorize(actor, account.workspace_id, Permission::Write)
            .await?;
        let variation = store.get_variation(variation).await?;
        let content = store.get_content(variation.content_id).await?;
        if content.content.workspace_id != account.workspace_id {
            // Not "validation": the variation is invisible from the account's workspace.
            return Err(Error::not_found("variation", variation.id));
        }
        if let Some(p) = variation.platform {
            if p != account.platform {
                return Err(Error::validation(
                    "accountId",
                    format!(
                        "an account on {p} (the variation is written for {p}, the account is on {})",
                        account.platform
                    ),
                ));
            }
        }
        if let Some(publisher) = self.publisher(account.platform) {
            publisher.validate(&PostRequest {
                post_key: post_key.as_uuid(),
                parts: variation_parts(&variation),
                resume_from: vec![],
                languages: vec![],
            })?;
        }
        Ok((account, variation))
    }

    /// Queues `variation` for publishing on `account` at the UTC instant `at`, remembering the
    /// user's IANA `timezone` for calendars (permission `write`). An instant in the past is
    /// accepted and is due at once (catch-up after downtime, backfills).
    pub async fn schedule(
        &self,
        actor: &Actor,
        variation: VariationId,
        account: AccountId,
        at: DateTime<Utc>,
        timezone: &str,
    ) -> Result<ScheduledPost> {
        parse_zone("timezone", timezone)?;
        let id = ScheduledPostId::new();
        let (account, variation) = self.check_post(actor, variation, account, id).await?;
        let now = Utc::now();
        let post = ScheduledPost {
            id,
            workspace_id: account.workspace_id,
            variation_id: variation.id,
            account_id: account.id,
            platform: account.platform,
            scheduled_time: at,
            timezone: timezone.to_string(),
            status: PostStatus::Pending,
            attempts: 0,
            receipts: vec![],
            platform_post_id: None,
            url: None,
            error_message: None,
            lease_owner: None,
            lease_expires_at: None,
            attempt_started_at: None,
            published_at: None,
            created_at: now,
            updated_at: now,
        };
        self.inner.store.insert_scheduled_post(&post).await?;
        Ok(post)
    }

    /// Queues `variation` at a wall-clock time in `timezone` (permission `write`). DST rules:
    /// a time that occurs twice takes the earlier instant; a time skipped by a spring-forward
    /// gap is shifted forward by the gap (02:30 → 03:30).
    pub async fn schedule_local(
        &self,
        actor: &Actor,
        variation: VariationId,
        account: AccountId,
        local: NaiveDateTime,
        timezone: &str,
    ) -> Result<ScheduledPost> {
        let tz = parse_zone("timezone", timezone)?;
        let at = local_to_utc(local, tz)?;
        self.schedule(actor, variation, account, at, timezone).await
    }

    /// A scheduled post (permission `read`).
    pub async fn get_scheduled_post(
        &self,
        actor: &Actor,
        id: ScheduledPostId,
    ) -> Result<ScheduledPost> {
        let post = self.inner.store.get_scheduled_post(id).await?;
        self.authorize(actor, post.workspace_id, Permission::Read)
            .await?;
        Ok(post)
    }

    /// Loads a post, checks `write`, and requires it to be pending (a post being published or
    /// already done cannot be changed).
    async fn pending_post(&self, actor: &Actor, id: ScheduledPostId) -> Result<ScheduledPost> {
        let post = self.inner.store.get_scheduled_post(id).await?;
        self.authorize(actor, post.workspace_id, Permission::Write)
            .await?;
        if post.status != PostStatus::Pending {
            return Err(Error::conflict(format!(
                "scheduled post {id} is {}, only pending posts can be changed",
                post.status.as_str()
            )));
        }
        Ok(post)
    }

    /// Cancels a pending post (permission `write`). `Conflict` when a worker has already
    /// claimed it or it is done — the compare-and-set makes the race with a worker safe.
    pub async fn cancel(&self, actor: &Actor, id: ScheduledPostId) -> Result<ScheduledPost> {
        let mut post = self.pending_post(actor, id).await?;
        post.status = PostStatus::Cancelled;
        post.updated_at = Utc::now();
        self.inner
            .store
            .update_scheduled_post(&post, PostStatus::Pending)
            .await?;
        Ok(post)
    }

    /// Moves a pending post to a new UTC instant, keeping its zone (permission `write`).
    pub async fn reschedule(
        &self,
        actor: &Actor,
        id: ScheduledPostId,
        at: DateTime<Utc>,
    ) -> Result<ScheduledPost> {
        let mut post = self.pending_post(actor, id).await?;
        post.scheduled_time = at;
        post.updated_at = Utc::now();
        self.inner
            .store
            .update_scheduled_post(&post, PostStatus::Pending)
            .await?;
        Ok(post)
    }

    /// Publishes `variation` to each of `accounts` right away, in this process, and returns one
    /// result per account (permission `write` on every account's workspace, checked before
    /// anything is sent). Each publish goes through the queue's state machine: it is recorded
    /// as a `publishing` row first, so a crash mid-way is recovered by the workers like any
    /// other post. Refusals before queueing (no publisher, validation) are reported per account.
    pub async fn publish_now(
        &self,
        actor: &Actor,
        variation: VariationId,
        accounts: &[AccountId],
    ) -> Result<Vec<PublishNowResult>> {
        let store = &self.inner.store;
        for a in accounts {
            let acc = store.get_account(*a).await?;
            self.authorize(actor, acc.workspace_id, Permission::Write)
                .await?;
        }
        let config = WorkerConfig {
            worker_id: format!("publish-now-{}", uuid::Uuid::new_v4()),
            ..WorkerConfig::default()
        };
        let mut results = Vec::with_capacity(accounts.len());
        for account_id in accounts {
            results.push(
                self.publish_now_one(actor, variation, *account_id, &config)
                    .await?,
            );
        }
        Ok(results)
    }

    async fn publish_now_one(
        &self,
        actor: &Actor,
        variation: VariationId,
        account_id: AccountId,
        config: &WorkerConfig,
    ) -> Result<PublishNowResult> {
        let platform = self.inner.store.get_account(account_id).await?.platform;
        let refused = |e: Error| PublishNowResult {
            account_id,
            platform,
            post_id: None,
            outcome: None,
            platform_post_id: None,
            url: None,
            error: Some(e.to_string()),
        };
        if self.publisher(platform).is_none() {
            return Ok(refused(Error::not_supported(format!(
                "publishing to {platform}: no publisher registered"
            ))));
        }
        let id = ScheduledPostId::new();
        let (account, variation) = match self.check_post(actor, variation, account_id, id).await {
            Ok(v) => v,
            Err(e @ (Error::Validation { .. } | Error::NotFound { .. })) => return Ok(refused(e)),
            Err(e) => return Err(e),
        };
        let ws = self.inner.store.get_workspace(account.workspace_id).await?;
        let claimed_at = std::time::Instant::now();
        let now = Utc::now();
        let post = ScheduledPost {
            id,
            workspace_id: account.workspace_id,
            variation_id: variation.id,
            account_id,
            platform,
            scheduled_time: now,
            timezone: ws.timezone,
            status: PostStatus::Publishing,
            attempts: 0,
            receipts: vec![],
            platform_post_id: None,
            url: None,
            error_message: None,
            lease_owner: Some(config.worker_id.clone()),
            lease_expires_at: Some(now + crate::schedule::lease_chrono(config.lease)),
            attempt_started_at: None,
            published_at: None,
            created_at: now,
            updated_at: now,
        };
        self.inner.store.insert_scheduled_post(&post).await?;
        let clock = Clock::starting_at(now);
        let job = Job {
            os: self,
            cfg: config,
            clock,
            lease: Lease::new(
                self.inner.store.clone(),
                &post,
                &config.worker_id,
                config.lease,
                clock,
                claimed_at,
            ),
            unresolved: std::sync::atomic::AtomicBool::new(false),
            deferred_index: None,
        };
        let report = job.run(post).await;
        Ok(PublishNowResult {
            account_id,
            platform,
            post_id: Some(id),
            outcome: Some(report.outcome),
            platform_post_id: report.platform_post_id,
            url: report.url,
            error: report.error,
        })
    }

    /// A month of the workspace's schedule, cut into days at local midnight in the workspace's
    /// zone (permission `read`).
    pub async fn calendar(
        &self,
        actor: &Actor,
        workspace: WorkspaceId,
        year: i32,
        month: u32,
    ) -> Result<CalendarMonth> {
        self.authorize(actor, workspace, Permission::Read).await?;
        let ws = self.inner.store.get_workspace(workspace).await?;
        let tz = parse_zone("timezone", &ws.timezone)?;
        let (from, to) = month_bounds(year, month, tz)?;
        let posts = self
            .inner
            .store
            .list_scheduled_posts(workspace, from, to)
            .await?;
        let mut days: Vec<CalendarDay> = (1..=days_in_month(year, month))
            .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
            .map(|date| CalendarDay {
                date,
                posts: vec![],
            })
            .collect();
        for post in posts
            .into_iter()
            .filter(|p| p.status != PostStatus::Cancelled)
        {
            let date = local_date(post.scheduled_time, tz);
            if let Some(day) = days.iter_mut().find(|d| d.date == date) {
                day.posts.push(post);
            }
        }
        for day in &mut days {
            day.posts.sort_by_key(|p| p.scheduled_time);
        }
        Ok(CalendarMonth {
            workspace_id: workspace,
            year,
            month,
            timezone: ws.timezone,
            days,
        })
    }

    /// The account's first queue slot after `after` not taken by one of its pending,
    /// publishing or published posts (permission `read`).
    pub async fn next_free_slot(
        &self,
        actor: &Actor,
        account: AccountId,
        slots: &QueueSlots,
        after: DateTime<Utc>,
    ) -> Result<DateTime<Utc>> {
        slots.validate()?;
        let acc = self.inner.store.get_account(account).await?;
        self.authorize(actor, acc.workspace_id, Permission::Read)
            .await?;
        let until = after + chrono::Duration::weeks(crate::schedule::SLOT_SEARCH_WEEKS);
        let taken: HashSet<DateTime<Utc>> = self
            .inner
            .store
            .list_scheduled_posts(acc.workspace_id, after, until)
            .await?
            .into_iter()
            .filter(|p| {
                p.account_id == account
                    && matches!(
                        p.status,
                        PostStatus::Pending | PostStatus::Publishing | PostStatus::Published
                    )
            })
            .map(|p| p.scheduled_time)
            .collect();
        slots.next_free(after, &taken)
    }

    /// Queues `variation` in the account's next free slot after now (permission `write`).
    pub async fn schedule_in_next_slot(
        &self,
        actor: &Actor,
        variation: VariationId,
        account: AccountId,
        slots: &QueueSlots,
    ) -> Result<ScheduledPost> {
        let at = self
            .next_free_slot(actor, account, slots, Utc::now())
            .await?;
        self.schedule(actor, variation, account, at, &slots.timezone)
            .await
    }

    /// A publishing worker on this engine (see [`Worker`]).
    pub fn worker(&self, config: WorkerConfig) -> Result<Worker> {
        Worker::new(self.clone(), config)
    }
}
