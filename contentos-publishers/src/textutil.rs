//! Text lengths in each platform's unit and LinkedIn little-text escaping, for the adapters'
//! validation and encoding.
//!
//! Why a module of one-liners: every adapter calls only these functions, and they all delegate
//! to the platform text engine (`contentos_core::text`), so the publishers count exactly as
//! generation and scheduling do — a post that was fitted never fails validation here.

use contentos_core::model::Platform;
use contentos_core::text::{self, EntityKind, PlatformRules};

/// twitter-text v3 weighted length (URLs 23, CJK and emoji 2).
pub fn twitter_weighted_len(t: &str) -> usize {
    text::x_weighted_length(t)
}

/// Code points with every URL counting `url_length` (Mastodon's `characters_reserved_per_url`).
pub fn code_points_url_weighted(t: &str, url_length: usize) -> usize {
    text::measure_with(&PlatformRules::mastodon_instance(usize::MAX, url_length), t).length
}

/// Unicode code points (LinkedIn, Instagram).
pub fn code_points(t: &str) -> usize {
    t.chars().count()
}

/// Extended grapheme clusters, Bluesky's unit.
pub fn graphemes(t: &str) -> usize {
    text::measure(Platform::Bluesky, t).length
}

/// Threads' unit: characters with emoji counted as their UTF-8 bytes.
pub fn threads_len(t: &str) -> usize {
    text::measure(Platform::Threads, t).length
}

/// Hashtags in the text (Instagram caps them at 30).
pub fn hashtag_count(t: &str) -> usize {
    text::extract_entities(t)
        .iter()
        .filter(|e| e.kind == EntityKind::Hashtag)
        .count()
}

/// LinkedIn little-text escaping of reserved characters, keeping mention/hashtag templates.
pub fn linkedin_escape(t: &str) -> String {
    text::linkedin_escape(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delegates_count_in_platform_units() {
        assert_eq!(
            twitter_weighted_len("hi https://example.com/very/long/path"),
            3 + 23
        );
        assert_eq!(
            code_points_url_weighted("see https://example.com/a/b/c", 23),
            4 + 23
        );
        assert_eq!(graphemes("👨‍❤️‍👨 ok"), 4);
        assert_eq!(threads_len("a😀"), 1 + 4);
        assert_eq!(hashtag_count("#one two #three #4"), 2);
        assert_eq!(linkedin_escape("a (b)"), "a \\(b\\)");
    }
}
