//! Surface statistics of a post: length, sentences, questions, calls to action, entities,
//! emoji and shouting.
//!
//! These are the cheap, explainable signals of design section 5.3 that sit next to readability
//! and sentiment in the feature vector. Word and sentence counts use textstat's rules (see
//! [`super::readability`]) so they agree with the readability scores computed from them.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use unicode_properties::UnicodeEmoji;

use super::entities::count_entities;
use super::pycompat::is_upper;
#[cfg(test)]
use super::pycompat::lower_into;
use super::readability::{lexicon_count, sentence_count};

const CTA_LEXICON: &str = include_str!("../../data/cta_lexicon.txt");

/// Call-to-action phrases indexed by their first word.
pub(crate) fn cta_phrases() -> &'static FxHashMap<&'static str, Vec<Vec<&'static str>>> {
    static CTA: OnceLock<FxHashMap<&'static str, Vec<Vec<&'static str>>>> = OnceLock::new();
    CTA.get_or_init(|| {
        let mut map: FxHashMap<&'static str, Vec<Vec<&'static str>>> = FxHashMap::default();
        for line in CTA_LEXICON.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&'static str> = line
                .split(|c: char| !is_cta_char(c))
                .filter(|w| !w.is_empty())
                .collect();
            if let Some(first) = words.first() {
                map.entry(*first).or_default().push(words);
            }
        }
        map
    })
}

pub(crate) fn is_cta_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '\'';
    }
    !super::pycompat::is_classless_symbol(c) && c.is_alphanumeric()
}

/// Surface statistics of one text. Build with [`TextStats::of`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TextStats {
    /// Unicode scalar values (what Python's `len(str)` returns).
    pub chars: usize,
    /// Words by textstat's `lexicon_count` rules.
    pub words: usize,
    /// Sentences by textstat's `sentence_count` rules.
    pub sentences: usize,
    /// Questions: runs of `?`/`!` that contain a `?` (`"Really?!"` and `"??"` count once).
    pub questions: usize,
    /// Exclamations: runs of `?`/`!` that contain a `!` and no `?`.
    pub exclamations: usize,
    /// Call-to-action phrases from the embedded lexicon (`data/cta_lexicon.txt`), matched on
    /// whole words, case-insensitively.
    pub cta: usize,
    /// `#hashtags`.
    pub hashtags: usize,
    /// `@mentions`.
    pub mentions: usize,
    /// Links (with or without scheme).
    pub urls: usize,
    /// Emoji, counting a ZWJ sequence, a flag, a keycap or an emoji with modifiers as one.
    pub emoji: usize,
    /// Share of whitespace-separated tokens with at least two letters that are ALL CAPS
    /// (0.0 when there are none): a proxy for shouting.
    pub all_caps_ratio: f64,
}

impl TextStats {
    /// Computes all statistics of `text` in a few linear passes.
    pub fn of(text: &str) -> Self {
        Self::with_counts(text, lexicon_count(text), sentence_count(text))
    }

    /// Like [`TextStats::of`], reusing word and sentence counts already computed for
    /// readability (see [`super::readability::ReadabilityCounts`]) instead of counting again.
    pub fn with_counts(text: &str, words: usize, sentences: usize) -> Self {
        let entities = count_entities(text);
        let (questions, exclamations) = punctuation_runs(text);
        let (caps, cased) = caps_counts(text);
        TextStats {
            chars: text.chars().count(),
            words,
            sentences,
            questions,
            exclamations,
            cta: cta_count(text),
            hashtags: entities.hashtags,
            mentions: entities.mentions,
            urls: entities.urls,
            emoji: emoji_count(text),
            all_caps_ratio: if cased == 0 {
                0.0
            } else {
                caps as f64 / cased as f64
            },
        }
    }
}

fn punctuation_runs(text: &str) -> (usize, usize) {
    let (mut questions, mut exclamations) = (0, 0);
    let (mut in_run, mut has_q) = (false, false);
    for c in text.chars().chain(std::iter::once(' ')) {
        match c {
            '?' | '!' => {
                in_run = true;
                has_q |= c == '?';
            }
            _ => {
                if in_run {
                    if has_q {
                        questions += 1;
                    } else {
                        exclamations += 1;
                    }
                }
                in_run = false;
                has_q = false;
            }
        }
    }
    (questions, exclamations)
}

fn caps_counts(text: &str) -> (usize, usize) {
    let (mut caps, mut eligible) = (0, 0);
    for token in text.split_whitespace() {
        if token.chars().filter(|c| c.is_alphabetic()).take(2).count() < 2 {
            continue;
        }
        eligible += 1;
        if is_upper(token) {
            caps += 1;
        }
    }
    (caps, eligible)
}

/// Calls to action (see [`TextStats::cta`]), by the coded fast path of [`super::cta`].
pub(crate) fn cta_count(text: &str) -> usize {
    super::cta::count(text)
}

/// Greedy longest-phrase matching over `n` lower-cased words (`word(i)` is the i-th): at each
/// word, the longest lexicon phrase that starts there counts once and is skipped over.
#[cfg(test)]
fn count_phrases<'w>(n: usize, word: impl Fn(usize) -> &'w str) -> usize {
    let phrases = cta_phrases();
    let mut count = 0;
    let mut i = 0;
    while i < n {
        let matched = phrases.get(word(i)).and_then(|candidates| {
            candidates
                .iter()
                .filter(|p| {
                    i + p.len() <= n && p.iter().enumerate().all(|(k, w)| word(i + k) == *w)
                })
                .map(|p| p.len())
                .max()
        });
        match matched {
            Some(len) => {
                count += 1;
                i += len;
            }
            None => i += 1,
        }
    }
    count
}

/// The reference rule (any text): lower-case, typographic apostrophes as ASCII ones, split into
/// words on anything but alphanumerics and `'`, then greedy longest-phrase matching.
#[cfg(test)]
fn cta_count_unicode(text: &str) -> usize {
    let mut lowered = String::with_capacity(text.len());
    lower_into(text, &mut lowered);
    // Typographic apostrophes behave like ASCII ones in "don’t miss".
    let normalized;
    let source = if lowered.contains('\u{2019}') {
        normalized = lowered.replace('\u{2019}', "'");
        normalized.as_str()
    } else {
        lowered.as_str()
    };
    let words: Vec<&str> = source
        .split(|c: char| !is_cta_char(c))
        .filter(|w| !w.is_empty())
        .collect();
    count_phrases(words.len(), |i| words[i])
}

/// Emoji in `text` (see [`TextStats::emoji`]): runs of ASCII are skipped eight bytes at a time
/// and only non-ASCII characters are decoded; equal to [`emoji_count_chars`] by test.
pub(crate) fn emoji_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut prev_zwj = false;
    let mut pending_regional = false;
    let mut i = 0;
    loop {
        // An ASCII run: never an emoji itself, and it ends any ZWJ join or flag pairing.
        let run = ascii_run(&bytes[i..]);
        if run > 0 {
            i += run;
            prev_zwj = false;
            pending_regional = false;
        }
        // `i` is a char boundary: every step advances by whole characters.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if ('\u{1f1e6}'..='\u{1f1ff}').contains(&c) {
            if !pending_regional {
                count += 1;
            }
            pending_regional = !pending_regional;
        } else {
            pending_regional = false;
            if c == '\u{20e3}' {
                count += 1;
            } else if !prev_zwj && c.is_emoji_char() && !c.is_emoji_component() {
                let presented = text[i + len..].starts_with('\u{fe0f}');
                if presented || (c as u32) >= 0x1f000 || is_common_bmp_emoji(c) {
                    count += 1;
                }
            }
        }
        prev_zwj = c == '\u{200d}';
        i += len;
    }
    count
}

/// Length of the run of ASCII bytes at the start of `bytes`.
#[inline]
fn ascii_run(bytes: &[u8]) -> usize {
    let mut n = 0;
    while n + 8 <= bytes.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[n..n + 8]);
        let high = u64::from_le_bytes(word) & 0x8080_8080_8080_8080;
        if high != 0 {
            return n + (high.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < bytes.len() && bytes[n] < 0x80 {
        n += 1;
    }
    n
}

/// The character-by-character emoji rule (the reference for [`emoji_count`]).
#[cfg(test)]
fn emoji_count_chars(text: &str) -> usize {
    if text.is_ascii() {
        return 0;
    }
    let mut count = 0;
    let mut prev: Option<char> = None;
    let mut pending_regional = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let joined = prev == Some('\u{200d}');
        if ('\u{1f1e6}'..='\u{1f1ff}').contains(&c) {
            // Regional indicators pair up into one flag.
            if !pending_regional {
                count += 1;
            }
            pending_regional = !pending_regional;
        } else {
            pending_regional = false;
            if c == '\u{20e3}' {
                // Keycap: "1", optional U+FE0F, U+20E3.
                count += 1;
            } else if !c.is_ascii() && !joined && c.is_emoji_char() && !c.is_emoji_component() {
                let presented = chars.peek() == Some(&'\u{fe0f}');
                let default_emoji = (c as u32) >= 0x1f000;
                if presented || default_emoji || is_common_bmp_emoji(c) {
                    count += 1;
                }
            }
        }
        prev = Some(c);
    }
    count
}

/// BMP emoji that platforms render as emoji even without U+FE0F (☀ ☕ ⚡ ✅ ❤ ⭐ …).
fn is_common_bmp_emoji(c: char) -> bool {
    matches!(c as u32, 0x2600..=0x27bf | 0x2b50 | 0x2b55 | 0x231a | 0x231b | 0x23e9..=0x23f3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{generated_texts, golden_texts};

    #[test]
    fn counts_a_typical_post() {
        let s = TextStats::of(
            "BIG news today!!! Our app is LIVE 🚀🚀 Click the link in bio, don’t miss out? #launch @acme https://acme.io/x",
        );
        assert_eq!(s.chars, 107); // Python: len(text) == 107
        assert_eq!(s.hashtags, 1);
        assert_eq!(s.mentions, 1);
        assert_eq!(s.urls, 1);
        assert_eq!(s.emoji, 2);
        assert_eq!(s.questions, 1);
        assert_eq!(s.exclamations, 1);
        // "click the link" consumes "link", so "link in bio" does not match too; then "don't miss".
        assert_eq!(s.cta, 2);
        // tokens with >= 2 letters: BIG news today!!! Our app is LIVE Click the link in bio,
        // don’t miss out? #launch @acme https://acme.io/x -> 18, of which BIG and LIVE are caps
        assert!(
            (s.all_caps_ratio - 2.0 / 18.0).abs() < 1e-12,
            "{}",
            s.all_caps_ratio
        );
    }

    #[test]
    fn emoji_sequences_count_once() {
        assert_eq!(emoji_count("👨‍👩‍👧 👍🏽 🇫🇷 1️⃣ ❤️ ☀ © x"), 6);
        assert_eq!(emoji_count("plain text 123 #"), 0);
    }

    #[test]
    fn byte_level_emoji_count_equals_the_character_rule() {
        let mut texts = golden_texts();
        let pieces = [
            "a",
            "1",
            "#",
            " ",
            "\u{200d}",
            "\u{fe0f}",
            "\u{20e3}",
            "👨",
            "👩",
            "👍",
            "🏽",
            "🇫",
            "🇷",
            "❤",
            "☀",
            "©",
            "é",
            "学",
            "abcdefghij",
            "🚀",
        ];
        texts.extend(generated_texts(
            0x9E37_79B9_7F4A_7C15,
            20_000,
            10,
            &pieces,
            &[""],
        ));
        for t in &texts {
            assert_eq!(emoji_count(t), emoji_count_chars(t), "{t:?}");
        }
    }

    #[test]
    fn empty_text_is_all_zero() {
        assert_eq!(TextStats::of(""), TextStats::default());
    }

    #[test]
    fn coded_cta_count_equals_the_reference_rule() {
        // Every lexicon phrase in varied case, spacing and punctuation, next to near misses,
        // plus random mixes of lexicon words: both paths must count alike.
        let phrases: Vec<String> = cta_phrases()
            .values()
            .flatten()
            .map(|p| p.join(" "))
            .collect();
        let mut texts: Vec<String> = Vec::new();
        for p in &phrases {
            texts.push(p.clone());
            texts.push(p.to_uppercase());
            texts.push(format!("Please, {}!!! now", p.replace(' ', " ,  ")));
            texts.push(format!("x{p}"));
            texts.push(format!("{p}x and {p}"));
            texts.push(p.replace(' ', "-"));
        }
        let words: Vec<&str> = phrases
            .iter()
            .flat_map(|p| p.split(' '))
            .chain(["the", "link", "in", "bio", "a", "don't", "it's", "'", "42"])
            .collect();
        texts.extend(generated_texts(
            0x9e37_79b9_7f4a_7c15,
            5_000,
            12,
            &words,
            &[" ", ", ", "!", " - ", "  ", "'"],
        ));
        let mut matched = 0;
        for t in &texts {
            let fast = cta_count(t);
            assert_eq!(fast, cta_count_unicode(t), "{t:?}");
            matched += fast;
        }
        // Non-ASCII: typographic apostrophes, accented and cased letters around phrases, final
        // sigma, dotted capital I, Kelvin sign, emoji and CJK as separators or word parts.
        let extras = [
            "DON’T MISS this 🚀 Click Here",
            "don’t miss",
            "Ｃlick here",
            "İlearn more",
            "learn moreİ",
            "ΣLearn More",
            "learn ΑΣ.Α more",
            "café sign up now",
            "KLICK here",
            "Sign‑up now",
            "“Learn more”",
            "join us—today",
            "Join Us 🙌 now",
            "apply now…",
            "学learn more",
            "learn more学",
            "don’t’ miss",
            "Dm me",
            "DM ME!!!",
        ];
        let mut unicode_texts: Vec<String> = extras.iter().map(|t| t.to_string()).collect();
        for p in &phrases {
            unicode_texts.push(format!("É {} ü", p.to_uppercase().replace('\'', "’")));
        }
        unicode_texts.extend(golden_texts());
        let mut non_ascii = 0;
        for t in &unicode_texts {
            non_ascii += usize::from(!t.is_ascii());
            assert_eq!(cta_count(t), cta_count_unicode(t), "{t:?}");
        }
        assert!(
            non_ascii > 100,
            "the corpus must exercise non-ASCII texts: {non_ascii}"
        );
        assert!(
            matched >= phrases.len(),
            "every phrase alone must match: {matched}"
        );
    }
}
