//! Readability at parity with textstat 0.7.13 (`lang="en_US"`, no rounding, its default).
//!
//! Notebook users compare against `textstat.flesch_reading_ease` / `flesch_kincaid_grade`, so
//! every count follows textstat's own rules:
//!
//! * **Words** ([`lexicon_count`]): delete each ASCII `'` not followed by `t`, `s`, `d`, `ve`,
//!   `ll` or `re` (case-sensitive, so `DON'T` becomes `DONT`), delete every other character that
//!   is neither a Python word character (`\w`) nor whitespace (`-`, `’`, emoji… so `e-mail` is
//!   one word `email`), then split on Python whitespace.
//! * **Sentences** ([`sentence_count`]): the matches of `\b[^.!?]+[.!?]*`, minus those with two
//!   words or fewer, at least 1 (0 for the empty string).
//! * **Syllables** ([`syllable_count`]): for each lower-cased word, the stressed vowels of its
//!   first CMU Pronouncing Dictionary pronunciation, else pyphen `hyph_en_US` hyphenation points
//!   + 1 (see [`super::hyphenation`]).
//!
//! The CMU data (126k words, `data/cmudict_syllables.txt`, produced from CMUdict by
//! `scripts/golden/cmu_setup.py`) is compiled in and indexed once, on first use.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::hyphenation::Hyphenator;
use super::pycompat::{is_space, is_word};

const CMU_SYLLABLES: &str = include_str!("../../data/cmudict_syllables.txt");

fn cmu() -> &'static FxHashMap<&'static str, u8> {
    static CMU: OnceLock<FxHashMap<&'static str, u8>> = OnceLock::new();
    CMU.get_or_init(|| {
        let mut map = FxHashMap::default();
        map.reserve(130_000);
        for line in CMU_SYLLABLES.lines() {
            if let Some((word, count)) = line.split_once('\t') {
                if let Ok(n) = count.parse::<u8>() {
                    map.insert(word, n);
                }
            }
        }
        map
    })
}

/// Loads the embedded dictionaries now instead of on the first call (useful before timing).
pub fn warm_up() {
    let _ = cmu();
    let _ = Hyphenator::shared();
}

/// textstat's `remove_punctuation(text, rm_apostrophe=False)` followed by `str.split()`:
/// calls `f` with each word, optionally lower-cased, using one reusable buffer.
fn for_each_word(text: &str, lowercase: bool, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut lowered = String::new();
    let mut flush = |word: &mut String| {
        if word.is_empty() {
            return;
        }
        if lowercase {
            super::pycompat::lower_into(word, &mut lowered);
            f(&lowered);
        } else {
            f(word);
        }
        word.clear();
    };
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if c == '\'' {
            // Kept only in contractions: followed by t, s, d, ve, ll or re.
            if apostrophe_kept(bytes, i) {
                word.push(c);
            }
        } else if is_space(c) {
            flush(&mut word);
        } else if is_word(c) {
            word.push(c);
        }
        // anything else is deleted without splitting the word
    }
    flush(&mut word);
}

/// Is the ASCII apostrophe at byte `i` kept (followed by `t`, `s`, `d`, `ve`, `ll` or `re`)?
#[inline]
fn apostrophe_kept(bytes: &[u8], i: usize) -> bool {
    let rest = &bytes[i + 1..];
    matches!(rest.first(), Some(b't' | b's' | b'd'))
        || rest.starts_with(b"ve")
        || rest.starts_with(b"ll")
        || rest.starts_with(b"re")
}

/// Words as textstat counts them (`textstat.lexicon_count(text)` with its defaults).
pub fn lexicon_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut count, mut in_word) = (0usize, false);
    for (i, c) in text.char_indices() {
        let kept = if c == '\'' {
            apostrophe_kept(bytes, i)
        } else if is_space(c) {
            in_word = false;
            false
        } else {
            is_word(c)
        };
        if kept && !in_word {
            count += 1;
            in_word = true;
        }
    }
    count
}

/// Sentences as textstat counts them (`textstat.sentence_count(text)`): fragments of at most
/// two words are not sentences, but any non-empty text has at least one.
pub fn sentence_count(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let is_term = |c: char| matches!(c, '.' | '!' | '?');
    let bytes = text.as_bytes();
    let (mut sentences, mut ignored) = (0usize, 0usize);
    // `re.findall(r"\b[^.!?]+[.!?]*", text)`: a match starts at a word boundary on a
    // non-terminator, takes all non-terminators, then all terminators.
    let mut prev_word = false;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let word = is_word(c);
        if prev_word == word || is_term(c) {
            prev_word = word;
            continue;
        }
        // Count the match's words as textstat's `count_words(sentence)` would, in the same
        // pass (apostrophe look-ahead never crosses the match end: see `apostrophe_kept`).
        let mut words = 0usize;
        let mut in_word = false;
        let mut count = |i: usize, d: char| {
            let kept = if d == '\'' {
                apostrophe_kept(bytes, i)
            } else if is_space(d) {
                in_word = false;
                false
            } else {
                is_word(d)
            };
            if kept && !in_word {
                words += 1;
                in_word = true;
            }
        };
        count(start, c);
        let mut last = c;
        while let Some(&(i, d)) = chars.peek() {
            if is_term(d) {
                break;
            }
            count(i, d);
            last = d;
            chars.next();
        }
        // Terminators are neither kept nor whitespace: they add no words.
        while let Some(&(_, d)) = chars.peek() {
            if !is_term(d) {
                break;
            }
            last = d;
            chars.next();
        }
        prev_word = is_word(last);
        sentences += 1;
        if words <= 2 {
            ignored += 1;
        }
    }
    sentences.saturating_sub(ignored).max(1)
}

/// Syllables of one lower-case word as textstat counts them: CMU dictionary first, else
/// hyphenation points + 1.
pub fn word_syllables(word: &str) -> usize {
    match cmu().get(word) {
        Some(&n) => n as usize,
        None => Hyphenator::shared().positions_count(word) + 1,
    }
}

/// `len(Pyphen(lang="en_US").positions(word))`: hyphenation points with at least two characters
/// on each side, the fallback textstat uses (+ 1) for words missing from the CMU dictionary.
pub fn hyphenation_points(word: &str) -> usize {
    Hyphenator::shared().positions_count(word)
}

/// Total syllables of `text` (`textstat.syllable_count(text)`).
pub fn syllable_count(text: &str) -> usize {
    let mut n = 0;
    for_each_word(text, true, |w| n += word_syllables(w));
    n
}

/// The three counts every readability formula needs, computed once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadabilityCounts {
    /// [`lexicon_count`]
    pub words: usize,
    /// [`sentence_count`]
    pub sentences: usize,
    /// [`syllable_count`]
    pub syllables: usize,
}

impl ReadabilityCounts {
    /// Counts words, sentences and syllables of `text` with textstat's rules.
    pub fn of(text: &str) -> Self {
        let (mut words, mut syllables) = (0usize, 0usize);
        for_each_word(text, true, |w| {
            words += 1;
            syllables += word_syllables(w);
        });
        ReadabilityCounts {
            words,
            sentences: sentence_count(text),
            syllables,
        }
    }

    fn ratios(&self) -> Option<(f64, f64)> {
        if self.sentences == 0 || self.words == 0 {
            return None;
        }
        let words_per_sentence = self.words as f64 / self.sentences as f64;
        let syllables_per_word = self.syllables as f64 / self.words as f64;
        if words_per_sentence == 0.0 || syllables_per_word == 0.0 {
            return None;
        }
        Some((words_per_sentence, syllables_per_word))
    }

    /// Flesch reading ease, `206.835 - 1.015 * words/sentence - 84.6 * syllables/word`
    /// (0.0 when either ratio is 0 or undefined, as textstat returns).
    pub fn flesch_reading_ease(&self) -> f64 {
        match self.ratios() {
            Some((wps, spw)) => 206.835 - 1.015 * wps - 84.6 * spw,
            None => 0.0,
        }
    }

    /// Flesch–Kincaid grade, `0.39 * words/sentence + 11.8 * syllables/word - 15.59`
    /// (0.0 when either ratio is 0 or undefined, as textstat returns).
    pub fn flesch_kincaid_grade(&self) -> f64 {
        match self.ratios() {
            Some((wps, spw)) => 0.39 * wps + 11.8 * spw - 15.59,
            None => 0.0,
        }
    }
}

/// `textstat.flesch_reading_ease(text)` (unrounded, textstat 0.7.13's default).
pub fn flesch_reading_ease(text: &str) -> f64 {
    ReadabilityCounts::of(text).flesch_reading_ease()
}

/// `textstat.flesch_kincaid_grade(text)` (unrounded, textstat 0.7.13's default).
pub fn flesch_kincaid_grade(text: &str) -> f64 {
    ReadabilityCounts::of(text).flesch_kincaid_grade()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_textstat_punctuation_rules() {
        // textstat 0.7.13: lexicon_count of each of these.
        assert_eq!(lexicon_count("e-mail well-known"), 2);
        assert_eq!(lexicon_count("a - b"), 2);
        assert_eq!(lexicon_count("😀 !!! ..."), 0);
        assert_eq!(lexicon_count("don't 'quoted'"), 2);
    }

    #[test]
    fn apostrophe_rule_is_case_sensitive() {
        // "DON'T" loses its apostrophe ("T" is not in the contraction list): "dont", not in CMU.
        let mut words = Vec::new();
        for_each_word("DON'T don't", true, |w| words.push(w.to_string()));
        assert_eq!(words, vec!["dont", "don't"]);
    }

    #[test]
    fn short_fragments_are_not_sentences() {
        assert_eq!(sentence_count(""), 0);
        assert_eq!(sentence_count("Hi!"), 1);
        assert_eq!(
            sentence_count("One. Two. Three. Four five six. Seven eight nine ten!"),
            2
        );
    }
}
