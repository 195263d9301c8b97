//! [`V1Features`]: the [`FeatureExtractor`] of schema [`FEATURES_V1`], and batch scoring with it.
//!
//! This is the one place that maps a [`ScoreInput`] to the 22 numbers the default model was
//! trained on, so every front end (the pipeline, the Python/Node/Swift bindings, the CLI) scores
//! a post identically. Batches of at least [`PARALLEL_MIN_ROWS`] posts are extracted and scored
//! across rayon's pool.

use chrono::{Datelike, Timelike, Utc};
use rayon::prelude::*;

use crate::features::readability::ReadabilityCounts;
use crate::features::sentiment::SentimentAnalyzer;
use crate::features::text_stats::TextStats;
use crate::xgb::schema::platform_code;
use crate::xgb::{
    EngagementModel, FeatureExtractor, FeatureSchema, FEATURES_V1, PARALLEL_MIN_ROWS,
};
use contentos_core::score::{EngagementScore, ScoreInput};
use contentos_core::{Error, Result};

/// Extracts schema `contentos-features/1` (see [`FEATURES_V1`] for each definition).
#[derive(Debug, Clone, Copy, Default)]
pub struct V1Features;

impl V1Features {
    /// Feature rows (row-major, [`FEATURES_V1`] order) for a batch, in parallel for large
    /// batches; the first failing input's error is returned.
    pub fn rows(&self, inputs: &[ScoreInput]) -> Result<Vec<f32>> {
        let nf = FEATURES_V1.len();
        let mut rows = vec![f32::NAN; inputs.len() * nf];
        if inputs.len() >= PARALLEL_MIN_ROWS {
            rows.par_chunks_mut(nf)
                .zip(inputs.par_iter())
                .try_for_each(|(out, input)| self.extract(input, out))?;
        } else {
            for (out, input) in rows.chunks_mut(nf).zip(inputs) {
                self.extract(input, out)?;
            }
        }
        Ok(rows)
    }
}

impl FeatureExtractor for V1Features {
    fn schema(&self) -> &FeatureSchema {
        &FEATURES_V1
    }

    fn extract(&self, input: &ScoreInput, out: &mut [f32]) -> Result<()> {
        if out.len() != FEATURES_V1.len() {
            return Err(Error::validation(
                "features",
                format!("expected {} output slots", FEATURES_V1.len()),
            ));
        }
        let text = input.text.as_str();
        let counts = ReadabilityCounts::of(text);
        let stats = TextStats::of(text);
        let compound = SentimentAnalyzer::shared().polarity_scores(text).compound;
        let at = input.posted_at.unwrap_or_else(Utc::now);
        let (hour, weekday) = match input.timezone.as_deref() {
            None => (at.hour(), at.weekday().num_days_from_monday()),
            Some(name) => {
                let tz: chrono_tz::Tz = name.parse().map_err(|_| {
                    Error::validation("timezone", format!("unknown IANA time zone {name:?}"))
                })?;
                let local = at.with_timezone(&tz);
                (local.hour(), local.weekday().num_days_from_monday())
            }
        };
        let values = [
            stats.chars as f32,
            counts.words as f32,
            counts.sentences as f32,
            counts.flesch_reading_ease() as f32,
            counts.flesch_kincaid_grade() as f32,
            compound as f32,
            stats.questions as f32,
            stats.exclamations as f32,
            stats.cta as f32,
            stats.hashtags as f32,
            stats.mentions as f32,
            stats.urls as f32,
            stats.emoji as f32,
            stats.all_caps_ratio as f32,
            hour as f32,
            weekday as f32,
            platform_code(input.platform),
            input.media_count as f32,
            if input.has_video { 1.0 } else { 0.0 },
            input.thread_length as f32,
            if input.is_reply { 1.0 } else { 0.0 },
            input.similar_history.map_or(f32::NAN, |v| v as f32),
        ];
        out.copy_from_slice(&values);
        Ok(())
    }
}

/// Scores only (0–100, probability × 100) for a batch, without explanations: the fast path for
/// bulk scoring (TreeSHAP is skipped). Equal to the `score` field of
/// [`score_explained`]'s results.
pub fn score_values(
    model: &EngagementModel<V1Features>,
    inputs: &[ScoreInput],
) -> Result<Vec<f64>> {
    let rows = V1Features.rows(inputs)?;
    let probs = model.model().predict(&rows)?;
    Ok(probs
        .into_iter()
        .map(|p| (p as f64 * 100.0).clamp(0.0, 100.0))
        .collect())
}

/// Full scores (score, confidence, top factors, model version) for a batch.
pub fn score_explained(
    model: &EngagementModel<V1Features>,
    inputs: &[ScoreInput],
) -> Result<Vec<EngagementScore>> {
    let rows = V1Features.rows(inputs)?;
    model.score_features(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use contentos_core::model::Platform;
    use contentos_core::score::EngagementScorer;

    #[test]
    fn values_follow_the_schema_order_and_context() {
        let mut input = ScoreInput::new(
            "Big news?! Join us at https://acme.io #launch @team",
            Platform::Mastodon,
        );
        input.posted_at = Some("2024-03-04T23:30:00Z".parse().unwrap()); // Monday 23:30 UTC
        input.timezone = Some("Europe/Berlin".into()); // Tuesday 00:30
        input.thread_length = 3;
        let mut out = vec![0.0; FEATURES_V1.len()];
        V1Features.extract(&input, &mut out).unwrap();
        let at = |name: &str| out[FEATURES_V1.index_of(name).unwrap()];
        assert_eq!(at("hour_local"), 0.0);
        assert_eq!(at("weekday_local"), 1.0);
        assert_eq!(at("platform"), 3.0);
        assert_eq!(at("thread_length"), 3.0);
        assert_eq!(at("hashtag_count"), 1.0);
        assert_eq!(at("mention_count"), 1.0);
        assert_eq!(at("url_count"), 1.0);
        assert!(at("similar_history").is_nan());
    }

    #[test]
    fn unknown_time_zone_is_a_validation_error() {
        let mut input = ScoreInput::new("hello world", Platform::X);
        input.timezone = Some("Mars/Olympus".into());
        let err = V1Features.rows(&[input]).unwrap_err();
        assert_eq!(err.kind(), contentos_core::ErrorKind::Validation);
    }

    #[test]
    fn fast_path_equals_the_scorer() {
        let model = EngagementModel::with_default_model(V1Features).unwrap();
        let inputs: Vec<ScoreInput> = [
            "Read our new guide on Rust!",
            "meh",
            "WHY is this so hard??",
        ]
        .iter()
        .map(|t| {
            let mut i = ScoreInput::new(*t, Platform::X);
            i.posted_at = Some("2024-05-01T12:00:00Z".parse().unwrap());
            i
        })
        .collect();
        let fast = score_values(&model, &inputs).unwrap();
        let full = model.score(&inputs).unwrap();
        for (f, s) in fast.iter().zip(&full) {
            assert!((f - s.score).abs() < 1e-9);
        }
        assert!(
            fast.iter().any(|v| (v - fast[0]).abs() > 1e-6),
            "texts should score differently"
        );
    }
}
