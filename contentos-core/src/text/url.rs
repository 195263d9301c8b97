//! URL detection following twitter-text's extraction rules (with and without scheme, TLD-aware).
//!
//! This is an independent implementation of the documented behaviour (and of the conformance
//! suite in `tests/data/`), written as a scanner rather than one large regular expression so it
//! runs in linear time on adversarial input.

use super::chars::{
    is_domain_char, is_latin_accent, is_path_char, is_path_ending_char, is_query_char,
    is_query_ending_char,
};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// Longest URL twitter-text accepts (UTF-16 units, scheme included).
const MAX_URL_LENGTH: usize = 4096;
/// Longest t.co slug twitter-text accepts.
const MAX_TCO_SLUG_LENGTH: usize = 40;
/// Longest DNS label after punycode encoding.
const MAX_DOMAIN_LABEL_LENGTH: usize = 63;

/// TLD → preference rank (generic TLDs first, then country codes, in the order of the source list).
static TLDS: LazyLock<(HashMap<&'static str, usize>, usize)> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut longest = 0;
    for line in include_str!("tlds.txt").lines() {
        let tld = line.trim();
        if tld.is_empty() || tld.starts_with('#') {
            continue;
        }
        longest = longest.max(tld.chars().count());
        let rank = map.len();
        map.entry(tld).or_insert(rank);
    }
    (map, longest)
});

/// A URL found in text, with where its host is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundUrl {
    /// Byte range of the whole URL.
    pub range: Range<usize>,
    /// Whether it starts with `http://` or `https://`.
    pub has_scheme: bool,
}

/// Every URL in `text`, in order, non-overlapping, as twitter-text `extractUrlsWithIndices`
/// (scheme-less URLs included) finds them.
pub(crate) fn find_urls(text: &str) -> Vec<FoundUrl> {
    let mut out = Vec::new();
    if !text.contains('.') {
        return out;
    }
    let runs = DomainRuns::new(text);
    let mut search = 0;
    while search < text.len() {
        let Some((before, url_start, raw)) = next_candidate(text, &runs, search) else {
            break;
        };
        search = raw.end.max(url_start + 1);
        emit(text, before, url_start, &raw, &mut out);
    }
    out
}

/// The raw match of the URL pattern at one position.
#[derive(Debug)]
struct RawUrl {
    scheme_len: usize,
    domain: Range<usize>,
    has_path: bool,
    end: usize,
}

fn next_candidate(
    text: &str,
    runs: &DomainRuns,
    from: usize,
) -> Option<(Option<char>, usize, RawUrl)> {
    let mut i = from;
    while i < text.len() {
        let c = text[i..].chars().next()?;
        let next = i + c.len_utf8();
        if is_url_preceding_char(c) {
            if let Some(raw) = match_at(text, runs, next) {
                return Some((Some(c), next, raw));
            }
        }
        if i == 0 {
            if let Some(raw) = match_at(text, runs, 0) {
                return Some((None, 0, raw));
            }
        }
        i = next;
    }
    None
}

fn is_url_preceding_char(c: char) -> bool {
    !(c.is_ascii_alphanumeric()
        || matches!(c, '@' | '\u{FF20}' | '$' | '#' | '\u{FF03}')
        || super::chars::is_invalid_char(c))
}

fn emit(text: &str, before: Option<char>, url_start: usize, raw: &RawUrl, out: &mut Vec<FoundUrl>) {
    let url = &text[url_start..raw.end];
    let domain = &text[raw.domain.clone()];
    let scheme_utf16 = if raw.scheme_len > 0 {
        raw.scheme_len
    } else {
        "https://".len()
    };
    if !is_valid_host(domain) || scheme_utf16 + utf16_len(url) > MAX_URL_LENGTH {
        return;
    }
    if raw.scheme_len > 0 {
        let end = match tco_end(url, raw.scheme_len) {
            TcoCheck::NotTco => raw.end,
            TcoCheck::Tco(len) => url_start + len,
            TcoCheck::SlugTooLong => return,
        };
        out.push(FoundUrl {
            range: url_start..end,
            has_scheme: true,
        });
        return;
    }
    if matches!(before, Some('-' | '_' | '.' | '/')) {
        return;
    }
    let ascii = ascii_domains(domain);
    let count = ascii.len();
    for (index, r) in ascii.into_iter().enumerate() {
        let start = raw.domain.start + r.start;
        let mut end = raw.domain.start + r.end;
        if index + 1 == count && raw.has_path {
            end = raw.end;
        }
        out.push(FoundUrl {
            range: start..end,
            has_scheme: false,
        });
    }
}

/// End of the run of label characters (domain characters, `-`, `_`) starting at each byte.
struct DomainRuns {
    run_end: Vec<u32>,
}

impl DomainRuns {
    fn new(text: &str) -> Self {
        let mut run_end = vec![0u32; text.len() + 1];
        let mut end = text.len();
        run_end[text.len()] = text.len() as u32;
        for (i, c) in text.char_indices().rev() {
            if is_label_char(c) {
                run_end[i] = end as u32;
            } else {
                run_end[i] = i as u32;
                end = i;
            }
        }
        Self { run_end }
    }

    fn end(&self, at: usize) -> usize {
        self.run_end.get(at).map_or(at, |e| *e as usize)
    }
}

fn is_label_char(c: char) -> bool {
    is_domain_char(c) || c == '-' || c == '_'
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn match_at(text: &str, runs: &DomainRuns, start: usize) -> Option<RawUrl> {
    let rest = &text[start..];
    for scheme in ["https://", "http://"] {
        if starts_with_ci(rest, scheme) {
            if let Some(raw) = match_after_scheme(text, runs, start + scheme.len(), scheme.len()) {
                return Some(raw);
            }
            break;
        }
    }
    match_after_scheme(text, runs, start, 0)
}

fn match_after_scheme(
    text: &str,
    runs: &DomainRuns,
    dom_start: usize,
    scheme_len: usize,
) -> Option<RawUrl> {
    let domain_end = parse_domain(text, runs, dom_start)?;
    let bytes = text.as_bytes();
    let mut pos = domain_end;
    if bytes.get(pos) == Some(&b':') && bytes.get(pos + 1).is_some_and(u8::is_ascii_digit) {
        pos += 1;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
    }
    let mut has_path = false;
    if bytes.get(pos) == Some(&b'/') {
        has_path = true;
        pos = parse_path(text, pos + 1);
    }
    if bytes.get(pos) == Some(&b'?') {
        if let Some(end) = parse_query(text, pos + 1) {
            pos = end;
        }
    }
    Some(RawUrl {
        scheme_len,
        domain: dom_start..domain_end,
        has_path,
        end: pos,
    })
}

/// Labels separated by dots, the last full label followed by a known TLD; longest such domain.
fn parse_domain(text: &str, runs: &DomainRuns, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut labels: Vec<Range<usize>> = Vec::new();
    let mut pos = start;
    loop {
        let end = runs.end(pos);
        if end == pos || bytes.get(end) != Some(&b'.') {
            break;
        }
        labels.push(pos..end);
        pos = end + 1;
    }
    // Subdomain labels must start and end with a domain character; the label right before the
    // TLD additionally may not contain `_`.
    let valid_sub = |r: &Range<usize>| {
        let label = &text[r.clone()];
        !label.starts_with(['-', '_']) && !label.ends_with(['-', '_'])
    };
    let mut usable = 0;
    while usable < labels.len() && valid_sub(&labels[usable]) {
        usable += 1;
    }
    // With n labels, labels[..n-1] are subdomains (must be valid) and labels[n-1] the name.
    let max_n = (usable + 1).min(labels.len());
    for n in (1..=max_n).rev() {
        let name = &labels[n - 1];
        let label = &text[name.clone()];
        if label.contains('_') || label.starts_with('-') || label.ends_with('-') {
            continue;
        }
        if let Some(end) = match_tld(text, name.end + 1, text.len()) {
            return Some(end);
        }
    }
    None
}

/// A TLD starting at `start`, followed by something that cannot continue a domain
/// (twitter-text's `(?=[^0-9a-zA-Z@+-]|$)`), or a punycode TLD. `limit` is where "$" is.
fn match_tld(text: &str, start: usize, limit: usize) -> Option<usize> {
    let (tlds, longest) = &*TLDS;
    let region = text.get(start..limit)?;
    let mut best: Option<(usize, usize)> = None;
    let mut lowered = String::new();
    for (count, (i, c)) in region.char_indices().enumerate() {
        if count >= *longest || !is_domain_char(c) {
            break;
        }
        lowered.extend(c.to_lowercase());
        let end = i + c.len_utf8();
        let follows_ok = region[end..].chars().next().map_or(true, |n| {
            !(n.is_ascii_alphanumeric() || matches!(n, '@' | '+' | '-'))
        });
        if follows_ok {
            if let Some(rank) = tlds.get(lowered.as_str()) {
                if best.map_or(true, |(r, _)| *rank < r) {
                    best = Some((*rank, end));
                }
            }
        }
    }
    if let Some((_, end)) = best {
        return Some(start + end);
    }
    if starts_with_ci(region, "xn--") {
        let body = region[4..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if body > 0 {
            return Some(start + 4 + body);
        }
    }
    None
}

/// `/`-path: the longest run of path characters and balanced parentheses that ends with an
/// allowed ending character (so a trailing `.` or `,` is left out).
fn parse_path(text: &str, start: usize) -> usize {
    let mut pos = start;
    let mut last_end = start;
    while let Some(c) = text[pos..].chars().next() {
        if c == '(' {
            match balanced_parens(text, pos) {
                Some(end) => {
                    pos = end;
                    last_end = end;
                    continue;
                }
                None => break,
            }
        }
        if !is_path_char(c) {
            break;
        }
        pos += c.len_utf8();
        if is_path_ending_char(c) {
            last_end = pos;
        }
    }
    last_end
}

fn scan_path_chars(text: &str, from: usize) -> usize {
    let mut pos = from;
    while let Some(c) = text[pos..].chars().next() {
        if !is_path_char(c) {
            break;
        }
        pos += c.len_utf8();
    }
    pos
}

/// `(` … `)` with up to one nested level, as in Wikipedia-style paths.
fn balanced_parens(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let inner = scan_path_chars(text, open + 1);
    if inner > open + 1 && bytes.get(inner) == Some(&b')') {
        return Some(inner + 1);
    }
    if bytes.get(inner) != Some(&b'(') {
        return None;
    }
    let nested = scan_path_chars(text, inner + 1);
    if nested == inner + 1 || bytes.get(nested) != Some(&b')') {
        return None;
    }
    let tail = scan_path_chars(text, nested + 1);
    (bytes.get(tail) == Some(&b')')).then_some(tail + 1)
}

fn parse_query(text: &str, start: usize) -> Option<usize> {
    let mut last = None;
    for (i, c) in text[start..].char_indices() {
        if !is_query_char(c) {
            break;
        }
        if is_query_ending_char(c) {
            last = Some(start + i + c.len_utf8());
        }
    }
    last
}

enum TcoCheck {
    NotTco,
    Tco(usize),
    SlugTooLong,
}

/// t.co links take no extra path: `https://t.co/slug` (+ query) only.
fn tco_end(url: &str, scheme_len: usize) -> TcoCheck {
    let rest = &url[scheme_len..];
    if !starts_with_ci(rest, "t.co/") {
        return TcoCheck::NotTco;
    }
    let slug_start = scheme_len + 5;
    let slug = url[slug_start..]
        .bytes()
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if slug == 0 {
        return TcoCheck::NotTco;
    }
    if slug > MAX_TCO_SLUG_LENGTH {
        return TcoCheck::SlugTooLong;
    }
    let mut end = slug_start + slug;
    if url.as_bytes().get(end) == Some(&b'?') {
        if let Some(q) = parse_query(url, end + 1) {
            end = q;
        }
    }
    TcoCheck::Tco(end)
}

/// The ASCII-only domains inside a scheme-less candidate's host (`例子.example.com` →
/// `example.com`); twitter-text links only those.
fn ascii_domains(domain: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < domain.len() {
        if let Some(end) = ascii_domain_at(domain, p) {
            out.push(p..end);
            p = end;
        } else {
            p += domain[p..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

fn is_ascii_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || is_latin_accent(c)
}

fn ascii_domain_at(domain: &str, start: usize) -> Option<usize> {
    let mut ends = Vec::new();
    let mut pos = start;
    loop {
        let run = domain[pos..]
            .char_indices()
            .find(|(_, c)| !is_ascii_label_char(*c))
            .map_or(domain.len() - pos, |(i, _)| i);
        if run == 0 || domain.as_bytes().get(pos + run) != Some(&b'.') {
            break;
        }
        pos += run + 1;
        ends.push(pos);
    }
    ends.iter()
        .rev()
        .find_map(|tld_start| match_tld(domain, *tld_start, domain.len()))
}

/// twitter-text's light IDNA check: every label, punycode-encoded, is 1–63 characters, and a
/// host that claims to be punycode (`xn--`) is plain ASCII.
fn is_valid_host(domain: &str) -> bool {
    if domain.starts_with("xn--") && ascii_domains(domain).is_empty() {
        return false;
    }
    domain.split('.').all(|label| {
        let len = punycode_label_len(label);
        (1..=MAX_DOMAIN_LABEL_LENGTH).contains(&len)
    })
}

/// Length of `punycode.toASCII(label)` (punycode.js splits on the IDNA dot variants too).
fn punycode_label_len(label: &str) -> usize {
    let parts: Vec<&str> = label.split(['\u{3002}', '\u{FF0E}', '\u{FF61}']).collect();
    let dots = parts.len().saturating_sub(1);
    parts
        .iter()
        .map(|part| {
            if part.is_ascii() {
                part.len()
            } else {
                4 + punycode_encoded_len(part)
            }
        })
        .sum::<usize>()
        + dots
}

/// Length of the RFC 3492 punycode encoding of `input` (without the `xn--` prefix).
fn punycode_encoded_len(input: &str) -> usize {
    const BASE: u64 = 36;
    const T_MIN: u64 = 1;
    const T_MAX: u64 = 26;
    const SKEW: u64 = 38;
    const DAMP: u64 = 700;
    // punycode.js works on UCS-2 decoded code points; Rust chars are exactly that.
    let cps: Vec<u64> = input.chars().map(|c| u64::from(u32::from(c))).collect();
    let basic = cps.iter().filter(|c| **c < 0x80).count();
    let mut out = basic + usize::from(basic > 0);
    let adapt = |mut delta: u64, num_points: u64, first: bool| -> u64 {
        delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / num_points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    };
    let mut n: u64 = 0x80;
    let mut delta: u64 = 0;
    let mut bias: u64 = 72;
    let mut handled = basic as u64;
    let total = cps.len() as u64;
    while handled < total {
        let Some(m) = cps.iter().copied().filter(|c| *c >= n).min() else {
            break;
        };
        delta = delta.saturating_add((m - n).saturating_mul(handled + 1));
        n = m;
        for c in &cps {
            if *c < n {
                delta = delta.saturating_add(1);
            }
            if *c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out += 1;
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out += 1;
                bias = adapt(delta, handled + 1, handled == basic as u64);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.saturating_add(1);
        n += 1;
    }
    out
}

/// Number of UTF-16 code units of `s` (JavaScript string length).
pub(crate) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        find_urls(text)
            .into_iter()
            .map(|u| &text[u.range])
            .collect()
    }

    #[test]
    fn punycode_length_matches_rfc_examples() {
        // "bücher" → "bcher-kva"; "münchen" → "mnchen-3ya".
        assert_eq!(punycode_encoded_len("bücher"), "bcher-kva".len());
        assert_eq!(punycode_encoded_len("münchen"), "mnchen-3ya".len());
        // RFC 3492 sample (A) Arabic (Egyptian): "egbpdaj6bu4bxfgehfvwxn".
        let arabic = "\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}";
        assert_eq!(punycode_encoded_len(arabic), "egbpdaj6bu4bxfgehfvwxn".len());
    }

    #[test]
    fn schemeless_and_trailing_punctuation() {
        assert_eq!(urls("see example.com."), vec!["example.com"]);
        assert_eq!(urls("foo.co.jp/bar?x=1, ok"), vec!["foo.co.jp/bar?x=1"]);
        assert_eq!(
            urls("(https://en.wikipedia.org/wiki/Primer_(film))"),
            vec!["https://en.wikipedia.org/wiki/Primer_(film)"]
        );
        assert!(urls("not.a.tld.zzzzqq").is_empty());
        // A host right after `/` is not linked without a scheme (twitter-text rule).
        assert!(urls("ftp://www.example.com/").is_empty());
    }
}
