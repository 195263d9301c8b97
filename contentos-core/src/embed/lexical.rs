//! The local default embedder: hashed word and character n-grams, sublinear TF, L2-normalised.
//!
//! Honest scope: this is a *lexical* embedding. Two texts score high when they share words,
//! word pairs and character fragments (so "schedule", "scheduling" and "rescheduled" overlap);
//! it does not know that "car" and "automobile" mean the same thing. That is exactly what
//! near-duplicate detection needs (a repost with a changed emoji or a typo still scores ≈ 0.9),
//! and a reasonable signal for "similar past content" within one brand's vocabulary. For
//! semantic similarity across paraphrases, configure [`OpenAiEmbedder`](super::OpenAiEmbedder).
//!
//! How a text becomes a vector:
//! 1. Lower-case it and split it into words (runs of letters and digits; `#` and `@` stay
//!    attached so hashtags and mentions are their own features).
//! 2. Features: every word, every adjacent word pair, and every character 3- to 5-gram of each
//!    word padded with boundary marks (`<sch`, `ule>`). Texts without any word (only emoji or
//!    punctuation) use character n-grams of the whole text instead.
//! 3. Each distinct feature gets weight `(1 + ln tf) × group weight` (sublinear term frequency,
//!    so a word repeated ten times does not drown the rest).
//! 4. Signed feature hashing: a stable 64-bit hash (FNV-1a, then a SplitMix64 finaliser) picks
//!    the dimension and the sign, so collisions cancel on average instead of piling up.
//! 5. The vector is L2-normalised, so the dot product of two embeddings is their cosine.
//!
//! The hash is fixed in this file (not `std`'s hasher), so vectors persisted today compare
//! correctly with vectors computed by a later version; a change of algorithm changes
//! [`LexicalEmbedder::model_id`].

use super::{validate_texts, Embedder};
use crate::{Error, Result};
use async_trait::async_trait;
use std::collections::HashMap;

/// Settings of the [`LexicalEmbedder`]. The defaults suit social posts and short articles.
#[derive(Debug, Clone, PartialEq)]
pub struct LexicalEmbedderConfig {
    /// Output dimension (default 384, the size of common small sentence-embedding models, so
    /// a store can switch between them without resizing).
    pub dimensions: usize,
    /// Smallest character n-gram (default 3).
    pub min_char_ngram: usize,
    /// Largest character n-gram (default 5).
    pub max_char_ngram: usize,
    /// Weight of word unigram features (default 1.0).
    pub word_weight: f32,
    /// Weight of adjacent word pair features (default 0.7): they reward shared phrasing.
    pub bigram_weight: f32,
    /// Weight of character n-gram features (default 0.35): many per word, so each counts less.
    pub char_weight: f32,
}

impl Default for LexicalEmbedderConfig {
    fn default() -> Self {
        LexicalEmbedderConfig {
            dimensions: 384,
            min_char_ngram: 3,
            max_char_ngram: 5,
            word_weight: 1.0,
            bigram_weight: 0.7,
            char_weight: 0.35,
        }
    }
}

/// Hashed lexical embedder; see the module documentation for the algorithm and its limits.
#[derive(Debug, Clone)]
pub struct LexicalEmbedder {
    config: LexicalEmbedderConfig,
    model_id: String,
}

impl Default for LexicalEmbedder {
    fn default() -> Self {
        // The default configuration is valid, so this cannot fail; keep a total fallback anyway.
        LexicalEmbedder::new(LexicalEmbedderConfig::default()).unwrap_or_else(|_| LexicalEmbedder {
            model_id: "contentos-lexical-v1-384".into(),
            config: LexicalEmbedderConfig::default(),
        })
    }
}

const FEATURE_WORD: u8 = b'w';
const FEATURE_BIGRAM: u8 = b'b';
const FEATURE_CHAR: u8 = b'c';

impl LexicalEmbedder {
    /// An embedder with `config`, refused with [`Error::Validation`] when the dimension is zero
    /// or the n-gram range is empty.
    pub fn new(config: LexicalEmbedderConfig) -> Result<Self> {
        if config.dimensions == 0 || config.dimensions > 65_536 {
            return Err(Error::validation("dimensions", "1..=65536"));
        }
        if config.min_char_ngram == 0 || config.min_char_ngram > config.max_char_ngram {
            return Err(Error::validation(
                "min_char_ngram",
                "at least 1 and not above max_char_ngram",
            ));
        }
        for (field, w) in [
            ("word_weight", config.word_weight),
            ("bigram_weight", config.bigram_weight),
            ("char_weight", config.char_weight),
        ] {
            if !w.is_finite() || w < 0.0 {
                return Err(Error::validation(field, "a finite number >= 0"));
            }
        }
        // The id names every parameter that changes the vectors, so two differently configured
        // embedders never share a namespace by accident.
        let d = LexicalEmbedderConfig::default();
        let model_id = if config.min_char_ngram == d.min_char_ngram
            && config.max_char_ngram == d.max_char_ngram
            && config.word_weight == d.word_weight
            && config.bigram_weight == d.bigram_weight
            && config.char_weight == d.char_weight
        {
            format!("contentos-lexical-v1-{}", config.dimensions)
        } else {
            format!(
                "contentos-lexical-v1-{}-c{}-{}-w{}-{}-{}",
                config.dimensions,
                config.min_char_ngram,
                config.max_char_ngram,
                config.word_weight,
                config.bigram_weight,
                config.char_weight
            )
        };
        Ok(LexicalEmbedder { config, model_id })
    }

    /// Embeds one text synchronously (the work is pure CPU, microseconds for a post).
    pub fn embed_text(&self, text: &str) -> Vec<f32> {
        let lower = text.to_lowercase();
        let words = split_words(&lower);
        let mut features: HashMap<u64, (u32, f32)> = HashMap::new();
        let mut add = |hash: u64, weight: f32| {
            let e = features.entry(hash).or_insert((0, weight));
            e.0 += 1;
        };
        let cfg = &self.config;
        if words.is_empty() {
            let chars: Vec<char> = lower.chars().filter(|c| !c.is_whitespace()).collect();
            for_each_char_ngram(&chars, cfg.min_char_ngram, cfg.max_char_ngram, |g| {
                add(feature_hash(FEATURE_CHAR, g), cfg.char_weight)
            });
        }
        for (i, w) in words.iter().enumerate() {
            add(feature_hash(FEATURE_WORD, w.as_bytes()), cfg.word_weight);
            if let Some(next) = words.get(i + 1) {
                let mut pair = Vec::with_capacity(w.len() + next.len() + 1);
                pair.extend_from_slice(w.as_bytes());
                pair.push(b' ');
                pair.extend_from_slice(next.as_bytes());
                add(feature_hash(FEATURE_BIGRAM, &pair), cfg.bigram_weight);
            }
            let mut padded: Vec<char> = Vec::with_capacity(w.chars().count() + 2);
            padded.push('<');
            padded.extend(w.chars());
            padded.push('>');
            for_each_char_ngram(&padded, cfg.min_char_ngram, cfg.max_char_ngram, |g| {
                add(feature_hash(FEATURE_CHAR, g), cfg.char_weight)
            });
        }
        let dim = cfg.dimensions;
        let mut v = vec![0f32; dim];
        for (hash, (tf, weight)) in features {
            let value = (1.0 + (tf as f32).ln()) * weight;
            let index = (hash % dim as u64) as usize;
            let sign = if hash >> 63 == 1 { -1.0 } else { 1.0 };
            v[index] += sign * value;
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            for x in &mut v {
                *x /= norm;
            }
        }
        v
    }
}

#[async_trait]
impl Embedder for LexicalEmbedder {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn dimensions(&self) -> usize {
        self.config.dimensions
    }

    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        validate_texts(texts)?;
        Ok(texts.iter().map(|t| self.embed_text(t)).collect())
    }
}

/// Words: maximal runs of letters, digits, `_`, `'`, and a leading `#` or `@`.
fn split_words(lower: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in lower.chars() {
        let starts_tag = (c == '#' || c == '@') && current.is_empty();
        if c.is_alphanumeric() || c == '_' || starts_tag || (c == '\'' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            push_word(&mut words, std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        push_word(&mut words, current);
    }
    words
}

fn push_word(words: &mut Vec<String>, w: String) {
    let trimmed = w.trim_end_matches('\'');
    if trimmed.chars().any(|c| c.is_alphanumeric()) {
        words.push(trimmed.to_string());
    }
}

/// Calls `f` with the UTF-8 bytes of every character n-gram of `chars` for n in `min..=max`
/// (a sequence shorter than `min` yields itself once, so short words still have a feature).
fn for_each_char_ngram(chars: &[char], min: usize, max: usize, mut f: impl FnMut(&[u8])) {
    let mut buf = Vec::with_capacity(max * 4);
    if chars.len() < min {
        if !chars.is_empty() {
            buf.extend(chars.iter().collect::<String>().bytes());
            f(&buf);
        }
        return;
    }
    for n in min..=max.min(chars.len()) {
        for window in chars.windows(n) {
            buf.clear();
            let mut tmp = [0u8; 4];
            for c in window {
                buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            }
            f(&buf);
        }
    }
}

/// FNV-1a 64 over a one-byte feature-kind tag and the feature bytes, finished with SplitMix64 so
/// both the low bits (index) and the top bit (sign) are well mixed.
fn feature_hash(kind: u8, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in std::iter::once(&kind).chain(bytes) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_tags_and_drop_punctuation() {
        assert_eq!(
            split_words("launch day! #rust @alice, don't."),
            vec!["launch", "day", "#rust", "@alice", "don't"]
        );
    }

    #[test]
    fn short_sequences_still_produce_a_feature() {
        let mut seen = Vec::new();
        for_each_char_ngram(&['<', 'a', '>'], 3, 5, |g| seen.push(g.to_vec()));
        assert_eq!(seen, vec![b"<a>".to_vec()]);
        seen.clear();
        for_each_char_ngram(&['o', 'k'], 3, 5, |g| seen.push(g.to_vec()));
        assert_eq!(seen, vec![b"ok".to_vec()]);
    }

    #[test]
    fn hash_is_stable_across_versions() {
        // Persisted vectors depend on these values never changing; they were computed with an
        // independent implementation (Python) of FNV-1a 64 + SplitMix64.
        assert_eq!(feature_hash(b'w', b"rust"), 0xd77e_cacd_fb26_8f83);
        assert_eq!(feature_hash(b'c', b"<ru"), 0xd2ce_a48d_418c_9199);
    }
}
