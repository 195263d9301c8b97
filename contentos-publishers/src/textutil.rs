//! Minimal text functions the adapters need: length in each platform's unit, URL / mention /
//! hashtag detection with UTF-8 byte offsets (Bluesky facets) and LinkedIn little-text escaping.
//!
//! Why here: the full text engine (`contentos_core::text`) is developed separately; every adapter
//! calls only the functions of this module, so switching to the engine is a change of this one
//! file. The rules follow PLATFORMS.md §2.7 (twitter-text v3 weights, URL = 23, graphemes and
//! bytes for Bluesky, code points with URL weighting for Mastodon, emoji as UTF-8 bytes for
//! Threads).

use unicode_segmentation::UnicodeSegmentation;

/// A span of text found by [`entities`], as UTF-8 byte offsets (start inclusive, end exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset after the last byte.
    pub end: usize,
    /// What was found.
    pub kind: EntityKind,
}

/// The kind of an [`Entity`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityKind {
    /// A URL (with `http(s)://`, or starting `www.`); the value is the full URI to link to.
    Url(String),
    /// A mention; the value is the handle without `@`.
    Mention(String),
    /// A hashtag; the value is the tag without `#`.
    Tag(String),
}

const TRAILING_PUNCT: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '}', '"', '\'', '>'];

/// Finds URLs, `@handle` mentions (handles containing a dot, as on Bluesky and Mastodon
/// `@user@host`) and `#hashtags`, in order, without overlaps.
pub fn entities(text: &str) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut offset = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let token = word.trim_end_matches(char::is_whitespace);
        let start = offset;
        offset += word.len();
        if token.is_empty() {
            continue;
        }
        // Allow an opening bracket/quote before the entity.
        let lead = token.len() - token.trim_start_matches(['(', '[', '"', '\'']).len();
        let body = &token[lead..];
        let body = body.trim_end_matches(TRAILING_PUNCT);
        if body.is_empty() {
            continue;
        }
        let s = start + lead;
        let lower = body.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            if body.len() > body.find("://").unwrap_or(0) + 3 {
                out.push(Entity {
                    start: s,
                    end: s + body.len(),
                    kind: EntityKind::Url(body.to_string()),
                });
            }
        } else if lower.starts_with("www.") && body.len() > 4 && body[4..].contains('.') {
            out.push(Entity {
                start: s,
                end: s + body.len(),
                kind: EntityKind::Url(format!("https://{body}")),
            });
        } else if let Some(handle) = body.strip_prefix('@') {
            let valid = !handle.is_empty()
                && handle.contains('.')
                && !handle.starts_with('.')
                && handle.chars().all(|c| {
                    c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '@' || c == '_'
                });
            if valid {
                out.push(Entity {
                    start: s,
                    end: s + body.len(),
                    kind: EntityKind::Mention(handle.to_string()),
                });
            }
        } else if let Some(tag) = body.strip_prefix('#') {
            let valid = !tag.is_empty()
                && !tag.chars().all(|c| c.is_ascii_digit())
                && tag.chars().all(|c| c.is_alphanumeric() || c == '_')
                && tag.graphemes(true).count() <= 64;
            if valid {
                out.push(Entity {
                    start: s,
                    end: s + body.len(),
                    kind: EntityKind::Tag(tag.to_string()),
                });
            }
        }
    }
    out
}

fn is_emoji_scalar(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2300..=0x23FF | 0x2B00..=0x2BFF
        | 0xFE0F | 0x200D | 0x20E3 | 0xE0020..=0xE007F)
}

fn grapheme_is_emoji(g: &str) -> bool {
    g.chars().any(|c| {
        let u = c as u32;
        (0x1F000..=0x1FAFF).contains(&u)
            || (0x2600..=0x27BF).contains(&u)
            || u == 0xFE0F
            || u == 0x20E3
    }) && g
        .chars()
        .all(|c| is_emoji_scalar(c) || c.is_ascii_alphanumeric() || c == '#' || c == '*')
}

fn twitter_weight(c: char) -> usize {
    let u = c as u32;
    if u <= 4351
        || (8192..=8205).contains(&u)
        || (8208..=8223).contains(&u)
        || (8242..=8247).contains(&u)
    {
        1
    } else {
        2
    }
}

/// twitter-text v3 weighted length: URLs 23, emoji sequences 2, code points in the light ranges
/// 1, everything else 2.
pub fn twitter_weighted_len(text: &str) -> usize {
    weighted(text, 23, |g| {
        if grapheme_is_emoji(g) {
            2
        } else {
            g.chars().map(twitter_weight).sum()
        }
    })
}

/// Code points, with every URL counting `url_length` (Mastodon `characters_reserved_per_url`).
pub fn code_points_url_weighted(text: &str, url_length: usize) -> usize {
    weighted(text, url_length, |g| g.chars().count())
}

/// Code points (LinkedIn, Instagram).
pub fn code_points(text: &str) -> usize {
    text.chars().count()
}

/// Extended grapheme clusters (Bluesky's `maxGraphemes`).
pub fn graphemes(text: &str) -> usize {
    text.graphemes(true).count()
}

/// Threads: characters, with each emoji counted as its UTF-8 byte length.
pub fn threads_len(text: &str) -> usize {
    text.graphemes(true)
        .map(|g| {
            if grapheme_is_emoji(g) {
                g.len()
            } else {
                g.chars().count()
            }
        })
        .sum()
}

/// Number of hashtags (Instagram caps them at 30).
pub fn hashtag_count(text: &str) -> usize {
    entities(text)
        .iter()
        .filter(|e| matches!(e.kind, EntityKind::Tag(_)))
        .count()
}

fn weighted(text: &str, url_len: usize, grapheme_weight: impl Fn(&str) -> usize) -> usize {
    let urls: Vec<(usize, usize)> = entities(text)
        .into_iter()
        .filter(|e| matches!(e.kind, EntityKind::Url(_)))
        .map(|e| (e.start, e.end))
        .collect();
    let mut total = 0;
    let mut pos = 0;
    for (s, e) in urls {
        total += text[pos..s]
            .graphemes(true)
            .map(&grapheme_weight)
            .sum::<usize>();
        total += url_len;
        pos = e;
    }
    total
        + text[pos..]
            .graphemes(true)
            .map(&grapheme_weight)
            .sum::<usize>()
}

/// LinkedIn little-text escaping of `commentary`: every reserved character
/// (`\ | { } @ [ ] ( ) < > # * _ ~`) is backslash-escaped, because LinkedIn silently truncates a
/// post at the first unescaped one. Hashtags (`#word`) are kept as hashtags.
pub fn linkedin_escape(text: &str) -> String {
    let tags: Vec<usize> = entities(text)
        .into_iter()
        .filter(|e| matches!(e.kind, EntityKind::Tag(_)))
        .map(|e| e.start)
        .collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let reserved = matches!(
            c,
            '\\' | '|'
                | '{'
                | '}'
                | '@'
                | '['
                | ']'
                | '('
                | ')'
                | '<'
                | '>'
                | '#'
                | '*'
                | '_'
                | '~'
        );
        if reserved && !(c == '#' && tags.contains(&i)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bluesky_docs_worked_example_offsets() {
        let text = "✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR.";
        let e = entities(text);
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!((e[0].start, e[0].end), (23, 35));
        assert_eq!(e[0].kind, EntityKind::Mention("atproto.com".into()));
        assert_eq!((e[1].start, e[1].end), (74, 108));
        assert_eq!(
            e[1].kind,
            EntityKind::Url("https://en.wikipedia.org/wiki/CBOR".into())
        );
    }

    #[test]
    fn tags_and_non_tags() {
        let e = entities("#rust is #1 but (#tokio) and a#b");
        let tags: Vec<_> = e
            .iter()
            .filter_map(|x| match &x.kind {
                EntityKind::Tag(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(tags, vec!["rust", "tokio"]);
    }

    #[test]
    fn twitter_weights() {
        assert_eq!(twitter_weighted_len("hello"), 5);
        assert_eq!(twitter_weighted_len("日本"), 4);
        assert_eq!(
            twitter_weighted_len("see https://example.com/a/very/long/path"),
            4 + 23
        );
        assert_eq!(twitter_weighted_len("👨‍👩‍👧"), 2);
    }

    #[test]
    fn threads_counts_emoji_bytes() {
        assert_eq!(threads_len("hi 😀"), 3 + 4);
    }

    #[test]
    fn mastodon_urls() {
        assert_eq!(
            code_points_url_weighted("a https://x.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 23),
            2 + 23
        );
    }

    #[test]
    fn linkedin_escapes_reserved_keeps_hashtags() {
        assert_eq!(
            linkedin_escape("Hi (all) @bob #rust a_b"),
            "Hi \\(all\\) \\@bob #rust a\\_b"
        );
    }
}
