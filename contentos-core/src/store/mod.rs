//! Persistence: the [`Store`] trait and its two backends.
//!
//! Why a trait: the embedded default ([`sqlite`]) needs no setup at all — a file path or
//! in-memory — while teams that run many workers share one PostgreSQL ([`postgres`]). Both run
//! the same conformance suite (`tests/store_conformance.rs`), so code written against one works
//! on the other.
//!
//! The Store is deliberately dumb: it persists and queries, atomically where the domain needs it
//! (a content item and its variations; a workspace and its owner's membership). Permission checks
//! and validation happen in the [`ContentOs`](crate::ContentOs) facade before a Store is called.
//! Tokens reach the Store only sealed by the [`Vault`](crate::vault::Vault).

mod common;
mod delegate;
pub mod postgres;
pub mod sqlite;

pub use postgres::{PostgresOptions, PostgresStore};
pub use sqlite::SqliteStore;

use crate::access::Role;
use crate::model::*;
use crate::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The entity name in `NotFound` errors about an account's posting queue slots.
pub const QUEUE_SLOTS_ENTITY: &str = "queue_slots";

/// Storage operations used by the engine. Object-safe: held as `Arc<dyn Store>`.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `"sqlite"` or `"postgres"`, for spans and diagnostics.
    fn backend(&self) -> &'static str;

    /// Cheap liveness check (used by health endpoints).
    async fn ping(&self) -> Result<()>;

    // ----- users -----

    /// Inserts a user; `Conflict` if the e-mail is taken.
    async fn create_user(&self, user: &User) -> Result<()>;
    /// A user by id.
    async fn get_user(&self, id: UserId) -> Result<User>;
    /// A user by e-mail (case-insensitive), if any.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<User>>;

    // ----- workspaces and membership -----

    /// Inserts a workspace and its owner's `owner` membership in one transaction.
    async fn create_workspace(&self, workspace: &Workspace) -> Result<()>;
    /// A workspace by id.
    async fn get_workspace(&self, id: WorkspaceId) -> Result<Workspace>;
    /// Replaces name, brand voice and time zone.
    async fn update_workspace(&self, workspace: &Workspace) -> Result<()>;
    /// Deletes a workspace and, by cascade, everything in it.
    async fn delete_workspace(&self, id: WorkspaceId) -> Result<()>;
    /// The workspaces a user belongs to, with the user's role in each.
    async fn list_workspaces_for_user(&self, user: UserId) -> Result<Vec<(Workspace, Role)>>;
    /// Adds a member or changes their role.
    async fn upsert_member(&self, member: &Member) -> Result<()>;
    /// Removes a member; `NotFound` if they were not one.
    async fn remove_member(&self, workspace: WorkspaceId, user: UserId) -> Result<()>;
    /// The user's role in the workspace, or `None` if not a member.
    async fn member_role(&self, workspace: WorkspaceId, user: UserId) -> Result<Option<Role>>;
    /// All members of a workspace.
    async fn list_members(&self, workspace: WorkspaceId) -> Result<Vec<Member>>;

    // ----- content -----

    /// Inserts a content item and its variations atomically: on any failure nothing is stored.
    async fn create_content(&self, content: &Content, variations: &[Variation]) -> Result<()>;
    /// Adds variations to an existing content item atomically.
    async fn add_variations(&self, content: ContentId, variations: &[Variation]) -> Result<()>;
    /// A content item with its variations (oldest variation first).
    async fn get_content(&self, id: ContentId) -> Result<ContentWithVariations>;
    /// One variation.
    async fn get_variation(&self, id: VariationId) -> Result<Variation>;
    /// A page of a workspace's content, newest first, filtered by status and type.
    async fn list_content(
        &self,
        workspace: WorkspaceId,
        query: &ContentQuery,
    ) -> Result<Page<Content>>;
    /// Applies a patch (title, status, merged metadata) and returns the new row.
    async fn update_content(&self, id: ContentId, patch: &ContentPatch) -> Result<Content>;
    /// Deletes a content item and, by cascade, its variations and their schedules.
    async fn delete_content(&self, id: ContentId) -> Result<()>;
    /// Full-text search over title and original input (PostgreSQL `tsvector`, SQLite FTS5),
    /// best match first.
    async fn search_content(
        &self,
        workspace: WorkspaceId,
        query: &str,
        limit: u32,
    ) -> Result<Vec<Content>>;

    // ----- audience segments -----

    /// Inserts a segment; `Conflict` if the name is taken in the workspace.
    async fn create_segment(&self, segment: &AudienceSegment) -> Result<()>;
    /// A segment by id.
    async fn get_segment(&self, id: SegmentId) -> Result<AudienceSegment>;
    /// A segment by name within a workspace.
    async fn find_segment_by_name(
        &self,
        workspace: WorkspaceId,
        name: &str,
    ) -> Result<Option<AudienceSegment>>;
    /// A workspace's segments, by name.
    async fn list_segments(&self, workspace: WorkspaceId) -> Result<Vec<AudienceSegment>>;
    /// Replaces name, description, attributes and embedding id.
    async fn update_segment(&self, segment: &AudienceSegment) -> Result<()>;
    /// Deletes a segment.
    async fn delete_segment(&self, id: SegmentId) -> Result<()>;

    // ----- social accounts -----

    /// Inserts an account (tokens already sealed); `Conflict` on a duplicate
    /// (workspace, platform, account name).
    async fn create_account(&self, account: &SocialAccount) -> Result<()>;
    /// An account by id.
    async fn get_account(&self, id: AccountId) -> Result<SocialAccount>;
    /// A workspace's accounts.
    async fn list_accounts(&self, workspace: WorkspaceId) -> Result<Vec<SocialAccount>>;
    /// Replaces the sealed tokens and expiry after a refresh. A `None` refresh token keeps the
    /// stored one: a refresh token is never overwritten with nothing.
    async fn update_account_tokens(
        &self,
        id: AccountId,
        access_token: &crate::vault::SealedSecret,
        refresh_token: Option<&crate::vault::SealedSecret>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<()>;
    /// Marks an account active or needing re-authorization.
    async fn set_account_status(&self, id: AccountId, status: AccountStatus) -> Result<()>;
    /// Deletes an account.
    async fn delete_account(&self, id: AccountId) -> Result<()>;

    // ----- scheduled posts -----

    /// Inserts a scheduled post.
    async fn insert_scheduled_post(&self, post: &ScheduledPost) -> Result<()>;
    /// A scheduled post by id.
    async fn get_scheduled_post(&self, id: ScheduledPostId) -> Result<ScheduledPost>;
    /// A workspace's scheduled posts with `scheduled_time` in `[from, to)`, earliest first.
    async fn list_scheduled_posts(
        &self,
        workspace: WorkspaceId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ScheduledPost>>;
    /// Pending posts due at `now` (earliest first), at most `limit`. Read-only: claiming is the
    /// scheduler's job.
    async fn due_posts(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<ScheduledPost>>;
    /// Atomically claims up to `limit` posts for `worker`: pending posts due at `now`, and posts
    /// left `publishing` by a worker whose lease expired before `now` (recovery). Each claimed
    /// post is set to `publishing` with `lease_owner = worker` and `lease_expires_at = now +
    /// lease`, and returned as stored after the claim (`attempts` unchanged). PostgreSQL uses
    /// `FOR UPDATE SKIP LOCKED`; SQLite an immediate (write-locking) transaction. Two concurrent
    /// callers never receive the same post.
    async fn claim_due_posts(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<ScheduledPost>>;
    /// Extends the lease of a post this worker still holds; `false` if the lease was lost.
    async fn extend_lease(
        &self,
        id: ScheduledPostId,
        worker: &str,
        until: DateTime<Utc>,
    ) -> Result<bool>;
    /// Records the start of a publish attempt on every post of `ids` that `worker` still leases
    /// (status `publishing`, `lease_owner = worker`): `attempts + 1`, `attempt_started_at = at`,
    /// `error_message` cleared, `updated_at = at`. One statement in one transaction, so a
    /// worker's claimed batch costs one commit here instead of one per post — the durable
    /// "about to call the platform" marker that crash recovery relies on. Returns the ids it
    /// marked; a missing id is no longer this worker's (its lease was lost) and must not be sent.
    async fn mark_attempts_started(
        &self,
        worker: &str,
        ids: &[ScheduledPostId],
        at: DateTime<Utc>,
    ) -> Result<Vec<ScheduledPostId>>;
    /// Writes every mutable field of `post` (status, attempts, receipts, ids, error, lease,
    /// times) only if the stored status is still `expected`; otherwise `Conflict`. This
    /// compare-and-set is what makes status transitions safe between concurrent workers.
    async fn update_scheduled_post(&self, post: &ScheduledPost, expected: PostStatus)
        -> Result<()>;
    /// [`update_scheduled_post`](Self::update_scheduled_post) for many posts in one
    /// transaction (PostgreSQL: one statement): each post is written only if its stored status
    /// is still `expected`. Returns the ids written; a missing id lost the compare-and-set and
    /// was left untouched. Workers use it to make the receipts their concurrent platform calls
    /// confirm durable with one commit instead of one per post (group commit). An error means
    /// nothing of the batch was written.
    async fn update_scheduled_posts(
        &self,
        posts: &[ScheduledPost],
        expected: PostStatus,
    ) -> Result<Vec<ScheduledPostId>>;

    // ----- posting queue slots -----

    /// Replaces an account's posting queue slots (weekly wall-clock times in one zone; the
    /// facade validates them first). `NotFound` if the account does not exist. Deleting the
    /// account deletes its slots.
    async fn set_queue_slots(
        &self,
        account: AccountId,
        slots: &crate::schedule::QueueSlots,
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// An account's posting queue slots, `None` when none were set.
    async fn get_queue_slots(
        &self,
        account: AccountId,
    ) -> Result<Option<crate::schedule::QueueSlots>>;
    /// Removes an account's posting queue slots; `NotFound` (entity
    /// [`QUEUE_SLOTS_ENTITY`]) if none were set.
    async fn delete_queue_slots(&self, account: AccountId) -> Result<()>;

    // ----- model artifacts -----

    /// Stores a new version of a trained model (its version must be greater than the latest).
    async fn save_model(&self, model: &StoredModel) -> Result<()>;
    /// The latest version of a named model for a workspace (`None` = the global default).
    async fn latest_model(
        &self,
        workspace: Option<WorkspaceId>,
        name: &str,
    ) -> Result<Option<StoredModel>>;

    // ----- analytics -----

    /// Inserts or replaces the metrics row of a post (one row per scheduled post).
    async fn upsert_analytics(&self, row: &AnalyticsRow) -> Result<()>;
    /// The metrics row of a post, if collected.
    async fn get_analytics(&self, post: ScheduledPostId) -> Result<Option<AnalyticsRow>>;
    /// A workspace's metrics rows for posts published since `since`, with the post.
    async fn list_analytics(
        &self,
        workspace: WorkspaceId,
        since: DateTime<Utc>,
    ) -> Result<Vec<(ScheduledPost, AnalyticsRow)>>;
}
