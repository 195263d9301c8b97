//! The versioned feature schema: which numbers, in which order, a model expects.
//!
//! A model is only meaningful with the exact feature vector it was trained on. The schema is a
//! version string plus an ordered list of feature names; a model file records the version in its
//! booster attribute [`SCHEMA_ATTRIBUTE`] and the names in xgboost's own `feature_names`, and
//! [`FeatureSchema::check_model`] refuses any model whose record differs. Changing a definition,
//! the order, or adding a feature means a new version (`contentos-features/2`) and retraining.

use super::XgbModel;
use contentos_core::model::Platform;
use contentos_core::{Error, Result};

/// Booster attribute (`Booster.set_attr`) holding the schema version a model was trained on.
pub const SCHEMA_ATTRIBUTE: &str = "contentos_feature_schema";

/// One feature of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureDef {
    /// Stable name, as written in the model file's `feature_names`.
    pub name: &'static str,
    /// Exact definition, so the Python training side and the Rust extractor agree.
    pub definition: &'static str,
}

/// A versioned, ordered list of features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureSchema {
    /// Version string recorded in model files (`"contentos-features/1"`).
    pub version: &'static str,
    /// The features, in vector order.
    pub features: &'static [FeatureDef],
}

macro_rules! features {
    ($($name:literal => $def:literal),+ $(,)?) => {
        &[$(FeatureDef { name: $name, definition: $def }),+]
    };
}

/// Version 1 of the ContentOS engagement features (design section 5.3). Missing or unknown
/// values are NaN (xgboost's missing value). Text features are computed on the post text (the
/// first part for threads); `textstat` means textstat 0.7.13 and VADER vaderSentiment 3.3.2,
/// which the `features` module reproduces.
pub const FEATURES_V1: FeatureSchema = FeatureSchema {
    version: "contentos-features/1",
    features: features![
        "char_count" => "Unicode scalar values in the text (Python len(str))",
        "word_count" => "textstat.lexicon_count(text)",
        "sentence_count" => "textstat.sentence_count(text)",
        "flesch_reading_ease" => "textstat.flesch_reading_ease(text)",
        "flesch_kincaid_grade" => "textstat.flesch_kincaid_grade(text)",
        "vader_compound" => "VADER polarity_scores(text)['compound']",
        "question_count" => "runs of '?'/'!' characters that contain a '?'",
        "exclamation_count" => "runs of '?'/'!' characters without '?'",
        "cta_count" => "call-to-action phrases from the embedded lexicon (whole words, case-insensitive)",
        "hashtag_count" => "'#' + word characters, not all digits, not preceded by a word character",
        "mention_count" => "'@' + [A-Za-z0-9_]+, not preceded by a word character",
        "url_count" => "whitespace tokens starting with http://, https:// or www. (case-insensitive)",
        "emoji_count" => "emoji, a ZWJ sequence, flag or keycap counting once",
        "all_caps_ratio" => "share of whitespace tokens with >= 2 letters that are all caps (str.isupper); 0 when none",
        "hour_local" => "hour 0-23 of the publish time in the account's time zone",
        "weekday_local" => "weekday of the publish time in the account's time zone, Monday = 0",
        "platform" => "platform code: X 0, LinkedIn 1, Bluesky 2, Mastodon 3, Threads 4, Instagram 5",
        "media_count" => "attached images/videos",
        "has_video" => "1 when the media is video, else 0",
        "thread_length" => "parts in the thread, 1 for a single post",
        "is_reply" => "1 for a reply, else 0",
        "similar_history" => "mean engagement of similar past posts; NaN when unknown",
    ],
};

impl FeatureSchema {
    /// Number of features.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether the schema has no features.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Position of a feature in the vector.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.features.iter().position(|f| f.name == name)
    }

    /// Feature names in order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.features.iter().map(|f| f.name)
    }

    /// Refuses (with [`Error::Validation`] on field `model.feature_schema`) a model that was not
    /// trained on this schema: a different or missing version attribute, different feature
    /// names or order, or a different feature count.
    pub fn check_model(&self, model: &XgbModel) -> Result<()> {
        let mismatch = |rule: String| Error::validation("model.feature_schema", rule);
        match model.attributes().get(SCHEMA_ATTRIBUTE) {
            Some(v) if v == self.version => {}
            Some(v) => {
                return Err(mismatch(format!(
                    "model was trained on {v:?} but the feature extractor produces {:?}",
                    self.version
                )))
            }
            None => {
                return Err(mismatch(format!(
                    "model has no {SCHEMA_ATTRIBUTE} attribute; expected {:?} (set it with \
                     Booster.set_attr before saving)",
                    self.version
                )))
            }
        }
        if model.num_feature() != self.len() {
            return Err(mismatch(format!(
                "model has {} features but {} has {}",
                model.num_feature(),
                self.version,
                self.len()
            )));
        }
        let names = model.feature_names();
        if names.len() != self.len() || !names.iter().map(String::as_str).eq(self.names()) {
            return Err(mismatch(format!(
                "model feature_names {:?} differ from {} ({:?})",
                names,
                self.version,
                self.names().collect::<Vec<_>>()
            )));
        }
        Ok(())
    }
}

/// The `platform` feature's code for a platform (fixed by the schema, independent of enum order).
pub fn platform_code(platform: Platform) -> f32 {
    match platform {
        Platform::X => 0.0,
        Platform::LinkedIn => 1.0,
        Platform::Bluesky => 2.0,
        Platform::Mastodon => 3.0,
        Platform::Threads => 4.0,
        Platform::Instagram => 5.0,
    }
}
