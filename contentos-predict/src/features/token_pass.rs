//! The scoring path's single pass over a post's whitespace tokens.
//!
//! Four rules read a post word by word: VADER (tokens stripped of punctuation), textstat's words
//! and syllables (tokens with punctuation deleted), the call-to-action matcher (runs of
//! alphanumerics and apostrophes, which never cross whitespace) and the surface counts (links,
//! shouting). They all split on the same whitespace, so one walk over the tokens serves them
//! all: each token's class bits are read once into a [`Window`], every rule's question about it
//! is a bit operation on that window, and when two rules look at the same bytes (`Hello,` is
//! `hello` to VADER, to textstat and to the call-to-action lexicon alike) the word's key is read
//! from the text once.
//!
//! Tokens with non-ASCII characters or longer than 64 bytes go through each rule's own
//! per-token function. The results equal each rule's reference (`tests/v1_text_fast_path.rs`).

use super::cta;
use super::pycompat::is_classless_symbol;
use super::readability::{syllables_of_key, token_syllables, KEY_WORD_MAX};
use super::sentiment::{stripped_range, SentimentAnalyzer, Token};
use super::text_scan::{bounds, ones, TextScan, Window};
use super::word_table::scan_ascii_word;

/// What the token pass counts.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct TokenCounts {
    /// textstat's words (tokens with a kept character).
    pub words: usize,
    /// textstat's syllables of those words.
    pub syllables: usize,
    /// VADER compound.
    pub vader_compound: f64,
    /// Calls to action.
    pub cta: usize,
    /// Tokens that are links.
    pub urls: usize,
    /// Tokens with two letters or more…
    pub caps_eligible: usize,
    /// …of which ALL CAPS.
    pub caps: usize,
}

impl TokenCounts {
    /// Counts the tokens of the text `scan` classified.
    pub fn of(scan: &TextScan) -> Self {
        let analyzer = SentimentAnalyzer::shared();
        let mut counts = TokenCounts::default();
        let mut cta = 0;
        counts.vader_compound = analyzer.compound_from(scan, |tokens| {
            let mut added_bangs = 0;
            cta = cta::count_from(|codes| added_bangs = walk(scan, &mut counts, codes, tokens));
            added_bangs
        });
        counts.cta = cta;
        counts
    }
}

/// The pass: call-to-action codes into `codes`, VADER tokens into `tokens`; returns the `!`
/// that VADER's emoji descriptions added.
fn walk(
    scan: &TextScan,
    counts: &mut TokenCounts,
    codes: &mut Vec<u8>,
    tokens: &mut Vec<Token>,
) -> usize {
    let analyzer = SentimentAnalyzer::shared();
    let mut added_bangs = 0;
    scan.for_each_token(|start, end| {
        added_bangs += match scan.window(start, end) {
            Some(w) => counts.windowed_token(scan, &w, start, end, codes, tokens, analyzer),
            None => counts.other_token(scan, start, end, codes, tokens, analyzer),
        }
    });
    added_bangs
}

impl TokenCounts {
    /// A token of at most 64 bytes, from its window; returns the `!` VADER's emoji
    /// descriptions added. Each rule reads the bits when the bytes it looks at are ASCII (for
    /// most tokens, all of them; for a token with an emoji or a dash, all but VADER's) and
    /// takes its own per-token function otherwise.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn windowed_token(
        &mut self,
        scan: &TextScan,
        w: &Window,
        start: usize,
        end: usize,
        codes: &mut Vec<u8>,
        tokens: &mut Vec<Token>,
        analyzer: &SentimentAnalyzer,
    ) -> usize {
        let text = scan.text();
        let bytes = text.as_bytes();
        self.urls += usize::from(super::v1_text::is_url_start(&bytes[start..]));
        // Shouting: a non-ASCII letter (or any cased character: a test checks that they are
        // all alphanumeric) carries the `cta` bit, so without one the ASCII bits decide.
        if w.non_ascii & w.cta == 0 {
            self.count_caps(
                (w.upper | w.lower).count_ones() as usize,
                w.upper != 0,
                w.lower != 0,
            );
        } else {
            self.caps_of_chars(&text[start..end]);
        }

        // VADER's word: the token stripped of punctuation. (The scan declines texts with NUL.)
        let mut added_bangs = 0;
        let mut vader = None;
        if w.non_ascii == 0 {
            let (a, b) = stripped_range(w, start, end);
            let word = scan_ascii_word(bytes, a, b);
            // (Its look-up also gives the word's call-to-action code.)
            let token = analyzer.ascii_word_token(word, text, a, b, w.apostrophe != 0);
            tokens.push(token);
            vader = Some((a, b, word, token.cta_code()));
        } else {
            added_bangs = analyzer.push_tokens_of(&text[start..end], tokens);
        }

        // textstat's word: the kept characters, usually VADER's bytes again.
        if w.kept != 0 {
            self.words += 1;
            let (ka, kb) = bounds(w, w.kept);
            let contiguous = w.kept.count_ones() as usize == kb - ka;
            let key = if !contiguous || kb - ka > KEY_WORD_MAX || w.kept & w.non_ascii != 0 {
                None
            } else {
                match vader {
                    Some((a, b, word, _)) if (a, b) == (ka, kb) => word.map(|w| w.key),
                    _ => scan_ascii_word(bytes, ka, kb).map(|w| w.key),
                }
            };
            self.syllables += match key {
                Some(key) => syllables_of_key(key, kb - ka),
                None => token_syllables(&text[start..end]),
            };
        }

        // Call-to-action words: the runs of the `cta` bits, usually VADER's word again.
        if w.cta != 0 {
            match vader {
                Some((a, b, _, code)) if w.cta == w.bits(a, b) => codes.push(code),
                _ => {
                    let mut runs = w.cta;
                    while runs != 0 {
                        let first = runs.trailing_zeros();
                        let len = (!(runs >> first)).trailing_zeros();
                        // 1 <= len <= 64: a run lies within the token.
                        let run = ones(len as usize) << first;
                        let (ra, rb) = (w.at(first), w.at(first + len));
                        if run & w.non_ascii == 0 {
                            codes.push(cta::code_of(scan_ascii_word(bytes, ra, rb)));
                        } else {
                            cta::push_codes(&text[ra..rb], codes);
                        }
                        runs &= !run;
                    }
                }
            }
        }
        added_bangs
    }

    /// Counts a token with `letters` letters for `all_caps_ratio`.
    #[inline(always)]
    fn count_caps(&mut self, letters: usize, upper: bool, lower: bool) {
        if letters >= 2 {
            self.caps_eligible += 1;
            self.caps += usize::from(upper && !lower);
        }
    }

    /// [`Self::count_caps`] of a token read character by character.
    fn caps_of_chars(&mut self, token: &str) {
        let (mut letters, mut upper, mut lower) = (0usize, false, false);
        for c in token.chars() {
            if is_classless_symbol(c) {
                continue; // (not alphabetic, not cased)
            }
            letters += usize::from(c.is_alphabetic());
            upper |= c.is_uppercase();
            lower |= c.is_lowercase();
        }
        self.count_caps(letters, upper, lower);
    }

    /// A token longer than 64 bytes: each rule's own per-token function; returns the `!` VADER's emoji
    /// descriptions added.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn other_token(
        &mut self,
        scan: &TextScan,
        start: usize,
        end: usize,
        codes: &mut Vec<u8>,
        tokens: &mut Vec<Token>,
        analyzer: &SentimentAnalyzer,
    ) -> usize {
        let text = scan.text();
        let token = &text[start..end];
        self.urls += usize::from(super::v1_text::is_url_start(token.as_bytes()));
        self.caps_of_chars(token);
        if scan.any(start, end, |b| b.kept) {
            self.words += 1;
            self.syllables += token_syllables(token);
        }
        cta::push_codes(token, codes);
        analyzer.push_tokens_of(token, tokens)
    }
}

#[cfg(test)]
mod tests {
    /// [`super::TokenCounts::windowed_token`] reads shouting from ASCII bits when no
    /// non-ASCII character of the token is alphanumeric: that needs every cased character to
    /// be alphanumeric.
    #[test]
    fn every_cased_character_is_alphanumeric() {
        let cased = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| c.is_uppercase() || c.is_lowercase());
        let mut n = 0;
        for c in cased {
            assert!(c.is_alphanumeric(), "{c:?} U+{:04X}", c as u32);
            n += 1;
        }
        assert!(n > 2000, "{n}");
    }
}
