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
