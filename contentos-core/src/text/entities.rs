//! Entity extraction (URLs, hashtags, mentions, cashtags) following twitter-text's rules.

use super::chars::{
    is_hashtag_alnum, is_latin_accent, is_letter_or_mark, is_twitter_punct, is_twitter_space,
};
use super::url::find_urls;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// What an [`Entity`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A link, with or without scheme (`https://x.com/a`, `example.com`).
    Url,
    /// `#tag`.
    Hashtag,
    /// `@user` (or `@user/list`).
    Mention,
    /// `$TICKER`.
    Cashtag,
}

/// One entity found in text.
///
/// Ranges are byte offsets into the UTF-8 text (what Rust slicing and Bluesky facets use);
/// `utf16_range` gives the same span in UTF-16 code units for JavaScript callers, whose
/// `String.slice` counts those.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// What the entity is.
    pub kind: EntityKind,
    /// The entity's text without its leading `#`, `@` or `$` (URLs as written).
    pub text: String,
    /// Byte range in the text, sigil included.
    pub byte_range: Range<usize>,
    /// The same span in UTF-16 code units.
    pub utf16_range: Range<usize>,
}

impl Entity {
    /// The UTF-16 range of the entity (for JavaScript `String.slice`).
    pub fn utf16_range(&self) -> Range<usize> {
        self.utf16_range.clone()
    }
}

/// All entities in `text`, in order and non-overlapping, as twitter-text's
/// `extractEntitiesWithIndices` finds them: URLs (scheme-less ones only for known TLDs),
/// hashtags (letters required, not after a letter or digit), mentions (`@` + 1–20 of
/// `[A-Za-z0-9_]`, optional `/list`), cashtags (`$` + 1–6 letters, optional `.xx`).
pub fn extract_entities(text: &str) -> Vec<Entity> {
    let mut raw: Vec<(EntityKind, Range<usize>, Range<usize>)> = Vec::new();
    for url in find_urls(text) {
        raw.push((EntityKind::Url, url.range.clone(), url.range));
    }
    for (all, body) in find_mentions(text) {
        raw.push((EntityKind::Mention, all, body));
    }
    for (all, body) in find_hashtags(text) {
        raw.push((EntityKind::Hashtag, all, body));
    }
    for (all, body) in find_cashtags(text) {
        raw.push((EntityKind::Cashtag, all, body));
    }
    // Stable sort by start, then drop anything overlapping the previous kept entity.
    raw.sort_by_key(|(_, all, _)| all.start);
    let mut kept: Vec<(EntityKind, Range<usize>, Range<usize>)> = Vec::with_capacity(raw.len());
    for item in raw {
        if kept.last().is_some_and(|prev| prev.1.end > item.1.start) {
            continue;
        }
        kept.push(item);
    }
    let mut utf16 = Utf16Index::new(text);
    kept.into_iter()
        .map(|(kind, all, body)| Entity {
            kind,
            text: text[body].to_string(),
            utf16_range: utf16.at(all.start)..utf16.at(all.end),
            byte_range: all,
        })
        .collect()
}

/// Converts increasing byte offsets to UTF-16 offsets in one pass.
struct Utf16Index<'a> {
    text: &'a str,
    byte: usize,
    unit: usize,
}

impl<'a> Utf16Index<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            byte: 0,
            unit: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.unit = 0;
        }
        let slice = self.text.get(self.byte..byte).unwrap_or("");
        self.unit += slice.chars().map(char::len_utf16).sum::<usize>();
        self.byte = byte;
        self.unit
    }
}

fn char_before(text: &str, at: usize) -> Option<(usize, char)> {
    text[..at].char_indices().next_back()
}

fn is_at_sign(c: char) -> bool {
    c == '@' || c == '\u{FF20}'
}

fn is_hash_sign(c: char) -> bool {
    c == '#' || c == '\u{FF03}'
}

/// Mentions: `(whole range, name range)`.
fn find_mentions(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut search = 0;
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        if at < search || !is_at_sign(c) || !mention_preceding_ok(text, at, search) {
            continue;
        }
        let name_start = at + c.len_utf8();
        let name_len = bytes[name_start..]
            .iter()
            .take(20)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if name_len == 0 {
            continue;
        }
        let mut end = name_start + name_len;
        if bytes.get(end) == Some(&b'/') && bytes.get(end + 1).is_some_and(u8::is_ascii_alphabetic)
        {
            let list_len = bytes[end + 2..]
                .iter()
                .take(24)
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
                .count();
            end += 2 + list_len;
        }
        search = end;
        let after = &text[end..];
        let blocked = after.starts_with("://")
            || after
                .chars()
                .next()
                .is_some_and(|n| is_at_sign(n) || is_latin_accent(n));
        if !blocked {
            out.push((at..end, name_start..end));
        }
    }
    out
}

fn mention_preceding_ok(text: &str, at: usize, search: usize) -> bool {
    let Some((prev_at, prev)) = char_before(text, at) else {
        return search == 0;
    };
    if prev_at >= search
        && !(prev.is_ascii_alphanumeric()
            || matches!(prev, '_' | '!' | '#' | '$' | '%' | '&' | '*')
            || is_at_sign(prev))
    {
        return true;
    }
    // Retweet prefix: `RT@user`, `RT:@user` (preceded by start or a non-word character).
    let head = &text[..at];
    let head = head.strip_suffix(':').unwrap_or(head);
    if head.len() >= 2 && head.as_bytes()[head.len() - 2..].eq_ignore_ascii_case(b"rt") {
        let rt_start = head.len() - 2;
        return match char_before(text, rt_start) {
            None => search == 0,
            Some((p_at, p)) => {
                p_at >= search
                    && !(p.is_ascii_alphanumeric() || matches!(p, '_' | '+' | '~' | '.' | '-'))
            }
        };
    }
    false
}

/// Hashtags: `(whole range, tag range)`.
fn find_hashtags(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut search = 0;
    for (at, c) in text.char_indices() {
        if at < search || !is_hash_sign(c) {
            continue;
        }
        let preceding_ok = match char_before(text, at) {
            None => search == 0,
            Some((p_at, p)) => {
                p_at >= search
                    && (p == '\u{FE0E}' || p == '\u{FE0F}' || !(is_hashtag_alnum(p) || p == '&'))
            }
        };
        if !preceding_ok {
            continue;
        }
        let body_start = at + c.len_utf8();
        if text[body_start..].starts_with(['\u{FE0F}', '\u{20E3}']) {
            continue;
        }
        let mut body_end = body_start;
        let mut has_alpha = false;
        for (i, b) in text[body_start..].char_indices() {
            if !is_hashtag_alnum(b) {
                break;
            }
            has_alpha |= is_letter_or_mark(b);
            body_end = body_start + i + b.len_utf8();
        }
        if body_end == body_start || !has_alpha {
            continue;
        }
        search = body_end;
        let after = &text[body_end..];
        if after.starts_with("://") || after.starts_with(is_hash_sign) {
            continue;
        }
        out.push((at..body_end, body_start..body_end));
    }
    out
}

/// JavaScript's `\s`.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// Cashtags: `(whole range, symbol range)`.
fn find_cashtags(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut search = 0;
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        if at < search || c != '$' {
            continue;
        }
        let preceding_ok = match char_before(text, at) {
            None => search == 0,
            Some((p_at, p)) => p_at >= search && is_twitter_space(p),
        };
        if !preceding_ok {
            continue;
        }
        let start = at + 1;
        let letters = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let ends_ok = |end: usize| {
            text[end..]
                .chars()
                .next()
                .map_or(true, |n| is_js_space(n) || is_twitter_punct(n))
        };
        let mut found = None;
        'outer: for n in (1..=letters.min(6)).rev() {
            let base = start + n;
            if n == letters && matches!(bytes.get(base), Some(b'.' | b'_')) {
                let suffix = bytes[base + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                for m in (1..=suffix.min(2)).rev() {
                    if ends_ok(base + 1 + m) {
                        found = Some(base + 1 + m);
                        break 'outer;
                    }
                }
            }
            if ends_ok(base) {
                found = Some(base);
                break;
            }
        }
        if let Some(end) = found {
            search = end;
            out.push((at..end, start..end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(EntityKind, String)> {
        extract_entities(text)
            .into_iter()
            .map(|e| (e.kind, e.text))
            .collect()
    }

    #[test]
    fn mixed_entities_in_order() {
        let got = kinds("RT @jack: $TWTR up, see #news at https://t.co/abc123 #2024");
        assert_eq!(
            got,
            vec![
                (EntityKind::Mention, "jack".to_string()),
                (EntityKind::Cashtag, "TWTR".to_string()),
                (EntityKind::Hashtag, "news".to_string()),
                (EntityKind::Url, "https://t.co/abc123".to_string()),
            ]
        );
    }

    #[test]
    fn utf16_ranges_count_surrogates() {
        let e = extract_entities("😀 #tag");
        assert_eq!(e[0].byte_range, 5..9);
        assert_eq!(e[0].utf16_range(), 3..7);
    }
}
