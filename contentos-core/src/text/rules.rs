//! The one table of per-platform text rules.
//!
//! Every other function in [`crate::text`] reads its limits from here, so adding a platform is
//! one arm in [`PlatformRules::of`] (the `match` is exhaustive: the compiler points at it when a
//! [`Platform`] variant is added).

use crate::model::Platform;
use crate::publish::{LengthUnit, ThreadModel};

/// Mastodon's default `configuration.statuses.max_characters`.
pub const MASTODON_DEFAULT_MAX_CHARACTERS: usize = 500;
/// Mastodon's default `configuration.statuses.characters_reserved_per_url`, also X's
/// `transformedURLLength`.
pub const URL_RESERVED_LENGTH: usize = 23;

/// How one platform counts, limits and chains text.
///
/// Obtain the defaults with [`PlatformRules::of`]; adjust per account or instance with the
/// `with_*` builders (a Mastodon instance's own `max_characters`, X Premium's longer posts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlatformRules {
    /// The platform these rules describe.
    pub platform: Platform,
    /// The unit the platform counts length in.
    pub unit: LengthUnit,
    /// Maximum length of one post (the first part of a thread), in `unit`.
    pub max_length: usize,
    /// Maximum length of follow-up parts when it differs (LinkedIn comments: 1250).
    pub max_followup_length: Option<usize>,
    /// How the platform links the parts of a multi-part post.
    pub thread_model: ThreadModel,
    /// Maximum hashtags in one post, when the platform caps them (Instagram: 30).
    pub max_hashtags: Option<usize>,
    /// Whether a trailing `…` reads well on this platform when text is shortened. LinkedIn and
    /// Instagram already cut long posts with their own "…see more", so a second ellipsis looks
    /// broken there.
    pub ellipsis_reads_well: bool,
}

impl PlatformRules {
    /// The documented default rules of `platform` (sources in `PLATFORMS.md` §2.7).
    pub const fn of(platform: Platform) -> Self {
        match platform {
            Platform::X => Self {
                platform,
                unit: LengthUnit::TwitterWeighted,
                max_length: 280,
                max_followup_length: None,
                thread_model: ThreadModel::ReplyTo,
                max_hashtags: None,
                ellipsis_reads_well: true,
            },
            Platform::Bluesky => Self {
                platform,
                unit: LengthUnit::GraphemesAndBytes { max_bytes: 3000 },
                max_length: 300,
                max_followup_length: None,
                thread_model: ThreadModel::ReplyChain,
                max_hashtags: None,
                ellipsis_reads_well: true,
            },
            Platform::Mastodon => Self {
                platform,
                unit: LengthUnit::CodePointsUrlWeighted {
                    url_length: URL_RESERVED_LENGTH,
                },
                max_length: MASTODON_DEFAULT_MAX_CHARACTERS,
                max_followup_length: None,
                thread_model: ThreadModel::ReplyTo,
                max_hashtags: None,
                ellipsis_reads_well: true,
            },
            Platform::Threads => Self {
                platform,
                unit: LengthUnit::CharactersEmojiAsBytes,
                max_length: 500,
                max_followup_length: None,
                thread_model: ThreadModel::ReplyTo,
                max_hashtags: None,
                ellipsis_reads_well: true,
            },
            Platform::LinkedIn => Self {
                platform,
                unit: LengthUnit::CodePoints,
                max_length: 3000,
                max_followup_length: Some(1250),
                thread_model: ThreadModel::CommentUnderPost,
                max_hashtags: None,
                ellipsis_reads_well: false,
            },
            Platform::Instagram => Self {
                platform,
                unit: LengthUnit::CodePoints,
                max_length: 2200,
                max_followup_length: None,
                thread_model: ThreadModel::None,
                max_hashtags: Some(30),
                ellipsis_reads_well: false,
            },
        }
    }

    /// Rules for one Mastodon (or fork) instance, from its `/api/v2/instance`
    /// `configuration.statuses` (`max_characters`, `characters_reserved_per_url`). Forks such as
    /// Pleroma, Akkoma and GoToSocial use other limits, so publishers should read them.
    pub const fn mastodon_instance(
        max_characters: usize,
        characters_reserved_per_url: usize,
    ) -> Self {
        let mut rules = Self::of(Platform::Mastodon);
        rules.max_length = max_characters;
        rules.unit = LengthUnit::CodePointsUrlWeighted {
            url_length: characters_reserved_per_url,
        };
        rules
    }

    /// The same rules with another per-post limit (X Premium: 25,000; a Mastodon instance's
    /// own `max_characters`).
    pub const fn with_max_length(mut self, max_length: usize) -> Self {
        self.max_length = max_length;
        self
    }

    /// Limit that applies to part `index` (0-based) of a thread: follow-ups may differ
    /// (LinkedIn comments are capped at 1250 while the post takes 3000).
    pub fn limit_for_part(&self, index: usize) -> usize {
        match (index, self.max_followup_length) {
            (0, _) | (_, None) => self.max_length,
            (_, Some(followup)) => followup,
        }
    }

    /// Whether the platform can carry a multi-part thread at all.
    pub fn supports_threads(&self) -> bool {
        !matches!(self.thread_model, ThreadModel::None)
    }
}

impl From<Platform> for PlatformRules {
    fn from(platform: Platform) -> Self {
        Self::of(platform)
    }
}
