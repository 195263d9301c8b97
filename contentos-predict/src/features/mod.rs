//! Text and context features (readability, sentiment, text statistics, timing, history).
//!
//! Readability and sentiment are ports at parity with the Python tools notebook users compare
//! against (textstat 0.7.x and vaderSentiment 3.3.2); see `docs/features.md`.

mod cta;
mod entities;
mod hyphenation;
mod pycompat;
pub mod readability;
pub mod sentiment;
pub mod text_features;
mod text_scan;
pub mod text_stats;
mod token_pass;
pub mod v1;
pub mod v1_text;
mod word_table;

pub use text_features::TextFeatures;
pub use v1::FeaturesV1;
