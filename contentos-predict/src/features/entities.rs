//! Minimal hashtag / mention / URL counting for the text statistics.
//!
//! Stop-gap: the platform text engine's `contentos_core::text::extract_entities` (twitter-text
//! rules, TLD-aware URLs) was not yet on this branch's base when this was written; swap
//! [`count_entities`] for it once merged. Rules here: a hashtag is `#` + word characters (at
//! least one non-digit) not preceded by a word character; a mention is `@` + `[A-Za-z0-9_]`
//! not preceded by a word character; a URL is a token starting with `http://`, `https://` or
//! `www.`, or a token with a dot-separated host ending in a common TLD followed by `/`.

/// Counts of the three entity kinds in one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct EntityCounts {
    pub(crate) hashtags: usize,
    pub(crate) mentions: usize,
    pub(crate) urls: usize,
}

const TLDS: &[&str] = &[
    "com", "org", "net", "io", "co", "ly", "gov", "edu", "me", "app", "dev", "ai", "uk", "de",
    "fr", "us", "ca", "info", "biz", "tv",
];

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_url_token(token: &str) -> bool {
    if !token.contains('.') {
        return false;
    }
    let lower = token.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return lower.len() > 8;
    }
    let host = lower.split('/').next().unwrap_or("");
    if !lower.contains('/') || !host.contains('.') {
        return false;
    }
    let tld = host.rsplit('.').next().unwrap_or("");
    TLDS.contains(&tld) && host.len() > tld.len() + 1
}

/// Counts hashtags, mentions and URLs in `text`.
pub(crate) fn count_entities(text: &str) -> EntityCounts {
    let mut counts = EntityCounts::default();
    for token in text.split(char::is_whitespace).filter(|t| !t.is_empty()) {
        let trimmed =
            token.trim_matches(|c: char| matches!(c, '(' | ')' | '"' | '\'' | ',' | '<' | '>'));
        if is_url_token(trimmed) {
            counts.urls += 1;
            continue;
        }
        let mut prev: Option<char> = None;
        for (i, c) in token.char_indices() {
            let sign = matches!(c, '#' | '@' | '＃') && !prev.is_some_and(is_word);
            prev = Some(c);
            if !sign {
                continue;
            }
            let body = token[i + c.len_utf8()..]
                .split(|b: char| !is_word(b))
                .next()
                .unwrap_or("");
            if body.is_empty() {
                continue;
            }
            if c == '@' {
                if body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    counts.mentions += 1;
                }
            } else if body.chars().any(|b| !b.is_ascii_digit()) {
                counts.hashtags += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_kind() {
        let c = count_entities("Big news #launch #AI @acme see https://x.com/a and www.site.org, example.com/p #1 a@b.c");
        assert_eq!(
            c,
            EntityCounts {
                hashtags: 2,
                mentions: 1,
                urls: 3
            }
        );
    }

    #[test]
    fn ignores_lone_symbols_and_embedded_signs() {
        let c = count_entities("# @ C# me@example rate#5");
        assert_eq!(c, EntityCounts::default());
    }
}
