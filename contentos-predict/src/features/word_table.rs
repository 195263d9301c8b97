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
