//! The call-to-action count of the scoring path: the lexicon rule of
//! [`super::text_stats`] (`cta_count_unicode`, the reference) computed without lower-casing the
//! text or collecting its words.
//!
//! The rule: lower-case the text, read typographic apostrophes as ASCII ones, split it into
//! words on anything but alphanumerics and `'`, then count greedy longest matches of the
//! lexicon's phrases. Here:
//!
//! 1. each word of the lexicon gets a one-byte code (every other word 0), so matching a phrase is
//!    comparing a few bytes, and equal codes mean equal words;
//! 2. the text is read once, byte by byte, decoding only non-ASCII characters; an ASCII word's
//!    code comes from a [`WordTable`] probe on its lower-cased bytes read a word at a time;
//! 3. a word with non-ASCII characters is lower-cased on its own (as the reference does for the
//!    whole text: case mapping never joins or splits words, except into non-word characters,
//!    which are then split on, as the reference does).

use std::cell::RefCell;
use std::sync::OnceLock;

use super::text_stats::{cta_phrases, is_cta_char};
use super::word_table::{has_nul, scan_ascii_word, AsciiWord, WordTable};

/// The lexicon as codes.
#[derive(Debug)]
struct CodedLexicon {
    codes: WordTable<u8>,
    /// Every lexicon word with its code.
    words: Vec<(&'static str, u8)>,
    /// Phrases (as codes) by the code of their first word.
    by_first: Vec<Vec<Vec<u8>>>,
}

fn lexicon() -> &'static CodedLexicon {
    static LEXICON: OnceLock<CodedLexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let phrases = cta_phrases();
        let mut words: Vec<&'static str> = phrases.values().flatten().flatten().copied().collect();
        words.sort_unstable();
        words.dedup();
        let mut codes = WordTable::with_capacity(words.len());
        // Codes 1..=255; a lexicon with more distinct words would need wider codes.
        for (i, w) in words.iter().enumerate().take(255) {
            *codes.entry(w) = (i + 1) as u8;
        }
        let mut by_first = vec![Vec::new(); words.len().min(255) + 1];
        for phrase in phrases.values().flatten() {
            let coded: Vec<u8> = phrase.iter().map(|w| codes.get(w).unwrap_or(0)).collect();
            if let Some(&first) = coded.first() {
                if first != 0 && !coded.contains(&0) {
                    by_first[usize::from(first)].push(coded);
                }
            }
        }
        let words = words
            .iter()
            .take(255)
            .enumerate()
            .map(|(i, w)| (*w, (i + 1) as u8))
            .collect();
        CodedLexicon {
            codes,
            words,
            by_first,
        }
    })
}

/// Word codes a thread's buffer may keep between texts.
const CODES_KEEP: usize = 1 << 16;

thread_local! {
    static CODES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Calls to action in `text` (equal to the reference rule, `text_stats::cta_count_unicode`).
pub(crate) fn count(text: &str) -> usize {
    count_from(|codes| word_codes(lexicon(), text, codes))
}

/// [`count`] with the words' codes pushed by `fill` (the scoring path's single pass over a
/// text's tokens pushes them with [`code_of`] and [`push_codes`]).
pub(crate) fn count_from(fill: impl FnOnce(&mut Vec<u8>)) -> usize {
    let lexicon = lexicon();
    let run = |codes: &mut Vec<u8>| {
        codes.clear();
        fill(codes);
        let count = count_coded(lexicon, codes);
        if codes.capacity() > CODES_KEEP {
            *codes = Vec::new(); // one huge text must not pin its buffer to the thread
        }
        count
    };
    CODES.with(|cell| match cell.try_borrow_mut() {
        Ok(mut codes) => run(&mut codes),
        Err(_) => run(&mut Vec::new()), // re-entered: cannot happen, stay correct
    })
}

/// The code of an ASCII word read by [`super::word_table::scan_ascii_word`] (`None`: longer
/// than any lexicon word); 0 for words outside the lexicon.
#[inline]
pub(crate) fn code_of(word: Option<AsciiWord>) -> u8 {
    word.and_then(|w| lexicon().codes.get_key(w.key))
        .unwrap_or(0)
}

/// Every lexicon word with its code, for tables that answer other questions about a word in
/// the same look-up (VADER's word table carries these codes, so the scoring path's token pass
/// gets a word's sentiment and its call-to-action code from one probe).
pub(crate) fn coded_words() -> &'static [(&'static str, u8)] {
    &lexicon().words
}

/// Pushes the codes of every word of `text` (any text holding no NUL byte), in order.
pub(crate) fn push_codes(text: &str, codes: &mut Vec<u8>) {
    word_codes(lexicon(), text, codes);
}

/// The codes of a word with non-ASCII characters: lower-cased on its own, typographic
/// apostrophes read as ASCII ones, split again where case mapping made non-word characters.
fn unicode_word_codes(lexicon: &CodedLexicon, word: &str, codes: &mut Vec<u8>) {
    let lower = word.to_lowercase().replace('\u{2019}', "'");
    for sub in lower
        .split(|c: char| !is_cta_char(c))
        .filter(|w| !w.is_empty())
    {
        codes.push(lexicon.codes.get(sub).unwrap_or(0));
    }
}

/// The code of every word of `text`, in order.
fn word_codes(lexicon: &CodedLexicon, text: &str, codes: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let nul_free = !has_nul(bytes);
    let mut i = 0;
    while i < bytes.len() {
        let (is_word, len) = char_at(text, i);
        if !is_word {
            i += len;
            continue;
        }
        let start = i;
        let mut ascii = true;
        while i < bytes.len() {
            let (is_word, len) = char_at(text, i);
            if !is_word {
                break;
            }
            ascii &= len == 1;
            i += len;
        }
        if ascii {
            let code = scan_ascii_word(bytes, start, i)
                .filter(|_| nul_free) // (a NUL is not a word character: cannot happen)
                .and_then(|w| lexicon.codes.get_key(w.key))
                .unwrap_or(0); // longer than any lexicon word
            codes.push(code);
        } else {
            unicode_word_codes(lexicon, &text[start..i], codes);
        }
    }
}

/// Whether the character at byte `i` (a char boundary) is part of a word, and its length.
#[inline(always)]
fn char_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b.is_ascii_alphanumeric() || b == b'\'', 1);
    }
    match text[i..].chars().next() {
        Some(c) => (is_cta_char(c) || c == '\u{2019}', c.len_utf8()),
        None => (false, 1), // unreachable: `i` is a char boundary inside the text
    }
}

/// Greedy longest-phrase matching over word codes.
fn count_coded(lexicon: &CodedLexicon, codes: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < codes.len() {
        let first = usize::from(codes[i]);
        let longest = lexicon.by_first[first]
            .iter()
            .filter(|p| codes[i..].starts_with(p))
            .map(|p| p.len())
            .max();
        match longest {
            Some(len) => {
                count += 1;
                i += len;
            }
            None => i += 1,
        }
    }
    count
}
