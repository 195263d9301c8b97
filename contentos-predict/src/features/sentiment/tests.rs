use super::reference::ReferenceAnalyzer;
use super::*;
use crate::test_support::{generated_texts, golden_texts};

#[test]
fn lexicons_parse_completely() {
    let a = SentimentAnalyzer::shared();
    assert!(a.lexicon_len() > 7000, "lexicon {}", a.lexicon_len());
    assert!(a.emojis.len() > 1000, "emojis {}", a.emojis.len());
    assert_eq!(a.lexicon_valence("good"), Some(1.9));
    assert_eq!(
        a.lexicon_valence("but"),
        None,
        "a rule word outside the lexicon"
    );
}

#[test]
fn empty_and_whitespace_text_scores_zero() {
    let a = SentimentAnalyzer::shared();
    assert_eq!(a.polarity_scores(""), Polarity::default());
    assert_eq!(a.polarity_scores(" \t\x1c "), Polarity::default());
}

/// Words that exercise every rule: rule words, boosters and dampeners, negations (with and
/// without `n't`), lexicon words of both signs, emoticons, idioms' words, caps, punctuation,
/// emoji with descriptions, typographic apostrophes, non-ASCII letters and long words.
const VOCABULARY: &[&str] = &[
    "no",
    "No",
    "NO",
    "or",
    "nor",
    "never",
    "so",
    "this",
    "without",
    "doubt",
    "least",
    "at",
    "very",
    "VERY",
    "kind",
    "of",
    "but",
    "BUT",
    "the",
    "shit",
    "bomb",
    "bad",
    "ass",
    "badass",
    "bus",
    "stop",
    "yeah",
    "right",
    "kiss",
    "death",
    "to",
    "die",
    "for",
    "beating",
    "heart",
    "just",
    "enough",
    "sort",
    "kinda",
    "sorta",
    "extremely",
    "barely",
    "slightly",
    "really",
    "not",
    "isn't",
    "ISN'T",
    "don't",
    "dont",
    "can’t",
    "wasn't!",
    "nope",
    "uh-uh",
    "good",
    "GOOD",
    "Good!",
    "great",
    "love",
    "hate",
    "terrible",
    "HORRIBLE",
    "happy",
    "sad",
    "okay",
    ":)",
    ":(",
    ":D",
    "XD",
    "<3",
    "lol",
    "wtf",
    "😀",
    "😢",
    "🚀",
    "❤",
    "👍🏽",
    "café",
    "ÉTÉ",
    "ǅa",
    "straße",
    "ΣΊΣΥΦΟΣ",
    "!!!",
    "??",
    "?!",
    "...",
    "--",
    "'quoted'",
    "\"good\"",
    "(great)",
    "supercalifragilisticexpialidocious",
    "unbelievably-good",
    "a",
    "I",
    "we",
    "it",
    "the bomb",
    "\u{a0}",
    "\t",
    "\n",
    "good\0",
    "\0",
    "no\0",
    "BAD\0ASS",
];

#[test]
fn the_fast_scorer_equals_the_line_by_line_port_on_generated_texts() {
    let fast = SentimentAnalyzer::shared();
    let reference = ReferenceAnalyzer::shared();
    let separators = [
        " ", " ", " ", "  ", "\t", ", ", "! ", "? ", ". ", "\u{2003}", "",
    ];
    let texts = generated_texts(0x9E37_79B9_7F4A_7C15, 20_000, 14, VOCABULARY, &separators);
    for (case, text) in texts.iter().enumerate() {
        let want = reference.polarity_scores(text);
        let got = fast.polarity_scores(text);
        assert_eq!(
            (
                got.neg.to_bits(),
                got.neu.to_bits(),
                got.pos.to_bits(),
                got.compound.to_bits()
            ),
            (
                want.neg.to_bits(),
                want.neu.to_bits(),
                want.pos.to_bits(),
                want.compound.to_bits()
            ),
            "case {case}: {text:?}: {got:?} vs {want:?}"
        );
        assert_eq!(
            fast.compound(text).to_bits(),
            want.compound.to_bits(),
            "{text:?}"
        );
    }
}

#[test]
fn the_fast_scorer_equals_the_line_by_line_port_on_the_golden_corpus() {
    let fast = SentimentAnalyzer::shared();
    let reference = ReferenceAnalyzer::shared();
    let mut n = 0;
    for text in &golden_texts() {
        assert_eq!(
            fast.polarity_scores(text),
            reference.polarity_scores(text),
            "{text:?}"
        );
        n += 1;
    }
    assert!(n > 4000, "{n} texts");
}
