//! # ContentOS engagement prediction
//!
//! Text features at parity with textstat and vaderSentiment, and exact XGBoost scoring.

#![warn(missing_docs)]

pub mod features;
pub mod xgb;
