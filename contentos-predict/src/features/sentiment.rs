//! VADER sentiment at parity with `vaderSentiment` 3.3.2.
//!
//! Notebook users compare our sentiment feature with `SentimentIntensityAnalyzer().polarity_scores`,
//! so this reproduces that function step by step, quirks included: emoji replaced by their
//! lexicon descriptions (glued to the following text exactly as 3.3.2 does), tokens split on
//! Python whitespace and stripped of ASCII punctuation unless that leaves two characters or
//! fewer, booster/dampener words, ALL-CAPS emphasis when only some words are capitalised,
//! negation windows of three words, "no" handling, "least", "kind of", the special-case idioms,
//! the "but" re-weighting (which, as in Python, finds each value with `list.index`, i.e. the first
//! equal value), `!`/`?` emphasis, and `round()` of the four outputs.
//!
//! It runs once per post on the scoring path, so the Python's string work is done once per
//! token instead of once per rule:
//!
//! 1. **One look-up per token.** The sentiment lexicon, the booster table, the negation words
//!    and the ~35 words the rules name ("no", "never", "but", "kind", "of", the idioms' words…)
//!    are merged into one [`WordTable`] of [`WordInfo`]. A token's lower-cased bytes are its key
//!    (ASCII tokens are lower-cased while the key is built, without a copy).
//! 2. **Rules compare small codes.** Each rule word has a one-byte code, every other word code 0,
//!    so "is the word before `no`?" or "do these three words form `kiss of death`?" are integer
//!    compares. Equal codes mean equal words, and code 0 never occurs in a rule, so the rules
//!    decide exactly as the string comparisons of 3.3.2 do.
//! 3. **No allocation per text** for ASCII posts: tokens and valences live in per-thread buffers.
//!
//! [`reference`] keeps the string-by-string port this replaced; a differential test holds the two
//! equal bit for bit, beside the golden tests against the Python package itself.
//!
//! The lexicons (`vader_lexicon.txt`, `emoji_utf8_lexicon.txt`, MIT licence, from the 3.3.2 wheel)
//! are compiled in and parsed once, on first use.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::pycompat::{is_space, is_upper, py_round};
use super::text_scan::{bounds, TextScan, Window};
use super::word_table::{has_nul, inline_key_ascii_lower, scan_ascii_word, AsciiWord, WordTable};

#[cfg(test)]
mod reference;

pub(super) const LEXICON: &str = include_str!("../../data/vader_lexicon.txt");
pub(super) const EMOJI_LEXICON: &str = include_str!("../../data/emoji_utf8_lexicon.txt");

pub(super) const B_INCR: f64 = 0.293;
pub(super) const B_DECR: f64 = -0.293;
pub(super) const C_INCR: f64 = 0.733;
pub(super) const N_SCALAR: f64 = -0.74;

pub(super) const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

pub(super) const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("just enough", B_DECR),
    ("kind of", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sort of", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// One-byte codes of the words VADER's rules compare against (0 = any other word).
mod rule {
    pub const NO: u8 = 1;
    pub const OR: u8 = 2;
    pub const NOR: u8 = 3;
    pub const NEVER: u8 = 4;
    pub const SO: u8 = 5;
    pub const THIS: u8 = 6;
    pub const WITHOUT: u8 = 7;
    pub const DOUBT: u8 = 8;
    pub const LEAST: u8 = 9;
    pub const AT: u8 = 10;
    pub const VERY: u8 = 11;
    pub const KIND: u8 = 12;
    pub const OF: u8 = 13;
    pub const BUT: u8 = 14;
    pub const THE: u8 = 15;
    pub const SHIT: u8 = 16;
    pub const BOMB: u8 = 17;
    pub const BAD: u8 = 18;
    pub const ASS: u8 = 19;
    pub const BADASS: u8 = 20;
    pub const BUS: u8 = 21;
    pub const STOP: u8 = 22;
    pub const YEAH: u8 = 23;
    pub const RIGHT: u8 = 24;
    pub const KISS: u8 = 25;
    pub const DEATH: u8 = 26;
    pub const TO: u8 = 27;
    pub const DIE: u8 = 28;
    pub const FOR: u8 = 29;
    pub const BEATING: u8 = 30;
    pub const HEART: u8 = 31;
    pub const JUST: u8 = 32;
    pub const ENOUGH: u8 = 33;
    pub const SORT: u8 = 34;
}

/// Every rule word with its code (codes are distinct, so equal codes mean equal words).
const RULE_WORDS: &[(&str, u8)] = &[
    ("no", rule::NO),
    ("or", rule::OR),
    ("nor", rule::NOR),
    ("never", rule::NEVER),
    ("so", rule::SO),
    ("this", rule::THIS),
    ("without", rule::WITHOUT),
    ("doubt", rule::DOUBT),
    ("least", rule::LEAST),
    ("at", rule::AT),
    ("very", rule::VERY),
    ("kind", rule::KIND),
    ("of", rule::OF),
    ("but", rule::BUT),
    ("the", rule::THE),
    ("shit", rule::SHIT),
    ("bomb", rule::BOMB),
    ("bad", rule::BAD),
    ("ass", rule::ASS),
    ("badass", rule::BADASS),
    ("bus", rule::BUS),
    ("stop", rule::STOP),
    ("yeah", rule::YEAH),
    ("right", rule::RIGHT),
    ("kiss", rule::KISS),
    ("death", rule::DEATH),
    ("to", rule::TO),
    ("die", rule::DIE),
    ("for", rule::FOR),
    ("beating", rule::BEATING),
    ("heart", rule::HEART),
    ("just", rule::JUST),
    ("enough", rule::ENOUGH),
    ("sort", rule::SORT),
];

/// 3.3.2's `SPECIAL_CASES` as rule-code sequences (its keys joined with single spaces; tokens
/// never contain whitespace, so word-by-word equality is equality of the joined strings).
const SPECIAL_CASES: &[(&[u8], f64)] = &[
    (&[rule::THE, rule::SHIT], 3.0),
    (&[rule::THE, rule::BOMB], 3.0),
    (&[rule::BAD, rule::ASS], 1.5),
    (&[rule::BADASS], 1.5),
    (&[rule::BUS, rule::STOP], 0.0),
    (&[rule::YEAH, rule::RIGHT], -2.0),
    (&[rule::KISS, rule::OF, rule::DEATH], -1.5),
    (&[rule::TO, rule::DIE, rule::FOR], 3.0),
    (&[rule::BEATING, rule::HEART], 3.5),
];

/// The multi-word booster keys (only these can match the n-grams of `_special_idioms_check`).
const BOOSTER_NGRAMS: &[(&[u8], f64)] = &[
    (&[rule::JUST, rule::ENOUGH], B_DECR),
    (&[rule::KIND, rule::OF], B_DECR),
    (&[rule::SORT, rule::OF], B_DECR),
];

fn special_case(seq: &[u8]) -> Option<f64> {
    SPECIAL_CASES
        .iter()
        .find(|(codes, _)| *codes == seq)
        .map(|&(_, v)| v)
}

fn booster_ngram(seq: &[u8]) -> Option<f64> {
    BOOSTER_NGRAMS
        .iter()
        .find(|(codes, _)| *codes == seq)
        .map(|&(_, v)| v)
}

/// What the rules need to know about one lower-cased word, from one table look-up.
#[derive(Debug, Clone, Copy, Default)]
struct WordInfo {
    /// Lexicon valence (meaningful when `in_lexicon`).
    valence: f64,
    /// Booster/dampener scalar (meaningful when `is_booster`).
    booster: f64,
    in_lexicon: bool,
    is_booster: bool,
    /// In 3.3.2's `NEGATE` list.
    negates: bool,
    /// [`rule`] code, 0 for words no rule names.
    rule: u8,
    /// Call-to-action lexicon code ([`super::cta::coded_words`]), 0 for other words: carried
    /// here so that one look-up serves both rules on the scoring path.
    cta: u8,
}

impl Token {
    /// The call-to-action code of the token's word (see [`WordInfo`]).
    #[inline]
    pub(crate) fn cta_code(&self) -> u8 {
        self.info.cta
    }
}

/// One token of a text: its [`WordInfo`] plus what depends on its spelling.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Token {
    info: WordInfo,
    /// `str.isupper()` of the (stripped) token.
    upper: bool,
    /// 3.3.2's `negated([word])`: in `NEGATE` or containing `n't`.
    negated: bool,
}
/// VADER's four scores for one text, rounded exactly as `polarity_scores` rounds them
/// (`neg`/`neu`/`pos` to 3 decimals, `compound` to 4).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Polarity {
    /// Share of negative sentiment mass, 0..=1.
    pub neg: f64,
    /// Share of neutral tokens, 0..=1.
    pub neu: f64,
    /// Share of positive sentiment mass, 0..=1.
    pub pos: f64,
    /// Normalised sum of valences, -1..=1: the single number most people use.
    pub compound: f64,
}

/// The VADER analyser: the merged word table and the emoji descriptions, plus the rule engine.
///
/// Build it once ([`SentimentAnalyzer::shared`] does that lazily for the process) and call
/// [`SentimentAnalyzer::polarity_scores`] or [`SentimentAnalyzer::compound`] per text; scoring
/// an ASCII text allocates nothing.
#[derive(Debug)]
pub struct SentimentAnalyzer {
    words: WordTable<WordInfo>,
    emojis: FxHashMap<char, &'static str>,
    /// Each emoji's description as VADER tokens, with the `!` it holds: what a token made of
    /// emoji alone becomes (see [`Self::push_tokens_of`]).
    emoji_tokens: FxHashMap<char, (Box<[Token]>, usize)>,
    lexicon_len: usize,
}

impl Default for SentimentAnalyzer {
    fn default() -> Self {
        Self::new()
    }
}

/// Tokens a thread's buffers may keep between texts (a post has tens; a book would have many
/// more, and its buffers are freed after use).
const SCRATCH_KEEP: usize = 4096;

/// Per-thread token and valence buffers, reused from text to text.
type Scratch = (Vec<Token>, Vec<f64>);

thread_local! {
    static SCRATCH: RefCell<Scratch> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl SentimentAnalyzer {
    /// Parses the embedded lexicons. Prefer [`SentimentAnalyzer::shared`], which does it once.
    pub fn new() -> Self {
        let cta_words = super::cta::coded_words();
        let mut words = WordTable::with_capacity(
            7600 + BOOSTERS.len() + NEGATE.len() + RULE_WORDS.len() + cta_words.len(),
        );
        let mut lexicon_len = 0;
        for line in LEXICON.trim_end_matches('\n').split('\n') {
            if line.is_empty() {
                continue;
            }
            let mut fields = line.trim_matches(is_space).split('\t');
            let (Some(word), Some(measure)) = (fields.next(), fields.next()) else {
                continue;
            };
            if let Ok(value) = measure.parse::<f64>() {
                let info: &mut WordInfo = words.entry(word);
                lexicon_len += usize::from(!info.in_lexicon);
                info.valence = value; // a repeated word keeps its last value, as a dict would
                info.in_lexicon = true;
            }
        }
        for &(word, scalar) in BOOSTERS {
            let info = words.entry(word);
            info.booster = scalar;
            info.is_booster = true;
        }
        for &word in NEGATE {
            words.entry(word).negates = true;
        }
        for &(word, code) in RULE_WORDS {
            words.entry(word).rule = code;
        }
        for &(word, code) in cta_words {
            words.entry(word).cta = code;
        }
        let mut emojis = FxHashMap::default();
        emojis.reserve(3600);
        for line in EMOJI_LEXICON.trim_end_matches('\n').split('\n') {
            let mut fields = line.trim_matches(is_space).split('\t');
            let (Some(emoji), Some(description)) = (fields.next(), fields.next()) else {
                continue;
            };
            // 3.3.2 looks emoji up one code point at a time, so only one-code-point keys can match.
            let mut chars = emoji.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                emojis.insert(c, description);
            }
        }
        let mut analyzer = SentimentAnalyzer {
            words,
            emojis,
            emoji_tokens: FxHashMap::default(),
            lexicon_len,
        };
        analyzer.emoji_tokens = analyzer
            .emojis
            .iter()
            .map(|(&c, description)| {
                let tokens: Box<[Token]> = description
                    .split(' ')
                    .filter(|p| !p.is_empty())
                    .map(|p| analyzer.token_of(p))
                    .collect();
                (c, (tokens, description.matches('!').count()))
            })
            .collect();
        analyzer
    }

    /// The process-wide analyser, built on first use.
    pub fn shared() -> &'static SentimentAnalyzer {
        static SHARED: OnceLock<SentimentAnalyzer> = OnceLock::new();
        SHARED.get_or_init(SentimentAnalyzer::new)
    }

    /// Number of distinct words in the sentiment lexicon.
    pub fn lexicon_len(&self) -> usize {
        self.lexicon_len
    }

    /// The lexicon valence of a lower-case word, if it has one.
    pub fn lexicon_valence(&self, word: &str) -> Option<f64> {
        self.words
            .get(word)
            .filter(|info| info.in_lexicon)
            .map(|info| info.valence)
    }

    /// Scores `text` exactly as vaderSentiment 3.3.2's `polarity_scores` does.
    pub fn polarity_scores(&self, text: &str) -> Polarity {
        self.with_sentiments(text, score_valence)
    }

    /// The `compound` score alone (what feature vectors use): equal to
    /// `polarity_scores(text).compound`.
    pub fn compound(&self, text: &str) -> f64 {
        self.with_sentiments(text, compound_of)
    }

    /// [`Self::compound`] of the text `scan` classified: `fill` pushes its tokens (the
    /// caller's single pass over the text's tokens builds them with [`Self::ascii_word_token`]
    /// and [`Self::push_tokens_of`]) and returns the `!` that emoji descriptions added.
    pub(crate) fn compound_from(
        &self,
        scan: &TextScan,
        fill: impl FnOnce(&mut Vec<Token>) -> usize,
    ) -> f64 {
        with_scratch(|tokens, sentiments| {
            let added_bangs = fill(tokens);
            valences(tokens, sentiments);
            if sentiments.is_empty() {
                return 0.0;
            }
            let n = scan.len();
            let bangs = scan.count(0, n, |b| b.bang) + added_bangs;
            let questions = scan.count(0, n, |b| b.question);
            compound_with_emphasis(sentiments, emphasis_of_counts(bangs, questions))
        })
    }

    /// VADER's token for the ASCII whitespace token whose stripped word is `text[a..b]`;
    /// `word` is [`scan_ascii_word`] of it (`None` when longer than 16 bytes), and
    /// `apostrophe` is false only if the word has no `'`. The text must hold no NUL byte.
    #[inline]
    pub(crate) fn ascii_word_token(
        &self,
        word: Option<AsciiWord>,
        text: &str,
        a: usize,
        b: usize,
        apostrophe: bool,
    ) -> Token {
        match word {
            Some(word) => self.scanned_token(word, &text.as_bytes()[a..b], apostrophe),
            None => self.ascii_token(&text[a..b]),
        }
    }

    /// VADER's token for one whitespace token of any text holding no NUL byte (the per-token
    /// step of [`Self::tokenize`]).
    pub(crate) fn token_of(&self, token: &str) -> Token {
        if token.is_ascii() {
            let (a, b) = strip_punc_ascii(token.as_bytes(), 0, token.len());
            let word = scan_ascii_word(token.as_bytes(), a, b);
            self.ascii_word_token(word, token, a, b, token.contains('\''))
        } else {
            // Stripping removes ASCII only: the word keeps its non-ASCII characters.
            self.unicode_token(strip_punc_if_word(token))
        }
    }

    /// VADER's tokens for one whitespace token of a text (holding no NUL byte), pushed to
    /// `out`; returns the `!` its emoji descriptions added (two descriptions have one).
    ///
    /// 3.3.2 replaces emoji in the whole text before splitting it, but the replacement never
    /// removes whitespace and only inserts spaces and descriptions, so each token of the text
    /// becomes the tokens of its own replacement, and the text never needs rebuilding.
    pub(crate) fn push_tokens_of(&self, token: &str, out: &mut Vec<Token>) -> usize {
        // A token of emoji alone (`🚀`, `😂😂`): each description's tokens, built once (the
        // space 3.3.2 inserts before each description keeps them apart).
        let before = out.len();
        let mut bangs = 0;
        let mut all_emoji = true;
        for c in token.chars() {
            match self.emoji_tokens.get(&c) {
                Some((tokens, b)) => {
                    out.extend_from_slice(tokens);
                    bangs += b;
                }
                None => {
                    all_emoji = false;
                    break;
                }
            }
        }
        if all_emoji {
            return bangs;
        }
        out.truncate(before);
        match self.replace_emojis(token) {
            Cow::Borrowed(token) => {
                out.push(self.token_of(token));
                0
            }
            Cow::Owned(replaced) => {
                // Descriptions hold ASCII spaces only; the token held no whitespace.
                for piece in replaced.split(' ').filter(|p| !p.is_empty()) {
                    out.push(self.token_of(piece));
                }
                let bangs = |t: &str| t.bytes().filter(|&b| b == b'!').count();
                bangs(&replaced) - bangs(token)
            }
        }
    }

    /// Runs the rule engine over `text` and hands the per-token valences and the
    /// emoji-replaced text to `finish`.
    fn with_sentiments<R>(&self, text: &str, finish: impl FnOnce(&[f64], &str) -> R) -> R {
        let replaced = self.replace_emojis(text);
        with_scratch(|tokens, sentiments| {
            self.tokenize(&replaced, tokens);
            valences(tokens, sentiments);
            finish(sentiments, &replaced)
        })
    }

    /// `text.split()`, each token stripped as 3.3.2 strips it, looked up once.
    ///
    /// One pass over the bytes: only non-ASCII characters are decoded (to test them for Python
    /// whitespace), and ASCII tokens, nearly all of them, take the word-at-a-time path.
    fn tokenize(&self, text: &str, out: &mut Vec<Token>) {
        out.clear();
        let bytes = text.as_bytes();
        let nul_free = !has_nul(bytes);
        let mut i = 0;
        while i < bytes.len() {
            // Skip separators.
            let b = bytes[i];
            if b < 0x80 {
                if is_ascii_space(b) {
                    i += 1;
                    continue;
                }
            } else {
                // `i` is a char boundary: every step advances by whole characters.
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                if is_space(c) {
                    i += c.len_utf8();
                    continue;
                }
            }
            // A token: up to the next separator.
            let start = i;
            let mut ascii = true;
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    if is_ascii_space(b) {
                        break;
                    }
                    i += 1;
                } else {
                    let Some(c) = text[i..].chars().next() else {
                        break;
                    };
                    if is_space(c) {
                        break;
                    }
                    ascii = false;
                    i += c.len_utf8();
                }
            }
            out.push(if ascii {
                let (a, b) = strip_punc_ascii(bytes, start, i);
                match scan_ascii_word(bytes, a, b).filter(|_| nul_free) {
                    Some(word) => {
                        self.scanned_token(word, &bytes[a..b], bytes[a..b].contains(&b'\''))
                    }
                    // Byte offsets of ASCII text are char boundaries.
                    None => self.ascii_token(&text[a..b]),
                }
            } else {
                // Stripping removes ASCII only: the word keeps its non-ASCII characters.
                self.unicode_token(strip_punc_if_word(&text[start..i]))
            });
        }
    }

    /// [`Self::ascii_token`] for a word already read by [`scan_ascii_word`]; `apostrophe`
    /// is false only if the word has no `'` (then it cannot contain `n't`).
    #[inline]
    fn scanned_token(&self, word: AsciiWord, bytes: &[u8], apostrophe: bool) -> Token {
        let info = self.words.get_key(word.key).unwrap_or_default();
        Token {
            info,
            upper: word.has_upper && !word.has_lower,
            negated: info.negates || (apostrophe && contains_nt_ignore_ascii_case(bytes)),
        }
    }

    fn ascii_token(&self, word: &str) -> Token {
        let bytes = word.as_bytes();
        let info = match inline_key_ascii_lower(bytes) {
            Some(key) => self.words.get_key(key),
            None => self.words.get_ascii_lower(word),
        }
        .unwrap_or_default();
        let (mut has_upper, mut has_lower) = (false, false);
        for &b in bytes {
            has_upper |= b.is_ascii_uppercase();
            has_lower |= b.is_ascii_lowercase();
        }
        Token {
            info,
            upper: has_upper && !has_lower,
            negated: info.negates || contains_nt_ignore_ascii_case(bytes),
        }
    }

    pub(crate) fn unicode_token(&self, word: &str) -> Token {
        let lower = word.to_lowercase();
        let info = self.words.get(&lower).unwrap_or_default();
        Token {
            info,
            upper: is_upper(word),
            negated: info.negates || lower.contains("n't"),
        }
    }

    /// 3.3.2's emoji step: each code point with a description is replaced by it, separated by
    /// a space from what precedes it. Borrows `text` when nothing is replaced.
    pub(crate) fn replace_emojis<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text); // the emoji lexicon has no ASCII keys
        }
        let Some(first) = text
            .char_indices()
            .find(|&(_, c)| !c.is_ascii() && self.emojis.contains_key(&c))
            .map(|(i, _)| i)
        else {
            return Cow::Borrowed(text);
        };
        let mut out = String::with_capacity(text.len() + 32);
        out.push_str(&text[..first]);
        let mut prev_space = out.is_empty() || out.ends_with(' ');
        for c in text[first..].chars() {
            let description = if c.is_ascii() {
                None
            } else {
                self.emojis.get(&c)
            };
            if let Some(description) = description {
                if !prev_space {
                    out.push(' ');
                }
                out.push_str(description);
                prev_space = false;
            } else {
                out.push(c);
                prev_space = c == ' ';
            }
        }
        Cow::Owned(out)
    }
}

/// Runs `f` with this thread's token and valence buffers, empty (fresh ones if they are in use),
/// and frees them afterwards if a huge text grew them past [`SCRATCH_KEEP`] tokens, so that one
/// such text does not pin them to the thread for good.
fn with_scratch<R>(f: impl FnOnce(&mut Vec<Token>, &mut Vec<f64>) -> R) -> R {
    let run = |(tokens, sentiments): &mut Scratch| {
        tokens.clear();
        sentiments.clear();
        let result = f(tokens, sentiments);
        if tokens.capacity() > SCRATCH_KEEP {
            *tokens = Vec::new();
            *sentiments = Vec::new();
        }
        result
    };
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => run(&mut scratch),
        Err(_) => run(&mut (Vec::new(), Vec::new())), // re-entered: cannot happen, stay correct
    })
}

/// [`strip_punc_if_word`] for the ASCII token `start..end` of window `w`, as a byte range:
/// ASCII punctuation trimmed from both ends unless two characters or fewer would remain.
#[inline(always)]
pub(crate) fn stripped_range(w: &Window, start: usize, end: usize) -> (usize, usize) {
    let kept = w.span & !w.punct;
    if kept == 0 {
        return (start, end);
    }
    let (a, b) = bounds(w, kept);
    if b - a <= 2 {
        (start, end)
    } else {
        (a, b)
    }
}

/// [`strip_punc_if_word`] for the ASCII token `bytes[start..end]`, as a byte range.
#[inline]
fn strip_punc_ascii(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let (mut a, mut b) = (start, end);
    while a < b && bytes[a].is_ascii_punctuation() {
        a += 1;
    }
    while b > a && bytes[b - 1].is_ascii_punctuation() {
        b -= 1;
    }
    if b - a <= 2 {
        (start, end)
    } else {
        (a, b)
    }
}

/// Python whitespace among ASCII bytes (`str.split()`'s separators).
#[inline(always)]
fn is_ascii_space(b: u8) -> bool {
    // Bits 9..=13 (\t \n \v \f \r), 28..=31 (\x1c-\x1f) and 32 (space).
    const SPACES: u64 = (0b11111 << 9) | (0b1111 << 28) | (1 << 32);
    b < 64 && (SPACES >> b) & 1 != 0
}

/// Whether the ASCII-lower-cased `word` contains `n't`.
#[inline]
fn contains_nt_ignore_ascii_case(word: &[u8]) -> bool {
    word.windows(3)
        .any(|w| w[1] == b'\'' && (w[0] | 0x20) == b'n' && (w[2] | 0x20) == b't')
}

/// 3.3.2's loop of `polarity_scores` over the tokens, then `_but_check`: one valence per token.
fn valences(tokens: &[Token], sentiments: &mut Vec<f64>) {
    sentiments.clear();
    let n = tokens.len();
    let caps = tokens.iter().filter(|t| t.upper).count();
    let is_cap_diff = caps > 0 && caps < n;
    for i in 0..n {
        let t = &tokens[i].info;
        let skipped = t.is_booster
            || (t.rule == rule::KIND && i + 1 < n && tokens[i + 1].info.rule == rule::OF);
        sentiments.push(if skipped {
            0.0
        } else {
            sentiment_valence(tokens, is_cap_diff, i)
        });
    }
    if let Some(bi) = tokens.iter().position(|t| t.info.rule == rule::BUT) {
        but_check(bi, sentiments);
    }
}

fn sentiment_valence(tokens: &[Token], is_cap_diff: bool, i: usize) -> f64 {
    let t = &tokens[i];
    if !t.info.in_lexicon {
        return 0.0;
    }
    let code = |j: usize| tokens[j].info.rule;
    let in_lexicon = |j: usize| tokens[j].info.in_lexicon;
    let lex_value = t.info.valence;
    let mut valence = lex_value;
    if t.info.rule == rule::NO && i != tokens.len() - 1 && in_lexicon(i + 1) {
        valence = 0.0;
    }
    if (i > 0 && code(i - 1) == rule::NO)
        || (i > 1 && code(i - 2) == rule::NO)
        || (i > 2
            && code(i - 3) == rule::NO
            && (code(i - 1) == rule::OR || code(i - 1) == rule::NOR))
    {
        valence = lex_value * N_SCALAR;
    }
    if t.upper && is_cap_diff {
        if valence > 0.0 {
            valence += C_INCR;
        } else {
            valence -= C_INCR;
        }
    }
    for start_i in 0..3 {
        if i > start_i && !in_lexicon(i - (start_i + 1)) {
            let j = i - (start_i + 1);
            let mut s = scalar_inc_dec(&tokens[j], valence, is_cap_diff);
            if start_i == 1 && s != 0.0 {
                s *= 0.95;
            }
            if start_i == 2 && s != 0.0 {
                s *= 0.9;
            }
            valence += s;
            valence = negation_check(valence, tokens, start_i, i);
            if start_i == 2 {
                valence = special_idioms_check(valence, tokens, i);
            }
        }
    }
    least_check(valence, tokens, i)
}

fn scalar_inc_dec(token: &Token, valence: f64, is_cap_diff: bool) -> f64 {
    if !token.info.is_booster {
        return 0.0;
    }
    let mut scalar = token.info.booster;
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if token.upper && is_cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

fn negation_check(valence: f64, tokens: &[Token], start_i: usize, i: usize) -> f64 {
    let code = |j: usize| tokens[j].info.rule;
    match start_i {
        0 => {
            if tokens[i - 1].negated {
                return valence * N_SCALAR;
            }
        }
        1 => {
            if code(i - 2) == rule::NEVER && (code(i - 1) == rule::SO || code(i - 1) == rule::THIS)
            {
                return valence * 1.25;
            } else if code(i - 2) == rule::WITHOUT && code(i - 1) == rule::DOUBT {
                return valence;
            } else if tokens[i - 2].negated {
                return valence * N_SCALAR;
            }
        }
        _ => {
            // Python: `a and (b or c) or (d or e)` binds as `(a and (b or c)) or d or e`.
            if (code(i - 3) == rule::NEVER
                && (code(i - 2) == rule::SO || code(i - 2) == rule::THIS))
                || (code(i - 1) == rule::SO || code(i - 1) == rule::THIS)
            {
                return valence * 1.25;
            } else if code(i - 3) == rule::WITHOUT
                && (code(i - 2) == rule::DOUBT || code(i - 1) == rule::DOUBT)
            {
                return valence;
            } else if tokens[i - 3].negated {
                return valence * N_SCALAR;
            }
        }
    }
    valence
}

/// 3.3.2's `_special_idioms_check` (only called with `i >= 3`).
fn special_idioms_check(mut valence: f64, tokens: &[Token], i: usize) -> f64 {
    let n = tokens.len();
    // The codes of words i-3 ..= i+2 (0 past the end, where no sequence reaches).
    let mut c = [0u8; 6];
    for (k, slot) in c.iter_mut().enumerate() {
        if let Some(t) = tokens.get(i - 3 + k) {
            *slot = t.info.rule;
        }
    }
    if c.iter().all(|&x| x == 0) {
        return valence; // no rule word nearby: no idiom can match
    }
    // c[3] is word i. onezero, twoonezero, twoone, threetwoone, threetwo: the first that is a
    // special case wins.
    let sequences: [&[u8]; 5] = [&c[2..4], &c[1..4], &c[1..3], &c[0..3], &c[0..2]];
    if let Some(v) = sequences.iter().find_map(|seq| special_case(seq)) {
        valence = v;
    }
    if n - 1 > i {
        if let Some(v) = special_case(&c[3..5]) {
            valence = v;
        }
    }
    if n - 1 > i + 1 {
        if let Some(v) = special_case(&c[3..6]) {
            valence = v;
        }
    }
    // threetwoone, threetwo, twoone against the booster keys.
    for n_gram in [&c[0..3], &c[0..2], &c[1..3]] {
        if let Some(b) = booster_ngram(n_gram) {
            valence += b;
        }
    }
    valence
}

fn least_check(valence: f64, tokens: &[Token], i: usize) -> f64 {
    let code = |j: usize| tokens[j].info.rule;
    if i > 1 && !tokens[i - 1].info.in_lexicon && code(i - 1) == rule::LEAST {
        if code(i - 2) != rule::AT && code(i - 2) != rule::VERY {
            return valence * N_SCALAR;
        }
    } else if i > 0 && !tokens[i - 1].info.in_lexicon && code(i - 1) == rule::LEAST {
        return valence * N_SCALAR;
    }
    valence
}

/// 3.3.2's `_but_check` given the first `but` at `bi`, including its `list.index` lookup of the
/// first equal value.
fn but_check(bi: usize, sentiments: &mut [f64]) {
    for k in 0..sentiments.len() {
        let sentiment = sentiments[k];
        let si = sentiments.iter().position(|&s| s == sentiment).unwrap_or(k);
        if si < bi {
            sentiments[si] = sentiment * 0.5;
        } else if si > bi {
            sentiments[si] = sentiment * 1.5;
        }
    }
}

/// `token.strip(string.punctuation)`, keeping the token whole when two characters or fewer remain
/// (so emoticons such as `:)` survive).
pub(super) fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().take(3).count() <= 2 {
        token
    } else {
        stripped
    }
}

fn punctuation_emphasis(text: &str) -> f64 {
    let (mut ep, mut qm) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'!' => ep += 1,
            b'?' => qm += 1,
            _ => {}
        }
    }
    emphasis_of_counts(ep, qm)
}

/// 3.3.2's `_punctuation_emphasis` from the counts of `!` (`ep`) and `?` (`qm`) in the text.
fn emphasis_of_counts(ep: usize, qm: usize) -> f64 {
    let ep_amplifier = ep.min(4) as f64 * 0.292;
    let qm_amplifier = if qm > 1 {
        if qm <= 3 {
            qm as f64 * 0.18
        } else {
            0.96
        }
    } else {
        0.0
    };
    ep_amplifier + qm_amplifier
}

fn normalize(score: f64) -> f64 {
    let norm = score / (score * score + 15.0).sqrt();
    norm.clamp(-1.0, 1.0)
}

/// `score_valence`'s `compound` alone (skips the three proportions and their rounding).
pub(super) fn compound_of(sentiments: &[f64], text: &str) -> f64 {
    if sentiments.is_empty() {
        return 0.0;
    }
    compound_with_emphasis(sentiments, punctuation_emphasis(text))
}

/// `score_valence`'s `compound` given the punctuation amplifier (non-empty `sentiments`).
fn compound_with_emphasis(sentiments: &[f64], amplifier: f64) -> f64 {
    let mut sum_s = 0.0;
    for s in sentiments {
        sum_s += s;
    }
    if sum_s > 0.0 {
        sum_s += amplifier;
    } else if sum_s < 0.0 {
        sum_s -= amplifier;
    }
    py_round(normalize(sum_s), 4)
}

pub(super) fn score_valence(sentiments: &[f64], text: &str) -> Polarity {
    if sentiments.is_empty() {
        return Polarity::default();
    }
    let mut sum_s = 0.0;
    for s in sentiments {
        sum_s += s;
    }
    let amplifier = punctuation_emphasis(text);
    if sum_s > 0.0 {
        sum_s += amplifier;
    } else if sum_s < 0.0 {
        sum_s -= amplifier;
    }
    let compound = normalize(sum_s);
    let (mut pos_sum, mut neg_sum, mut neu_count) = (0.0f64, 0.0f64, 0usize);
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += amplifier;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= amplifier;
    }
    let total = pos_sum + neg_sum.abs() + neu_count as f64;
    Polarity {
        neg: py_round((neg_sum / total).abs(), 3),
        neu: py_round((neu_count as f64 / total).abs(), 3),
        pos: py_round((pos_sum / total).abs(), 3),
        compound: py_round(compound, 4),
    }
}

#[cfg(test)]
mod tests;
