//! A read-mostly word → value table laid out for the per-token look-ups of the text features.
//!
//! Scoring a post looks up every one of its words in a lexicon (VADER's 7,500 entries, the
//! call-to-action words), and most look-ups miss. A general `HashMap<&str, V>` pays for a
//! string hash, the control bytes, and, on a candidate, a comparison against key bytes that
//! live wherever the embedded text holds them. Here a word of up to [`INLINE_MAX`] bytes *is*
//! its key: zero-padded into two `u64`s, hashed with two multiplies, compared with two integer
//! compares, in a table at most half full (linear probing), so a miss usually costs one cache
//! line and no memory compare. Values sit in a parallel array that only hits touch. Longer
//! words (rare in lexicons and in posts) go to an ordinary map.

use rustc_hash::FxHashMap;

/// Longest word stored inline (bytes).
pub(crate) const INLINE_MAX: usize = 16;

/// A word's inline key: its bytes zero-padded to 16, as two little-endian words.
pub(crate) type InlineKey = [u64; 2];

/// The inline key of `word`, or `None` when it cannot be inline (empty, longer than
/// [`INLINE_MAX`], or holding a NUL byte, which padding could not be told apart from).
#[inline]
pub(crate) fn inline_key(word: &[u8]) -> Option<InlineKey> {
    if word.is_empty() || word.len() > INLINE_MAX || word.contains(&0) {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..word.len()].copy_from_slice(word);
    Some(key_of_padded(buf))
}

/// The inline key of `word` lower-cased in ASCII (other bytes unchanged): what the lexicons
/// are keyed on, built without a lower-cased copy of the word.
#[inline]
pub(crate) fn inline_key_ascii_lower(word: &[u8]) -> Option<InlineKey> {
    if word.is_empty() || word.len() > INLINE_MAX || word.contains(&0) {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..word.len()].copy_from_slice(word);
    buf.make_ascii_lowercase();
    Some(key_of_padded(buf))
}

#[inline]
fn key_of_padded(buf: [u8; 16]) -> InlineKey {
    let mut lo = [0u8; 8];
    let mut hi = [0u8; 8];
    lo.copy_from_slice(&buf[..8]);
    hi.copy_from_slice(&buf[8..]);
    [u64::from_le_bytes(lo), u64::from_le_bytes(hi)]
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Bit 7 of each byte of `v` that is in `lo..=hi` (bytes of `v` must be below 0x80).
#[inline]
fn bytes_in_range(v: u64, lo: u8, hi: u8) -> u64 {
    let ge_lo = v.wrapping_add(ONES * u64::from(0x80 - lo));
    let gt_hi = v.wrapping_add(ONES * u64::from(0x80 - hi - 1));
    ge_lo & !gt_hi & HIGHS
}

/// What the lexicon look-ups need to know about an ASCII word, read eight bytes at a time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AsciiWord {
    /// The inline key of the word lower-cased.
    pub key: InlineKey,
    /// Some `A`–`Z`.
    pub has_upper: bool,
    /// Some `a`–`z`.
    pub has_lower: bool,
}

/// `(low word mask, high word mask)` of a zero-padded key of each length 0..=16.
const KEY_MASKS: [(u64, u64); INLINE_MAX + 1] = {
    let mut t = [(0u64, 0u64); INLINE_MAX + 1];
    let mut n = 0;
    while n <= INLINE_MAX {
        let lo = if n >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * n)) - 1
        };
        let hi = if n >= 16 {
            u64::MAX
        } else if n > 8 {
            (1u64 << (8 * (n - 8))) - 1
        } else {
            0
        };
        t[n] = (lo, hi);
        n += 1;
    }
    t
};

/// Reads `text[start..end]` (ASCII) as an [`AsciiWord`]; `None` when it cannot have an inline
/// key (empty or longer than [`INLINE_MAX`]).
///
/// The caller guarantees that `text` holds no NUL byte (check the whole text once with
/// [`has_nul`]): a NUL would be indistinguishable from the key's padding.
///
/// Why: posts are short words, and building a key byte by byte (copy, lower-case, test case,
/// look for an apostrophe) costs more than the table probe itself. Two unaligned 8-byte loads
/// and a few word-wide operations do all of it.
#[inline]
pub(crate) fn scan_ascii_word(text: &[u8], start: usize, end: usize) -> Option<AsciiWord> {
    let len = end.checked_sub(start)?;
    if len == 0 || len > INLINE_MAX {
        return None;
    }
    let mut buf = [0u8; 16];
    if start + 16 <= text.len() {
        buf.copy_from_slice(&text[start..start + 16]);
    } else {
        buf[..len].copy_from_slice(&text[start..end]);
    }
    let mut lo = [0u8; 8];
    let mut hi = [0u8; 8];
    lo.copy_from_slice(&buf[..8]);
    hi.copy_from_slice(&buf[8..]);
    let (mask_lo, mask_hi) = KEY_MASKS[len];
    let lo = u64::from_le_bytes(lo) & mask_lo;
    let hi = u64::from_le_bytes(hi) & mask_hi;
    let (up_lo, up_hi) = (
        bytes_in_range(lo, b'A', b'Z'),
        bytes_in_range(hi, b'A', b'Z'),
    );
    let lower = bytes_in_range(lo, b'a', b'z') | bytes_in_range(hi, b'a', b'z');
    Some(AsciiWord {
        key: [lo | (up_lo >> 2), hi | (up_hi >> 2)],
        has_upper: up_lo | up_hi != 0,
        has_lower: lower != 0,
    })
}

/// Whether `text` holds a NUL byte (then [`scan_ascii_word`] must not be used on it).
#[inline]
pub(crate) fn has_nul(text: &[u8]) -> bool {
    text.contains(&0)
}

/// Word → `V`, built once from `'static` words and then only read.
#[derive(Debug)]
pub(crate) struct WordTable<V> {
    /// All zero = empty (no inline key is all zero: words are non-empty and NUL-free).
    keys: Vec<InlineKey>,
    values: Vec<V>,
    mask: usize,
    long: FxHashMap<&'static str, V>,
}

impl<V: Copy + Default> WordTable<V> {
    /// An empty table sized for `words` inline entries at most half full.
    pub fn with_capacity(words: usize) -> Self {
        let size = (words.max(8) * 2).next_power_of_two();
        WordTable {
            keys: vec![[0, 0]; size],
            values: vec![V::default(); size],
            mask: size - 1,
            long: FxHashMap::default(),
        }
    }

    #[inline]
    fn home(&self, key: InlineKey) -> usize {
        let h = (key[0] ^ key[1].rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & self.mask
    }

    /// The value slot of `word`, inserted with `V::default()` when absent, for building values
    /// up from several sources (lexicon, boosters, rule words).
    pub fn entry(&mut self, word: &'static str) -> &mut V {
        let Some(key) = inline_key(word.as_bytes()) else {
            return self.long.entry(word).or_default();
        };
        let mut i = self.home(key);
        loop {
            if self.keys[i] == key {
                return &mut self.values[i];
            }
            if self.keys[i] == [0, 0] {
                self.keys[i] = key;
                return &mut self.values[i];
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The value of the word whose inline key is `key`.
    #[inline]
    pub fn get_key(&self, key: InlineKey) -> Option<V> {
        let mut i = self.home(key);
        loop {
            // `i` stays within `keys` (masked); an empty slot always exists (half full at most).
            let k = self.keys[i];
            if k == key {
                return Some(self.values[i]);
            }
            if k == [0, 0] {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The value of `word` (exact bytes).
    #[inline]
    pub fn get(&self, word: &str) -> Option<V> {
        match inline_key(word.as_bytes()) {
            Some(key) => self.get_key(key),
            None => self.long.get(word).copied(),
        }
    }

    /// The value of `word` lower-cased in ASCII (equal to `get(&word.to_ascii_lowercase())`).
    #[inline]
    pub fn get_ascii_lower(&self, word: &str) -> Option<V> {
        match inline_key_ascii_lower(word.as_bytes()) {
            Some(key) => self.get_key(key),
            None if word.len() > INLINE_MAX => {
                self.long.get(word.to_ascii_lowercase().as_str()).copied()
            }
            None => None, // empty or NUL-holding: no lexicon word is either
        }
    }

    /// Number of words stored.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.keys.iter().filter(|k| **k != [0, 0]).count() + self.long.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_long_words_round_trip_and_misses_miss() {
        let words: Vec<&'static str> = vec![
            "a",
            "good",
            "exactly16bytes!!",
            "seventeen-bytes!!",
            "a much longer word than sixteen",
            "ünïcödé",
        ];
        let mut t = WordTable::<u32>::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            *t.entry(w) = i as u32 + 1;
        }
        // Updating an entry keeps one copy.
        *t.entry("good") += 100;
        assert_eq!(t.len(), words.len());
        for (i, w) in words.iter().enumerate() {
            let want = if *w == "good" { 102 } else { i as u32 + 1 };
            assert_eq!(t.get(w), Some(want), "{w}");
        }
        assert_eq!(t.get_ascii_lower("GOOD"), Some(102));
        assert_eq!(
            t.get_ascii_lower("A MUCH LONGER WORD THAN SIXTEEN"),
            Some(5)
        );
        for miss in ["", "goo", "goods", "good\0", "exactly16bytes!?", "b"] {
            assert_eq!(t.get(miss), None, "{miss:?}");
            assert_eq!(t.get_ascii_lower(miss), None, "{miss:?}");
        }
    }

    #[test]
    fn word_scans_equal_the_byte_by_byte_rules() {
        let text =
            b"Hello WORLD don't X a-b_c 0123456789abcdef 0123456789abcdefg q\0z TOO'LONG'BY'FAR!x";
        let mut words = Vec::new();
        let mut i = 0;
        // Every substring, so that words near the end of the text (short reads) are covered.
        while i < text.len() {
            for j in i..=text.len() {
                words.push((i, j));
            }
            i += 1;
        }
        for (a, b) in words {
            let w = &text[a..b];
            if has_nul(w) {
                continue; // callers never scan a text with a NUL
            }
            let got = scan_ascii_word(text, a, b);
            let want_key = inline_key_ascii_lower(w);
            assert_eq!(
                got.map(|g| g.key),
                want_key,
                "{:?}",
                String::from_utf8_lossy(w)
            );
            if let Some(g) = got {
                assert_eq!(g.has_upper, w.iter().any(u8::is_ascii_uppercase));
                assert_eq!(g.has_lower, w.iter().any(u8::is_ascii_lowercase));
            }
        }
    }

    #[test]
    fn a_full_lexicon_sized_table_finds_every_word() {
        let words: Vec<&'static str> = (0..5000)
            .map(|i| &*Box::leak(format!("w{i}x").into_boxed_str()))
            .collect();
        let mut t = WordTable::<u32>::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            *t.entry(w) = i as u32;
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get(w), Some(i as u32));
            assert_eq!(t.get(&format!("{w}y")), None);
        }
    }
}
