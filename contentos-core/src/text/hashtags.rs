//! Hashtag caps (Instagram rejects captions with more than 30 hashtags).

use super::entities::{extract_entities, EntityKind};
use super::rules::PlatformRules;
use crate::model::Platform;

/// Removes every hashtag after the first `max` (with the space before it), keeping the rest
/// of the text as written. Which hashtags count follows twitter-text's rules.
pub fn cap_hashtags(text: &str, max: usize) -> String {
    let tags: Vec<_> = extract_entities(text)
        .into_iter()
        .filter(|e| e.kind == EntityKind::Hashtag)
        .skip(max)
        .map(|e| e.byte_range)
        .collect();
    if tags.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for range in tags {
        let mut start = range.start;
        // Take one preceding space with the tag so "a #b #c" becomes "a #b", not "a #b ".
        if text[pos..start].ends_with(' ') {
            start -= 1;
        }
        out.push_str(&text[pos..start]);
        pos = range.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// [`cap_hashtags`] with the platform's cap from the rules table (unchanged text when the
/// platform has none).
pub fn cap_hashtags_for(platform: Platform, text: &str) -> String {
    match PlatformRules::of(platform).max_hashtags {
        Some(max) => cap_hashtags(text, max),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instagram_keeps_first_thirty() {
        let text: String = (0..35).map(|i| format!("#tag{i} ")).collect();
        let capped = cap_hashtags_for(Platform::Instagram, text.trim_end());
        assert!(capped.ends_with("#tag29"), "{capped}");
        assert_eq!(
            crate::text::measure(Platform::Instagram, &capped).hashtags,
            30
        );
        assert!(!crate::text::measure(Platform::Instagram, &text).valid);
    }
}
