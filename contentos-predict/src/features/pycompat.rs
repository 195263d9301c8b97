//! Python `str` semantics the parity ports depend on.
//!
//! textstat and vaderSentiment are written against CPython's notion of whitespace (`str.split()`),
//! word characters (`re` `\w`), upper case (`str.isupper()`) and `round()`. Rust's std differs in
//! small ways (`\x1c`–`\x1f` are whitespace to Python; combining marks are alphabetic to Rust),
//! so these helpers reproduce CPython's rules.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Characters that are neither whitespace, nor word characters, nor alphanumeric, nor cased,
/// decided without the Unicode tables: the emoji and symbol blocks (regional indicators to
/// U+1FAFF, U+2600–U+2775, U+2B00–U+2BFF), zero-width joiners and marks, general punctuation
/// (but not U+2019, which joins call-to-action words), the keycap mark and the variation
/// selectors: most of the non-ASCII characters of posts. The per-character rules ask this
/// first and skip the table look-ups (a test checks every character of the ranges against the
/// tables).
#[inline(always)]
pub(crate) fn is_classless_symbol(c: char) -> bool {
    matches!(
        c,
        '\u{1f1e6}'..='\u{1faff}'
            | '\u{2600}'..='\u{2775}'
            | '\u{2b00}'..='\u{2bff}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2010}'..='\u{2018}'
            | '\u{201a}'..='\u{2027}'
            | '\u{2030}'..='\u{205e}'
            | '\u{20e3}'
            | '\u{fe00}'..='\u{fe0f}'
    )
}

/// `str.isspace()` for one character (also what `str.split()` and `re`'s `\s` use).
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(
            c,
            ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f'
        )
    } else {
        !is_classless_symbol(c) && c.is_whitespace()
    }
}

/// `re` `\w` for `str` patterns: `str.isalnum()` or `_`.
#[inline]
pub(crate) fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    if is_classless_symbol(c) {
        return false;
    }
    matches!(
        c.general_category(),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
            | GeneralCategory::DecimalNumber
            | GeneralCategory::LetterNumber
            | GeneralCategory::OtherNumber
    )
}

/// `str.isupper()`: at least one upper-case character and no lower- or title-case one.
pub(crate) fn is_upper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_lowercase() {
                return false;
            }
            cased |= c.is_ascii_uppercase();
            continue;
        }
        if c.is_lowercase() || c.general_category() == GeneralCategory::TitlecaseLetter {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// `str.lower()` written into `out` (cleared first); ASCII fast path avoids the Unicode tables.
#[inline]
pub(crate) fn lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// CPython's `round(x, ndigits)` for `ndigits` in 0..=6: correctly rounded, ties to even on the
/// exact binary value.
pub(crate) fn py_round(x: f64, ndigits: u32) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let scale = 10f64.powi(ndigits as i32);
    // Fast path: when x * 10^n is clearly away from a half, the correctly rounded decimal is
    // round(x * 10^n) and Python's result is that integer over 10^n (both exact, one division).
    let y = x * scale;
    if y.abs() < 1e15 {
        let frac = (y - y.trunc()).abs();
        if (frac - 0.5).abs() > 1e-6 {
            return y.round() / scale;
        }
    }
    if let Some(tie) = exact_tie(x, ndigits) {
        // `tie` is the even neighbour, an exact integer: one correctly rounded division.
        return tie / scale;
    }
    let text = format!("{:.*}", ndigits as usize, x);
    text.parse::<f64>().unwrap_or(x)
}

/// When `x * 10^ndigits` is exactly halfway between two integers, the even one.
fn exact_tie(x: f64, ndigits: u32) -> Option<f64> {
    let bits = x.abs().to_bits();
    let exp_bits = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mant, exp) = if exp_bits == 0 {
        (frac, -1074i64)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075)
    };
    // x * 10^n * 2 = mant * 5^n * 2^(exp + n + 1); a tie iff that is an odd integer.
    let v = (mant as u128).checked_mul(5u128.checked_pow(ndigits)?)?;
    let shift = exp + ndigits as i64 + 1;
    let doubled = if shift >= 0 {
        if shift > 0 {
            return None; // even integer, or larger: never a tie
        }
        v
    } else {
        let s = (-shift) as u32;
        if s >= 128 || v & ((1u128 << s) - 1) != 0 {
            return None;
        }
        v >> s
    };
    if doubled & 1 == 0 {
        return None;
    }
    let lower = doubled / 2; // floor of the scaled magnitude
    let even = if lower % 2 == 0 { lower } else { lower + 1 };
    let magnitude = even as f64;
    Some(if x < 0.0 { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classless_symbols_have_no_class_in_the_unicode_tables() {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        let ranges = [
            0x1f1e6..=0x1faff,
            0x2600..=0x2775,
            0x2b00..=0x2bff,
            0x200b..=0x2027,
            0x2030..=0x205e,
            0x20e3..=0x20e3,
            0xfe00..=0xfe0f,
        ];
        let mut n = 0;
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            if c == '\u{2019}' {
                assert!(!is_classless_symbol(c), "’ is a call-to-action character");
                continue;
            }
            assert!(is_classless_symbol(c));
            // The tables themselves, not the predicates that consult `is_classless_symbol`.
            let letter_or_number = matches!(
                c.general_category(),
                GeneralCategory::UppercaseLetter
                    | GeneralCategory::LowercaseLetter
                    | GeneralCategory::TitlecaseLetter
                    | GeneralCategory::ModifierLetter
                    | GeneralCategory::OtherLetter
                    | GeneralCategory::DecimalNumber
                    | GeneralCategory::LetterNumber
                    | GeneralCategory::OtherNumber
            );
            assert!(!letter_or_number, "{c:?}");
            assert!(!c.is_whitespace() && !c.is_alphanumeric(), "{c:?}");
            assert!(!c.is_uppercase() && !c.is_lowercase(), "{c:?}");
            n += 1;
        }
        assert!(n > 2000, "{n}");
    }

    #[test]
    fn python_whitespace_includes_information_separators() {
        assert!(is_space('\x1c') && is_space('\u{a0}') && is_space('\u{3000}'));
        assert!(!is_space('\u{200b}') && !is_space('x'));
    }

    #[test]
    fn word_chars_follow_python_not_rust_alphabetic() {
        assert!(is_word('é') && is_word('_') && is_word('٣') && is_word('²'));
        // U+0301 COMBINING ACUTE is Alphabetic-adjacent in Rust but not `\w` in Python.
        assert!(!is_word('\u{301}') && !is_word('🅰') && !is_word('😀') && !is_word('\''));
    }

    #[test]
    fn isupper_matches_python() {
        assert!(is_upper("GREAT!!") && is_upper("ÉTÉ") && is_upper("A1"));
        assert!(!is_upper("Great") && !is_upper("123") && !is_upper(":)") && !is_upper("ǅA"));
    }

    #[test]
    fn round_is_half_even_on_exact_ties_like_python() {
        // Values checked against CPython 3.11: round(0.125, 2) == 0.12, round(0.375, 2) == 0.38,
        // round(2.675, 2) == 2.67 (binary value below the tie), round(-0.0625, 3) == -0.062.
        assert_eq!(py_round(0.125, 2), 0.12);
        assert_eq!(py_round(0.375, 2), 0.38);
        assert_eq!(py_round(2.675, 2), 2.67);
        assert_eq!(py_round(-0.0625, 3), -0.062);
        assert_eq!(py_round(0.5, 0), 0.0);
        assert_eq!(py_round(1.5, 0), 2.0);
        assert_eq!(py_round(0.45678, 4), 0.4568);
        assert_eq!(py_round(-0.45675, 4), -0.4567); // binary value is above -0.45675
        assert_eq!(py_round(0.1 + 0.2, 3), 0.3);
    }
}
