//! Fuzz target for the text engine: measure, extract and split must never panic, and their
//! outputs must respect their own contracts on any input.
#![no_main]

use contentos_core::model::Platform;
use contentos_core::text::{
    bluesky_facets, extract_entities, fit_to_platform, linkedin_escape, measure, split_thread,
    FitOptions, Numbering, SplitOptions,
};
use libfuzzer_sys::fuzz_target;

const PLATFORMS: [Platform; 6] = [
    Platform::X,
    Platform::Bluesky,
    Platform::Mastodon,
    Platform::Threads,
    Platform::LinkedIn,
    Platform::Instagram,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let platform = PLATFORMS[usize::from(selector) % PLATFORMS.len()];
    let numbering = match selector / 64 {
        0 => Numbering::None,
        1 => Numbering::Suffix,
        _ => Numbering::Prefix,
    };

    let m = measure(platform, text);
    assert_eq!(m.valid, m.violations.is_empty());
    if let Some(b) = m.first_overflow_byte {
        assert!(text.is_char_boundary(b));
    }

    let mut prev = 0;
    for e in extract_entities(text) {
        assert!(e.byte_range.start >= prev && e.byte_range.end <= text.len());
        assert!(text.is_char_boundary(e.byte_range.start) && text.is_char_boundary(e.byte_range.end));
        prev = e.byte_range.end;
    }

    let options = SplitOptions {
        numbering,
        ..Default::default()
    };
    if let Ok(parts) = split_thread(platform, text, &options) {
        let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let joined: String = parts.iter().map(|p| strip(p)).collect();
        if numbering == Numbering::None {
            assert_eq!(joined, strip(text));
        }
        for p in &parts {
            let pm = measure(platform, p);
            assert!(pm.length <= pm.limit || platform == Platform::Instagram, "{pm:?}");
        }
    }

    if let Ok(f) = fit_to_platform(platform, text, &FitOptions::default()) {
        assert!(measure(platform, &f.text).valid);
    }
    let _ = linkedin_escape(text);
    let facets = bluesky_facets(text);
    for w in facets.windows(2) {
        assert!(w[0].byte_end <= w[1].byte_start);
    }
});
