//! Platform text engine: counting in each platform's unit, entity extraction, thread
//! splitting, fitting and platform encodings. Pure functions, no I/O.
//!
//! Why it exists: the most common reason a scheduled post fails is text the platform will not
//! take — over the limit in the platform's own unit, a URL split across thread parts, a
//! LinkedIn post silently cut at an unescaped `(`, Bluesky links that stay plain text because
//! no facet was sent. Every other part of ContentOS (generation, adaptation, publishers,
//! prediction) asks this module instead of counting `str::len()`.
//!
//! - [`PlatformRules`]: the one table of limits, units, thread models and hashtag caps.
//! - [`measure`] / [`measure_with`]: length in the platform's unit, limit, remaining, validity
//!   and the first overflowing byte. X follows twitter-text config v3 ([`x_weighted_length`]).
//! - [`extract_entities`]: URLs (with and without scheme, TLD-aware), hashtags, mentions and
//!   cashtags with byte and UTF-16 ranges, following twitter-text's extraction rules.
//! - [`split_thread`]: thread parts that each fit, broken at paragraph, sentence, word, then
//!   grapheme boundaries, never inside an entity, with optional `i/n` numbering and opener.
//! - [`fit_to_platform`]: one post from a long text (TextRank sentence selection, keeps the call
//!   to action and the first URL, never cuts mid-word).
//! - Encodings: [`linkedin_escape`] (little text), [`bluesky_facets`] (UTF-8 byte offsets),
//!   [`cap_hashtags`] (Instagram's 30).
//!
//! See `docs/text-engine.md` for sources and known differences from the platforms.

mod bluesky;
mod chars;
mod count;
mod entities;
mod fit;
mod hashtags;
mod linkedin;
mod measure;
mod rules;
mod split;
mod url;

pub use bluesky::{bluesky_facets, Facet, FacetFeature};
pub use count::x_weighted_length;
pub use entities::{extract_entities, Entity, EntityKind};
pub use fit::{fit_to_platform, fit_with, FitOptions, Fitted};
pub use hashtags::{cap_hashtags, cap_hashtags_for};
pub use linkedin::linkedin_escape;
pub use measure::{measure, measure_with, Measurement, Violation};
pub use rules::{PlatformRules, MASTODON_DEFAULT_MAX_CHARACTERS, URL_RESERVED_LENGTH};
pub use split::{numbering_label, split_thread, split_thread_with, Numbering, SplitOptions};
