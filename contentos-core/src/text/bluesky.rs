//! Bluesky rich-text facets (links, mentions, tags) with UTF-8 byte offsets.
//!
//! Bluesky does not auto-link: without a link facet a URL is plain text. Facet offsets are
//! byte offsets into the UTF-8 text (start inclusive, end exclusive) and must not overlap
//! (`bsky-docs` advanced-guides/post-richtext.md). Mentions carry the handle; the publisher
//! resolves it to a DID (`com.atproto.identity.resolveHandle`) and skips unresolvable ones.

use super::url::find_urls;
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::ops::Range;
use std::sync::LazyLock;

/// Longest tag Bluesky accepts, in characters.
const MAX_TAG_CHARS: usize = 64;

/// What a facet annotates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FacetFeature {
    /// `app.bsky.richtext.facet#link`; scheme-less URLs get `https://`.
    Link {
        /// The target URI.
        uri: String,
    },
    /// `app.bsky.richtext.facet#mention`, before DID resolution.
    Mention {
        /// The handle without `@` (e.g. `atproto.com`).
        handle: String,
    },
    /// `app.bsky.richtext.facet#tag`.
    Tag {
        /// The tag without `#` (≤ 64 characters).
        tag: String,
    },
}

/// One facet: a byte range of the post text and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    /// First byte (inclusive) in the UTF-8 text.
    pub byte_start: usize,
    /// End byte (exclusive).
    pub byte_end: usize,
    /// What the range is.
    pub feature: FacetFeature,
}

impl Facet {
    /// The facet as it goes into an `app.bsky.feed.post` record. Mentions need the DID the
    /// publisher resolved for the handle; without one (unresolvable handle) this returns
    /// `None` and the mention stays plain text, as Bluesky recommends.
    pub fn to_record(&self, mention_did: Option<&str>) -> Option<Value> {
        let feature = match &self.feature {
            FacetFeature::Link { uri } => {
                json!({"$type": "app.bsky.richtext.facet#link", "uri": uri})
            }
            FacetFeature::Tag { tag } => {
                json!({"$type": "app.bsky.richtext.facet#tag", "tag": tag})
            }
            FacetFeature::Mention { .. } => {
                json!({"$type": "app.bsky.richtext.facet#mention", "did": mention_did?})
            }
        };
        Some(json!({
            "index": {"byteStart": self.byte_start, "byteEnd": self.byte_end},
            "features": [feature],
        }))
    }
}

/// `@handle.domain` as in the Bluesky docs: DNS labels, last label starting with a letter.
static HANDLE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^A-Za-z0-9_])(@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?))",
    )
    .ok()
});

/// Byte ranges of `@handle.domain` mentions (the `@` included) and the handles.
pub(crate) fn handles(text: &str) -> Vec<(Range<usize>, String)> {
    let Some(re) = HANDLE.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for caps in re.captures_iter(text) {
        let (Some(all), Some(handle)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        // The last label must end the handle (not be cut off by the 63-character cap).
        let follows = text[all.end()..].chars().next();
        if follows.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
            continue;
        }
        out.push((all.range(), handle.as_str().to_string()));
    }
    out
}

/// Byte ranges of Bluesky handle mentions (used to keep the splitter from cutting them).
pub(crate) fn handle_ranges(text: &str) -> Vec<Range<usize>> {
    if !text.contains('@') {
        return Vec::new();
    }
    handles(text).into_iter().map(|(r, _)| r).collect()
}

fn is_tag_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{2060}' | '\u{200A}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{20E2}'
    )
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '\u{3001}'..='\u{3003}'
            | '\u{3008}'..='\u{3011}' | '\u{FF01}'..='\u{FF0F}' | '\u{A1}' | '\u{A7}' | '\u{AB}'
            | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}')
}

/// Tags as the Bluesky app detects them: `#` after start or white space, up to white space,
/// trailing punctuation dropped, not only digits, at most 64 characters.
fn tags(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for (at, c) in text.char_indices() {
        if c != '#' && c != '\u{FF03}' {
            continue;
        }
        if text[..at]
            .chars()
            .next_back()
            .is_some_and(|p| !p.is_whitespace())
        {
            continue;
        }
        let body_start = at + c.len_utf8();
        if text[body_start..].starts_with('\u{FE0F}') {
            continue;
        }
        let body_len = text[body_start..]
            .char_indices()
            .find(|(_, b)| b.is_whitespace() || is_tag_invisible(*b))
            .map_or(text.len() - body_start, |(i, _)| i);
        let body = text[body_start..body_start + body_len].trim_end_matches(is_punctuation);
        let meaningful = body
            .chars()
            .any(|b| !(b.is_numeric() || b.is_whitespace() || is_punctuation(b)));
        if body.is_empty() || !meaningful || body.chars().count() > MAX_TAG_CHARS {
            continue;
        }
        out.push((at..body_start + body.len(), body.to_string()));
    }
    out
}

/// Link, mention and tag facets for a Bluesky post, sorted and non-overlapping (on overlap the
/// earlier-starting facet wins; links win ties).
pub fn bluesky_facets(text: &str) -> Vec<Facet> {
    let mut all: Vec<Facet> = Vec::new();
    for url in find_urls(text) {
        let written = &text[url.range.clone()];
        let uri = if url.has_scheme {
            written.to_string()
        } else {
            format!("https://{written}")
        };
        all.push(Facet {
            byte_start: url.range.start,
            byte_end: url.range.end,
            feature: FacetFeature::Link { uri },
        });
    }
    for (range, handle) in handles(text) {
        all.push(Facet {
            byte_start: range.start,
            byte_end: range.end,
            feature: FacetFeature::Mention { handle },
        });
    }
    for (range, tag) in tags(text) {
        all.push(Facet {
            byte_start: range.start,
            byte_end: range.end,
            feature: FacetFeature::Tag { tag },
        });
    }
    all.sort_by_key(|f| f.byte_start);
    let mut kept: Vec<Facet> = Vec::with_capacity(all.len());
    for facet in all {
        if kept
            .last()
            .is_some_and(|prev| prev.byte_end > facet.byte_start)
        {
            continue;
        }
        kept.push(facet);
    }
    kept
}
