//! Length counting in each platform's own unit, with where the text first overflows.

use super::chars::{is_invalid_char, is_pictographic};
use super::url::find_urls;
use crate::publish::LengthUnit;
use std::borrow::Cow;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// twitter-text config v3 weight scale (weights are in hundredths).
const X_SCALE: usize = 100;
/// Weight of code points outside the light ranges (CJK, emoji, …).
const X_DEFAULT_WEIGHT: usize = 200;
/// Code-point ranges weighing 1 (config v3 `ranges`).
const X_LIGHT_RANGES: [(u32, u32); 4] = [(0, 4351), (8192, 8205), (8208, 8223), (8242, 8247)];
/// What every URL counts on X (`transformedURLLength`).
const X_URL_LENGTH: usize = 23;

/// The result of counting one text in one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Count {
    /// Length in the unit.
    pub length: usize,
    /// Byte offset (in the caller's text) of the first grapheme that makes the length exceed
    /// the limit, if any.
    pub overflow: Option<usize>,
    /// The text contains a character the platform rejects (X: U+FFFE, U+FEFF, U+FFFF).
    pub invalid_char: bool,
}

/// X's weighted length of `text` under twitter-text config v3: NFC first, every URL 23,
/// code points in the light ranges 1, everything else 2, and a whole emoji sequence 2.
pub fn x_weighted_length(text: &str) -> usize {
    count_x(text, usize::MAX).length
}

fn x_char_weight(c: char) -> usize {
    let cp = u32::from(c);
    if X_LIGHT_RANGES
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&cp))
    {
        X_SCALE
    } else {
        X_DEFAULT_WEIGHT
    }
}

/// Whether a grapheme cluster of several code points is one emoji (ZWJ family, skin tone,
/// flag, keycap, emoji presentation), which twitter-text counts as a single weight-2 unit.
pub(crate) fn is_emoji_sequence(grapheme: &str) -> bool {
    let mut chars = grapheme.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let Some(second) = chars.next() else {
        return false;
    };
    if is_pictographic(first) {
        return true;
    }
    // Keycaps: digit, `#` or `*`, optional VS16, then U+20E3.
    matches!(first, '0'..='9' | '#' | '*')
        && (second == '\u{20E3}' || grapheme.ends_with('\u{20E3}'))
}

/// Counts `text` on X; `limit` is the weighted maximum used for the overflow position.
pub(crate) fn count_x(text: &str, limit: usize) -> Count {
    let normalized: Cow<str> = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    let s = normalized.as_ref();
    let limit_units = limit.saturating_mul(X_SCALE);
    let mut units = 0usize;
    let mut overflow = None;
    let mut invalid_char = false;
    let mut pos = 0;
    let mut add = |at: usize, weight: usize, units: &mut usize| {
        *units += weight;
        if overflow.is_none() && *units > limit_units {
            overflow = Some(at);
        }
    };
    for url in find_urls(s) {
        for (i, g) in s[pos..url.range.start].grapheme_indices(true) {
            let w = grapheme_weight(g, &mut invalid_char);
            add(pos + i, w, &mut units);
        }
        add(url.range.start, X_URL_LENGTH * X_SCALE, &mut units);
        pos = url.range.end;
    }
    for (i, g) in s[pos..].grapheme_indices(true) {
        let w = grapheme_weight(g, &mut invalid_char);
        add(pos + i, w, &mut units);
    }
    let overflow = match (&normalized, overflow) {
        (Cow::Owned(norm), Some(at)) => Some(map_grapheme_offset(norm, at, text)),
        (_, at) => at,
    };
    Count {
        length: units / X_SCALE,
        overflow,
        invalid_char,
    }
}

fn grapheme_weight(g: &str, invalid_char: &mut bool) -> usize {
    if g.chars().any(is_invalid_char) {
        *invalid_char = true;
    }
    if is_emoji_sequence(g) {
        X_DEFAULT_WEIGHT
    } else {
        g.chars().map(x_char_weight).sum()
    }
}

/// Maps a grapheme start in the NFC form back to the same grapheme in the original text
/// (normalisation composes within clusters, so cluster indices line up).
fn map_grapheme_offset(normalized: &str, at: usize, original: &str) -> usize {
    let index = normalized
        .grapheme_indices(true)
        .take_while(|(i, _)| *i < at)
        .count();
    original
        .grapheme_indices(true)
        .nth(index)
        .map_or(original.len(), |(i, _)| i)
}

/// Counts `text` in `unit` against `limit`; `max_bytes` of [`LengthUnit::GraphemesAndBytes`]
/// also sets the overflow position.
pub(crate) fn count(unit: LengthUnit, text: &str, limit: usize) -> Count {
    match unit {
        LengthUnit::TwitterWeighted => count_x(text, limit),
        LengthUnit::GraphemesAndBytes { max_bytes } => {
            let mut length = 0;
            let mut overflow = None;
            for (i, g) in text.grapheme_indices(true) {
                length += 1;
                if overflow.is_none() && (length > limit || i + g.len() > max_bytes) {
                    overflow = Some(i);
                }
            }
            Count {
                length,
                overflow,
                invalid_char: false,
            }
        }
        LengthUnit::CodePointsUrlWeighted { url_length } => {
            let mut length = 0;
            let mut overflow = None;
            let mut pos = 0;
            let mut step = |at: usize, n: usize, length: &mut usize| {
                *length += n;
                if overflow.is_none() && *length > limit {
                    overflow = Some(at);
                }
            };
            for url in find_urls(text).into_iter().filter(|u| u.has_scheme) {
                for (i, g) in text[pos..url.range.start].grapheme_indices(true) {
                    step(pos + i, g.chars().count(), &mut length);
                }
                step(url.range.start, url_length, &mut length);
                pos = url.range.end;
            }
            for (i, g) in text[pos..].grapheme_indices(true) {
                step(pos + i, g.chars().count(), &mut length);
            }
            Count {
                length,
                overflow,
                invalid_char: false,
            }
        }
        LengthUnit::CharactersEmojiAsBytes => graphemes_weighted(text, limit, |g| {
            if g.chars().next().is_some_and(is_pictographic) {
                g.len()
            } else {
                g.chars().count()
            }
        }),
        LengthUnit::CodePoints => graphemes_weighted(text, limit, |g| g.chars().count()),
    }
}

fn graphemes_weighted(text: &str, limit: usize, weight: impl Fn(&str) -> usize) -> Count {
    let mut length = 0;
    let mut overflow = None;
    for (i, g) in text.grapheme_indices(true) {
        length += weight(g);
        if overflow.is_none() && length > limit {
            overflow = Some(i);
        }
    }
    Count {
        length,
        overflow,
        invalid_char: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_v3_weights() {
        assert_eq!(x_weighted_length("hello"), 5);
        assert_eq!(x_weighted_length("你好"), 4);
        assert_eq!(x_weighted_length("Hi http://test.co"), 26);
        assert_eq!(x_weighted_length("👨\u{200D}❤\u{FE0F}\u{200D}👨"), 2);
        assert_eq!(x_weighted_length("1\u{FE0F}\u{20E3}"), 2);
        // Decomposed "Á" (A + U+0301) is NFC-normalised to one code point.
        assert_eq!(x_weighted_length("A\u{301}B"), 2);
    }

    #[test]
    fn overflow_maps_back_through_normalisation() {
        let text = format!("{}A\u{301}xyz", "a".repeat(279));
        let c = count_x(&text, 280);
        assert_eq!(c.length, 283);
        // 279 a's + Á fill 280; the first overflowing grapheme is "x".
        assert_eq!(c.overflow, Some(279 + 3));
    }
}
