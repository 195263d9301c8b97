//! Users, workspaces, brand voice and membership (design document section 3.1).

use super::{Tier, Tone, UserId, WorkspaceId};
use crate::access::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A person who can act in workspaces.
///
/// `password_hash` is only set by servers that do their own password login (see the REST
/// example); it is skipped by `Debug` and serialization so it cannot leak into logs or API
/// responses.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Unique e-mail address.
    pub email: String,
    /// Password hash (argon2/bcrypt PHC string), never serialized.
    #[serde(skip)]
    pub password_hash: Option<String>,
    /// OAuth provider name when the user signed up through one.
    pub oauth_provider: Option<String>,
    /// The user's id at that provider.
    pub oauth_id: Option<String>,
    /// Subscription tier; selects LLM quotas.
    pub tier: Tier,
    /// Creation instant (UTC).
    pub created_at: DateTime<Utc>,
    /// Last update instant (UTC).
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .field("tier", &self.tier)
            .finish_non_exhaustive()
    }
}

impl User {
    /// A new user with the given e-mail on the free tier.
    pub fn new(email: impl Into<String>) -> Self {
        let now = Utc::now();
        User {
            id: UserId::new(),
            email: email.into(),
            password_hash: None,
            oauth_provider: None,
            oauth_id: None,
            tier: Tier::Free,
            created_at: now,
            updated_at: now,
        }
    }
}

/// How a workspace sounds: injected into every generation prompt, and checked after
/// generation (banned words must be absent).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct BrandVoice {
    /// Default tone when a request does not name one.
    pub tone: Option<Tone>,
    /// Free-text style guide ("short sentences, no jargon").
    pub style: String,
    /// Words and phrases to work in where natural.
    pub keywords: Vec<String>,
    /// Words that must never appear in generated text.
    pub banned_words: Vec<String>,
}

/// A team's space: content, accounts, segments and analytics all belong to one workspace.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    /// Id.
    pub id: WorkspaceId,
    /// The user who created it (always a member with role owner).
    pub owner_id: UserId,
    /// Display name.
    pub name: String,
    /// Brand voice.
    pub brand_voice: BrandVoice,
    /// IANA time zone used for calendars, insights and "best time to post"; instants are
    /// always stored in UTC.
    pub timezone: String,
    /// Creation instant (UTC).
    pub created_at: DateTime<Utc>,
}

/// A user's membership of a workspace.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Workspace.
    pub workspace_id: WorkspaceId,
    /// User.
    pub user_id: UserId,
    /// Role, which decides the permissions.
    pub role: Role,
}
