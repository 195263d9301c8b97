//! Plain data: the entities of the design document's section 3 as serde types.
//!
//! Nothing here does I/O. Ids are typed UUID v7 ([`ids`]); vocabularies are enums with stable
//! wire names ([`enums`], [`Platform`]); instants are UTC `chrono::DateTime<Utc>`.

mod account;
mod analytics;
mod artifact;
mod content;
mod enums;
mod ids;
mod platform;
mod schedule;
mod segment;
mod workspace;

pub use account::{AccountStatus, SocialAccount};
pub use analytics::AnalyticsRow;
pub use artifact::StoredModel;
pub use content::{
    Content, ContentPatch, ContentQuery, ContentWithVariations, Metadata, NewContent, NewVariation,
    Page, Variation,
};
pub use enums::{ContentStatus, ContentType, Format, Length, Tier, Tone};
pub use ids::{
    AccountId, AnalyticsId, ContentId, ScheduledPostId, SegmentId, UserId, VariationId, WorkspaceId,
};
pub use platform::Platform;
pub use schedule::{PartReceipt, PostStatus, ScheduledPost};
pub use segment::{AudienceSegment, NewSegment};
pub use workspace::{BrandVoice, Member, User, Workspace};
