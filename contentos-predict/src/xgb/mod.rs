//! XGBoost model loading, scoring and explanations (pure Rust).
