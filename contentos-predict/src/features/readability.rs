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
use super::text_scan::TextScan;

const CMU_SYLLABLES: &str = include_str!("../../data/cmudict_syllables.txt");

fn cmu() -> &'static SyllableTable {
    static CMU: OnceLock<SyllableTable> = OnceLock::new();
    CMU.get_or_init(|| {
        let mut table = SyllableTable::with_capacity(130_000);
        for line in CMU_SYLLABLES.lines() {
            if let Some((word, count)) = line.split_once('\t') {
                if let Ok(n) = count.parse::<u8>() {
                    table.insert(word, n);
                }
            }
        }
        table
    })
}

/// Longest word stored inline in a [`SyllableTable`] slot (all but 328 CMU words).
const INLINE_MAX: usize = 15;

/// Word → syllable count for the CMU dictionary, laid out for look-up speed.
///
/// A general hash map of `&str` keys costs a text scan per look-up three cache misses: the
/// control bytes, the bucket, and the key's bytes wherever the embedded text holds them. Here a
/// word of up to [`INLINE_MAX`] bytes lives *in* its 16-byte slot (word zero-padded, count in
/// the last byte), four slots to a cache line, with linear probing in a table at most half
/// full: one cache line per look-up, usually. Longer words go to a small ordinary map.
#[derive(Debug)]
struct SyllableTable {
    /// `[bytes 0..8, bytes 8..16]` little-endian; all zero = empty (no word is empty).
    slots: Vec<[u64; 2]>,
    mask: usize,
    long: FxHashMap<&'static str, u8>,
}

/// Byte 15 of a slot (the count) within the second word.
const COUNT_SHIFT: u32 = 56;
const KEY_MASK_HI: u64 = (1u64 << COUNT_SHIFT) - 1;

impl SyllableTable {
    fn with_capacity(words: usize) -> Self {
        let size = (words * 2).next_power_of_two();
        SyllableTable {
            slots: vec![[0, 0]; size],
            mask: size - 1,
            long: FxHashMap::default(),
        }
    }

    /// The zero-padded key of a short word.
    #[inline]
    fn key(word: &[u8]) -> [u64; 2] {
        let mut buf = [0u8; 16];
        buf[..word.len()].copy_from_slice(word);
        let lo = u64::from_le_bytes([
            buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6], buf[7],
        ]);
        let hi = u64::from_le_bytes([
            buf[8], buf[9], buf[10], buf[11], buf[12], buf[13], buf[14], buf[15],
        ]);
        [lo, hi]
    }

    #[inline]
    fn home(&self, key: [u64; 2]) -> usize {
        let h = (key[0] ^ key[1].rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 40) as usize & self.mask
    }

    fn insert(&mut self, word: &'static str, count: u8) {
        let bytes = word.as_bytes();
        if bytes.is_empty() || bytes.len() > INLINE_MAX {
            self.long.insert(word, count);
            return;
        }
        let key = Self::key(bytes);
        let mut i = self.home(key);
        loop {
            let slot = &mut self.slots[i];
            if *slot == [0, 0] || (slot[0] == key[0] && slot[1] & KEY_MASK_HI == key[1]) {
                *slot = [key[0], key[1] | (u64::from(count) << COUNT_SHIFT)];
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The count of the short word whose zero-padded bytes are `padded` (bytes 15.. zero).
    #[inline]
    fn get_padded(&self, padded: &[u8; 16]) -> Option<u8> {
        self.probe(Self::key(padded))
    }

    /// Linear probing from the key's home slot to the key or an empty slot.
    #[inline]
    fn probe(&self, key: [u64; 2]) -> Option<u8> {
        let mut i = self.home(key);
        loop {
            let slot = self.slots[i];
            if slot[0] == key[0] && slot[1] & KEY_MASK_HI == key[1] {
                return Some((slot[1] >> COUNT_SHIFT) as u8);
            }
            if slot == [0, 0] {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline]
    fn get(&self, word: &str) -> Option<u8> {
        let bytes = word.as_bytes();
        if bytes.is_empty() || bytes.len() > INLINE_MAX || bytes.contains(&0) {
            // (A NUL would be indistinguishable from padding; no CMU word has one.)
            return self.long.get(word).copied();
        }
        self.probe(Self::key(bytes))
    }
}

/// Loads the embedded dictionaries now instead of on the first call (useful before timing).
pub fn warm_up() {
    let _ = cmu();
    let _ = Hyphenator::shared();
}

/// textstat's `remove_punctuation(text, rm_apostrophe=False)` followed by `str.split()`:
/// calls `f` with each word, optionally lower-cased, using one reusable buffer. (The reference
/// for [`word_and_syllable_counts`], which scores without building strings.)
///
/// ASCII bytes (nearly all of a typical post) are classified and lower-cased byte by byte;
/// other characters are decoded and classified with Python's rules. A word with any non-ASCII
/// character is lower-cased whole with `str::to_lowercase` (context rules such as the final
/// sigma need the whole word; lower-casing its ASCII letters first changes nothing there).
#[cfg(test)]
fn for_each_word(text: &str, lowercase: bool, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = String::with_capacity(text.len().min(64));
    let mut lowered = String::new();
    let mut word_ascii = true;
    let mut flush = |word: &mut String, word_ascii: &mut bool| {
        if word.is_empty() {
            return;
        }
        if lowercase && !*word_ascii {
            super::pycompat::lower_into(word, &mut lowered);
            f(&lowered);
        } else {
            f(word);
        }
        word.clear();
        *word_ascii = true;
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() || b == b'_' {
                let b = if lowercase { b.to_ascii_lowercase() } else { b };
                word.push(char::from(b));
            } else if b == b'\'' {
                // Kept only in contractions: followed by t, s, d, ve, ll or re.
                if apostrophe_kept(bytes, i) {
                    word.push('\'');
                }
            } else if is_space(b as char) {
                flush(&mut word, &mut word_ascii);
            }
            // any other ASCII character is deleted without splitting the word
            i += 1;
            continue;
        }
        // `i` is a char boundary: every step advances by a whole character.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_space(c) {
            flush(&mut word, &mut word_ascii);
        } else if is_word(c) {
            word.push(c);
            word_ascii = false;
        }
        i += c.len_utf8();
    }
    flush(&mut word, &mut word_ascii);
}

/// Is the ASCII apostrophe at byte `i` kept (followed by `t`, `s`, `d`, `ve`, `ll` or `re`)?
#[inline]
pub(super) fn apostrophe_kept(bytes: &[u8], i: usize) -> bool {
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
    sentence_count_bytes(text)
}

/// [`sentence_count`] for any non-empty text, character by character (the reference for
/// [`sentence_count_bytes`]).
#[cfg(test)]
fn sentence_count_chars(text: &str) -> usize {
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

/// Byte classes of the sentence rule (ASCII).
const WORD: u8 = 1;
const SPACE: u8 = 2;
const TERM: u8 = 4;

/// [`WORD`], [`SPACE`] and [`TERM`] for every ASCII byte.
static ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c == b'_' {
            WORD
        } else if matches!(c, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f) {
            SPACE
        } else if matches!(c, b'.' | b'!' | b'?') {
            TERM
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The sentence rule's class ([`WORD`], [`SPACE`], [`TERM`] or 0) of the character at byte
/// `i` (a char boundary), and its length: a table look-up for ASCII, Python's rules otherwise
/// (the terminators `.`, `!`, `?` are all ASCII).
#[inline(always)]
fn class_at(text: &str, i: usize) -> (u8, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (ASCII_CLASS[usize::from(b)], 1);
    }
    match text[i..].chars().next() {
        Some(c) => {
            let class = if is_word(c) {
                WORD
            } else if is_space(c) {
                SPACE
            } else {
                0
            };
            (class, c.len_utf8())
        }
        None => (0, 1), // unreachable: `i` is a char boundary inside the text
    }
}

/// [`sentence_count`] of non-empty text, byte by byte with a class table, decoding only
/// non-ASCII characters: the same state machine as [`sentence_count_chars`] (this runs once per
/// post on the scoring path).
fn sentence_count_bytes(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut sentences, mut ignored) = (0usize, 0usize);
    let mut prev_word = false;
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let (c, len) = class_at(text, i);
        let word = c & WORD != 0;
        if prev_word == word || c & TERM != 0 {
            prev_word = word;
            i += len;
            continue;
        }
        // A match: non-terminators (counting words as `count_words` would), then terminators.
        let mut words = 0usize;
        let mut in_word = false;
        let mut last = c;
        while i < n {
            let (c, len) = class_at(text, i);
            if c & TERM != 0 {
                break;
            }
            let kept = if bytes[i] == b'\'' {
                apostrophe_kept(bytes, i)
            } else if c & SPACE != 0 {
                in_word = false;
                false
            } else {
                c & WORD != 0
            };
            if kept && !in_word {
                words += 1;
                in_word = true;
            }
            last = c;
            i += len;
        }
        while i < n && bytes[i] < 0x80 && ASCII_CLASS[usize::from(bytes[i])] & TERM != 0 {
            last = TERM;
            i += 1;
        }
        prev_word = last & WORD != 0;
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
        Some(n) => n as usize,
        None => cached_hyphenation_points(word) + 1,
    }
}

/// Entries a thread's hyphenation cache holds before it starts over.
const HYPHENATION_CACHE_MAX: usize = 1 << 14;

/// Hyphenation points of a word missing from the CMU dictionary, remembered per thread.
///
/// Words that miss the dictionary are mostly a feed's recurring hashtags, handles and coinages,
/// so, like pyphen's own per-word cache, this avoids walking the pattern trie again for them.
/// Bounded: the cache is emptied when it reaches [`HYPHENATION_CACHE_MAX`] entries.
fn cached_hyphenation_points(word: &str) -> usize {
    use std::cell::RefCell;
    thread_local! {
        static CACHE: RefCell<FxHashMap<Box<str>, u16>> = RefCell::new(FxHashMap::default());
    }
    if word.len() > 40 {
        return Hyphenator::shared().positions_count(word);
    }
    CACHE.with(|cache| {
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return Hyphenator::shared().positions_count(word);
        };
        if let Some(&n) = cache.get(word) {
            return n as usize;
        }
        let n = Hyphenator::shared().positions_count(word);
        if cache.len() >= HYPHENATION_CACHE_MAX {
            cache.clear();
        }
        cache.insert(word.into(), n.min(u16::MAX as usize) as u16);
        n
    })
}

/// `len(Pyphen(lang="en_US").positions(word))`: hyphenation points with at least two characters
/// on each side, the fallback textstat uses (+ 1) for words missing from the CMU dictionary.
pub fn hyphenation_points(word: &str) -> usize {
    Hyphenator::shared().positions_count(word)
}

/// Total syllables of `text` (`textstat.syllable_count(text)`).
pub fn syllable_count(text: &str) -> usize {
    word_and_syllable_counts(text).1
}

/// Longest word kept in [`WordBuf`]'s inline bytes.
const WORD_INLINE: usize = 32;

/// The word being assembled by [`word_and_syllable_counts`]: lower-cased ASCII bytes inline
/// (zero-padded, so the first 16 bytes are the CMU table's key as they stand), or a `String`
/// once the word has a non-ASCII character or outgrows the inline bytes.
struct WordBuf {
    inline: [u8; WORD_INLINE],
    len: usize,
    spilled: bool,
    ascii: bool,
    slow: String,
    lowered: String,
}

impl WordBuf {
    fn new() -> Self {
        WordBuf {
            inline: [0; WORD_INLINE],
            len: 0,
            spilled: false,
            ascii: true,
            slow: String::new(),
            lowered: String::new(),
        }
    }

    #[inline]
    fn push_ascii(&mut self, b: u8) {
        if !self.spilled {
            if self.len < WORD_INLINE {
                self.inline[self.len] = b;
                self.len += 1;
                return;
            }
            self.spill();
        }
        self.slow.push(char::from(b));
    }

    fn push_char(&mut self, c: char) {
        if !self.spilled {
            self.spill();
        }
        self.slow.push(c);
        self.ascii = false;
    }

    fn spill(&mut self) {
        self.slow.clear();
        self.slow
            .extend(self.inline[..self.len].iter().map(|&b| char::from(b)));
        self.spilled = true;
    }

    /// Syllables of the finished word (`None` if it is empty); resets for the next word.
    #[inline]
    fn finish(&mut self) -> Option<usize> {
        let syllables = if self.spilled {
            let n = if self.ascii {
                word_syllables(&self.slow)
            } else {
                super::pycompat::lower_into(&self.slow, &mut self.lowered);
                word_syllables(&self.lowered)
            };
            self.slow.clear();
            self.spilled = false;
            self.ascii = true;
            n
        } else if self.len == 0 {
            return None;
        } else if self.len < 16 {
            let mut padded = [0u8; 16];
            padded.copy_from_slice(&self.inline[..16]);
            match cmu().get_padded(&padded) {
                Some(n) => n as usize,
                None => ascii_hyphenation_syllables(&self.inline[..self.len]),
            }
        } else {
            match std::str::from_utf8(&self.inline[..self.len]) {
                Ok(word) => word_syllables(word),
                Err(_) => 0, // unreachable: only ASCII bytes are stored inline
            }
        };
        self.inline[..self.len.min(16)].fill(0);
        self.len = 0;
        Some(syllables)
    }
}

/// Syllables of a short ASCII word missing from the CMU dictionary (hyphenation points + 1).
fn ascii_hyphenation_syllables(word: &[u8]) -> usize {
    match std::str::from_utf8(word) {
        Ok(word) => cached_hyphenation_points(word) + 1,
        Err(_) => 1, // unreachable: callers pass ASCII
    }
}

/// textstat's word count and syllable total of `text` in one pass over its bytes: the words
/// of `remove_punctuation` + `str.split()` (see [`lexicon_count`]), lower-cased, each looked up
/// in the CMU table straight from its zero-padded bytes. Only non-ASCII characters are decoded.
fn word_and_syllable_counts(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut word = WordBuf::new();
    let (mut words, mut syllables) = (0usize, 0usize);
    let mut flush = |word: &mut WordBuf| {
        if let Some(n) = word.finish() {
            words += 1;
            syllables += n;
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let class = ASCII_CLASS[usize::from(b)];
            if class & WORD != 0 {
                word.push_ascii(b.to_ascii_lowercase());
            } else if b == b'\'' {
                // Kept only in contractions: followed by t, s, d, ve, ll or re.
                if apostrophe_kept(bytes, i) {
                    word.push_ascii(b'\'');
                }
            } else if class & SPACE != 0 {
                flush(&mut word);
            }
            // any other ASCII character is deleted without splitting the word
            i += 1;
            continue;
        }
        // `i` is a char boundary: every step advances by a whole character.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_space(c) {
            flush(&mut word);
        } else if is_word(c) {
            word.push_char(c);
        }
        i += c.len_utf8();
    }
    flush(&mut word);
    (words, syllables)
}

/// Syllables of an ASCII word of `len` bytes (at most 15) given the lower-cased inline key
/// [`super::word_table::scan_ascii_word`] read for it: CMU first, else hyphenation points + 1.
#[inline]
pub(crate) fn syllables_of_key(key: [u64; 2], len: usize) -> usize {
    match cmu().probe(key) {
        Some(n) => usize::from(n),
        None => {
            let mut lowered = [0u8; 16];
            lowered[..8].copy_from_slice(&key[0].to_le_bytes());
            lowered[8..].copy_from_slice(&key[1].to_le_bytes());
            ascii_hyphenation_syllables(&lowered[..len.min(16)])
        }
    }
}

/// Syllables of the word of one whitespace token (any token), by the byte-by-byte rule.
pub(crate) fn token_syllables(token: &str) -> usize {
    // A token holds no whitespace, so it is at most one word of the rule.
    word_and_syllable_counts(token).1
}

/// Longest word [`syllables_of_key`] takes.
pub(crate) const KEY_WORD_MAX: usize = INLINE_MAX;

/// [`sentence_count`] of a classified text. A match of `\b[^.!?]+[.!?]*` starts at the first
/// word character after the previous match (the character before it is then never a word
/// character), runs to the next terminator and through the terminators that follow; its words
/// are its first character plus the `word_start` bits after it.
pub(crate) fn sentences_of_scan(scan: &TextScan) -> usize {
    let n = scan.len();
    if n == 0 {
        return 0;
    }
    let (mut sentences, mut ignored) = (0usize, 0usize);
    let mut end = 0;
    loop {
        let start = scan.next_set(end, |b| b.word);
        if start >= n {
            break;
        }
        let term = scan.next_set(start, |b| b.term);
        let words = 1 + scan.count(start + 1, term, |b| b.word_start);
        end = scan.next_clear(term, |b| b.term);
        sentences += 1;
        ignored += usize::from(words <= 2);
    }
    sentences.saturating_sub(ignored).max(1)
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
        let (words, syllables) = word_and_syllable_counts(text);
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
    use crate::test_support::{generated_texts, golden_texts};

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
    fn the_byte_sentence_scanner_equals_the_character_one() {
        let mut texts: Vec<String> = golden_texts()
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect();
        assert!(texts.len() > 4000, "{} texts", texts.len());
        // Generated texts over the characters the rule distinguishes.
        let pieces = [
            "a", "bb", "don't", "'t", "it's", "'", "?", ".", "!", "...", " ", "\t", "\x1c", "-",
            "_", "9", "x.y", "e.g.", "WOW!?", "#tag", "@me",
        ];
        texts.extend(generated_texts(
            0x2545_F491_4F6C_DD1D,
            20_000,
            12,
            &pieces,
            &[""],
        ));
        for t in &texts {
            assert_eq!(sentence_count_bytes(t), sentence_count_chars(t), "{t:?}");
        }
    }

    #[test]
    fn the_one_pass_word_and_syllable_count_equals_the_word_by_word_one() {
        let mut texts = golden_texts();
        // Long words (inline limit and beyond), non-ASCII words, contractions, deleted marks.
        texts.extend(
            [
                "supercalifragilisticexpialidocious antidisestablishmentarianism's",
                "abcdefghijklmno abcdefghijklmnop abcdefghijklmnopqrstuvwxyz0123456 x",
                "abcdefghijklmnopqrstuvwxyz01234567 abcdefghijklmnopqrstuvwxyz012345678",
                "Café DÉJÀ-vu naïve ÉTÉ straße İstanbul e-mail don't DON'T it's 'quoted'",
                "😀 !!! ... a—b well‑known x__y 12:30 #Tag @Someone https://a.b/c?d=e",
                "",
                " ",
                "\u{a0}word\u{2003}other\x1cthird",
            ]
            .map(str::to_owned),
        );
        for t in &texts {
            let (mut words, mut syllables) = (0, 0);
            for_each_word(t, true, |w| {
                words += 1;
                syllables += word_syllables(w);
            });
            assert_eq!(word_and_syllable_counts(t), (words, syllables), "{t:?}");
            assert_eq!(words, lexicon_count(t), "{t:?}");
        }
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
