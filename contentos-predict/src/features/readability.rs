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

use std::collections::HashMap;
use std::sync::OnceLock;

use super::hyphenation::Hyphenator;
use super::pycompat::{is_space, is_word};

const CMU_SYLLABLES: &str = include_str!("../../data/cmudict_syllables.txt");

fn cmu() -> &'static HashMap<&'static str, u8> {
    static CMU: OnceLock<HashMap<&'static str, u8>> = OnceLock::new();
    CMU.get_or_init(|| {
        let mut map = HashMap::with_capacity(130_000);
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
            let rest = &bytes[i + 1..];
            let keep = matches!(rest.first(), Some(b't' | b's' | b'd'))
                || rest.starts_with(b"ve")
                || rest.starts_with(b"ll")
                || rest.starts_with(b"re");
            if keep {
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

/// Words as textstat counts them (`textstat.lexicon_count(text)` with its defaults).
pub fn lexicon_count(text: &str) -> usize {
    let mut n = 0;
    for_each_word(text, false, |_| n += 1);
    n
}

/// Sentences as textstat counts them (`textstat.sentence_count(text)`): fragments of at most
/// two words are not sentences, but any non-empty text has at least one.
pub fn sentence_count(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let is_term = |c: char| matches!(c, '.' | '!' | '?');
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let word_at = |k: usize| chars.get(k).is_some_and(|&(_, c)| is_word(c));
    let (mut sentences, mut ignored) = (0usize, 0usize);
    let mut p = 0usize;
    while p < chars.len() {
        let boundary = (p > 0 && word_at(p - 1)) != word_at(p);
        if !boundary || is_term(chars[p].1) {
            p += 1;
            continue;
        }
        let mut q = p;
        while q < chars.len() && !is_term(chars[q].1) {
            q += 1;
        }
        while q < chars.len() && is_term(chars[q].1) {
            q += 1;
        }
        let start = chars[p].0;
        let end = chars.get(q).map_or(text.len(), |&(b, _)| b);
        sentences += 1;
        if lexicon_count(&text[start..end]) <= 2 {
            ignored += 1;
        }
        p = q;
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
