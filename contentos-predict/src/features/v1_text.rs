//! The text columns of `contentos-features/1` in as few passes as possible.
//!
//! [`super::v1`] defines each count with a small reference function (`punctuation_runs`,
//! `hashtag_count`, `mention_count`, `url_count`, `all_caps_ratio`), each its own pass over the
//! text, some allocating. Scoring hundreds of thousands of posts pays for every pass, so
//! [`V1TextColumns::of`] computes the character count and those five counts in one pass over
//! the bytes (decoding only non-ASCII characters), and takes readability, sentiment, calls to
//! action and emoji from their parity ports. The results are equal to the reference functions
//! by construction and by test (`tests/v1_text_fast_path.rs` compares them on the parity corpus
//! and on generated texts).

use std::cell::RefCell;

use super::readability::{sentences_of_scan, ReadabilityCounts};
use super::sentiment::SentimentAnalyzer;
use super::text_scan::{Block, TextScan};
use super::text_stats::{cta_count, emoji_count};
use super::token_pass::TokenCounts;

/// The 14 text-derived columns of `contentos-features/1`, in schema order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct V1TextColumns {
    /// `char_count`: Unicode scalar values (Python `len`).
    pub chars: usize,
    /// `word_count`, `sentence_count` and the syllables behind the two readability scores.
    pub readability: ReadabilityCounts,
    /// `vader_compound`.
    pub vader_compound: f64,
    /// `question_count`, `exclamation_count`.
    pub questions: usize,
    /// See `questions`.
    pub exclamations: usize,
    /// `cta_count`.
    pub cta: usize,
    /// `hashtag_count`.
    pub hashtags: usize,
    /// `mention_count`.
    pub mentions: usize,
    /// `url_count`.
    pub urls: usize,
    /// `emoji_count`.
    pub emoji: usize,
    /// `all_caps_ratio`.
    pub all_caps_ratio: f64,
}

/// Blocks a thread's scan buffer may keep between texts (64 bytes of text each).
const BLOCKS_KEEP: usize = 1024;

thread_local! {
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

impl V1TextColumns {
    /// Computes every text column of `text` as [`super::v1::FeaturesV1`] defines them.
    ///
    /// The text is classified once into bit masks ([`TextScan`]) that readability, sentiment,
    /// calls to action and the surface counts all read; texts the scan declines (a NUL or one
    /// of `\x1c`–`\x1f`) take each rule's own byte-by-byte pass.
    pub fn of(text: &str) -> Self {
        let buffer = BLOCKS.with(|cell| cell.try_borrow_mut().map(|mut b| std::mem::take(&mut *b)));
        let (columns, buffer) = match TextScan::new(text, buffer.unwrap_or_default()) {
            Ok(scan) => (Self::of_scan(&scan), scan.into_blocks()),
            Err(buffer) => (Self::of_each_rule(text), buffer),
        };
        if buffer.capacity() <= BLOCKS_KEEP {
            BLOCKS.with(|cell| {
                if let Ok(mut b) = cell.try_borrow_mut() {
                    *b = buffer;
                }
            });
        }
        columns
    }

    /// The columns from the masks of a classified text.
    fn of_scan(scan: &TextScan) -> Self {
        let s = SurfaceCounts::marks_of_scan(scan);
        let t = TokenCounts::of(scan);
        V1TextColumns {
            chars: s.chars,
            readability: ReadabilityCounts {
                words: t.words,
                sentences: sentences_of_scan(scan),
                syllables: t.syllables,
            },
            vader_compound: t.vader_compound,
            questions: s.questions,
            exclamations: s.exclamations,
            cta: t.cta,
            hashtags: s.hashtags,
            mentions: s.mentions,
            urls: t.urls,
            // Emoji are non-ASCII: an ASCII text has none.
            emoji: if scan.blocks().iter().any(|b| b.non_ascii != 0) {
                emoji_count(scan.text())
            } else {
                0
            },
            all_caps_ratio: SurfaceCounts {
                caps: t.caps,
                caps_eligible: t.caps_eligible,
                ..SurfaceCounts::default()
            }
            .caps_ratio(),
        }
    }

    /// The columns by each rule's own pass over the text (texts the scan declines, and the
    /// reference the scan path is tested against).
    pub(crate) fn of_each_rule(text: &str) -> Self {
        let s = SurfaceCounts::of(text);
        V1TextColumns {
            chars: s.chars,
            readability: ReadabilityCounts::of(text),
            vader_compound: SentimentAnalyzer::shared().compound(text),
            questions: s.questions,
            exclamations: s.exclamations,
            cta: cta_count(text),
            hashtags: s.hashtags,
            mentions: s.mentions,
            urls: s.urls,
            emoji: emoji_count(text),
            all_caps_ratio: s.caps_ratio(),
        }
    }

    /// The 14 values in schema order (`char_count` … `all_caps_ratio`).
    pub fn values(&self) -> [f64; 14] {
        let r = &self.readability;
        [
            self.chars as f64,
            r.words as f64,
            r.sentences as f64,
            r.flesch_reading_ease(),
            r.flesch_kincaid_grade(),
            self.vader_compound,
            self.questions as f64,
            self.exclamations as f64,
            self.cta as f64,
            self.hashtags as f64,
            self.mentions as f64,
            self.urls as f64,
            self.emoji as f64,
            self.all_caps_ratio,
        ]
    }
}

/// Whether the whitespace token at the start of `rest` is a URL (`v1::url_count`): it begins
/// with `http://`, `https://` or `www.`, in any case.
#[inline]
pub(super) fn is_url_start(rest: &[u8]) -> bool {
    matches!(rest.first().map(|b| b | 0x20), Some(b'h' | b'w'))
        && (starts_with_ignore_case(rest, b"http://")
            || starts_with_ignore_case(rest, b"https://")
            || starts_with_ignore_case(rest, b"www."))
}

/// The counts of one fused pass.
#[derive(Debug, Default)]
struct SurfaceCounts {
    chars: usize,
    questions: usize,
    exclamations: usize,
    hashtags: usize,
    mentions: usize,
    urls: usize,
    caps: usize,
    caps_eligible: usize,
}

/// `char::is_alphanumeric() || '_'`: the word characters of the hashtag and mention rules.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        c.is_alphanumeric()
    }
}

/// ASCII case-insensitive prefix test. Exact for `to_lowercase().starts_with(p)` when `p` is
/// made of ASCII characters other than `k` and `i`: the only non-ASCII characters whose lower
/// case begins with an ASCII letter are U+212A KELVIN SIGN (`k`) and U+0130 (`i̇`).
#[inline]
fn starts_with_ignore_case(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

const S_WORD: u8 = 1;
const S_SPACE: u8 = 2;
const S_ALPHA: u8 = 4;
const S_UPPER: u8 = 8;
const S_LOWER: u8 = 16;

/// Per ASCII byte: word character (`is_word_char`), Rust whitespace (`char::is_whitespace`,
/// which `split_whitespace` uses: `\t`–`\r` and space), letter, upper and lower case.
static SURFACE_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut f = 0;
        if c.is_ascii_alphanumeric() || c == b'_' {
            f |= S_WORD;
        }
        if matches!(c, b'\t'..=b'\r' | b' ') {
            f |= S_SPACE;
        }
        if c.is_ascii_alphabetic() {
            f |= S_ALPHA;
        }
        if c.is_ascii_uppercase() {
            f |= S_UPPER;
        }
        if c.is_ascii_lowercase() {
            f |= S_LOWER;
        }
        t[b] = f;
        b += 1;
    }
    t
};

/// A whitespace token in progress (the tokens of `str::split_whitespace`).
#[derive(Default)]
struct Token {
    open: bool,
    letters: usize,
    lower: bool,
    upper: bool,
}

impl SurfaceCounts {
    /// `all_caps_ratio` (0 when no token has two letters).
    fn caps_ratio(&self) -> f64 {
        if self.caps_eligible == 0 {
            0.0
        } else {
            self.caps as f64 / self.caps_eligible as f64
        }
    }

    /// The counts of [`Self::of`] that are not per token (characters, runs of `?`/`!`,
    /// hashtags, mentions), from the masks of a classified text.
    fn marks_of_scan(scan: &TextScan) -> Self {
        let text = scan.text();
        let n = text.len();
        let mut out = SurfaceCounts {
            chars: n - scan.count(0, n, |b| b.continuation),
            ..SurfaceCounts::default()
        };
        scan.for_each_run(
            |b| b.question | b.bang,
            |start, end| {
                if scan.any(start, end, |b| b.question) {
                    out.questions += 1;
                } else {
                    out.exclamations += 1;
                }
            },
        );
        for (bi, block) in scan.blocks().iter().enumerate() {
            let mut signs = block.sign;
            while signs != 0 {
                let i = bi * 64 + signs.trailing_zeros() as usize;
                signs &= signs - 1;
                out.count_sign(text, i);
            }
        }
        out
    }

    /// The hashtag or mention (if any) of the `#` or `@` at byte `i`: a sign not preceded by a
    /// word character (see [`Self::of`]).
    fn count_sign(&mut self, text: &str, i: usize) {
        let prev_word = text
            .get(..i)
            .and_then(|t| t.chars().next_back())
            .is_some_and(is_word_char);
        if prev_word {
            return;
        }
        let bytes = text.as_bytes();
        if bytes[i] == b'#' {
            let mut body = 0usize;
            let mut numeric = true;
            for d in text[i + 1..].chars() {
                if !is_word_char(d) {
                    break;
                }
                body += 1;
                numeric &= d.is_numeric();
            }
            if body > 0 && !numeric {
                self.hashtags += 1;
            }
        } else if let Some(&n) = bytes.get(i + 1) {
            if n.is_ascii_alphanumeric() || n == b'_' {
                self.mentions += 1;
            }
        }
    }

    /// Counts the whitespace token at the start of `rest` if it is a URL.
    #[inline]
    fn count_url(&mut self, rest: &[u8]) {
        self.urls += usize::from(is_url_start(rest));
    }

    fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut out = SurfaceCounts::default();
        let (mut in_run, mut has_q) = (false, false);
        let mut prev_word = false;
        let mut token = Token::default();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 && !matches!(b, b'?' | b'!' | b'#' | b'@') {
                // The common case, from a table: an ASCII byte that is not a sign any rule
                // looks at (equal to the general branch below for such bytes).
                let flags = SURFACE_CLASS[usize::from(b)];
                out.chars += 1;
                if in_run {
                    out.end_run(&mut in_run, &mut has_q);
                }
                prev_word = flags & S_WORD != 0;
                if flags & S_SPACE != 0 {
                    out.close(&mut token);
                } else {
                    if !token.open {
                        out.open(&mut token, &bytes[i..]);
                    }
                    token.letters += usize::from(flags & S_ALPHA != 0);
                    token.lower |= flags & S_LOWER != 0;
                    token.upper |= flags & S_UPPER != 0;
                }
                i += 1;
                continue;
            }
            let (c, len) = if b < 0x80 {
                (b as char, 1)
            } else {
                // `i` is always a char boundary: we advance by whole characters.
                match text[i..].chars().next() {
                    Some(c) => (c, c.len_utf8()),
                    None => break,
                }
            };
            out.chars += 1;

            // Runs of ? and ! (v1::punctuation_runs).
            if c == '?' || c == '!' {
                in_run = true;
                has_q |= c == '?';
            } else if in_run {
                out.end_run(&mut in_run, &mut has_q);
            }

            // Hashtags and mentions (v1::hashtag_count, v1::mention_count): a sign not preceded
            // by a word character. Their bodies hold no sign, so matches never overlap one.
            if (c == '#' || c == '@') && !prev_word {
                out.count_sign(text, i);
            }
            prev_word = is_word_char(c);

            // Whitespace tokens: URLs (v1::url_count) and shouting (v1::all_caps_ratio).
            if c.is_whitespace() {
                out.close(&mut token);
            } else {
                if !token.open {
                    out.open(&mut token, &bytes[i..]);
                }
                if b < 0x80 {
                    if b.is_ascii_alphabetic() {
                        token.letters += 1;
                        token.lower |= b.is_ascii_lowercase();
                        token.upper |= b.is_ascii_uppercase();
                    }
                } else {
                    token.letters += usize::from(c.is_alphabetic());
                    token.lower |= c.is_lowercase();
                    token.upper |= c.is_uppercase();
                }
            }
            i += len;
        }
        if in_run {
            out.end_run(&mut in_run, &mut has_q);
        }
        out.close(&mut token);
        out
    }

    /// Ends a run of `?`/`!`: a question if it held a `?`, else an exclamation.
    #[inline]
    fn end_run(&mut self, in_run: &mut bool, has_q: &mut bool) {
        if *has_q {
            self.questions += 1;
        } else {
            self.exclamations += 1;
        }
        *in_run = false;
        *has_q = false;
    }

    /// Starts a whitespace token at the start of `rest`, counting it if it is a URL.
    #[inline]
    fn open(&mut self, token: &mut Token, rest: &[u8]) {
        *token = Token {
            open: true,
            ..Token::default()
        };
        self.count_url(rest);
    }

    fn close(&mut self, token: &mut Token) {
        if token.open && token.letters >= 2 {
            self.caps_eligible += 1;
            // Python `str.isupper` as v1 applies it: no lower-case character, some upper-case.
            self.caps += usize::from(token.upper && !token.lower);
        }
        token.open = false;
    }
}
