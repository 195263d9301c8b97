//! Batch engagement scoring (`contentos-predict`) for Swift.

use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use contentos_core::model::Platform;
use contentos_core::score::{EngagementScorer, ScoreInput};
use contentos_predict::features::FeaturesV1;
use contentos_predict::xgb::EngagementModel;

use crate::errors::Result;

/// The bundled default model, loaded once per process.
pub(crate) fn default_model() -> Result<Arc<EngagementModel<FeaturesV1>>> {
    static DEFAULT: OnceLock<Arc<EngagementModel<FeaturesV1>>> = OnceLock::new();
    if let Some(m) = DEFAULT.get() {
        return Ok(m.clone());
    }
    let m = Arc::new(contentos_predict::default_scorer()?);
    Ok(DEFAULT.get_or_init(|| m).clone())
}

/// Scores posts (0–100) for `platform` (`"twitter"`, `"linkedin"`, …), optionally as if
/// posted at `posted_at`; one score per text, in order.
#[uniffi::export]
pub fn score_posts(
    texts: Vec<String>,
    platform: String,
    posted_at: Option<SystemTime>,
) -> Result<Vec<f64>> {
    let platform = Platform::from_str(&platform)?;
    let model = default_model()?;
    let inputs: Vec<ScoreInput> = texts
        .into_iter()
        .map(|t| {
            let mut i = ScoreInput::new(t, platform);
            i.posted_at = posted_at.map(chrono::DateTime::from);
            i
        })
        .collect();
    Ok(model.score(&inputs)?.into_iter().map(|s| s.score).collect())
}
