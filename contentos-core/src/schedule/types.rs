//! Values returned by the scheduling facade: calendar months and `publish_now` results.

use super::job::JobOutcome;
use crate::model::{AccountId, Platform, ScheduledPost, ScheduledPostId, WorkspaceId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One local day of a [`CalendarMonth`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarDay {
    /// The date in the workspace's zone.
    pub date: NaiveDate,
    /// Posts whose scheduled instant falls on that local date, earliest first.
    pub posts: Vec<ScheduledPost>,
}

/// A month of a workspace's schedule, with day boundaries at local midnight in the workspace's
/// zone (a post at 23:30 in New York on the 31st belongs to the 31st, although it is already
/// the next day in UTC). Cancelled posts are left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarMonth {
    /// Workspace.
    pub workspace_id: WorkspaceId,
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// The IANA zone the days are cut in.
    pub timezone: String,
    /// Every day of the month, in order (empty days included, for grids).
    pub days: Vec<CalendarDay>,
}

impl CalendarMonth {
    /// All posts of the month, earliest first.
    pub fn posts(&self) -> impl Iterator<Item = &ScheduledPost> {
        self.days.iter().flat_map(|d| d.posts.iter())
    }
}

/// The result of publishing one variation to one account with `publish_now`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishNowResult {
    /// The account.
    pub account_id: AccountId,
    /// Its platform.
    pub platform: Platform,
    /// The queue row created for the publish (absent when it was refused before queueing).
    pub post_id: Option<ScheduledPostId>,
    /// What happened; `None` when it was refused before queueing (see `error`).
    pub outcome: Option<JobOutcome>,
    /// The first part's platform id, when published.
    pub platform_post_id: Option<String>,
    /// The public URL, when published.
    pub url: Option<String>,
    /// Why it did not publish, if it did not.
    pub error: Option<String>,
}
