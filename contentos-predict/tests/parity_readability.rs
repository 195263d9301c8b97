//! Golden parity: readability equals textstat 0.7.13 (with pyphen 0.18.1 and CMUdict) on the
//! committed corpus written by `scripts/golden/make_golden.py`.

use contentos_predict::features::readability::{
    hyphenation_points, lexicon_count, sentence_count, syllable_count, word_syllables,
    ReadabilityCounts,
};
use serde_json::Value;

fn golden(raw: &str) -> Vec<Value> {
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn readability_matches_textstat_on_golden_corpus() {
    let rows = golden(include_str!("golden/texts.jsonl"));
    assert!(rows.len() >= 2000, "corpus too small: {}", rows.len());
    let (mut syl_ok, mut fre_ok, mut fkg_ok, mut words_ok, mut sent_ok, mut all_ok) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for row in &rows {
        let text = row["text"].as_str().unwrap();
        let c = ReadabilityCounts::of(text);
        assert_eq!(c.words, lexicon_count(text));
        assert_eq!(c.syllables, syllable_count(text));
        assert_eq!(c.sentences, sentence_count(text));
        let want_syl = row["syllables"].as_u64().unwrap() as usize;
        let want_words = row["lexicon_count"].as_u64().unwrap() as usize;
        let want_sent = row["sentence_count"].as_u64().unwrap() as usize;
        let want_fre = row["flesch_reading_ease"].as_f64().unwrap();
        let want_fkg = row["flesch_kincaid_grade"].as_f64().unwrap();
        let (fre, fkg) = (c.flesch_reading_ease(), c.flesch_kincaid_grade());
        let s = c.syllables == want_syl;
        let w = c.words == want_words;
        let n = c.sentences == want_sent;
        let f = (fre - want_fre).abs() <= 0.01;
        let g = (fkg - want_fkg).abs() <= 0.01;
        syl_ok += s as usize;
        words_ok += w as usize;
        sent_ok += n as usize;
        fre_ok += f as usize;
        fkg_ok += g as usize;
        all_ok += (s && w && n && f && g) as usize;
        if !(s && w && n && f && g) && failures.len() < 10 {
            failures.push(format!(
                "{text:?}: got {c:?} fre {fre} fkg {fkg}; want words {want_words} sentences {want_sent} syllables {want_syl} fre {want_fre} fkg {want_fkg}"
            ));
        }
    }
    let pct = |k: usize| k as f64 / rows.len() as f64 * 100.0;
    println!(
        "textstat parity on {} texts: syllables exact {:.2}%, words exact {:.2}%, sentences exact {:.2}%, \
         reading ease within 0.01 {:.2}%, FK grade within 0.01 {:.2}%, everything {:.2}%",
        rows.len(),
        pct(syl_ok),
        pct(words_ok),
        pct(sent_ok),
        pct(fre_ok),
        pct(fkg_ok),
        pct(all_ok)
    );
    for f in &failures {
        println!("  mismatch {f}");
    }
    assert!(
        pct(syl_ok) >= 99.0,
        "syllables exact on only {:.2}%",
        pct(syl_ok)
    );
    assert!(
        pct(fre_ok) >= 99.0,
        "reading ease within 0.01 on only {:.2}%",
        pct(fre_ok)
    );
    assert!(
        pct(fkg_ok) >= 99.0,
        "FK grade within 0.01 on only {:.2}%",
        pct(fkg_ok)
    );
    // Regression guard: every count is exact on this corpus today, so any difference is a
    // regression in a textstat rule, not noise.
    assert_eq!(
        all_ok,
        rows.len(),
        "a text no longer matches textstat exactly"
    );
}

#[test]
fn word_syllables_match_textstat_and_pyphen() {
    let rows = golden(include_str!("golden/words.jsonl"));
    assert!(rows.len() > 5000, "too few words: {}", rows.len());
    let mut ok = 0usize;
    let mut hyph_ok = 0usize;
    let mut failures = Vec::new();
    for row in &rows {
        let word = row["word"].as_str().unwrap();
        let points = row["pyphen_positions"].as_u64().unwrap() as usize;
        if hyphenation_points(word) == points {
            hyph_ok += 1;
        } else if failures.len() < 10 {
            failures.push(format!(
                "{word:?}: {} hyphenation points, pyphen {points}",
                hyphenation_points(word)
            ));
        }
        let want = row["syllables"].as_u64().unwrap() as usize;
        let got = word_syllables(word);
        if got == want {
            ok += 1;
        } else if failures.len() < 10 {
            failures.push(format!("{word:?}: got {got}, want {want}"));
        }
    }
    let pct = ok as f64 / rows.len() as f64 * 100.0;
    let hyph_pct = hyph_ok as f64 / rows.len() as f64 * 100.0;
    println!(
        "syllables per word identical on {pct:.2}% of {} words; pyphen hyphenation points identical on {hyph_pct:.2}%",
        rows.len()
    );
    for f in &failures {
        println!("  mismatch {f}");
    }
    assert_eq!(ok, rows.len(), "per-word syllables differ");
    assert_eq!(hyph_ok, rows.len(), "hyphenation points differ from pyphen");
}
