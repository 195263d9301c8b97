//! A text's character classes as bit masks, 64 bytes to a block: the one tokenizer the text
//! features share on the scoring path.
//!
//! Readability, VADER, the call-to-action matcher and the surface counts each split a post into
//! words by their own rules (whitespace tokens, runs of word characters, punctuation stripped
//! or deleted). Walking the bytes once per rule, deciding at every byte whether a word ends
//! there, costs a mispredicted branch at most word boundaries, several hundred per post. Here
//! the text is classified once, sixteen bytes per step with SSE2 on x86-64 (a table per byte
//! elsewhere), into one bit per byte and class; word boundaries are then found by counting
//! trailing zeros, and the per-word questions (any capital? how many letters? where does the
//! punctuation end?) are answered with popcounts and masks instead of loops.
//!
//! Bit `i` of block `i / 64` describes byte `i`. Every byte of a multi-byte character carries
//! its character's class, so a run of bits is a run of characters. Bits past the end of the
//! text are zero in every mask.
//!
//! [`TextScan::new`] declines texts holding a NUL byte or one of `\x1c`–`\x1f`:
//! the first would be mistaken for key padding by [`super::word_table`], and the others are
//! whitespace to Python but not to Rust, so the rules' notions of a token would differ. The
//! callers keep their byte-by-byte paths for those texts.

use super::pycompat::{is_classless_symbol, is_space, is_word};

/// The classes of 64 consecutive bytes, one bit per byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Block {
    /// Whitespace (`str.isspace()`, which equals `char::is_whitespace` outside `\x1c`–`\x1f`).
    pub space: u64,
    /// Python `\w` (`str.isalnum()` or `_`).
    pub word: u64,
    /// Characters of call-to-action words: alphanumerics, `'`, and `’`.
    pub cta: u64,
    /// Sentence terminators `.`, `!`, `?`.
    pub term: u64,
    /// ASCII punctuation (`u8::is_ascii_punctuation`).
    pub punct: u64,
    /// `A`–`Z`.
    pub upper: u64,
    /// `a`–`z`.
    pub lower: u64,
    /// `'`.
    pub apostrophe: u64,
    /// Bytes of non-ASCII characters.
    pub non_ascii: u64,
    /// UTF-8 continuation bytes (`0x80`–`0xBF`): one fewer character each.
    pub continuation: u64,
    /// `?`.
    pub question: u64,
    /// `!`.
    pub bang: u64,
    /// `#` and `@`.
    pub sign: u64,
    /// textstat's kept characters: word characters and the apostrophes of contractions.
    pub kept: u64,
    /// Kept characters that start a word of textstat's sentence rule: the nearest preceding
    /// whitespace, terminator or kept character (other characters are deleted, so skipped)
    /// is whitespace or a terminator, or there is none.
    pub word_start: u64,
}

/// The class bits of one whitespace token of at most 64 bytes, shifted so that bit 0 is the
/// token's first byte and masked to the token: every per-token question of the text features
/// becomes a popcount or a bit scan on a `u64`, with no loop and no bounds to check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// Byte offset of the token (bit 0).
    pub start: usize,
    /// The token's bytes.
    pub span: u64,
    /// See [`Block::non_ascii`].
    pub non_ascii: u64,
    /// See [`Block::punct`].
    pub punct: u64,
    /// See [`Block::kept`].
    pub kept: u64,
    /// See [`Block::upper`].
    pub upper: u64,
    /// See [`Block::lower`].
    pub lower: u64,
    /// See [`Block::cta`].
    pub cta: u64,
    /// See [`Block::apostrophe`].
    pub apostrophe: u64,
}

impl Window {
    /// The byte offset of bit `bit` of the window.
    #[inline(always)]
    pub fn at(&self, bit: u32) -> usize {
        self.start + bit as usize
    }

    /// The bits of bytes `from..to`, a non-empty range within the token.
    #[inline(always)]
    pub fn bits(&self, from: usize, to: usize) -> u64 {
        ones(to - from) << (from - self.start)
    }
}

/// The `n` low bits set, for `n` in `1..=64`.
#[inline(always)]
pub(crate) fn ones(n: usize) -> u64 {
    u64::MAX >> (64 - n)
}

/// The first and one-past-last bit of `m` (non-zero), as byte offsets of `w`.
#[inline(always)]
pub(crate) fn bounds(w: &Window, m: u64) -> (usize, usize) {
    (w.at(m.trailing_zeros()), w.at(64 - m.leading_zeros()))
}

/// All zero: the block after the last one.
static NO_BLOCK: Block = Block {
    space: 0,
    word: 0,
    cta: 0,
    term: 0,
    punct: 0,
    upper: 0,
    lower: 0,
    apostrophe: 0,
    non_ascii: 0,
    continuation: 0,
    question: 0,
    bang: 0,
    sign: 0,
    kept: 0,
    word_start: 0,
};

/// A classified text (see the module documentation).
#[derive(Debug)]
pub(crate) struct TextScan<'t> {
    text: &'t str,
    blocks: Vec<Block>,
}

/// Bit `i` and every bit above it.
#[inline(always)]
fn from_bit(i: usize) -> u64 {
    !0u64 << (i & 63)
}

/// Every bit below bit `i`.
#[inline(always)]
fn below_bit(i: usize) -> u64 {
    !from_bit(i)
}

impl<'t> TextScan<'t> {
    /// Classifies `text` into `blocks` (cleared and reused, so a caller can keep one buffer per
    /// thread); for the texts the module documentation names, the buffer back as the error.
    pub fn new(text: &'t str, mut blocks: Vec<Block>) -> Result<Self, Vec<Block>> {
        let bytes = text.as_bytes();
        blocks.clear();
        let classify = block_classifier();
        let mut rejected = 0u64;
        let mut chunks = bytes.chunks_exact(64);
        for chunk in &mut chunks {
            let mut buf = [0u8; 64];
            buf.copy_from_slice(chunk);
            let (block, bad) = classify(&buf);
            rejected |= bad;
            blocks.push(block);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 64];
            buf[..rest.len()].copy_from_slice(rest);
            let (mut block, bad) = classify(&buf);
            // The zero padding reads as NUL: only the text's own bytes count.
            rejected |= bad & below_bit(rest.len());
            block.clear_from(rest.len());
            blocks.push(block);
        }
        if rejected != 0 {
            return Err(blocks);
        }
        let mut scan = TextScan { text, blocks };
        scan.fix_non_ascii();
        scan.mark_kept();
        Ok(scan)
    }

    /// Hands the block buffer back for reuse.
    pub fn into_blocks(self) -> Vec<Block> {
        self.blocks
    }

    /// The text scanned.
    #[inline]
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Its length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// The blocks.
    #[inline]
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// Gives every byte of each non-ASCII character the whitespace, word and call-to-action
    /// classes of the character (the vector step classified ASCII bytes only).
    fn fix_non_ascii(&mut self) {
        let text = self.text;
        for bi in 0..self.blocks.len() {
            let mut leads = self.blocks[bi].non_ascii & !self.blocks[bi].continuation;
            while leads != 0 {
                let i = bi * 64 + leads.trailing_zeros() as usize;
                leads &= leads - 1;
                // `i` is a lead byte, so a char boundary.
                let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                    continue;
                };
                let len = c.len_utf8();
                if is_classless_symbol(c) {
                    continue;
                }
                if is_space(c) {
                    self.set_bits(i, len, |b| &mut b.space);
                } else {
                    if is_word(c) {
                        self.set_bits(i, len, |b| &mut b.word);
                    }
                    if c.is_alphanumeric() || c == '\u{2019}' {
                        self.set_bits(i, len, |b| &mut b.cta);
                    }
                }
            }
        }
    }

    /// Sets bits `i..i + len` (at most 4, possibly across two blocks) of one mask.
    fn set_bits(&mut self, i: usize, len: usize, field: impl Fn(&mut Block) -> &mut u64) {
        for k in i..i + len {
            if let Some(block) = self.blocks.get_mut(k / 64) {
                *field(block) |= 1 << (k % 64);
            }
        }
    }

    /// `kept` = word characters plus the apostrophes textstat keeps (followed by `t`, `s`,
    /// `d`, `ve`, `ll` or `re`), then `word_start`.
    ///
    /// `word_start` looks back through runs of deleted characters with a carry: adding a seed
    /// bit at the start of a run of ones carries past its end, so `(seed + run) & !run` marks
    /// the character just after every seeded run. Seeds are the characters right after a
    /// separator (and the first character of the text); carries pass from block to block.
    fn mark_kept(&mut self) {
        let bytes = self.text.as_bytes();
        let mut sep_carry = 1u64; // the text's start acts as a separator
        let mut add_carry = 0u64;
        for bi in 0..self.blocks.len() {
            let block = &mut self.blocks[bi];
            block.kept = block.word;
            let mut apostrophes = block.apostrophe;
            while apostrophes != 0 {
                let bit = apostrophes.trailing_zeros() as usize;
                apostrophes &= apostrophes - 1;
                if super::readability::apostrophe_kept(bytes, bi * 64 + bit) {
                    block.kept |= 1 << bit;
                }
            }
            let sep = block.space | block.term;
            let deleted = !(block.kept | sep);
            let after_sep = (sep << 1) | sep_carry;
            let (sum, c1) = (after_sep & deleted).overflowing_add(deleted);
            let (sum, c2) = sum.overflowing_add(add_carry);
            block.word_start = block.kept & (after_sep | (sum & !deleted));
            sep_carry = sep >> 63;
            add_carry = u64::from(c1 | c2);
        }
    }

    /// The first position `>= from` whose bit in `mask(block)` is set, or the text length.
    #[inline]
    pub fn next_set(&self, from: usize, mask: impl Fn(&Block) -> u64) -> usize {
        let mut bi = from / 64;
        let Some(block) = self.blocks.get(bi) else {
            return self.len();
        };
        let mut m = mask(block) & from_bit(from);
        loop {
            if m != 0 {
                return (bi * 64 + m.trailing_zeros() as usize).min(self.len());
            }
            bi += 1;
            match self.blocks.get(bi) {
                Some(block) => m = mask(block),
                None => return self.len(),
            }
        }
    }

    /// The first position `>= from` whose bit in `mask(block)` is clear, or the text length.
    #[inline]
    pub fn next_clear(&self, from: usize, mask: impl Fn(&Block) -> u64) -> usize {
        self.next_set(from, |b| !mask(b))
    }

    /// Set bits of `mask(block)` in `from..to`.
    #[inline]
    pub fn count(&self, from: usize, to: usize, mask: impl Fn(&Block) -> u64) -> usize {
        if from >= to {
            return 0;
        }
        let (first, last) = (from / 64, (to - 1) / 64);
        if first == last {
            let m = mask(&self.blocks[first]) & from_bit(from) & below_bit_or_all(to);
            return m.count_ones() as usize;
        }
        let mut n = 0;
        for bi in first..=last {
            let mut m = mask(&self.blocks[bi]);
            if bi == first {
                m &= from_bit(from);
            }
            if bi == last {
                m &= below_bit_or_all(to);
            }
            n += m.count_ones() as usize;
        }
        n
    }

    /// Whether any bit of `mask(block)` is set in `from..to`. (Looks at the blocks of the range
    /// only: one block for nearly every token.)
    #[inline]
    pub fn any(&self, from: usize, to: usize, mask: impl Fn(&Block) -> u64) -> bool {
        if from >= to {
            return false;
        }
        let (first, last) = (from / 64, (to - 1) / 64);
        if first == last {
            return mask(&self.blocks[first]) & from_bit(from) & below_bit_or_all(to) != 0;
        }
        (first..=last).any(|bi| {
            let mut m = mask(&self.blocks[bi]);
            if bi == first {
                m &= from_bit(from);
            }
            if bi == last {
                m &= below_bit_or_all(to);
            }
            m != 0
        })
    }

    /// Calls `f(start, end)` for each maximal run of set bits of `mask(block)`.
    #[inline]
    pub fn for_each_run(&self, mask: impl Fn(&Block) -> u64, mut f: impl FnMut(usize, usize)) {
        let n = self.len();
        let mut end = 0;
        loop {
            let start = self.next_set(end, &mask);
            if start >= n {
                return;
            }
            end = self.next_clear(start, &mask);
            f(start, end);
        }
    }

    /// The [`Window`] of the token `start..end`, or `None` when it is longer than 64 bytes.
    #[inline]
    pub fn window(&self, start: usize, end: usize) -> Option<Window> {
        let len = end - start;
        if len > 64 || len == 0 {
            return None;
        }
        let bi = start / 64;
        let lo = self.blocks.get(bi)?;
        let hi = self.blocks.get(bi + 1).unwrap_or(&NO_BLOCK);
        let span = ones(len);
        let off = (start % 64) as u32;
        // Bits off.. of `l` then the low bits of `h` (`(h << 1) << (63 - off)` is `h << (64 -
        // off)` without the undefined shift by 64 when off is 0).
        let join = |l: u64, h: u64| ((l >> off) | ((h << 1) << (63 - off))) & span;
        Some(Window {
            start,
            span,
            non_ascii: join(lo.non_ascii, hi.non_ascii),
            punct: join(lo.punct, hi.punct),
            kept: join(lo.kept, hi.kept),
            upper: join(lo.upper, hi.upper),
            lower: join(lo.lower, hi.lower),
            cta: join(lo.cta, hi.cta),
            apostrophe: join(lo.apostrophe, hi.apostrophe),
        })
    }

    /// The whitespace tokens (`str.split()`), as byte ranges. (Past the end of the text every
    /// `space` bit is clear, but [`Self::next_set`] stops at the text's length.)
    #[inline]
    pub fn for_each_token(&self, f: impl FnMut(usize, usize)) {
        self.for_each_run(|b| !b.space, f)
    }
}

/// Every bit below bit `to % 64`, or all bits when `to` is a multiple of 64 (the range ends at
/// the end of its block).
#[inline(always)]
fn below_bit_or_all(to: usize) -> u64 {
    if to % 64 == 0 {
        !0
    } else {
        below_bit(to)
    }
}

impl Block {
    /// Clears every bit from `len` on (the padding of the last block).
    fn clear_from(&mut self, len: usize) {
        let keep = below_bit(len);
        for m in [
            &mut self.space,
            &mut self.word,
            &mut self.cta,
            &mut self.term,
            &mut self.punct,
            &mut self.upper,
            &mut self.lower,
            &mut self.apostrophe,
            &mut self.non_ascii,
            &mut self.continuation,
            &mut self.question,
            &mut self.bang,
            &mut self.sign,
            &mut self.kept,
            &mut self.word_start,
        ] {
            *m &= keep;
        }
    }
}

/// The classes of one 16-byte chunk, one bit per byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Chunk {
    space: u16,
    word: u16,
    cta: u16,
    term: u16,
    punct: u16,
    upper: u16,
    lower: u16,
    apostrophe: u16,
    non_ascii: u16,
    continuation: u16,
    question: u16,
    bang: u16,
    sign: u16,
    /// NUL or `\x1c`–`\x1f`: the texts [`TextScan::new`] declines.
    rejected: u16,
}

/// A 64-byte classifier: the block (ASCII classes only) and the declined bytes.
type Classifier = fn(&[u8; 64]) -> (Block, u64);

/// The fastest classifier this CPU runs: AVX2 (32 bytes a step) where available, else
/// [`classify_block`] (SSE2, or the table on other targets). The check is a cached flag.
#[inline]
fn block_classifier() -> Classifier {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            return |bytes| {
                // SAFETY: the CPU supports AVX2 (checked just above).
                unsafe { classify_block_avx2(bytes) }
            };
        }
    }
    classify_block
}

/// [`classify_block`] with 32-byte AVX2 compares: the same classes as the SSE2 and table
/// classifiers (a test compares all three).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn classify_block_avx2(bytes: &[u8; 64]) -> (Block, u64) {
    use std::arch::x86_64::*;
    let mut block = Block::default();
    let mut rejected = 0u64;
    let splat = |b: u8| _mm256_set1_epi8(b as i8);
    for half in 0..2 {
        // SAFETY: reads bytes 32 * half .. 32 * half + 32 of the 64-byte array (unaligned).
        let v = _mm256_loadu_si256(bytes.as_ptr().add(32 * half) as *const __m256i);
        let eq = |b: u8| _mm256_cmpeq_epi8(v, splat(b));
        let range = |lo: u8, hi: u8| {
            _mm256_and_si256(
                _mm256_cmpgt_epi8(v, splat(lo.wrapping_sub(1))),
                _mm256_cmpgt_epi8(splat(hi + 1), v),
            )
        };
        let shift = 32 * half as u32;
        let put = |m: __m256i| u64::from(_mm256_movemask_epi8(m) as u32) << shift;
        let upper = range(b'A', b'Z');
        let lower = range(b'a', b'z');
        let alnum = _mm256_or_si256(_mm256_or_si256(upper, lower), range(b'0', b'9'));
        let apostrophe = eq(b'\'');
        let question = eq(b'?');
        let bang = eq(b'!');
        block.space |= put(_mm256_or_si256(range(b'\t', b'\r'), eq(b' ')));
        block.word |= put(_mm256_or_si256(alnum, eq(b'_')));
        block.cta |= put(_mm256_or_si256(alnum, apostrophe));
        block.term |= put(_mm256_or_si256(_mm256_or_si256(question, bang), eq(b'.')));
        // ASCII punctuation: graphic (0x21..=0x7e) and not alphanumeric.
        block.punct |= put(_mm256_andnot_si256(alnum, range(0x21, 0x7e)));
        block.upper |= put(upper);
        block.lower |= put(lower);
        block.apostrophe |= put(apostrophe);
        block.non_ascii |= put(v);
        block.continuation |= put(_mm256_cmpgt_epi8(splat(0xC0), v));
        block.question |= put(question);
        block.bang |= put(bang);
        block.sign |= put(_mm256_or_si256(eq(b'#'), eq(b'@')));
        rejected |= put(_mm256_or_si256(eq(0), range(0x1c, 0x1f)));
    }
    (block, rejected)
}

/// Classifies 64 bytes with [`classify_chunk`] (SSE2 on x86-64, the table elsewhere): the block
/// (ASCII classes only) and the declined bytes.
#[inline]
fn classify_block(bytes: &[u8; 64]) -> (Block, u64) {
    classify_block_with(bytes, classify_chunk)
}

/// [`classify_block`] with any 16-byte classifier.
#[inline(always)]
fn classify_block_with(bytes: &[u8; 64], classify: impl Fn(&[u8; 16]) -> Chunk) -> (Block, u64) {
    let mut block = Block::default();
    let mut rejected = 0u64;
    for k in 0..4 {
        let mut chunk = [0u8; 16];
        chunk.copy_from_slice(&bytes[16 * k..16 * k + 16]);
        let c = classify(&chunk);
        let shift = 16 * k as u32;
        let put = |m: u16| u64::from(m) << shift;
        block.space |= put(c.space);
        block.word |= put(c.word);
        block.cta |= put(c.cta);
        block.term |= put(c.term);
        block.punct |= put(c.punct);
        block.upper |= put(c.upper);
        block.lower |= put(c.lower);
        block.apostrophe |= put(c.apostrophe);
        block.non_ascii |= put(c.non_ascii);
        block.continuation |= put(c.continuation);
        block.question |= put(c.question);
        block.bang |= put(c.bang);
        block.sign |= put(c.sign);
        rejected |= put(c.rejected);
    }
    (block, rejected)
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classify_chunk(bytes: &[u8; 16]) -> Chunk {
    // SAFETY: SSE2 is part of the x86-64 baseline, and the load reads exactly the 16 bytes of
    // `bytes` (unaligned load).
    unsafe { classify_chunk_sse2(bytes) }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn classify_chunk(bytes: &[u8; 16]) -> Chunk {
    classify_chunk_scalar(bytes)
}

/// The SSE2 classifier: signed byte compares are exact for ASCII, and bytes `>= 0x80` (negative
/// as `i8`) fall in no ASCII range.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn classify_chunk_sse2(bytes: &[u8; 16]) -> Chunk {
    use std::arch::x86_64::*;
    let v = _mm_loadu_si128(bytes.as_ptr() as *const __m128i);
    let splat = |b: u8| _mm_set1_epi8(b as i8);
    let eq = |b: u8| _mm_cmpeq_epi8(v, splat(b));
    // lo <= v <= hi, for 0 <= lo <= hi < 0x80.
    let range = |lo: u8, hi: u8| {
        _mm_and_si128(
            _mm_cmpgt_epi8(v, splat(lo.wrapping_sub(1))),
            _mm_cmplt_epi8(v, splat(hi + 1)),
        )
    };
    let bits = |m: __m128i| _mm_movemask_epi8(m) as u16;
    let upper = range(b'A', b'Z');
    let lower = range(b'a', b'z');
    let digit = range(b'0', b'9');
    let alnum = _mm_or_si128(_mm_or_si128(upper, lower), digit);
    let apostrophe = eq(b'\'');
    let question = eq(b'?');
    let bang = eq(b'!');
    let dot = eq(b'.');
    let space = _mm_or_si128(range(b'\t', b'\r'), eq(b' '));
    let punct = _mm_or_si128(
        _mm_or_si128(range(0x21, 0x2f), range(0x3a, 0x40)),
        _mm_or_si128(range(0x5b, 0x60), range(0x7b, 0x7e)),
    );
    // 0x00 as lo - 1 would wrap: NUL is tested on its own.
    let rejected = _mm_or_si128(eq(0), range(0x1c, 0x1f));
    Chunk {
        space: bits(space),
        word: bits(_mm_or_si128(alnum, eq(b'_'))),
        cta: bits(_mm_or_si128(alnum, apostrophe)),
        term: bits(_mm_or_si128(_mm_or_si128(question, bang), dot)),
        punct: bits(punct),
        upper: bits(upper),
        lower: bits(lower),
        apostrophe: bits(apostrophe),
        non_ascii: bits(v),
        // 0x80..=0xBF are -128..=-65 as i8: below -64.
        continuation: bits(_mm_cmplt_epi8(v, splat(0xC0))),
        question: bits(question),
        bang: bits(bang),
        sign: bits(_mm_or_si128(eq(b'#'), eq(b'@'))),
        rejected: bits(rejected),
    }
}

/// Class flags of one ASCII byte, for the portable classifier.
const C_SPACE: u16 = 1;
const C_WORD: u16 = 1 << 1;
const C_CTA: u16 = 1 << 2;
const C_TERM: u16 = 1 << 3;
const C_PUNCT: u16 = 1 << 4;
const C_UPPER: u16 = 1 << 5;
const C_LOWER: u16 = 1 << 6;
const C_APOSTROPHE: u16 = 1 << 7;
const C_QUESTION: u16 = 1 << 8;
const C_BANG: u16 = 1 << 9;
const C_SIGN: u16 = 1 << 10;
const C_REJECTED: u16 = 1 << 11;

static ASCII_CLASSES: [u16; 128] = {
    let mut t = [0u16; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        let mut f = 0;
        if matches!(b, b'\t'..=b'\r' | b' ') {
            f |= C_SPACE;
        }
        if b.is_ascii_alphanumeric() || b == b'_' {
            f |= C_WORD;
        }
        if b.is_ascii_alphanumeric() || b == b'\'' {
            f |= C_CTA;
        }
        if matches!(b, b'.' | b'!' | b'?') {
            f |= C_TERM;
        }
        if b.is_ascii_punctuation() {
            f |= C_PUNCT;
        }
        if b.is_ascii_uppercase() {
            f |= C_UPPER;
        }
        if b.is_ascii_lowercase() {
            f |= C_LOWER;
        }
        if b == b'\'' {
            f |= C_APOSTROPHE;
        }
        if b == b'?' {
            f |= C_QUESTION;
        }
        if b == b'!' {
            f |= C_BANG;
        }
        if b == b'#' || b == b'@' {
            f |= C_SIGN;
        }
        if b == 0 || matches!(b, 0x1c..=0x1f) {
            f |= C_REJECTED;
        }
        t[i] = f;
        i += 1;
    }
    t
};

/// The byte-by-byte classifier (other targets, and the oracle of the SSE2 one).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn classify_chunk_scalar(bytes: &[u8; 16]) -> Chunk {
    let mut c = Chunk::default();
    for (k, &b) in bytes.iter().enumerate() {
        let bit = 1u16 << k;
        if b >= 0x80 {
            c.non_ascii |= bit;
            if b < 0xC0 {
                c.continuation |= bit;
            }
            continue;
        }
        let f = ASCII_CLASSES[usize::from(b)];
        let set = |flag: u16| if f & flag != 0 { bit } else { 0 };
        c.space |= set(C_SPACE);
        c.word |= set(C_WORD);
        c.cta |= set(C_CTA);
        c.term |= set(C_TERM);
        c.punct |= set(C_PUNCT);
        c.upper |= set(C_UPPER);
        c.lower |= set(C_LOWER);
        c.apostrophe |= set(C_APOSTROPHE);
        c.question |= set(C_QUESTION);
        c.bang |= set(C_BANG);
        c.sign |= set(C_SIGN);
        c.rejected |= set(C_REJECTED);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::Rng;

    #[test]
    fn the_vector_classifier_equals_the_table() {
        let mut rng = Rng(0x5851_F42D_4C95_7F2D);
        let mut chunks: Vec<[u8; 16]> = (0..=255u8).map(|b| [b; 16]).collect();
        for _ in 0..20_000 {
            let mut c = [0u8; 16];
            for b in &mut c {
                *b = rng.below(256) as u8;
            }
            chunks.push(c);
        }
        for c in &chunks {
            assert_eq!(classify_chunk(c), classify_chunk_scalar(c), "{c:?}");
        }
    }

    #[test]
    fn every_block_classifier_agrees() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut blocks: Vec<[u8; 64]> = (0..=255u8).map(|b| [b; 64]).collect();
        for _ in 0..5_000 {
            let mut c = [0u8; 64];
            for b in &mut c {
                // Mostly ASCII, as texts are, with every byte value represented.
                *b = if rng.below(4) == 0 {
                    rng.below(256)
                } else {
                    rng.below(128)
                } as u8;
            }
            blocks.push(c);
        }
        let chosen = block_classifier();
        for b in &blocks {
            let table = classify_block_with(b, classify_chunk_scalar);
            assert_eq!(classify_block(b), table, "{b:?}");
            assert_eq!(chosen(b), table, "{b:?}");
        }
    }

    fn reference_bits(text: &str, class: impl Fn(char) -> bool) -> Vec<bool> {
        let mut bits = vec![false; text.len()];
        for (i, c) in text.char_indices() {
            if class(c) {
                bits[i..i + c.len_utf8()].fill(true);
            }
        }
        bits
    }

    fn scanned_bits(scan: &TextScan, mask: impl Fn(&Block) -> u64) -> Vec<bool> {
        (0..scan.len())
            .map(|i| mask(&scan.blocks()[i / 64]) >> (i % 64) & 1 == 1)
            .collect()
    }

    #[test]
    fn masks_follow_the_character_rules() {
        let texts = [
            "Hello, world! It's 9am — don’t miss #launch @acme?",
            "émoji 🚀🚀 naïve\u{a0}space\u{2003}x ΣΑΣ 学习 a'b 'tis it's",
            &"long text with words and more words, ".repeat(9),
            "",
            "x",
        ];
        for text in texts {
            let scan = TextScan::new(text, Vec::new()).expect("accepted");
            let checks: [(&str, Vec<bool>, Vec<bool>); 6] = [
                (
                    "space",
                    reference_bits(text, is_space),
                    scanned_bits(&scan, |b| b.space),
                ),
                (
                    "word",
                    reference_bits(text, is_word),
                    scanned_bits(&scan, |b| b.word),
                ),
                (
                    "cta",
                    reference_bits(text, |c| {
                        !is_space(c) && (c.is_alphanumeric() || c == '\'' || c == '\u{2019}')
                    }),
                    scanned_bits(&scan, |b| b.cta),
                ),
                (
                    "upper",
                    reference_bits(text, |c| c.is_ascii_uppercase()),
                    scanned_bits(&scan, |b| b.upper),
                ),
                (
                    "punct",
                    reference_bits(text, |c| c.is_ascii_punctuation()),
                    scanned_bits(&scan, |b| b.punct),
                ),
                (
                    "non_ascii",
                    reference_bits(text, |c| !c.is_ascii()),
                    scanned_bits(&scan, |b| b.non_ascii),
                ),
            ];
            for (name, want, got) in checks {
                assert_eq!(got, want, "{name} of {text:?}");
            }
            let chars = text.len() - scan.count(0, text.len(), |b| b.continuation);
            assert_eq!(chars, text.chars().count(), "{text:?}");
            let mut tokens = Vec::new();
            scan.for_each_token(|a, b| tokens.push(&text[a..b]));
            assert_eq!(tokens, text.split_whitespace().collect::<Vec<_>>());
        }
    }

    #[test]
    fn declines_nul_and_the_python_only_whitespace() {
        for text in [
            "a\0b",
            "a\x1cb",
            "x\x1f",
            &format!("{}\x1e", "a".repeat(70)),
        ] {
            assert!(TextScan::new(text, Vec::new()).is_err(), "{text:?}");
        }
        assert!(TextScan::new("a\tb\nc", Vec::new()).is_ok());
    }

    #[test]
    fn range_queries_cross_blocks() {
        let text = format!("{}X{}Y{}", "a".repeat(63), "b".repeat(70), "c".repeat(5));
        let scan = TextScan::new(&text, Vec::new()).expect("accepted");
        assert_eq!(scan.next_set(0, |b| b.upper), 63);
        assert_eq!(scan.next_set(64, |b| b.upper), 134);
        assert_eq!(scan.next_set(135, |b| b.upper), text.len());
        assert_eq!(scan.count(10, text.len(), |b| b.upper), 2);
        assert_eq!(scan.count(63, 64, |b| b.upper), 1);
        assert_eq!(scan.count(0, 128, |b| b.lower), 127);
        assert_eq!(scan.next_clear(0, |b| b.lower), 63);
        assert!(scan.any(60, 64, |b| b.upper));
        assert!(!scan.any(60, 63, |b| b.upper));
        assert!(scan.any(0, text.len(), |b| b.upper));
        assert!(!scan.any(64, 134, |b| b.upper));
        assert!(scan.any(64, 135, |b| b.upper));
        assert!(!scan.any(5, 5, |b| b.lower));
        let w = scan.window(60, 70).expect("short token");
        assert_eq!(w.upper.count_ones(), 1);
        assert_eq!(bounds(&w, w.upper), (63, 64));
        assert_eq!(w.lower.count_ones(), 9);
        assert_eq!(bounds(&w, w.lower), (60, 70));
        assert_eq!(w.bits(62, 65).count_ones(), 3);
        assert!(scan.window(0, 65).is_none());
        assert_eq!(scan.window(120, 139).map(|w| w.upper.count_ones()), Some(1));
    }
}
