//! Character classes used by twitter-text's extraction rules, as plain predicates.

/// Unicode white space as twitter-text's `spaces` group lists it.
pub(crate) fn is_twitter_space(c: char) -> bool {
    matches!(c,
        '\u{09}'..='\u{0D}' | ' ' | '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{180E}'
        | '\u{2000}'..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// Characters that make a tweet invalid (non-characters and the byte-order mark).
pub(crate) fn is_invalid_char(c: char) -> bool {
    matches!(c, '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
}

/// Bidirectional formatting marks.
pub(crate) fn is_directional_marker(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2066}'..='\u{2069}'
    )
}

/// ASCII punctuation as twitter-text's `punct` group lists it (note: no `"` and no backtick).
pub(crate) fn is_twitter_punct(c: char) -> bool {
    matches!(
        c,
        '!' | '\''
            | '#'
            | '%'
            | '&'
            | '('
            | ')'
            | '*'
            | '+'
            | ','
            | '\\'
            | '-'
            | '.'
            | '/'
            | ':'
            | ';'
            | '<'
            | '='
            | '>'
            | '?'
            | '@'
            | '['
            | ']'
            | '^'
            | '_'
            | '{'
            | '|'
            | '}'
            | '~'
            | '$'
    )
}

/// A character allowed inside a domain label.
pub(crate) fn is_domain_char(c: char) -> bool {
    !(is_twitter_punct(c) || is_twitter_space(c) || is_invalid_char(c) || is_directional_marker(c))
}

/// Latin letters with diacritics that twitter-text accepts in paths and ASCII domains.
pub(crate) fn is_latin_accent(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{FF}' | '\u{100}'..='\u{24F}'
        | '\u{253}' | '\u{254}' | '\u{256}' | '\u{257}' | '\u{259}' | '\u{25B}' | '\u{263}'
        | '\u{268}' | '\u{26F}' | '\u{272}' | '\u{289}' | '\u{28B}' | '\u{2BB}'
        | '\u{300}'..='\u{36F}' | '\u{1E00}'..='\u{1EFF}')
}

/// Cyrillic letters and marks.
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{4FF}')
}

/// Characters that may appear anywhere in a URL path.
pub(crate) fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || is_cyrillic(c)
        || is_latin_accent(c)
        || matches!(
            c,
            '!' | '*'
                | '\''
                | ';'
                | ':'
                | '='
                | '+'
                | ','
                | '.'
                | '$'
                | '/'
                | '%'
                | '#'
                | '['
                | ']'
                | '-'
                | '\u{2013}'
                | '_'
                | '~'
                | '@'
                | '|'
                | '&'
        )
}

/// Characters a URL path may end with (so `example.com/foo.` does not take the period).
pub(crate) fn is_path_ending_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || is_cyrillic(c)
        || is_latin_accent(c)
        || matches!(c, '+' | '-' | '=' | '_' | '#' | '/')
}

/// Characters allowed in a query string.
pub(crate) fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '?'
                | '*'
                | '\''
                | '@'
                | '('
                | ')'
                | ';'
                | ':'
                | '&'
                | '='
                | '+'
                | '$'
                | '/'
                | '%'
                | '#'
                | '['
                | ']'
                | '-'
                | '_'
                | '.'
                | ','
                | '~'
                | '|'
        )
}

/// Characters a query string may end with.
pub(crate) fn is_query_ending_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '&' | '=' | '#' | '/')
}

/// Extra characters twitter-text allows inside hashtags besides letters, marks and digits.
pub(crate) fn is_hashtag_special(c: char) -> bool {
    matches!(
        c,
        '_' | '\u{200c}'
            | '\u{200d}'
            | '\u{a67e}'
            | '\u{05be}'
            | '\u{05f3}'
            | '\u{05f4}'
            | '\u{ff5e}'
            | '\u{301c}'
            | '\u{309b}'
            | '\u{309c}'
            | '\u{30a0}'
            | '\u{30fb}'
            | '\u{3003}'
            | '\u{0f0b}'
            | '\u{0f0c}'
            | '\u{b7}'
    )
}

/// Whether a character is a Unicode letter or mark (hashtag "alpha").
pub(crate) fn is_letter_or_mark(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    // `char::is_alphabetic` covers letters and most marks (Other_Alphabetic); combining marks
    // outside it are picked up by the general-category check below.
    c.is_alphabetic() || is_combining_mark(c)
}

fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}' | '\u{483}'..='\u{489}' | '\u{591}'..='\u{5BD}' | '\u{5BF}'
        | '\u{5C1}'..='\u{5C2}' | '\u{5C4}'..='\u{5C5}' | '\u{5C7}' | '\u{610}'..='\u{61A}'
        | '\u{64B}'..='\u{65F}' | '\u{670}' | '\u{6D6}'..='\u{6DC}' | '\u{6DF}'..='\u{6E4}'
        | '\u{6E7}'..='\u{6E8}' | '\u{6EA}'..='\u{6ED}' | '\u{900}'..='\u{903}'
        | '\u{93A}'..='\u{94F}' | '\u{951}'..='\u{957}' | '\u{962}'..='\u{963}'
        | '\u{981}'..='\u{983}' | '\u{9BC}'..='\u{9D7}' | '\u{E31}' | '\u{E34}'..='\u{E3A}'
        | '\u{E47}'..='\u{E4E}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{302A}'..='\u{302F}' | '\u{3099}'..='\u{309A}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FE20}'..='\u{FE2F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Whether a character is a decimal digit in any script.
pub(crate) fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    // The decimal-digit (Nd) blocks twitter-text lists.
    is_nd_block(c)
}

fn is_nd_block(c: char) -> bool {
    matches!(c,
        '\u{660}'..='\u{669}' | '\u{6F0}'..='\u{6F9}' | '\u{7C0}'..='\u{7C9}' | '\u{966}'..='\u{96F}'
        | '\u{9E6}'..='\u{9EF}' | '\u{A66}'..='\u{A6F}' | '\u{AE6}'..='\u{AEF}' | '\u{B66}'..='\u{B6F}'
        | '\u{BE6}'..='\u{BEF}' | '\u{C66}'..='\u{C6F}' | '\u{CE6}'..='\u{CEF}' | '\u{D66}'..='\u{D6F}'
        | '\u{DE6}'..='\u{DEF}' | '\u{E50}'..='\u{E59}' | '\u{ED0}'..='\u{ED9}' | '\u{F20}'..='\u{F29}'
        | '\u{1040}'..='\u{1049}' | '\u{1090}'..='\u{1099}' | '\u{17E0}'..='\u{17E9}'
        | '\u{1810}'..='\u{1819}' | '\u{1946}'..='\u{194F}' | '\u{19D0}'..='\u{19D9}'
        | '\u{1A80}'..='\u{1A89}' | '\u{1A90}'..='\u{1A99}' | '\u{1B50}'..='\u{1B59}'
        | '\u{1BB0}'..='\u{1BB9}' | '\u{1C40}'..='\u{1C49}' | '\u{1C50}'..='\u{1C59}'
        | '\u{A620}'..='\u{A629}' | '\u{A8D0}'..='\u{A8D9}' | '\u{A900}'..='\u{A909}'
        | '\u{A9D0}'..='\u{A9D9}' | '\u{A9F0}'..='\u{A9F9}' | '\u{AA50}'..='\u{AA59}'
        | '\u{ABF0}'..='\u{ABF9}' | '\u{FF10}'..='\u{FF19}' | '\u{104A0}'..='\u{104A9}'
        | '\u{11066}'..='\u{1106F}' | '\u{1D7CE}'..='\u{1D7FF}')
}

/// Hashtag body character: letter, mark, digit or one of the special joiners.
pub(crate) fn is_hashtag_alnum(c: char) -> bool {
    is_letter_or_mark(c) || is_decimal_digit(c) || is_hashtag_special(c)
}

/// Emoji-ish code points (Extended_Pictographic blocks, regional indicators, keycap).
pub(crate) fn is_pictographic(c: char) -> bool {
    matches!(c,
        '\u{A9}' | '\u{AE}' | '\u{203C}' | '\u{2049}' | '\u{2122}' | '\u{2139}'
        | '\u{2194}'..='\u{2199}' | '\u{21A9}'..='\u{21AA}' | '\u{231A}'..='\u{231B}' | '\u{2328}'
        | '\u{2388}' | '\u{23CF}' | '\u{23E9}'..='\u{23F3}' | '\u{23F8}'..='\u{23FA}' | '\u{24C2}'
        | '\u{25AA}'..='\u{25AB}' | '\u{25B6}' | '\u{25C0}' | '\u{25FB}'..='\u{25FE}'
        | '\u{2600}'..='\u{27BF}' | '\u{2934}'..='\u{2935}' | '\u{2B05}'..='\u{2B07}'
        | '\u{2B1B}'..='\u{2B1C}' | '\u{2B50}' | '\u{2B55}' | '\u{3030}' | '\u{303D}' | '\u{3297}'
        | '\u{3299}' | '\u{1F000}'..='\u{1FAFF}')
}
