//! Batch engagement scoring (`contentos-predict`) for JS: `scorePosts(texts, options)` →
//! `Promise<Float64Array>`, computed off the JS thread on the SDK's own worker pool.

use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use contentos_core::model::Platform;
use contentos_core::score::{EngagementScorer, ScoreInput};
use contentos_core::Error;
use contentos_predict::features::FeaturesV1;
use contentos_predict::xgb::EngagementModel;
use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use crate::errors::{to_napi, IntoNapi};

/// Options of `scorePosts`. `contentos.js` normalises `postedAt` (a `Date`, ISO string or
/// epoch milliseconds, or an array of them) to epoch milliseconds before calling the addon.
#[napi(object)]
#[derive(Default)]
pub struct ScoreOptions {
    /// Target platform (`"twitter"`, `"linkedin"`, `"bluesky"`, …); default `"twitter"`.
    pub platform: Option<String>,
    /// Planned publish instants in epoch milliseconds: one for every text, or one per text.
    pub posted_at: Option<Vec<f64>>,
    /// IANA time zone of the account, for hour/weekday features.
    pub timezone: Option<String>,
}

/// The bundled default model, loaded once per process.
pub fn default_model() -> napi::Result<Arc<EngagementModel<FeaturesV1>>> {
    static DEFAULT: OnceLock<Arc<EngagementModel<FeaturesV1>>> = OnceLock::new();
    if let Some(m) = DEFAULT.get() {
        return Ok(m.clone());
    }
    let m = Arc::new(contentos_predict::default_scorer().napi()?);
    Ok(DEFAULT.get_or_init(|| m).clone())
}

fn inputs(texts: Vec<String>, o: ScoreOptions) -> contentos_core::Result<Vec<ScoreInput>> {
    let platform = Platform::from_str(o.platform.as_deref().unwrap_or("twitter"))?;
    let posted = o.posted_at.unwrap_or_default();
    if posted.len() > 1 && posted.len() != texts.len() {
        return Err(Error::validation(
            "postedAt",
            format!("has {} entries for {} texts", posted.len(), texts.len()),
        ));
    }
    let mut out = Vec::with_capacity(texts.len());
    for (i, text) in texts.into_iter().enumerate() {
        let mut input = ScoreInput::new(text, platform);
        let ms = match posted.len() {
            0 => None,
            1 => Some(posted[0]),
            _ => Some(posted[i]),
        };
        if let Some(ms) = ms {
            let at = DateTime::<Utc>::from_timestamp_millis(ms.round() as i64)
                .filter(|_| ms.is_finite())
                .ok_or_else(|| Error::validation("postedAt", "timestamp out of range"))?;
            input.posted_at = Some(at);
        }
        input.timezone = o.timezone.clone();
        out.push(input);
    }
    Ok(out)
}

/// Scores posts (0–100) with the bundled engagement model; one score per text, in order.
#[napi(ts_args_type = "texts: string[], options?: ScoreOptions")]
pub async fn score_posts(
    texts: Vec<String>,
    options: Option<ScoreOptions>,
) -> napi::Result<Float64Array> {
    let model = default_model()?;
    let inputs = inputs(texts, options.unwrap_or_default()).napi()?;
    let scores = tokio::task::spawn_blocking(move || model.score(&inputs))
        .await
        .map_err(|e| to_napi(Error::internal(format!("scoring task failed: {e}"))))?
        .napi()?;
    Ok(Float64Array::new(
        scores.into_iter().map(|s| s.score).collect(),
    ))
}
