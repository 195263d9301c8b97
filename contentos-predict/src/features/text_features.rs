//! All text features of one post in one call: what the scorer needs per post.

use super::readability::ReadabilityCounts;
use super::sentiment::{Polarity, SentimentAnalyzer};
use super::text_stats::TextStats;

/// Sentiment, readability and surface statistics of one text, each at parity with (or defined
/// beside) the Python tools described in `docs/features.md`. Word and sentence counts are
/// computed once and shared by readability and statistics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextFeatures {
    /// vaderSentiment 3.3.2 `polarity_scores`.
    pub sentiment: Polarity,
    /// textstat word, sentence and syllable counts.
    pub readability: ReadabilityCounts,
    /// textstat `flesch_reading_ease`.
    pub flesch_reading_ease: f64,
    /// textstat `flesch_kincaid_grade`.
    pub flesch_kincaid_grade: f64,
    /// Counts, questions, calls to action, entities, emoji, all-caps ratio.
    pub stats: TextStats,
}

impl TextFeatures {
    /// Computes every text feature of `text` with the process-wide analyser.
    pub fn of(text: &str) -> Self {
        Self::with_analyzer(SentimentAnalyzer::shared(), text)
    }

    /// Computes every text feature of `text` with a given analyser.
    pub fn with_analyzer(analyzer: &SentimentAnalyzer, text: &str) -> Self {
        let readability = ReadabilityCounts::of(text);
        TextFeatures {
            sentiment: analyzer.polarity_scores(text),
            flesch_reading_ease: readability.flesch_reading_ease(),
            flesch_kincaid_grade: readability.flesch_kincaid_grade(),
            stats: TextStats::with_counts(text, readability.words, readability.sentences),
            readability,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::readability;

    #[test]
    fn combined_features_equal_the_separate_calls() {
        let text = "Honestly the BEST launch ever!!! Don't miss it: https://acme.io/x #launch 🚀";
        let f = TextFeatures::of(text);
        assert_eq!(
            f.sentiment,
            SentimentAnalyzer::shared().polarity_scores(text)
        );
        assert_eq!(
            f.flesch_reading_ease,
            readability::flesch_reading_ease(text)
        );
        assert_eq!(
            f.flesch_kincaid_grade,
            readability::flesch_kincaid_grade(text)
        );
        assert_eq!(f.stats, TextStats::of(text));
        assert!(f.sentiment.compound > 0.5, "{:?}", f.sentiment);
    }
}
