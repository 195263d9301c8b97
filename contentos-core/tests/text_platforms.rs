//! Documented platform examples: Bluesky richtext, Mastodon per-instance limits, Threads,
//! LinkedIn follow-ups, Instagram hashtags, X overflow positions.

use contentos_core::model::Platform;
use contentos_core::publish::LengthUnit;
use contentos_core::text::{
    bluesky_facets, linkedin_escape, measure, measure_with, split_thread, split_thread_with,
    FacetFeature, Numbering, PlatformRules, SplitOptions, Violation,
};

/// bsky-docs advanced-guides/posts.md worked example (PLATFORMS.md §2.3).
#[test]
fn bluesky_richtext_worked_example() {
    let text = "✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR.";
    let facets = bluesky_facets(text);
    assert_eq!(facets.len(), 2, "{facets:?}");
    assert_eq!((facets[0].byte_start, facets[0].byte_end), (23, 35));
    assert_eq!(
        facets[0].feature,
        FacetFeature::Mention {
            handle: "atproto.com".into()
        }
    );
    assert_eq!((facets[1].byte_start, facets[1].byte_end), (74, 108));
    assert_eq!(
        facets[1].feature,
        FacetFeature::Link {
            uri: "https://en.wikipedia.org/wiki/CBOR".into()
        }
    );
    let record = facets[0]
        .to_record(Some("did:plc:ewvi7nxzyoun6zhxrhs64oiz"))
        .unwrap();
    assert_eq!(record["index"]["byteStart"], 23);
    assert_eq!(
        record["features"][0]["$type"],
        "app.bsky.richtext.facet#mention"
    );
    assert_eq!(
        record["features"][0]["did"],
        "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    );
    assert!(
        facets[0].to_record(None).is_none(),
        "unresolved mention stays plain text"
    );
}

#[test]
fn bluesky_tags_and_schemeless_links() {
    let text = "Launch day! #RustLang, #2024 and ＃日本 — details at example.com/launch.";
    let facets = bluesky_facets(text);
    let kinds: Vec<_> = facets.iter().map(|f| f.feature.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            FacetFeature::Tag {
                tag: "RustLang".into()
            },
            FacetFeature::Tag {
                tag: "日本".into()
            },
            FacetFeature::Link {
                uri: "https://example.com/launch".into()
            },
        ]
    );
    for f in &facets {
        assert!(text.is_char_boundary(f.byte_start) && text.is_char_boundary(f.byte_end));
    }
    assert_eq!(&text[facets[1].byte_start..facets[1].byte_end], "＃日本");
}

#[test]
fn bluesky_counts_graphemes_and_bytes() {
    // 300 family emoji = 300 graphemes but 7,500 bytes: over the 3000-byte cap.
    let family = "👨‍👩‍👧‍👦".repeat(300);
    let m = measure(Platform::Bluesky, &family);
    assert_eq!(m.length, 300);
    assert!(m.violations.contains(&Violation::TooManyBytes));
    assert!(!m.valid);
    // 300 ASCII graphemes fit, 301 do not; the overflow is the 301st.
    assert!(measure(Platform::Bluesky, &"a".repeat(300)).valid);
    let over = measure(Platform::Bluesky, &"a".repeat(301));
    assert_eq!(over.first_overflow_byte, Some(300));
    assert_eq!(over.remaining, -1);
}

#[test]
fn mastodon_urls_count_reserved_length_and_instance_limit_applies() {
    let url = format!("https://example.com/{}", "p".repeat(100));
    let text = format!("Read {url}");
    let m = measure(Platform::Mastodon, &text);
    assert_eq!(m.length, 5 + 23);
    assert_eq!(m.limit, 500);
    assert_eq!(m.unit, LengthUnit::CodePointsUrlWeighted { url_length: 23 });

    let long = "a".repeat(600);
    assert!(!measure(Platform::Mastodon, &long).valid);
    let instance = PlatformRules::mastodon_instance(5000, 23);
    let m = measure_with(&instance, &long);
    assert!(m.valid);
    assert_eq!(m.limit, 5000);
    // The instance limit also drives splitting.
    let parts = split_thread_with(
        &PlatformRules::mastodon_instance(100, 23),
        &"word ".repeat(60),
        &SplitOptions::default(),
    )
    .unwrap();
    assert!(parts.len() >= 3);
    assert!(parts.iter().all(|p| p.chars().count() <= 100));
}

#[test]
fn threads_counts_emoji_as_utf8_bytes() {
    let m = measure(Platform::Threads, "hi 😀");
    assert_eq!(m.length, 3 + 4);
    assert_eq!(m.limit, 500);
}

#[test]
fn x_overflow_byte_is_first_grapheme_past_280() {
    let text = format!("{}你好", "a".repeat(279));
    let m = measure(Platform::X, &text);
    assert_eq!(m.length, 283);
    assert_eq!(m.first_overflow_byte, Some(279));
    assert!(!m.valid);
    assert!(measure(Platform::X, "   ")
        .violations
        .contains(&Violation::Empty));
    assert!(measure(Platform::X, "bad \u{FFFE}")
        .violations
        .contains(&Violation::InvalidCharacter));
}

#[test]
fn linkedin_followups_use_comment_limit() {
    let text = "A sentence that is here. ".repeat(200); // ~5000 chars
    let parts = split_thread(Platform::LinkedIn, &text, &SplitOptions::default()).unwrap();
    assert!(parts[0].chars().count() <= 3000);
    assert!(
        parts[0].chars().count() > 1250,
        "first part uses the post limit"
    );
    assert!(parts[1..].iter().all(|p| p.chars().count() <= 1250));
}

#[test]
fn linkedin_escape_prevents_silent_truncation() {
    let escaped = linkedin_escape("Q3 results (final) are in: revenue <up> 20%");
    assert_eq!(
        escaped,
        "Q3 results \\(final\\) are in: revenue \\<up\\> 20%"
    );
}

#[test]
fn instagram_rejects_split_and_caps_hashtags() {
    let text = "word ".repeat(600);
    let err = split_thread(Platform::Instagram, &text, &SplitOptions::default()).unwrap_err();
    assert_eq!(err.kind(), contentos_core::ErrorKind::NotSupported);
    let tags: String = (0..31).map(|i| format!("#t{i}x ")).collect();
    let m = measure(Platform::Instagram, &tags);
    assert_eq!(m.hashtags, 31);
    assert_eq!(m.violations, vec![Violation::TooManyHashtags]);
}

#[test]
fn opener_and_prefix_numbering_are_counted() {
    let text = "Short sentences here. ".repeat(40);
    let options = SplitOptions {
        numbering: Numbering::Prefix,
        opener: Some("🧵 A thread on short sentences".into()),
        rules: None,
    };
    let parts = split_thread(Platform::X, &text, &options).unwrap();
    let n = parts.len();
    assert!(parts[0].starts_with(&format!("1/{n} 🧵 A thread on short sentences\n\n")));
    for (i, p) in parts.iter().enumerate() {
        assert!(p.starts_with(&format!("{}/{n} ", i + 1)));
        assert!(measure(Platform::X, p).valid, "{p}");
    }
}
