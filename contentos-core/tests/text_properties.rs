//! Property tests on arbitrary Unicode: parts fit, words survive in order, entities are never
//! split, nothing panics.

use contentos_core::model::Platform;
use contentos_core::text::{
    bluesky_facets, extract_entities, fit_to_platform, linkedin_escape, measure, split_thread,
    x_weighted_length, EntityKind, FitOptions, Numbering, SplitOptions,
};
use proptest::prelude::*;

/// Text built from realistic pieces (words, URLs, mentions, hashtags, emoji, CJK, white space)
/// plus arbitrary Unicode, so both structure and garbage are covered.
fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,12}",
        1 => "[a-z]{1,10}\\.(com|org|co\\.jp|io)(/[a-z0-9_]{0,12})?",
        1 => "https?://[a-z]{1,10}\\.(com|net)/[a-zA-Z0-9_/-]{0,60}",
        1 => "[@#$][a-zA-Z0-9_]{1,15}",
        1 => prop::sample::select(vec!["👨‍👩‍👧‍👦", "🇺🇸", "1️⃣", "你好", "é", "e\u{301}", "…", "—", "😀😀", "#日本", "@bob.bsky.social"]).prop_map(str::to_string),
        1 => "\\PC{1,8}",
        1 => "[a-z]{40,120}",
    ];
    let sep = prop::sample::select(vec![" ", " ", " ", "\n", "\n\n", ". ", "! ", ", ", ""]);
    prop::collection::vec((piece, sep), 0..120)
        .prop_map(|v| v.into_iter().map(|(p, s)| p + s).collect())
}

fn platforms() -> impl Strategy<Value = Platform> {
    prop::sample::select(vec![
        Platform::X,
        Platform::Bluesky,
        Platform::Mastodon,
        Platform::Threads,
        Platform::LinkedIn,
    ])
}

fn numbering() -> impl Strategy<Value = Numbering> {
    prop::sample::select(vec![Numbering::None, Numbering::Suffix, Numbering::Prefix])
}

fn non_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Removes the `i/n` counter this part carries.
fn strip_numbering(part: &str, numbering: Numbering, index: usize, total: usize) -> String {
    if total == 1 {
        return part.to_string();
    }
    let label = format!("{}/{}", index + 1, total);
    match numbering {
        Numbering::None => part.to_string(),
        Numbering::Suffix => part
            .strip_suffix(&format!(" {label}"))
            .expect("suffix counter")
            .to_string(),
        Numbering::Prefix => part
            .strip_prefix(&format!("{label} "))
            .expect("prefix counter")
            .to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn split_parts_fit_and_keep_every_word_in_order(text in text_strategy(), platform in platforms(), numbering in numbering()) {
        let options = SplitOptions { numbering, ..Default::default() };
        match split_thread(platform, &text, &options) {
            Ok(parts) => {
                let total = parts.len();
                prop_assert!(total >= 1);
                for p in &parts {
                    let m = measure(platform, p);
                    let limit_ok = m.violations.iter().all(|v| matches!(v, contentos_core::text::Violation::Empty));
                    prop_assert!(limit_ok, "part does not fit {:?}: {:?} {:?}", platform, m, p);
                }
                let body: String = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| strip_numbering(p, numbering, i, total))
                    .collect::<Vec<_>>()
                    .join(" ");
                // Every non-space character, hence every word, comes back in order.
                prop_assert_eq!(non_ws(&body), non_ws(&text));
                // Whole words survive unless a word alone exceeds a part.
                let words: Vec<&str> = body.split_whitespace().collect();
                let original: Vec<&str> = text.split_whitespace().collect();
                if words.len() == original.len() {
                    prop_assert_eq!(words, original);
                }
                // No entity is split: each one of the original lies inside a single part.
                for e in extract_entities(&text) {
                    let written = &text[e.byte_range.clone()];
                    prop_assert!(parts.iter().any(|p| p.contains(written)), "entity {:?} split", written);
                }
            }
            Err(err) => {
                // Only empty input or an unbreakable piece may fail.
                prop_assert!(matches!(err, contentos_core::Error::Validation { .. }), "{:?}", err);
            }
        }
    }

    #[test]
    fn entities_are_sorted_disjoint_and_on_char_boundaries(text in text_strategy()) {
        let entities = extract_entities(&text);
        let mut prev_end = 0;
        for e in &entities {
            prop_assert!(e.byte_range.start >= prev_end);
            prop_assert!(text.is_char_boundary(e.byte_range.start) && text.is_char_boundary(e.byte_range.end));
            let written = &text[e.byte_range.clone()];
            match e.kind {
                EntityKind::Url => prop_assert_eq!(written, e.text.as_str()),
                _ => prop_assert_eq!(&written[written.chars().next().unwrap().len_utf8()..], e.text.as_str()),
            }
            prev_end = e.byte_range.end;
        }
    }

    #[test]
    fn nothing_panics_on_arbitrary_unicode(text in "\\PC{0,400}|[\\s\\S]{0,200}") {
        let _ = x_weighted_length(&text);
        for p in [Platform::X, Platform::Bluesky, Platform::Mastodon, Platform::Threads, Platform::LinkedIn, Platform::Instagram] {
            let m = measure(p, &text);
            prop_assert_eq!(m.valid, m.violations.is_empty());
            if let Some(b) = m.first_overflow_byte {
                prop_assert!(text.is_char_boundary(b));
            }
            let _ = split_thread(p, &text, &SplitOptions { numbering: Numbering::Suffix, ..Default::default() });
            if let Ok(f) = fit_to_platform(p, &text, &FitOptions::default()) {
                prop_assert!(measure(p, &f.text).valid, "{:?}", f);
            }
        }
        let _ = linkedin_escape(&text);
        let facets = bluesky_facets(&text);
        for w in facets.windows(2) {
            prop_assert!(w[0].byte_end <= w[1].byte_start);
        }
    }

    #[test]
    fn fitted_text_fits_and_keeps_first_url(text in text_strategy(), platform in platforms()) {
        if let Ok(fitted) = fit_to_platform(platform, &text, &FitOptions::default()) {
            prop_assert!(measure(platform, &fitted.text).valid, "{:?}", fitted);
            let first_url = extract_entities(&text).into_iter().find(|e| e.kind == EntityKind::Url);
            if let Some(url) = first_url {
                prop_assert!(fitted.text.contains(&url.text), "lost {:?} in {:?}", url.text, fitted.text);
            }
            // Never mid-word: every word of the result is a word of the input (or the ellipsis).
            let words: std::collections::HashSet<&str> = text.split_whitespace().collect();
            for w in fitted.text.split_whitespace() {
                let w = w.trim_end_matches('…');
                prop_assert!(w.is_empty() || words.contains(w) || text.contains(w), "{:?} not from input", w);
            }
        }
    }
}
