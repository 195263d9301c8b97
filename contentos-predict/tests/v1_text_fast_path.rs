//! The fused text columns of `contentos-features/1` (`V1TextColumns`, what `FeaturesV1`
//! extracts) equal the reference definitions they replace on the hot path: v1's counting
//! functions, `TextStats`, `ReadabilityCounts` and VADER's `polarity_scores`, column by column.
//! Inputs: every text of the parity corpus (real tweets, generated posts, edge cases, fuzz soup)
//! and generated texts over an alphabet chosen to hit each rule's corner (signs after word
//! characters, digits-only tags, mixed-case URL schemes, non-ASCII whitespace and letters,
//! Kelvin sign, title case, emoji).

use contentos_predict::features::readability::ReadabilityCounts;
use contentos_predict::features::sentiment::SentimentAnalyzer;
use contentos_predict::features::text_stats::TextStats;
use contentos_predict::features::v1::{
    all_caps_ratio, hashtag_count, mention_count, punctuation_runs, url_count,
};
use contentos_predict::features::v1_text::V1TextColumns;

fn reference(text: &str) -> [f64; 14] {
    let counts = ReadabilityCounts::of(text);
    let stats = TextStats::of(text);
    let (q, e) = punctuation_runs(text);
    [
        text.chars().count() as f64,
        counts.words as f64,
        counts.sentences as f64,
        counts.flesch_reading_ease(),
        counts.flesch_kincaid_grade(),
        SentimentAnalyzer::shared().polarity_scores(text).compound,
        q as f64,
        e as f64,
        stats.cta as f64,
        hashtag_count(text) as f64,
        mention_count(text) as f64,
        url_count(text) as f64,
        stats.emoji as f64,
        all_caps_ratio(text),
    ]
}

fn check(text: &str) {
    let fast = V1TextColumns::of(text).values();
    let want = reference(text);
    for (k, (f, w)) in fast.iter().zip(&want).enumerate() {
        assert!(
            f.to_bits() == w.to_bits(),
            "column {k}: fast {f} vs reference {w} for {text:?}"
        );
    }
}

#[test]
fn equals_the_reference_on_the_parity_corpus() {
    let mut n = 0;
    for line in include_str!("golden/texts.jsonl").lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if let Some(text) = v["text"].as_str() {
            check(text);
            n += 1;
        }
    }
    assert!(n > 4000, "corpus has {n} texts");
}

#[test]
fn equals_the_reference_on_generated_corner_cases() {
    const PIECES: &[&str] = &[
        "#",
        "@",
        "#1",
        "#a",
        "##x",
        "a#b",
        "_#c",
        "@_",
        "@é",
        "é@x",
        "#٣",
        "#²",
        "#_",
        "HTTP://",
        "https://x.io",
        "WwW.",
        "www",
        "http:/",
        "\u{212a}",
        "İ",
        "ǅ",
        "Ǆ",
        "ª",
        "ÉTÉ",
        "été",
        "BIG",
        "big",
        "Big",
        "A",
        "?",
        "!",
        "?!",
        "!!",
        "...",
        ".",
        " ",
        "  ",
        "\t",
        "\n",
        "\u{a0}",
        "\u{3000}",
        "\u{85}",
        "\u{1c}",
        "\u{2028}",
        "🚀",
        "👍🏽",
        "❤️",
        "🇫🇷",
        "1️⃣",
        "don't",
        "DON'T",
        "’",
        "'",
        "-",
        "e-mail",
        "click",
        "the",
        "link",
        "in",
        "bio",
        "not",
        "good",
        "but",
        "very",
        "kind",
        "of",
        "no",
        "least",
        "GREAT",
        "bad",
        ":)",
        "x",
        "12",
        "_",
        "Straße",
        "ﬁ",
    ];
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    for _ in 0..20_000 {
        let len = (next() % 12) as usize;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            if next() % 3 == 0 {
                text.push(' ');
            }
        }
        check(&text);
    }
}

/// Long texts (several 64-byte blocks of the scoring path's bit masks) over the pieces whose
/// words, sentences and stripping the masks decide: contractions, terminators inside and
/// between words, punctuation around and inside words, words at and past the 15- and 16-byte
/// look-up limits, and non-ASCII characters that straddle block boundaries.
#[test]
fn equals_the_reference_on_long_generated_texts() {
    const PIECES: &[&str] = &[
        "it's",
        "'tis",
        "rock'n'roll",
        "o'clock",
        "U.S.",
        "e.g.",
        "x.y",
        "Hello,",
        "(wow)",
        "\"quoted\"",
        "--",
        "—",
        "’s",
        "a",
        "I",
        "abcdefghijklmno",
        "abcdefghijklmnop",
        "abcdefghijklmnopq",
        "ABCDEFGHIJKLMNOP",
        "Supercalifragilistic",
        "wasn't",
        "WASN'T",
        "?!",
        "!!!",
        "...",
        ". ",
        "  ",
        "\n\n",
        "#tag",
        "@user",
        "https://acme.io/x",
        "é",
        "🚀",
        "😀",
        // Emoji whose VADER descriptions hold a `!` ("ON! arrow", "UP! button"), emoji glued
        // to words and after a newline or a tab (3.3.2 then inserts a space).
        "🔛",
        "🆙",
        "🚀launch",
        "wow😀😀great",
        "\n🎉",
        "\t💔",
        "学习",
        "naïve",
        "not",
        "good",
        "great",
        "but",
        "click here",
        "learn more",
        "sign up",
        "kind of",
        "x'",
        "'",
        "_",
        "9",
        "1.5",
    ];
    let mut s = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut long = 0;
    for _ in 0..10_000 {
        let len = (next() % 80) as usize;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            if next() % 4 != 0 {
                text.push(' ');
            }
        }
        long += usize::from(text.len() > 128);
        check(&text);
    }
    assert!(long > 5_000, "{long} texts over two blocks");
}
