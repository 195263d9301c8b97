use super::reference::ReferenceAnalyzer;
use super::*;

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

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn the_fast_scorer_equals_the_line_by_line_port_on_generated_texts() {
    let fast = SentimentAnalyzer::shared();
    let reference = ReferenceAnalyzer::shared();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let separators = [
        " ", " ", " ", "  ", "\t", ", ", "! ", "? ", ". ", "\u{2003}", "",
    ];
    for case in 0..20_000 {
        let words = 1 + rng.below(14);
        let mut text = String::new();
        for _ in 0..words {
            text.push_str(VOCABULARY[rng.below(VOCABULARY.len())]);
            text.push_str(separators[rng.below(separators.len())]);
        }
        let want = reference.polarity_scores(&text);
        let got = fast.polarity_scores(&text);
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
            fast.compound(&text).to_bits(),
            want.compound.to_bits(),
            "{text:?}"
        );
    }
}

#[test]
fn the_fast_scorer_equals_the_line_by_line_port_on_the_golden_corpus() {
    let fast = SentimentAnalyzer::shared();
    let reference = ReferenceAnalyzer::shared();
    let corpus = include_str!("../../../tests/golden/texts.jsonl");
    let mut n = 0;
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = row["text"].as_str().unwrap();
        assert_eq!(
            fast.polarity_scores(text),
            reference.polarity_scores(text),
            "{text:?}"
        );
        n += 1;
    }
    assert!(n > 4000, "{n} texts");
}
