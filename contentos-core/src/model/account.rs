//! Connected social accounts (design document section 3.1 `social_accounts`).
//!
//! Tokens are held here only in sealed (encrypted) form; see [`crate::vault`]. A Store never
//! sees a plaintext token.

use super::{AccountId, Platform, WorkspaceId};
use crate::vault::SealedSecret;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Whether an account can publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Tokens are valid as far as we know.
    Active,
    /// Refresh failed: the owner must reconnect; its scheduled posts wait.
    NeedsReauth,
}

impl AccountStatus {
    /// Stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::NeedsReauth => "needs_reauth",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> crate::Result<Self> {
        match s {
            "active" => Ok(AccountStatus::Active),
            "needs_reauth" => Ok(AccountStatus::NeedsReauth),
            _ => Err(crate::Error::validation("status", "active or needs_reauth")),
        }
    }
}

/// A social account connected to a workspace, with its tokens sealed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SocialAccount {
    /// Id.
    pub id: AccountId,
    /// Owning workspace.
    pub workspace_id: WorkspaceId,
    /// Platform.
    pub platform: Platform,
    /// Display name / handle, unique per (workspace, platform).
    pub account_name: String,
    /// The platform's id for the account (X user id, LinkedIn person URN, Bluesky DID, …).
    pub external_id: Option<String>,
    /// Instance or PDS base URL for federated platforms (Mastodon, Bluesky); API host override
    /// otherwise.
    pub base_url: Option<String>,
    /// Sealed access token (or app password for Bluesky).
    pub access_token: SealedSecret,
    /// Sealed refresh token, if the platform issued one.
    pub refresh_token: Option<SealedSecret>,
    /// When the access token expires, if known.
    pub token_expires_at: Option<DateTime<Utc>>,
    /// Whether it can publish.
    pub status: AccountStatus,
    /// When it was connected.
    pub connected_at: DateTime<Utc>,
}
