//! The line-by-line port of vaderSentiment 3.3.2 that the fast scorer in [`super`] replaced,
//! kept as the oracle of a differential test: it works on lower-cased strings exactly as the
//! Python does (`list.index`, string comparisons of every rule word), so it is easy to check
//! against the Python source, and the fast scorer must agree with it bit for bit.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::features::pycompat::{is_space, is_upper};

use super::{
    score_valence, strip_punc_if_word, Polarity, BOOSTERS, B_DECR, C_INCR, EMOJI_LEXICON, LEXICON,
    NEGATE, N_SCALAR,
};

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

/// The VADER analyser: parsed lexicons plus the rule engine.
///
/// Build it once ([`ReferenceAnalyzer::shared`] does that lazily for the process) and call
/// [`ReferenceAnalyzer::polarity_scores`] per text; scoring allocates only the per-text token
/// tables.
#[derive(Debug)]
pub struct ReferenceAnalyzer {
    lexicon: FxHashMap<&'static str, f64>,
    emojis: FxHashMap<char, &'static str>,
    boosters: FxHashMap<&'static str, f64>,
    negate: FxHashSet<&'static str>,
}

impl Default for ReferenceAnalyzer {
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

impl ReferenceAnalyzer {
    /// Parses the embedded lexicons. Prefer [`ReferenceAnalyzer::shared`], which does it once.
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
        ReferenceAnalyzer {
            lexicon,
            emojis,
            boosters: BOOSTERS.iter().copied().collect(),
            negate: NEGATE.iter().copied().collect(),
        }
    }

    /// The process-wide analyser, built on first use.
    pub fn shared() -> &'static ReferenceAnalyzer {
        static SHARED: OnceLock<ReferenceAnalyzer> = OnceLock::new();
        SHARED.get_or_init(ReferenceAnalyzer::new)
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

impl ReferenceAnalyzer {
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

impl ReferenceAnalyzer {
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
