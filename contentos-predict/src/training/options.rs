//! [`TrainOptions`]: how a workspace's history becomes a training set (label, split, minimums)
//! plus the XGBoost parameters. Validated by its builder; errors name the field.

use crate::xgb::train::TrainParams;
use contentos_core::{Error, Result};

/// Name under which workspace engagement models are stored (`StoredModel::name`).
pub const ENGAGEMENT_MODEL_NAME: &str = "engagement";

/// Which engagement number a post is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EngagementMetric {
    /// `AnalyticsRow::engagement_rate` ((likes + comments + shares) / impressions × 100).
    /// Posts without impressions (Bluesky, Mastodon) have no rate and are excluded.
    #[default]
    Rate,
    /// likes + comments + shares: for platforms that report no impressions. The trailing-median
    /// label already removes audience growth, so raw counts are usable.
    Interactions,
}

impl EngagementMetric {
    /// Stable name recorded in the model's metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            EngagementMetric::Rate => "engagement_rate",
            EngagementMetric::Interactions => "interactions",
        }
    }
}

/// Options for training a workspace model from its stored analytics.
///
/// The label (see `docs/model.md`): a post is **positive** when its metric is greater than the
/// median metric of the same account's previous `trailing_window` posts with a known metric;
/// posts with an unknown metric, with fewer than `min_trailing` earlier posts on their account,
/// or published less than `settle_hours` before now (numbers still growing) are excluded.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// XGBoost parameters.
    pub params: TrainParams,
    /// The engagement number posts are labelled by.
    pub metric: EngagementMetric,
    /// Earlier posts of the same account whose median is the baseline.
    pub trailing_window: usize,
    /// Fewest earlier posts (with a known metric) a post needs to get a label.
    pub min_trailing: usize,
    /// Posts younger than this many hours are left out (their metrics are still changing).
    pub settle_hours: i64,
    /// Share of labelled posts, the latest ones, held out for evaluation.
    pub holdout_fraction: f64,
    /// Fewest labelled posts needed to train at all.
    pub min_labelled_posts: usize,
    /// Fewest held-out posts of each class needed for a meaningful AUC.
    pub min_holdout_per_class: usize,
    /// `StoredModel::name` the model is stored under.
    pub model_name: String,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            params: TrainParams::default(),
            metric: EngagementMetric::Rate,
            trailing_window: 20,
            min_trailing: 5,
            settle_hours: 48,
            holdout_fraction: 0.2,
            min_labelled_posts: 100,
            min_holdout_per_class: 5,
            model_name: ENGAGEMENT_MODEL_NAME.to_string(),
        }
    }
}

impl TrainOptions {
    /// A builder starting from the defaults.
    pub fn builder() -> TrainOptionsBuilder {
        TrainOptionsBuilder {
            options: TrainOptions::default(),
        }
    }

    /// Checks every field ([`Error::Validation`] naming the first bad one).
    pub fn validate(&self) -> Result<()> {
        self.params.validate()?;
        if !(1..=1000).contains(&self.trailing_window) {
            return Err(Error::validation(
                "options.trailing_window",
                "between 1 and 1000",
            ));
        }
        if self.min_trailing < 1 || self.min_trailing > self.trailing_window {
            return Err(Error::validation(
                "options.min_trailing",
                "between 1 and trailing_window",
            ));
        }
        if !(0..=24 * 365).contains(&self.settle_hours) {
            return Err(Error::validation(
                "options.settle_hours",
                "between 0 and 8760",
            ));
        }
        if !(self.holdout_fraction >= 0.05 && self.holdout_fraction <= 0.5) {
            return Err(Error::validation(
                "options.holdout_fraction",
                "between 0.05 and 0.5",
            ));
        }
        if self.min_labelled_posts < 20 {
            return Err(Error::validation(
                "options.min_labelled_posts",
                "at least 20",
            ));
        }
        if self.min_holdout_per_class < 1 {
            return Err(Error::validation(
                "options.min_holdout_per_class",
                "at least 1",
            ));
        }
        if self.model_name.trim().is_empty() || self.model_name.len() > 100 {
            return Err(Error::validation(
                "options.model_name",
                "1 to 100 characters",
            ));
        }
        Ok(())
    }
}

/// Builder for [`TrainOptions`] (`x(v)` sets, `x_opt(Some(v))` sets when given, `build`
/// validates).
#[derive(Debug, Clone)]
pub struct TrainOptionsBuilder {
    options: TrainOptions,
}

macro_rules! option_setters {
    ($($(#[$doc:meta])* $name:ident / $opt:ident : $ty:ty),+ $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty) -> Self {
                self.options.$name = value;
                self
            }

            /// Sets the field only when `Some`.
            pub fn $opt(self, value: Option<$ty>) -> Self {
                match value {
                    Some(v) => self.$name(v),
                    None => self,
                }
            }
        )+
    };
}

impl TrainOptionsBuilder {
    option_setters! {
        /// XGBoost parameters (default [`TrainParams::default`]).
        params / params_opt: TrainParams,
        /// Metric (default [`EngagementMetric::Rate`]).
        metric / metric_opt: EngagementMetric,
        /// Trailing window (default 20 posts).
        trailing_window / trailing_window_opt: usize,
        /// Minimum earlier posts for a label (default 5).
        min_trailing / min_trailing_opt: usize,
        /// Settle time in hours (default 48).
        settle_hours / settle_hours_opt: i64,
        /// Held-out share (default 0.2).
        holdout_fraction / holdout_fraction_opt: f64,
        /// Minimum labelled posts (default 100).
        min_labelled_posts / min_labelled_posts_opt: usize,
        /// Minimum held-out posts per class (default 5).
        min_holdout_per_class / min_holdout_per_class_opt: usize,
        /// Stored model name (default `"engagement"`).
        model_name / model_name_opt: String,
    }

    /// Validates and returns the options.
    pub fn build(self) -> Result<TrainOptions> {
        self.options.validate()?;
        Ok(self.options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_options_name_their_field() {
        let cases = [
            (
                TrainOptions::builder().trailing_window(0),
                "options.trailing_window",
            ),
            (
                TrainOptions::builder().trailing_window(3).min_trailing(4),
                "options.min_trailing",
            ),
            (
                TrainOptions::builder().settle_hours(-1),
                "options.settle_hours",
            ),
            (
                TrainOptions::builder().holdout_fraction(0.9),
                "options.holdout_fraction",
            ),
            (
                TrainOptions::builder().min_labelled_posts(3),
                "options.min_labelled_posts",
            ),
            (
                TrainOptions::builder().min_holdout_per_class(0),
                "options.min_holdout_per_class",
            ),
            (
                TrainOptions::builder().model_name(" ".into()),
                "options.model_name",
            ),
        ];
        for (b, want) in cases {
            match b.build() {
                Err(Error::Validation { field, .. }) => assert_eq!(field, want),
                other => panic!("{want}: {other:?}"),
            }
        }
        let ok = TrainOptions::builder()
            .holdout_fraction_opt(Some(0.25))
            .settle_hours_opt(None)
            .build()
            .unwrap();
        assert_eq!((ok.holdout_fraction, ok.settle_hours), (0.25, 48));
    }
}
