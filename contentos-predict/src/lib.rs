//! # ContentOS engagement prediction
//!
//! Text features at parity with textstat and vaderSentiment, exact XGBoost scoring in pure
//! Rust, and training.
//!
//! * [`features`]: the `contentos-features/1` extractor ([`features::FeaturesV1`]).
//! * [`xgb`]: XGBoost JSON models scored in pure Rust, explanations, the
//!   [`EngagementScorer`](contentos_core::score::EngagementScorer) implementation, and native
//!   training ([`xgb::train`]) behind the `train` cargo feature (builds the XGBoost C++ library;
//!   needs cmake and libclang-dev).
//! * [`training`]: a workspace's own model from its stored analytics (label, chronological
//!   split, held-out AUC, versioned in the Store), [`training::workspace_scorer`] to score with
//!   it, and [`training::Retrainer`] to retrain weekly.

#![warn(missing_docs)]

pub mod features;
pub mod training;
pub mod xgb;

#[cfg(test)]
mod test_support;

/// The engagement scorer that works out of the box: the bundled default model (see
/// `docs/model.md`) over [`features::FeaturesV1`]. Attach it with
/// `ContentOs::builder().scorer(Arc::new(contentos_predict::default_scorer()?))`.
pub fn default_scorer() -> contentos_core::Result<xgb::EngagementModel<features::FeaturesV1>> {
    xgb::EngagementModel::with_default_model(features::FeaturesV1)
}
