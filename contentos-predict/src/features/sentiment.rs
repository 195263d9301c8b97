//! VADER sentiment, a faithful port of `vaderSentiment` 3.3.2.
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
//! The lexicons (`vader_lexicon.txt`, `emoji_utf8_lexicon.txt`, MIT licence, from the 3.3.2 wheel)
//! are compiled in and parsed once, on first use.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::pycompat::{is_space, is_upper, py_round};

const LEXICON: &str = include_str!("../../data/vader_lexicon.txt");
const EMOJI_LEXICON: &str = include_str!("../../data/emoji_utf8_lexicon.txt");

const B_INCR: f64 = 0.293;
const B_DECR: f64 = -0.293;
const C_INCR: f64 = 0.733;
const N_SCALAR: f64 = -0.74;

const NEGATE: &[&str] = &[
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

const BOOSTERS: &[(&str, f64)] = &[
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

/// Special cases of 3.3.2 as word sequences (its keys joined with single spaces; tokens never
/// contain whitespace, so comparing word by word is the same as comparing the joined strings).
const SPECIAL_CASES: &[(&[&str], f64)] = &[
    (&["the", "shit"], 3.0),
    (&["the", "bomb"], 3.0),
    (&["bad", "ass"], 1.5),
    (&["badass"], 1.5),
    (&["bus", "stop"], 0.0),
    (&["yeah", "right"], -2.0),
    (&["kiss", "of", "death"], -1.5),
    (&["to", "die", "for"], 3.0),
    (&["beating", "heart"], 3.5),
];

/// The multi-word booster keys (only these can match the n-grams of `_special_idioms_check`).
const BOOSTER_NGRAMS: &[(&[&str], f64)] = &[
    (&["just", "enough"], B_DECR),
    (&["kind", "of"], B_DECR),
    (&["sort", "of"], B_DECR),
];

fn special_case(seq: &[&str]) -> Option<f64> {
    SPECIAL_CASES
        .iter()
        .find(|(words, _)| *words == seq)
        .map(|&(_, v)| v)
}

fn booster_ngram(seq: &[&str]) -> Option<f64> {
    BOOSTER_NGRAMS
        .iter()
        .find(|(words, _)| *words == seq)
        .map(|&(_, v)| v)
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

/// The VADER analyser: parsed lexicons plus the rule engine.
///
/// Build it once ([`SentimentAnalyzer::shared`] does that lazily for the process) and call
/// [`SentimentAnalyzer::polarity_scores`] per text; scoring allocates only the per-text token
/// tables.
#[derive(Debug)]
pub struct SentimentAnalyzer {
    lexicon: FxHashMap<&'static str, f64>,
    emojis: FxHashMap<char, &'static str>,
    boosters: FxHashMap<&'static str, f64>,
    negate: FxHashSet<&'static str>,
}

impl Default for SentimentAnalyzer {
    fn default() -> Self {
        Self::new()
    }
}

/// Per-token facts looked up once per text.
struct Token<'a> {
    lower: &'a str,
    upper: bool,
    lexicon: Option<f64>,
    booster: Option<f64>,
}

impl SentimentAnalyzer {
    /// Parses the embedded lexicons. Prefer [`SentimentAnalyzer::shared`], which does it once.
    pub fn new() -> Self {
        let mut lexicon = FxHashMap::default();
        lexicon.reserve(7600);
        for line in LEXICON.trim_end_matches('\n').split('\n') {
            if line.is_empty() {
                continue;
            }
            let mut fields = line.trim_matches(is_space).split('\t');
            let (Some(word), Some(measure)) = (fields.next(), fields.next()) else {
                continue;
            };
            if let Ok(value) = measure.parse::<f64>() {
                lexicon.insert(word, value);
            }
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
        SentimentAnalyzer {
            lexicon,
            emojis,
            boosters: BOOSTERS.iter().copied().collect(),
            negate: NEGATE.iter().copied().collect(),
        }
    }

    /// The process-wide analyser, built on first use.
    pub fn shared() -> &'static SentimentAnalyzer {
        static SHARED: OnceLock<SentimentAnalyzer> = OnceLock::new();
        SHARED.get_or_init(SentimentAnalyzer::new)
    }

    /// Scores `text` exactly as vaderSentiment 3.3.2's `polarity_scores` does.
    pub fn polarity_scores(&self, text: &str) -> Polarity {
        self.with_sentiments(text, score_valence)
    }

    /// Runs the rule engine over `text` and hands the per-token valences and the (emoji-replaced,
    /// trimmed) text to `finish`.
    fn with_sentiments<R>(&self, text: &str, finish: impl FnOnce(&[f64], &str) -> R) -> R {
        let replaced = self.replace_emojis(text);
        let text = replaced.trim_matches(is_space);
        // All lower-cased tokens live in one buffer: no allocation per token.
        let mut lowered = String::with_capacity(text.len() + 8);
        let mut spans: Vec<(usize, usize, &str)> = Vec::with_capacity(text.len() / 4 + 1);
        for w in text.split(is_space).filter(|w| !w.is_empty()) {
            let word = strip_punc_if_word(w);
            let start = lowered.len();
            if word.is_ascii() {
                lowered.push_str(word);
                lowered[start..].make_ascii_lowercase();
            } else {
                lowered.push_str(&word.to_lowercase());
            }
            spans.push((start, lowered.len(), word));
        }
        let tokens: Vec<Token<'_>> = spans
            .iter()
            .map(|&(start, end, word)| self.token(word, &lowered[start..end]))
            .collect();
        let lw: Vec<&str> = tokens.iter().map(|t| t.lower).collect();
        let all_caps = tokens.iter().filter(|t| t.upper).count();
        let is_cap_diff = all_caps > 0 && all_caps < tokens.len();

        let mut sentiments = Vec::with_capacity(tokens.len());
        for i in 0..tokens.len() {
            if tokens[i].booster.is_some() {
                sentiments.push(0.0);
                continue;
            }
            if i + 1 < lw.len() && lw[i] == "kind" && lw[i + 1] == "of" {
                sentiments.push(0.0);
                continue;
            }
            sentiments.push(self.sentiment_valence(&tokens, &lw, is_cap_diff, i));
        }
        but_check(&lw, &mut sentiments);
        finish(&sentiments, text)
    }

    /// The `compound` score alone (what feature vectors use): equal to
    /// `polarity_scores(text).compound`.
    pub fn compound(&self, text: &str) -> f64 {
        self.with_sentiments(text, compound_of)
    }

    fn token<'a>(&self, word: &str, lower: &'a str) -> Token<'a> {
        let l = lower;
        Token {
            upper: is_upper(word),
            lexicon: self.lexicon.get(l).copied(),
            booster: self.boosters.get(l).copied(),
            lower,
        }
    }

    /// `negated([word])` of 3.3.2 for one lower-cased word.
    fn negated(&self, word_lower: &str) -> bool {
        self.negate.contains(word_lower) || word_lower.contains("n't")
    }

    fn replace_emojis<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.is_ascii() {
            return Cow::Borrowed(text); // the emoji lexicon has no ASCII keys
        }
        let mut out = String::with_capacity(text.len() + 32);
        let mut prev_space = true;
        for c in text.chars() {
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

impl SentimentAnalyzer {
    fn sentiment_valence(
        &self,
        tokens: &[Token<'_>],
        lw: &[&str],
        is_cap_diff: bool,
        i: usize,
    ) -> f64 {
        let Some(lex_value) = tokens[i].lexicon else {
            return 0.0;
        };
        let in_lexicon = |j: usize| tokens[j].lexicon.is_some();
        let mut valence = lex_value;
        if lw[i] == "no" && i != lw.len() - 1 && in_lexicon(i + 1) {
            valence = 0.0;
        }
        if (i > 0 && lw[i - 1] == "no")
            || (i > 1 && lw[i - 2] == "no")
            || (i > 2 && lw[i - 3] == "no" && (lw[i - 1] == "or" || lw[i - 1] == "nor"))
        {
            valence = lex_value * N_SCALAR;
        }
        if tokens[i].upper && is_cap_diff {
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
                valence = self.negation_check(valence, lw, start_i, i);
                if start_i == 2 {
                    valence = special_idioms_check(valence, lw, i);
                }
            }
        }
        least_check(valence, tokens, lw, i)
    }
}

fn scalar_inc_dec(token: &Token<'_>, valence: f64, is_cap_diff: bool) -> f64 {
    let Some(booster) = token.booster else {
        return 0.0;
    };
    let mut scalar = booster;
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

impl SentimentAnalyzer {
    fn negation_check(&self, valence: f64, lw: &[&str], start_i: usize, i: usize) -> f64 {
        match start_i {
            0 => {
                if self.negated(lw[i - 1]) {
                    return valence * N_SCALAR;
                }
            }
            1 => {
                if lw[i - 2] == "never" && (lw[i - 1] == "so" || lw[i - 1] == "this") {
                    return valence * 1.25;
                } else if lw[i - 2] == "without" && lw[i - 1] == "doubt" {
                    return valence;
                } else if self.negated(lw[i - 2]) {
                    return valence * N_SCALAR;
                }
            }
            _ => {
                // Python: `a and (b or c) or (d or e)` binds as `(a and (b or c)) or d or e`.
                if (lw[i - 3] == "never" && (lw[i - 2] == "so" || lw[i - 2] == "this"))
                    || (lw[i - 1] == "so" || lw[i - 1] == "this")
                {
                    return valence * 1.25;
                } else if lw[i - 3] == "without" && (lw[i - 2] == "doubt" || lw[i - 1] == "doubt") {
                    return valence;
                } else if self.negated(lw[i - 3]) {
                    return valence * N_SCALAR;
                }
            }
        }
        valence
    }
}

/// 3.3.2's `_special_idioms_check` (only called with `i >= 3`).
fn special_idioms_check(mut valence: f64, lw: &[&str], i: usize) -> f64 {
    // onezero, twoonezero, twoone, threetwoone, threetwo: the first that is a special case wins.
    let sequences: [&[&str]; 5] = [
        &lw[i - 1..=i],
        &lw[i - 2..=i],
        &lw[i - 2..i],
        &lw[i - 3..i],
        &lw[i - 3..i - 1],
    ];
    if let Some(v) = sequences.iter().find_map(|seq| special_case(seq)) {
        valence = v;
    }
    if lw.len() - 1 > i {
        if let Some(v) = special_case(&lw[i..=i + 1]) {
            valence = v;
        }
    }
    if lw.len() - 1 > i + 1 {
        if let Some(v) = special_case(&lw[i..=i + 2]) {
            valence = v;
        }
    }
    // threetwoone, threetwo, twoone against the booster keys.
    for n_gram in [&lw[i - 3..i], &lw[i - 3..i - 1], &lw[i - 2..i]] {
        if let Some(b) = booster_ngram(n_gram) {
            valence += b;
        }
    }
    valence
}

fn least_check(valence: f64, tokens: &[Token<'_>], lw: &[&str], i: usize) -> f64 {
    if i > 1 && tokens[i - 1].lexicon.is_none() && lw[i - 1] == "least" {
        if lw[i - 2] != "at" && lw[i - 2] != "very" {
            return valence * N_SCALAR;
        }
    } else if i > 0 && tokens[i - 1].lexicon.is_none() && lw[i - 1] == "least" {
        return valence * N_SCALAR;
    }
    valence
}

/// `token.strip(string.punctuation)`, keeping the token whole when two characters or fewer remain
/// (so emoticons such as `:)` survive).
fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().take(3).count() <= 2 {
        token
    } else {
        stripped
    }
}

/// 3.3.2's `_but_check`, including its `list.index` lookup of the first equal value.
fn but_check(lw: &[&str], sentiments: &mut [f64]) {
    let Some(bi) = lw.iter().position(|w| *w == "but") else {
        return;
    };
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

fn punctuation_emphasis(text: &str) -> f64 {
    let (mut ep, mut qm) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'!' => ep += 1,
            b'?' => qm += 1,
            _ => {}
        }
    }
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
fn compound_of(sentiments: &[f64], text: &str) -> f64 {
    if sentiments.is_empty() {
        return 0.0;
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
    py_round(normalize(sum_s), 4)
}

fn score_valence(sentiments: &[f64], text: &str) -> Polarity {
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
mod tests {
    use super::*;

    #[test]
    fn lexicons_parse_completely() {
        let a = SentimentAnalyzer::shared();
        assert!(a.lexicon.len() > 7000, "lexicon {}", a.lexicon.len());
        assert!(a.emojis.len() > 1000, "emojis {}", a.emojis.len());
        assert_eq!(a.lexicon.get("good"), Some(&1.9));
    }

    #[test]
    fn empty_and_whitespace_text_scores_zero() {
        let a = SentimentAnalyzer::shared();
        assert_eq!(a.polarity_scores(""), Polarity::default());
        assert_eq!(a.polarity_scores(" \t\x1c "), Polarity::default());
    }
}
