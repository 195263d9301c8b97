//! Thread splitting: long text → parts that each fit the platform.
//!
//! Parts break at paragraph, then sentence, then word boundaries; a single word longer than a
//! part is broken between graphemes. A break never falls inside a URL, mention, hashtag or
//! cashtag, nor inside a grapheme. Numbering (`1/n`) and the opener are counted in the
//! platform's unit like the rest of the part. The result is deterministic.

use super::entities::extract_entities;
use super::measure::fits;
use super::rules::PlatformRules;
use crate::model::Platform;
use crate::{Error, Result};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Where the `i/n` counter goes in each part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Numbering {
    /// No counter.
    #[default]
    None,
    /// `text 1/3` — after the text, separated by a space.
    Suffix,
    /// `1/3 text` — before the text, separated by a space.
    Prefix,
}

/// Options for [`split_thread`].
#[derive(Debug, Clone, Default)]
pub struct SplitOptions {
    /// Counter format; only applied when there is more than one part.
    pub numbering: Numbering,
    /// Text put before the first part (e.g. `"🧵 A thread on pricing"`), separated by a blank
    /// line. It counts towards the first part's length.
    pub opener: Option<String>,
    /// Rules to use instead of the platform defaults (a Mastodon instance's own limit,
    /// X Premium). `None` means [`PlatformRules::of`].
    pub rules: Option<PlatformRules>,
}

/// The counter text of part `index` (0-based) of `total`, e.g. `"2/5"`.
pub fn numbering_label(index: usize, total: usize) -> String {
    format!("{}/{}", index + 1, total)
}

/// Splits `text` into thread parts that each fit `platform` (see the module docs for where it
/// breaks). A text that fits in one post comes back as one part, without numbering.
///
/// Errors: [`Error::Validation`] for empty text, or when an unbreakable piece (a URL longer than
/// a whole post, an opener that alone does not fit) cannot be placed;
/// [`Error::NotSupported`] for platforms without threads (Instagram) when the text does not
/// fit one post — use [`fit_to_platform`](super::fit_to_platform) there.
pub fn split_thread(platform: Platform, text: &str, options: &SplitOptions) -> Result<Vec<String>> {
    let rules = options.rules.unwrap_or_else(|| PlatformRules::of(platform));
    split_thread_with(&rules, text, options)
}

/// [`split_thread`] with explicit rules (`options.rules` is ignored).
pub fn split_thread_with(
    rules: &PlatformRules,
    text: &str,
    options: &SplitOptions,
) -> Result<Vec<String>> {
    let body = text.trim();
    if body.is_empty() {
        return Err(Error::Validation {
            field: "text".into(),
            rule: "must contain non-whitespace characters".into(),
        });
    }
    let opener = options
        .opener
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    let single = compose(opener, body, None);
    if fits(rules, &single, rules.limit_for_part(0)) {
        return Ok(vec![single]);
    }
    if !rules.supports_threads() {
        return Err(Error::NotSupported {
            feature: format!(
                "threads on {} (text is over {} and the platform has no threads; use fit_to_platform)",
                rules.platform.as_str(),
                rules.max_length
            ),
        });
    }
    let splitter = Splitter::new(rules, body, opener, options.numbering);
    // Reserve room for a counter as wide as "n/n" with `digits` digits; retry wider if the
    // thread turns out longer.
    let mut digits = 1u32;
    loop {
        let widest = 10usize.saturating_pow(digits) - 1;
        let ranges = splitter.pack(widest)?;
        if ranges.len() <= widest || digits >= 6 {
            let total = ranges.len();
            return Ok(ranges
                .into_iter()
                .enumerate()
                .map(|(i, r)| splitter.render(i, total, r))
                .collect());
        }
        digits += 1;
    }
}

fn compose(opener: Option<&str>, content: &str, label: Option<(Numbering, &str)>) -> String {
    let mut out = String::with_capacity(content.len() + 16);
    if let Some((Numbering::Prefix, l)) = label {
        out.push_str(l);
        out.push(' ');
    }
    if let Some(o) = opener {
        out.push_str(o);
        out.push_str("\n\n");
    }
    out.push_str(content);
    if let Some((Numbering::Suffix, l)) = label {
        out.push(' ');
        out.push_str(l);
    }
    out
}

/// Break strength, strongest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Word,
    Sentence,
    Paragraph,
}

/// A place a part may end: content ends at `end`, the next part starts at `next`.
#[derive(Debug, Clone, Copy)]
struct Break {
    end: usize,
    next: usize,
    strength: Strength,
}

struct Splitter<'a> {
    rules: &'a PlatformRules,
    text: &'a str,
    opener: Option<&'a str>,
    numbering: Numbering,
    breaks: Vec<Break>,
    protected: Vec<Range<usize>>,
}

impl<'a> Splitter<'a> {
    fn new(
        rules: &'a PlatformRules,
        text: &'a str,
        opener: Option<&'a str>,
        numbering: Numbering,
    ) -> Self {
        let mut protected: Vec<Range<usize>> = extract_entities(text)
            .into_iter()
            .map(|e| e.byte_range)
            .collect();
        protected.extend(super::bluesky::handle_ranges(text));
        protected.sort_by_key(|r| r.start);
        Self {
            rules,
            text,
            opener,
            numbering,
            breaks: whitespace_breaks(text),
            protected,
        }
    }

    fn label(&self, index: usize, total: usize) -> Option<(Numbering, String)> {
        match self.numbering {
            Numbering::None => None,
            n => Some((n, numbering_label(index, total))),
        }
    }

    fn render(&self, index: usize, total: usize, range: Range<usize>) -> String {
        let label = if total > 1 {
            self.label(index, total)
        } else {
            None
        };
        let opener = if index == 0 { self.opener } else { None };
        compose(
            opener,
            &self.text[range],
            label.as_ref().map(|(n, l)| (*n, l.as_str())),
        )
    }

    /// Whether content `range` fits as part `index`, with a counter as wide as `widest/widest`.
    fn part_fits(&self, index: usize, widest: usize, range: Range<usize>) -> bool {
        let label = self.label(widest.saturating_sub(1), widest);
        let opener = if index == 0 { self.opener } else { None };
        let candidate = compose(
            opener,
            &self.text[range],
            label.as_ref().map(|(n, l)| (*n, l.as_str())),
        );
        fits(self.rules, &candidate, self.rules.limit_for_part(index))
    }

    fn pack(&self, widest: usize) -> Result<Vec<Range<usize>>> {
        let mut parts = Vec::new();
        let mut start = 0;
        while start < self.text.len() {
            let index = parts.len();
            let (end, next) = self.choose_break(index, widest, start)?;
            parts.push(start..end);
            start = next;
        }
        Ok(parts)
    }

    fn choose_break(&self, index: usize, widest: usize, start: usize) -> Result<(usize, usize)> {
        // Word-level breaks after `start`; the last one is the end of the text.
        let first = self.breaks.partition_point(|b| b.end <= start);
        let candidates = &self.breaks[first..];
        // Binary search for the farthest break that fits (length grows with the prefix).
        let (mut lo, mut hi) = (0usize, candidates.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.part_fits(index, widest, start..candidates[mid].end) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == 0 {
            // Not even the first word fits: break inside it, between graphemes.
            let word_end = candidates.first().map_or(self.text.len(), |b| b.end);
            let end = self.grapheme_break(index, widest, start, word_end)?;
            return Ok((end, end));
        }
        let best = candidates[lo - 1];
        let span = best.end - start;
        // Prefer a stronger break if it keeps at least half of what the farthest break keeps.
        for strength in [Strength::Paragraph, Strength::Sentence] {
            if best.strength >= strength {
                return Ok((best.end, best.next));
            }
            if let Some(b) = candidates[..lo]
                .iter()
                .rev()
                .find(|b| b.strength >= strength && (b.end - start) * 2 >= span)
            {
                // Verified, since lengths are only nearly monotonic in the prefix.
                if self.part_fits(index, widest, start..b.end) {
                    return Ok((b.end, b.next));
                }
            }
        }
        Ok((best.end, best.next))
    }

    /// The farthest grapheme boundary inside `start..word_end` that fits and is not inside a
    /// protected entity.
    fn grapheme_break(
        &self,
        index: usize,
        widest: usize,
        start: usize,
        word_end: usize,
    ) -> Result<usize> {
        let bounds: Vec<usize> = self.text[start..word_end]
            .grapheme_indices(true)
            .map(|(i, g)| start + i + g.len())
            .filter(|b| *b < word_end && !self.inside_entity(*b))
            .collect();
        let (mut lo, mut hi) = (0usize, bounds.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.part_fits(index, widest, start..bounds[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == 0 {
            let piece: String = self.text[start..word_end].chars().take(40).collect();
            return Err(Error::Validation {
                field: "text".into(),
                rule: format!(
                    "part {} cannot fit {} (limit {} with opener/numbering): \"{}…\" cannot be broken",
                    index + 1,
                    self.rules.platform.as_str(),
                    self.rules.limit_for_part(index),
                    piece
                ),
            });
        }
        Ok(bounds[lo - 1])
    }

    fn inside_entity(&self, at: usize) -> bool {
        let i = self.protected.partition_point(|r| r.start < at);
        self.protected[..i]
            .iter()
            .rev()
            .take(4)
            .any(|r| r.start < at && at < r.end)
    }
}

const SENTENCE_END: [char; 7] = ['.', '!', '?', '…', '。', '！', '？'];
const CLOSERS: [char; 7] = ['"', '\'', ')', ']', '»', '”', '’'];

/// Every whitespace run is a word break; runs with a blank line are paragraph breaks; runs
/// after sentence punctuation (optionally followed by closing quotes) are sentence breaks. The
/// end of the text is a final paragraph break.
fn whitespace_breaks(text: &str) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !c.is_whitespace() {
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut newlines = usize::from(c == '\n');
        while let Some((j, d)) = iter.peek().copied() {
            if !d.is_whitespace() {
                break;
            }
            newlines += usize::from(d == '\n');
            end = j + d.len_utf8();
            iter.next();
        }
        let before = text[..i].trim_end_matches(CLOSERS);
        let strength = if newlines >= 2 {
            Strength::Paragraph
        } else if before.ends_with(SENTENCE_END) || newlines == 1 {
            Strength::Sentence
        } else {
            Strength::Word
        };
        if i > 0 {
            breaks.push(Break {
                end: i,
                next: end,
                strength,
            });
        }
    }
    breaks.push(Break {
        end: text.len(),
        next: text.len(),
        strength: Strength::Paragraph,
    });
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_sentence_breaks_and_numbers_parts() {
        let sentence = "This sentence is about forty characters. ";
        let text = sentence.repeat(12);
        let parts = split_thread(
            Platform::X,
            &text,
            &SplitOptions {
                numbering: Numbering::Suffix,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(parts.len() >= 2);
        let total = parts.len();
        for (i, p) in parts.iter().enumerate() {
            assert!(p.ends_with(&format!(" {}/{}", i + 1, total)), "{p}");
            let content = p.rsplit_once(' ').unwrap().0;
            assert!(content.ends_with('.'), "not a sentence break: {content:?}");
            assert!(crate::text::x_weighted_length(p) <= 280);
        }
    }

    #[test]
    fn never_breaks_a_url() {
        let url = "https://example.com/a/very/long/path/that/should/stay/whole";
        let text = format!("{} {} {}", "word ".repeat(60), url, "tail ".repeat(60));
        let parts = split_thread(Platform::Bluesky, &text, &SplitOptions::default()).unwrap();
        assert!(parts.iter().any(|p| p.contains(url)));
    }

    #[test]
    fn unbreakable_piece_is_a_validation_error() {
        let rules = PlatformRules::of(Platform::Bluesky).with_max_length(20);
        let text = "see https://example.com/a/very/long/path/that/cannot/fit";
        let err = split_thread_with(&rules, text, &SplitOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    }
}
