//! Fitting a long text into one post for platforms without threads (or when one post is
//! wanted): keep the most important sentences, the call to action and the first URL.
//!
//! Importance is an extractive TextRank: sentences are nodes, edges weigh shared content words
//! normalised by sentence length (Mihalcea & Tarau 2004), and PageRank over that graph ranks
//! them. Sentences are kept in their original order; cuts happen only between words.

use super::entities::{extract_entities, EntityKind};
use super::measure::fits;
use super::rules::PlatformRules;
use crate::model::Platform;
use crate::{Error, Result};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;
use unicode_segmentation::UnicodeSegmentation;

/// Options for [`fit_to_platform`].
#[derive(Debug, Clone, Default)]
pub struct FitOptions {
    /// Rules instead of the platform defaults (a Mastodon instance's limit, X Premium).
    pub rules: Option<PlatformRules>,
    /// Byte range of the call to action in the input, when the caller knows it; otherwise the
    /// last sentence that reads like one ("Sign up…", "Read more…", "Link in bio") is kept.
    pub call_to_action: Option<Range<usize>>,
}

/// A fitted text and what was given up for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// Text that fits the platform.
    pub text: String,
    /// Sentences left out.
    pub dropped_sentences: usize,
    /// A sentence had to be cut between words (an ellipsis marks it where it reads well).
    pub truncated: bool,
}

/// Fits `text` into one post of `platform` (see the module docs). A text that already fits
/// is returned unchanged; hashtags over the platform's cap are dropped first.
///
/// Errors: [`Error::Validation`] when the text is empty, or when the first URL alone does not
/// fit.
pub fn fit_to_platform(platform: Platform, text: &str, options: &FitOptions) -> Result<Fitted> {
    let rules = options.rules.unwrap_or_else(|| PlatformRules::of(platform));
    fit_with(&rules, text, options)
}

/// [`fit_to_platform`] with explicit rules (`options.rules` is ignored).
pub fn fit_with(rules: &PlatformRules, text: &str, options: &FitOptions) -> Result<Fitted> {
    let capped;
    let text = match rules.max_hashtags {
        Some(max) => {
            capped = super::hashtags::cap_hashtags(text, max);
            capped.as_str()
        }
        None => text,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::Validation {
            field: "text".into(),
            rule: "must contain non-whitespace characters".into(),
        });
    }
    if fits(rules, trimmed, rules.max_length) {
        return Ok(Fitted {
            text: trimmed.to_string(),
            dropped_sentences: 0,
            truncated: false,
        });
    }
    let offset = text.len() - text.trim_start().len();
    let cta_range = options
        .call_to_action
        .as_ref()
        .and_then(|r| Some(r.start.checked_sub(offset)?..r.end.checked_sub(offset)?));
    Fitter::new(rules, trimmed, cta_range).fit()
}

/// One sentence: its byte range and the paragraph it belongs to.
#[derive(Debug, Clone)]
struct Sentence {
    range: Range<usize>,
    paragraph: usize,
}

struct Fitter<'a> {
    rules: &'a PlatformRules,
    text: &'a str,
    sentences: Vec<Sentence>,
    first_url: Option<Range<usize>>,
    cta: Option<usize>,
}

static CTA: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(sign up|subscribe|register|join|download|learn more|read more|find out|click|tap|follow|shop|buy|order|try|get started|book|call|visit|check out|link in bio|dm me|reply|share|apply|grab|reserve|watch|listen)\b",
    )
    .ok()
});

impl<'a> Fitter<'a> {
    fn new(rules: &'a PlatformRules, text: &'a str, cta_range: Option<Range<usize>>) -> Self {
        let entities = extract_entities(text);
        let sentences = split_sentences(
            text,
            &entities
                .iter()
                .map(|e| e.byte_range.clone())
                .collect::<Vec<_>>(),
        );
        let first_url = entities
            .iter()
            .find(|e| e.kind == EntityKind::Url)
            .map(|e| e.byte_range.clone());
        let cta = match cta_range {
            Some(r) => sentences
                .iter()
                .position(|s| s.range.start < r.end && r.start < s.range.end),
            None => CTA.as_ref().and_then(|re| {
                sentences
                    .iter()
                    .rposition(|s| re.is_match(&text[s.range.clone()]))
            }),
        };
        Self {
            rules,
            text,
            sentences,
            first_url,
            cta,
        }
    }

    fn render(&self, chosen: &[usize]) -> String {
        let mut out = String::new();
        let mut last_paragraph = None;
        for &i in chosen {
            let s = &self.sentences[i];
            if let Some(p) = last_paragraph {
                out.push_str(if p == s.paragraph { " " } else { "\n\n" });
            }
            out.push_str(self.text[s.range.clone()].trim());
            last_paragraph = Some(s.paragraph);
        }
        out
    }

    fn fits(&self, candidate: &str) -> bool {
        fits(self.rules, candidate, self.rules.max_length)
    }

    fn fit(&self) -> Result<Fitted> {
        let n = self.sentences.len();
        let url_sentence = self.first_url.as_ref().and_then(|u| {
            self.sentences
                .iter()
                .position(|s| s.range.start <= u.start && u.end <= s.range.end)
        });
        let mut mandatory: Vec<usize> = [url_sentence, self.cta].into_iter().flatten().collect();
        mandatory.sort_unstable();
        mandatory.dedup();
        let scores = textrank(self.text, &self.sentences);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b)));

        let mut chosen: Vec<usize> = mandatory.clone();
        if self.fits(&self.render(&chosen)) {
            for i in order {
                if chosen.contains(&i) {
                    continue;
                }
                let mut trial = chosen.clone();
                trial.push(i);
                trial.sort_unstable();
                if self.fits(&self.render(&trial)) {
                    chosen = trial;
                }
            }
            if !chosen.is_empty() {
                return Ok(Fitted {
                    text: self.render(&chosen),
                    dropped_sentences: n - chosen.len(),
                    truncated: false,
                });
            }
        }
        self.truncate()
    }

    /// Nothing whole fits: keep the first words that fit, then the first URL.
    fn truncate(&self) -> Result<Fitted> {
        let ellipsis = if self.rules.ellipsis_reads_well {
            "…"
        } else {
            ""
        };
        let url = self.first_url.as_ref().map(|u| &self.text[u.clone()]);
        let bounds: Vec<usize> = self
            .text
            .split_word_bound_indices()
            .filter(|(_, w)| w.chars().all(char::is_whitespace))
            .map(|(i, _)| i)
            .filter(|i| {
                !self
                    .first_url
                    .as_ref()
                    .is_some_and(|u| u.start < *i && *i < u.end)
            })
            .collect();
        let compose = |end: usize| {
            let head = self.text[..end].trim_end();
            let mut s = format!("{head}{ellipsis}");
            if let Some(u) = url {
                if !head.contains(u) {
                    s.push(' ');
                    s.push_str(u);
                }
            }
            s
        };
        let (mut lo, mut hi) = (0usize, bounds.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.fits(&compose(bounds[mid])) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let text = if lo == 0 {
            match url {
                Some(u) if self.fits(u) => u.to_string(),
                _ => {
                    return Err(Error::Validation {
                        field: "text".into(),
                        rule: format!(
                            "no word boundary lets the text (and its first URL) fit {} ({} max)",
                            self.rules.platform.as_str(),
                            self.rules.max_length
                        ),
                    })
                }
            }
        } else {
            compose(bounds[lo - 1])
        };
        Ok(Fitted {
            text,
            dropped_sentences: 0,
            truncated: true,
        })
    }
}

/// Sentences by UAX #29, merged so no entity (URL, mention…) is split, with paragraph numbers.
fn split_sentences(text: &str, entities: &[Range<usize>]) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::new();
    let mut paragraph = 0;
    let mut pending_start: Option<usize> = None;
    for (i, s) in text.split_sentence_bound_indices() {
        let end = i + s.len();
        let start = pending_start.unwrap_or(i);
        if entities.iter().any(|e| e.start < end && end < e.end) {
            pending_start = Some(start);
            continue;
        }
        pending_start = None;
        if !text[start..end].trim().is_empty() {
            out.push(Sentence {
                range: start..end,
                paragraph,
            });
        }
        if text[start..end].contains("\n\n") || text[start..end].ends_with('\n') {
            paragraph += 1;
        }
    }
    if let Some(start) = pending_start {
        out.push(Sentence {
            range: start..text.len(),
            paragraph,
        });
    }
    out
}

const STOPWORDS: [&str; 40] = [
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "for", "with", "is", "are",
    "was", "were", "be", "it", "this", "that", "as", "at", "by", "from", "we", "you", "i", "they",
    "our", "your", "their", "its", "not", "no", "so", "if", "then", "than", "can", "will",
];

fn content_words(s: &str) -> HashSet<String> {
    s.unicode_words()
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() > 1 && !STOPWORDS.contains(&w.as_str()))
        .collect()
}

/// PageRank over the sentence-similarity graph; ties broken towards earlier sentences by a
/// small lead bonus (news-style text front-loads the point).
fn textrank(text: &str, sentences: &[Sentence]) -> Vec<f64> {
    let n = sentences.len();
    let words: Vec<HashSet<String>> = sentences
        .iter()
        .map(|s| content_words(&text[s.range.clone()]))
        .collect();
    let mut weights = vec![vec![0.0f64; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let common = words[i].intersection(&words[j]).count();
            if common == 0 {
                continue;
            }
            let norm = ((words[i].len() + 1) as f64).ln() + ((words[j].len() + 1) as f64).ln();
            let w = common as f64 / norm.max(1e-9);
            weights[i][j] = w;
            weights[j][i] = w;
        }
    }
    let out_sum: Vec<f64> = weights.iter().map(|row| row.iter().sum()).collect();
    let damping = 0.85;
    let mut score = vec![1.0f64; n];
    for _ in 0..30 {
        let mut next = vec![1.0 - damping; n];
        for (i, next_i) in next.iter_mut().enumerate() {
            let mut acc = 0.0;
            for j in 0..n {
                if weights[j][i] > 0.0 && out_sum[j] > 0.0 {
                    acc += weights[j][i] / out_sum[j] * score[j];
                }
            }
            *next_i += damping * acc;
        }
        score = next;
    }
    let mut position_bonus: HashMap<usize, f64> = HashMap::new();
    position_bonus.insert(0, 0.1);
    score
        .iter()
        .enumerate()
        .map(|(i, s)| s + position_bonus.get(&i).copied().unwrap_or(0.0) - i as f64 * 1e-6)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_central_sentences_cta_and_url() {
        let text = "Rust makes systems programming safe. \
            My cat likes boxes and naps all afternoon in the sun by the window. \
            Rust programming gives memory safety without garbage collection. \
            Safe systems programming in Rust is fast. \
            Weather today was cloudy with a light breeze from the north and some rain later. \
            Read more at https://example.com/rust-safety";
        let rules = PlatformRules::of(Platform::X).with_max_length(160);
        let fitted = fit_with(&rules, text, &FitOptions::default()).unwrap();
        assert!(
            fitted.text.contains("https://example.com/rust-safety"),
            "{}",
            fitted.text
        );
        assert!(
            fitted
                .text
                .starts_with("Rust makes systems programming safe."),
            "{}",
            fitted.text
        );
        assert!(!fitted.text.contains("cat"), "{}", fitted.text);
        assert!(!fitted.text.contains("Weather"), "{}", fitted.text);
        assert!(fitted.dropped_sentences >= 2);
        assert!(crate::text::x_weighted_length(&fitted.text) <= 160);
    }

    #[test]
    fn truncates_between_words_and_keeps_url() {
        let text = format!("{} https://example.com/x", "word ".repeat(600));
        let fitted = fit_to_platform(Platform::Instagram, &text, &FitOptions::default()).unwrap();
        assert!(fitted.truncated);
        assert!(fitted.text.ends_with(" https://example.com/x"));
        assert!(
            !fitted.text.contains('…'),
            "Instagram shows its own ellipsis"
        );
        assert!(fitted
            .text
            .split(' ')
            .all(|w| w == "word" || w.starts_with("https://")));
    }
}
