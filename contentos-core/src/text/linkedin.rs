//! LinkedIn "little text" escaping for the Posts API `commentary` field.
//!
//! LinkedIn accepts an unescaped reserved character, answers 201, and silently truncates the
//! post at it. Every reserved character `\ | { } @ [ ] ( ) < > # * _ ~` is therefore escaped
//! with a backslash, except inside the templates the author means:
//! mentions `@[Display Name](urn:li:person:123)` / `urn:li:organization:…` and hashtag
//! templates `{hashtag|\#|tag}`. A plain `#tag` (twitter-text hashtag rules) becomes the
//! hashtag template so it stays a clickable hashtag.

use super::entities::{extract_entities, EntityKind};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

const RESERVED: [char; 15] = [
    '\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~',
];

static TEMPLATES: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"@\[[^\[\]\n]{1,200}\]\(urn:li:[A-Za-z]+:[A-Za-z0-9_:,()-]+?\)|\{hashtag\|\\#\|[^{}|\s]+\}").ok()
});

/// Escapes `text` for LinkedIn's little-text `commentary`, keeping intended mention and
/// hashtag templates (see the module docs).
pub fn linkedin_escape(text: &str) -> String {
    let mut keep: Vec<(Range<usize>, Option<String>)> = Vec::new();
    if let Some(re) = TEMPLATES.as_ref() {
        for m in re.find_iter(text) {
            keep.push((m.range(), None));
        }
    }
    for e in extract_entities(text) {
        if e.kind != EntityKind::Hashtag || keep.iter().any(|(r, _)| overlaps(r, &e.byte_range)) {
            continue;
        }
        keep.push((e.byte_range, Some(format!("{{hashtag|\\#|{}}}", e.text))));
    }
    keep.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut pos = 0;
    for (range, replacement) in keep {
        if range.start < pos {
            continue;
        }
        escape_into(&text[pos..range.start], &mut out);
        match replacement {
            Some(r) => out.push_str(&r),
            None => out.push_str(&text[range.clone()]),
        }
        pos = range.end;
    }
    escape_into(&text[pos..], &mut out);
    out
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_reserved_and_keeps_templates() {
        let text = "Hi @[Ada Lovelace](urn:li:person:123) (see <docs>) #rust a_b*c~ {x} | \\ [1]";
        assert_eq!(
            linkedin_escape(text),
            "Hi @[Ada Lovelace](urn:li:person:123) \\(see \\<docs\\>\\) {hashtag|\\#|rust} a\\_b\\*c\\~ \\{x\\} \\| \\\\ \\[1\\]"
        );
    }

    #[test]
    fn existing_hashtag_template_is_untouched() {
        assert_eq!(
            linkedin_escape("{hashtag|\\#|AI} now"),
            "{hashtag|\\#|AI} now"
        );
    }
}
