//! Typed ids: a `ContentId` can never be passed where a `WorkspaceId` is expected.
//!
//! Every id is a UUID v7, so ids sort by creation time — which keeps B-tree inserts local and
//! makes "newest first" pagination cheap on both Store backends.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $entity:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered (UUID v7) id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }

            /// The entity name used in errors (`"workspace"`, `"content"`, …).
            pub const ENTITY: &'static str = $entity;
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s)
                    .map($name)
                    .map_err(|_| crate::Error::validation(concat!($entity, "_id"), "a UUID"))
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    };
}

typed_id!(
    /// Identifies a [`User`](super::User).
    UserId, "user"
);
typed_id!(
    /// Identifies a [`Workspace`](super::Workspace).
    WorkspaceId, "workspace"
);
typed_id!(
    /// Identifies a [`Content`](super::Content) item.
    ContentId, "content"
);
typed_id!(
    /// Identifies a [`Variation`](super::Variation) of a content item.
    VariationId, "variation"
);
typed_id!(
    /// Identifies an [`AudienceSegment`](super::AudienceSegment).
    SegmentId, "segment"
);
typed_id!(
    /// Identifies a connected [`SocialAccount`](super::SocialAccount).
    AccountId, "account"
);
typed_id!(
    /// Identifies a [`ScheduledPost`](super::ScheduledPost).
    ScheduledPostId, "scheduled_post"
);
typed_id!(
    /// Identifies an [`AnalyticsRow`](super::AnalyticsRow).
    AnalyticsId, "analytics"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_parse() {
        let a = ContentId::new();
        let b = ContentId::new();
        assert!(a < b);
        let parsed: ContentId = a.to_string().parse().unwrap();
        assert_eq!(parsed, a);
        let err = "nope".parse::<WorkspaceId>().unwrap_err();
        assert!(err.to_string().contains("workspace_id"));
    }
}
