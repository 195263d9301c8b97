//! Training entry point. Training in Rust (the `train` cargo feature, native XGBoost through the
//! xgboost-rs family) is not built in this version: train in Python with
//! `scripts/xgb/train_default_model.py` (or your own script), record the feature schema with
//! `Booster.set_attr(contentos_feature_schema=...)`, save JSON, and load it with
//! [`super::XgbModel::from_json_file`].

use super::XgbModel;
use contentos_core::{Error, Result};

/// Hyper-parameters for [`train_classifier`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrainParams {
    /// Boosting rounds.
    pub rounds: usize,
    /// Maximum tree depth.
    pub max_depth: usize,
    /// Learning rate.
    pub eta: f64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            rounds: 200,
            max_depth: 5,
            eta: 0.05,
        }
    }
}

/// Trains a binary:logistic model on row-major `rows` (NaN = missing) and 0/1 `labels`.
///
/// Always returns [`Error::NotSupported`] in this version, with or without the `train` feature:
/// native training is not built yet (see the module docs for the Python route).
pub fn train_classifier(
    rows: &[f32],
    labels: &[f32],
    num_feature: usize,
    params: &TrainParams,
) -> Result<XgbModel> {
    let _ = (rows, labels, num_feature, params);
    Err(Error::not_supported(
        "training XGBoost models in Rust (train in Python and load the JSON model; see docs/model.md)",
    ))
}
