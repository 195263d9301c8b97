//! The one [`Store`](super::Store) implementation body shared by both backends.
//!
//! Each backend has the same modules (`workspaces`, `content`, `segments`, `accounts`, `posts`,
//! `analytics`) with the same free functions taking its pool; this macro writes the trait impl
//! that forwards every call to them inside [`observe`](super::common::observe), so both
//! backends get identical spans and no operation can be forgotten on one of them.

macro_rules! delegate_store {
    ($store:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> Result<()> {
                observe($backend, "ping", async {
                    sqlx::query("SELECT 1").execute(&self.pool).await.db()?;
                    Ok(())
                })
                .await
            }

            async fn create_user(&self, user: &User) -> Result<()> {
                observe(
                    $backend,
                    "create_user",
                    workspaces::create_user(&self.pool, user),
                )
                .await
            }
            async fn get_user(&self, id: UserId) -> Result<User> {
                observe($backend, "get_user", workspaces::get_user(&self.pool, id)).await
            }
            async fn find_user_by_email(&self, email: &str) -> Result<Option<User>> {
                observe(
                    $backend,
                    "find_user_by_email",
                    workspaces::find_user_by_email(&self.pool, email),
                )
                .await
            }

            async fn create_workspace(&self, workspace: &Workspace) -> Result<()> {
                observe(
                    $backend,
                    "create_workspace",
                    workspaces::create_workspace(&self.pool, workspace),
                )
                .await
            }
            async fn get_workspace(&self, id: WorkspaceId) -> Result<Workspace> {
                observe(
                    $backend,
                    "get_workspace",
                    workspaces::get_workspace(&self.pool, id),
                )
                .await
            }
            async fn update_workspace(&self, workspace: &Workspace) -> Result<()> {
                observe(
                    $backend,
                    "update_workspace",
                    workspaces::update_workspace(&self.pool, workspace),
                )
                .await
            }
            async fn delete_workspace(&self, id: WorkspaceId) -> Result<()> {
                observe(
                    $backend,
                    "delete_workspace",
                    workspaces::delete_workspace(&self.pool, id),
                )
                .await
            }
            async fn list_workspaces_for_user(
                &self,
                user: UserId,
            ) -> Result<Vec<(Workspace, Role)>> {
                observe(
                    $backend,
                    "list_workspaces_for_user",
                    workspaces::list_workspaces_for_user(&self.pool, user),
                )
                .await
            }
            async fn upsert_member(&self, member: &Member) -> Result<()> {
                observe(
                    $backend,
                    "upsert_member",
                    workspaces::upsert_member(&self.pool, member),
                )
                .await
            }
            async fn remove_member(&self, workspace: WorkspaceId, user: UserId) -> Result<()> {
                observe(
                    $backend,
                    "remove_member",
                    workspaces::remove_member(&self.pool, workspace, user),
                )
                .await
            }
            async fn member_role(
                &self,
                workspace: WorkspaceId,
                user: UserId,
            ) -> Result<Option<Role>> {
                observe(
                    $backend,
                    "member_role",
                    workspaces::member_role(&self.pool, workspace, user),
                )
                .await
            }
            async fn list_members(&self, workspace: WorkspaceId) -> Result<Vec<Member>> {
                observe(
                    $backend,
                    "list_members",
                    workspaces::list_members(&self.pool, workspace),
                )
                .await
            }

            async fn create_content(&self, c: &Content, variations: &[Variation]) -> Result<()> {
                observe(
                    $backend,
                    "create_content",
                    content::create_content(&self.pool, c, variations),
                )
                .await
            }
            async fn add_variations(&self, c: ContentId, variations: &[Variation]) -> Result<()> {
                observe(
                    $backend,
                    "add_variations",
                    content::add_variations(&self.pool, c, variations),
                )
                .await
            }
            async fn get_content(&self, id: ContentId) -> Result<ContentWithVariations> {
                observe(
                    $backend,
                    "get_content",
                    content::get_content(&self.pool, id),
                )
                .await
            }
            async fn get_variation(&self, id: VariationId) -> Result<Variation> {
                observe(
                    $backend,
                    "get_variation",
                    content::get_variation(&self.pool, id),
                )
                .await
            }
            async fn list_content(
                &self,
                workspace: WorkspaceId,
                query: &ContentQuery,
            ) -> Result<Page<Content>> {
                observe(
                    $backend,
                    "list_content",
                    content::list_content(&self.pool, workspace, query),
                )
                .await
            }
            async fn update_content(&self, id: ContentId, patch: &ContentPatch) -> Result<Content> {
                observe(
                    $backend,
                    "update_content",
                    content::update_content(&self.pool, id, patch),
                )
                .await
            }
            async fn delete_content(&self, id: ContentId) -> Result<()> {
                observe(
                    $backend,
                    "delete_content",
                    content::delete_content(&self.pool, id),
                )
                .await
            }
            async fn search_content(
                &self,
                workspace: WorkspaceId,
                query: &str,
                limit: u32,
            ) -> Result<Vec<Content>> {
                observe(
                    $backend,
                    "search_content",
                    content::search_content(&self.pool, workspace, query, limit),
                )
                .await
            }

            async fn create_segment(&self, segment: &AudienceSegment) -> Result<()> {
                observe(
                    $backend,
                    "create_segment",
                    segments::create_segment(&self.pool, segment),
                )
                .await
            }
            async fn get_segment(&self, id: SegmentId) -> Result<AudienceSegment> {
                observe(
                    $backend,
                    "get_segment",
                    segments::get_segment(&self.pool, id),
                )
                .await
            }
            async fn find_segment_by_name(
                &self,
                workspace: WorkspaceId,
                name: &str,
            ) -> Result<Option<AudienceSegment>> {
                observe(
                    $backend,
                    "find_segment_by_name",
                    segments::find_segment_by_name(&self.pool, workspace, name),
                )
                .await
            }
            async fn list_segments(&self, workspace: WorkspaceId) -> Result<Vec<AudienceSegment>> {
                observe(
                    $backend,
                    "list_segments",
                    segments::list_segments(&self.pool, workspace),
                )
                .await
            }
            async fn update_segment(&self, segment: &AudienceSegment) -> Result<()> {
                observe(
                    $backend,
                    "update_segment",
                    segments::update_segment(&self.pool, segment),
                )
                .await
            }
            async fn delete_segment(&self, id: SegmentId) -> Result<()> {
                observe(
                    $backend,
                    "delete_segment",
                    segments::delete_segment(&self.pool, id),
                )
                .await
            }

            async fn create_account(&self, account: &SocialAccount) -> Result<()> {
                observe(
                    $backend,
                    "create_account",
                    accounts::create_account(&self.pool, account),
                )
                .await
            }
            async fn get_account(&self, id: AccountId) -> Result<SocialAccount> {
                observe(
                    $backend,
                    "get_account",
                    accounts::get_account(&self.pool, id),
                )
                .await
            }
            async fn list_accounts(&self, workspace: WorkspaceId) -> Result<Vec<SocialAccount>> {
                observe(
                    $backend,
                    "list_accounts",
                    accounts::list_accounts(&self.pool, workspace),
                )
                .await
            }
            async fn update_account_tokens(
                &self,
                id: AccountId,
                access_token: &$crate::vault::SealedSecret,
                refresh_token: Option<&$crate::vault::SealedSecret>,
                expires_at: Option<DateTime<Utc>>,
            ) -> Result<()> {
                observe(
                    $backend,
                    "update_account_tokens",
                    accounts::update_account_tokens(
                        &self.pool,
                        id,
                        access_token,
                        refresh_token,
                        expires_at,
                    ),
                )
                .await
            }
            async fn set_account_status(&self, id: AccountId, status: AccountStatus) -> Result<()> {
                observe(
                    $backend,
                    "set_account_status",
                    accounts::set_account_status(&self.pool, id, status),
                )
                .await
            }
            async fn delete_account(&self, id: AccountId) -> Result<()> {
                observe(
                    $backend,
                    "delete_account",
                    accounts::delete_account(&self.pool, id),
                )
                .await
            }

            async fn insert_scheduled_post(&self, post: &ScheduledPost) -> Result<()> {
                observe(
                    $backend,
                    "insert_scheduled_post",
                    posts::insert_scheduled_post(&self.pool, post),
                )
                .await
            }
            async fn get_scheduled_post(&self, id: ScheduledPostId) -> Result<ScheduledPost> {
                observe(
                    $backend,
                    "get_scheduled_post",
                    posts::get_scheduled_post(&self.pool, id),
                )
                .await
            }
            async fn list_scheduled_posts(
                &self,
                workspace: WorkspaceId,
                from: DateTime<Utc>,
                to: DateTime<Utc>,
            ) -> Result<Vec<ScheduledPost>> {
                observe(
                    $backend,
                    "list_scheduled_posts",
                    posts::list_scheduled_posts(&self.pool, workspace, from, to),
                )
                .await
            }
            async fn due_posts(
                &self,
                now: DateTime<Utc>,
                limit: u32,
            ) -> Result<Vec<ScheduledPost>> {
                observe(
                    $backend,
                    "due_posts",
                    posts::due_posts(&self.pool, now, limit),
                )
                .await
            }
            async fn claim_due_posts(
                &self,
                worker: &str,
                now: DateTime<Utc>,
                lease: std::time::Duration,
                limit: u32,
            ) -> Result<Vec<ScheduledPost>> {
                observe(
                    $backend,
                    "claim_due_posts",
                    posts::claim_due_posts(&self.pool, worker, now, lease, limit),
                )
                .await
            }
            async fn extend_lease(
                &self,
                id: ScheduledPostId,
                worker: &str,
                until: DateTime<Utc>,
            ) -> Result<bool> {
                observe(
                    $backend,
                    "extend_lease",
                    posts::extend_lease(&self.pool, id, worker, until),
                )
                .await
            }
            async fn mark_attempts_started(
                &self,
                worker: &str,
                ids: &[ScheduledPostId],
                at: DateTime<Utc>,
            ) -> Result<Vec<ScheduledPostId>> {
                observe(
                    $backend,
                    "mark_attempts_started",
                    posts::mark_attempts_started(&self.pool, worker, ids, at),
                )
                .await
            }
            async fn update_scheduled_post(
                &self,
                post: &ScheduledPost,
                expected: PostStatus,
            ) -> Result<()> {
                observe(
                    $backend,
                    "update_scheduled_post",
                    posts::update_scheduled_post(&self.pool, post, expected),
                )
                .await
            }
            async fn update_scheduled_posts(
                &self,
                posts: &[ScheduledPost],
                expected: PostStatus,
            ) -> Result<Vec<ScheduledPostId>> {
                observe(
                    $backend,
                    "update_scheduled_posts",
                    posts::update_scheduled_posts(&self.pool, posts, expected),
                )
                .await
            }

            async fn set_queue_slots(
                &self,
                account: AccountId,
                slots: &$crate::schedule::QueueSlots,
                at: DateTime<Utc>,
            ) -> Result<()> {
                observe(
                    $backend,
                    "set_queue_slots",
                    slots::set_queue_slots(&self.pool, account, slots, at),
                )
                .await
            }
            async fn get_queue_slots(
                &self,
                account: AccountId,
            ) -> Result<Option<$crate::schedule::QueueSlots>> {
                observe(
                    $backend,
                    "get_queue_slots",
                    slots::get_queue_slots(&self.pool, account),
                )
                .await
            }
            async fn delete_queue_slots(&self, account: AccountId) -> Result<()> {
                observe(
                    $backend,
                    "delete_queue_slots",
                    slots::delete_queue_slots(&self.pool, account),
                )
                .await
            }

            async fn save_model(&self, model: &StoredModel) -> Result<()> {
                observe(
                    $backend,
                    "save_model",
                    analytics::save_model(&self.pool, model),
                )
                .await
            }
            async fn latest_model(
                &self,
                workspace: Option<WorkspaceId>,
                name: &str,
            ) -> Result<Option<StoredModel>> {
                observe(
                    $backend,
                    "latest_model",
                    analytics::latest_model(&self.pool, workspace, name),
                )
                .await
            }

            async fn upsert_analytics(&self, row: &AnalyticsRow) -> Result<()> {
                observe(
                    $backend,
                    "upsert_analytics",
                    analytics::upsert_analytics(&self.pool, row),
                )
                .await
            }
            async fn get_analytics(&self, post: ScheduledPostId) -> Result<Option<AnalyticsRow>> {
                observe(
                    $backend,
                    "get_analytics",
                    analytics::get_analytics(&self.pool, post),
                )
                .await
            }
            async fn list_analytics(
                &self,
                workspace: WorkspaceId,
                since: DateTime<Utc>,
            ) -> Result<Vec<(ScheduledPost, AnalyticsRow)>> {
                observe(
                    $backend,
                    "list_analytics",
                    analytics::list_analytics(&self.pool, workspace, since),
                )
                .await
            }
        }
    };
}
pub(crate) use delegate_store;
