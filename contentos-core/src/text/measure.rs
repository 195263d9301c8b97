//! `measure`: one call that says whether a text fits a platform, in the platform's unit.

use super::count::count;
use super::entities::{extract_entities, EntityKind};
use super::rules::PlatformRules;
use crate::model::Platform;
use crate::publish::LengthUnit;
use serde::{Deserialize, Serialize};

/// Why a text does not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Violation {
    /// Empty or only white space (platforms reject it).
    Empty,
    /// Longer than the limit in the platform's unit.
    TooLong,
    /// More UTF-8 bytes than the platform stores (Bluesky: 3000).
    TooManyBytes,
    /// More hashtags than the platform allows (Instagram: 30).
    TooManyHashtags,
    /// A character the platform refuses (X: U+FFFE, U+FEFF, U+FFFF).
    InvalidCharacter,
}

/// The length of a text in one platform's unit, against its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measurement {
    /// The platform measured for.
    pub platform: Platform,
    /// The unit `length` and `limit` are in.
    pub unit: LengthUnit,
    /// Length in the platform's unit (X: weighted; Bluesky: graphemes; Mastodon: code points
    /// with URLs at their reserved length; …).
    pub length: usize,
    /// The platform's limit in the same unit.
    pub limit: usize,
    /// `limit - length`; negative when over.
    pub remaining: i64,
    /// Whether the platform will accept the text (no [`Violation`]).
    pub valid: bool,
    /// Byte offset of the first grapheme that no longer fits (length or byte cap), so an editor
    /// can highlight the overflow and a splitter knows where to cut.
    pub first_overflow_byte: Option<usize>,
    /// UTF-8 size of the text.
    pub utf8_bytes: usize,
    /// Hashtags found (twitter-text rules).
    pub hashtags: usize,
    /// Everything that makes the text invalid, empty when `valid`.
    pub violations: Vec<Violation>,
}

/// Measures `text` for `platform` with its default rules ([`PlatformRules::of`]).
pub fn measure(platform: Platform, text: &str) -> Measurement {
    measure_with(&PlatformRules::of(platform), text)
}

/// Measures `text` against explicit rules: a Mastodon instance's own limit
/// ([`PlatformRules::mastodon_instance`]), X Premium's longer posts, LinkedIn comments.
pub fn measure_with(rules: &PlatformRules, text: &str) -> Measurement {
    measure_against(rules, text, rules.max_length)
}

/// Measures against an explicit `limit` in the rules' unit (thread follow-ups use this).
pub(crate) fn measure_against(rules: &PlatformRules, text: &str, limit: usize) -> Measurement {
    let counted = count(rules.unit, text, limit);
    let mut violations = Vec::new();
    if text.trim().is_empty() {
        violations.push(Violation::Empty);
    }
    if counted.length > limit {
        violations.push(Violation::TooLong);
    }
    if let LengthUnit::GraphemesAndBytes { max_bytes } = rules.unit {
        if text.len() > max_bytes {
            violations.push(Violation::TooManyBytes);
        }
    }
    if counted.invalid_char {
        violations.push(Violation::InvalidCharacter);
    }
    let hashtags = if text.contains(['#', '\u{FF03}']) {
        extract_entities(text)
            .iter()
            .filter(|e| e.kind == EntityKind::Hashtag)
            .count()
    } else {
        0
    };
    if rules.max_hashtags.is_some_and(|max| hashtags > max) {
        violations.push(Violation::TooManyHashtags);
    }
    Measurement {
        platform: rules.platform,
        unit: rules.unit,
        length: counted.length,
        limit,
        remaining: limit as i64 - counted.length as i64,
        valid: violations.is_empty(),
        first_overflow_byte: counted.overflow,
        utf8_bytes: text.len(),
        hashtags,
        violations,
    }
}

/// Whether `text` fits `limit` in the rules' unit (ignores the hashtag cap and emptiness).
pub(crate) fn fits(rules: &PlatformRules, text: &str, limit: usize) -> bool {
    let counted = count(rules.unit, text, limit);
    let bytes_ok = match rules.unit {
        LengthUnit::GraphemesAndBytes { max_bytes } => text.len() <= max_bytes,
        _ => true,
    };
    counted.length <= limit && bytes_ok && !counted.invalid_char
}
