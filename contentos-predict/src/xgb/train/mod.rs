//! Training XGBoost models in Rust (the `train` cargo feature).
//!
//! Why native: the scorer is pure Rust, but growing trees well (histogram splits, sampling,
//! regularisation) is XGBoost's own job, so training calls the C++ library through the
//! `xgboost-rs-sys` bindings (xgboost 1.6.2, built from source with cmake; bindgen needs
//! libclang-dev) and hands the result to the pure-Rust scorer as XGBoost's JSON model. The
//! scorer's predictions on the training rows equal the native library's (tested within 1e-6).
//!
//! * [`TrainParams`] (builder, validated, errors name the field).
//! * [`TrainData`]: row-major features with NaN as missing, 0/1 labels, feature names and
//!   booster attributes (the feature schema, model version, time zone) to record.
//! * [`train_binary`] → [`TrainedModel`] (JSON + loaded [`XgbModel`]); [`train_classifier`] is the
//!   short form.
//! * [`NativeBooster`] (feature `train` only): the native booster, for parity checks.
//!
//! Without the `train` feature every entry point returns [`Error::NotSupported`] saying how to
//! enable it; the rest of the crate (scoring, data preparation, AUC) does not need it.
//!
//! The traps of the higher-level `xgboost-rs` 0.3 crate are avoided by using the C API directly:
//! its `DMatrix::from_dense` treats 0.0 as missing (here the matrix is built with
//! `XGDMatrixCreateFromMat(missing = NaN)`), and its `Booster::train` always runs 16 rounds
//! (here `XGBoosterUpdateOneIter` is called once per requested round).

#[cfg(feature = "train")]
mod native;
mod params;

#[cfg(feature = "train")]
pub use native::NativeBooster;
pub use params::{TrainParams, TrainParamsBuilder};

use super::XgbModel;
use contentos_core::{Error, Result};

/// Whether this build can train (the `train` cargo feature is on).
pub const NATIVE_TRAINING: bool = cfg!(feature = "train");

/// A training set for a binary classifier, checked by [`TrainData::new`].
#[derive(Debug, Clone, Copy)]
pub struct TrainData<'a> {
    rows: &'a [f32],
    labels: &'a [f32],
    num_feature: usize,
    feature_names: &'a [&'a str],
    attributes: &'a [(&'a str, &'a str)],
}

impl<'a> TrainData<'a> {
    /// Row-major `rows` (`labels.len() × num_feature` values, NaN = missing) and 0/1 `labels`.
    ///
    /// Refuses ([`Error::Validation`]): `train.num_feature` of 0, `train.rows` whose length is
    /// not `labels.len() × num_feature` or with ±infinity, `train.labels` empty, not 0/1, or
    /// all one class (a classifier needs both).
    pub fn new(rows: &'a [f32], labels: &'a [f32], num_feature: usize) -> Result<Self> {
        if num_feature == 0 {
            return Err(Error::validation("train.num_feature", "at least 1"));
        }
        if labels.is_empty() {
            return Err(Error::validation("train.labels", "at least one row"));
        }
        if rows.len() != labels.len() * num_feature {
            return Err(Error::validation(
                "train.rows",
                format!(
                    "labels.len() × num_feature = {} values, got {}",
                    labels.len() * num_feature,
                    rows.len()
                ),
            ));
        }
        if rows.iter().any(|v| v.is_infinite()) {
            return Err(Error::validation(
                "train.rows",
                "finite values or NaN (missing)",
            ));
        }
        if labels.iter().any(|&l| l != 0.0 && l != 1.0) {
            return Err(Error::validation("train.labels", "each label 0 or 1"));
        }
        let positives = labels.iter().filter(|&&l| l == 1.0).count();
        if positives == 0 || positives == labels.len() {
            return Err(Error::validation(
                "train.labels",
                "both classes (0 and 1) present",
            ));
        }
        Ok(TrainData {
            rows,
            labels,
            num_feature,
            feature_names: &[],
            attributes: &[],
        })
    }

    /// Feature names recorded in the model (`feature_names`); must be `num_feature` long.
    pub fn with_feature_names(mut self, names: &'a [&'a str]) -> Result<Self> {
        if names.len() != self.num_feature {
            return Err(Error::validation(
                "train.feature_names",
                format!("one name per feature ({})", self.num_feature),
            ));
        }
        self.feature_names = names;
        Ok(self)
    }

    /// Booster attributes recorded in the model (`Booster.set_attr`), e.g. the feature schema.
    pub fn with_attributes(mut self, attributes: &'a [(&'a str, &'a str)]) -> Self {
        self.attributes = attributes;
        self
    }

    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.labels.len()
    }

    /// Number of features per row.
    pub fn num_feature(&self) -> usize {
        self.num_feature
    }

    /// The row-major feature values.
    pub fn rows(&self) -> &'a [f32] {
        self.rows
    }

    /// The 0/1 labels.
    pub fn labels(&self) -> &'a [f32] {
        self.labels
    }

    /// The feature names (empty when not set).
    pub fn feature_names(&self) -> &'a [&'a str] {
        self.feature_names
    }

    /// The attributes to record.
    pub fn attributes(&self) -> &'a [(&'a str, &'a str)] {
        self.attributes
    }
}

/// A model trained by the native library: XGBoost's JSON model text (what is stored and what
/// Python xgboost can load) and the same model loaded by the pure-Rust scorer.
#[derive(Debug, Clone)]
pub struct TrainedModel {
    /// The model in XGBoost's JSON format.
    pub json: String,
    /// The model loaded from `json` for pure-Rust scoring.
    pub model: XgbModel,
}

/// Trains a `binary:logistic` model for exactly `params.rounds` rounds and loads it in pure
/// Rust. Fails with [`Error::NotSupported`] without the `train` feature, [`Error::Validation`]
/// for bad parameters, and [`Error::Internal`] if the native library reports an error or the
/// exported model does not have one tree per round.
pub fn train_binary(data: &TrainData<'_>, params: &TrainParams) -> Result<TrainedModel> {
    params.validate()?;
    train_native(data, params)
}

#[cfg(feature = "train")]
fn train_native(data: &TrainData<'_>, params: &TrainParams) -> Result<TrainedModel> {
    let booster = NativeBooster::train(data, params)?;
    let json = booster.to_json()?;
    let model = XgbModel::from_json_str(&json)?;
    if model.num_trees() != params.rounds {
        return Err(Error::internal(format!(
            "xgboost produced {} trees for {} rounds",
            model.num_trees(),
            params.rounds
        )));
    }
    Ok(TrainedModel { json, model })
}

#[cfg(not(feature = "train"))]
fn train_native(data: &TrainData<'_>, params: &TrainParams) -> Result<TrainedModel> {
    let _ = (data, params);
    Err(Error::not_supported(
        "training XGBoost models in Rust needs the `train` cargo feature of contentos-predict \
         (it builds the native XGBoost library; needs cmake and libclang-dev); or train in \
         Python and load the JSON model (docs/model.md)",
    ))
}

/// Short form of [`train_binary`] without names or attributes: trains on row-major `rows`
/// (NaN = missing) and 0/1 `labels`, returning the pure-Rust model.
pub fn train_classifier(
    rows: &[f32],
    labels: &[f32],
    num_feature: usize,
    params: &TrainParams,
) -> Result<XgbModel> {
    let data = TrainData::new(rows, labels, num_feature)?;
    Ok(train_binary(&data, params)?.model)
}
