//! The social platforms ContentOS adapts to and publishes on.

use super::enums::wire_enum;

wire_enum!(
    /// A social platform. Its wire name follows the design document (`"twitter"` for X), and
    /// `"x"` is accepted as an alias.
    ///
    /// Platform-specific rules (limits, units, thread model) live in one table in
    /// [`crate::text`], so adding a platform is one entry there plus an adapter.
    Platform, "platform" {
        /// X (formerly Twitter), API v2.
        X = "twitter" | "x",
        /// LinkedIn Posts API.
        LinkedIn = "linkedin",
        /// Bluesky (AT Protocol).
        Bluesky = "bluesky",
        /// Mastodon (any instance).
        Mastodon = "mastodon",
        /// Meta Threads.
        Threads = "threads",
        /// Instagram (Graph API content publishing).
        Instagram = "instagram",
    }
);
