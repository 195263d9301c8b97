//! Platform text engine: counting in each platform's unit, entity extraction, thread
//! splitting, fitting and platform encodings. Pure functions, no I/O.
//!
//! Why it exists: the most common reason a scheduled post fails is text the platform will not
//! take — over the limit in the platform's own unit, a URL split across thread parts, a
//! LinkedIn post silently cut at an unescaped `(`, Bluesky links that stay plain text because
//! no facet was sent. Every other part of ContentOS (generation, adaptation, publishers,
//! prediction) asks this module instead of counting `str::len()`.
//!
//! - [`measure`] / [`measure_with`]: length in the platform's unit, limit, remaining, validity
//!   and the first overflowing byte. X follows twitter-text config v3 ([`x_weighted_length`]).
//! - [`extract_entities`]: URLs (with and without scheme, TLD-aware), hashtags, mentions and
//!   cashtags with byte and UTF-16 ranges, following twitter-text's extraction rules.
//! - [`PlatformRules`]: the one table of limits, units and thread models.

mod chars;
mod count;
mod entities;
mod measure;
mod rules;
mod url;

pub use count::x_weighted_length;
pub use entities::{extract_entities, Entity, EntityKind};
pub use measure::{measure, measure_with, Measurement, Violation};
pub use rules::{PlatformRules, MASTODON_DEFAULT_MAX_CHARACTERS, URL_RESERVED_LENGTH};
