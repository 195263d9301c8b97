//! # ContentOS engagement prediction
//!
//! Text features at parity with textstat and vaderSentiment, and exact XGBoost scoring.

#![warn(missing_docs)]

pub mod features;
pub mod xgb;

/// The engagement scorer that works out of the box: the bundled default model (see
/// `docs/model.md`) over [`features::FeaturesV1`]. Attach it with
/// `ContentOs::builder().scorer(Arc::new(contentos_predict::default_scorer()?))`.
pub fn default_scorer() -> contentos_core::Result<xgb::EngagementModel<features::FeaturesV1>> {
    xgb::EngagementModel::with_default_model(features::FeaturesV1)
}
