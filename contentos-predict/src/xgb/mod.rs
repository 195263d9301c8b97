//! XGBoost model loading, scoring and explanations (pure Rust).
//!
//! Python notebook users train with xgboost and score hundreds of thousands of posts; this
//! module reads the JSON model file they save (xgboost 1.6 through 3.x) and reproduces
//! `Booster.predict` (within 1e-6) and `predict(pred_contribs=True)` (TreeSHAP, within 1e-5)
//! without the native library, several times faster on one core and across threads for large
//! batches.
//!
//! * [`XgbModel`]: load ([`XgbModel::from_json_str`]), [`XgbModel::predict`],
//!   [`XgbModel::predict_margin`], [`XgbModel::contributions`].
//! * Supported: `gbtree` and `dart` boosters with numerical splits, single output, objectives
//!   `binary:logistic`, `reg:logistic`, `binary:logitraw`, `reg:squarederror` (and the other
//!   identity-link regressions), `count:poisson`, `reg:gamma`, `reg:tweedie`. Everything else
//!   (categorical splits, multi-target trees, multi-class, `gblinear`) is refused with
//!   [`contentos_core::Error::NotSupported`] rather than scored approximately.
//!

//! * [`schema`]: the versioned feature schema a model records; [`EngagementModel`] combines a
//!   model with a [`FeatureExtractor`] into the pipeline's `EngagementScorer`, and
//!   [`EngagementModel::with_default_model`] uses the built-in model (docs/model.md).
//! * [`train`]: native training with the XGBoost C++ library behind the `train` cargo feature
//!   (without it, `NotSupported`); the result is exported as JSON and scored by [`XgbModel`].

mod engagement;
mod forest;
mod model;
mod parse;
pub mod schema;
mod shap;
pub mod train;
mod tree;

pub use engagement::{
    EngagementModel, FactorMethod, FeatureExtractor, DEFAULT_MODEL_JSON, FALLBACK_TIMEZONE,
    MODEL_VERSION_ATTRIBUTE, TIMEZONE_ATTRIBUTE,
};
pub use model::{OutputTransform, Parallelism, PredictOptions, XgbModel, PARALLEL_MIN_ROWS};
pub use schema::{FeatureDef, FeatureSchema, FEATURES_V1, SCHEMA_ATTRIBUTE};
pub use shap::SHAP_PARALLEL_MIN_ROWS;
