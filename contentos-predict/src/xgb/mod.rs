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

mod model;
mod parse;
mod shap;
mod tree;

pub use model::{OutputTransform, Parallelism, PredictOptions, XgbModel, PARALLEL_MIN_ROWS};
