//! The [`EngagementScorer`] trait: how the pipeline attaches a predicted engagement score to a
//! variation without `contentos-core` depending on the ML crate. `contentos-predict` implements
//! it with an XGBoost model.

use crate::model::Platform;
use crate::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a scorer needs to know about a post besides its text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScoreInput {
    /// The text (first part for threads).
    pub text: String,
    /// Target platform.
    pub platform: Platform,
    /// Planned publish instant (UTC); `None` scores as "now".
    pub posted_at: Option<DateTime<Utc>>,
    /// The account's IANA time zone, for hour/weekday features.
    pub timezone: Option<String>,
    /// Number of images/videos attached.
    pub media_count: u32,
    /// Whether the media is video.
    pub has_video: bool,
    /// Number of parts in the thread (1 for single posts).
    pub thread_length: u32,
    /// Whether the post is a reply.
    pub is_reply: bool,
    /// Mean engagement of similar past posts, when known.
    pub similar_history: Option<f64>,
}

impl ScoreInput {
    /// A plain single post on `platform`.
    pub fn new(text: impl Into<String>, platform: Platform) -> Self {
        ScoreInput {
            text: text.into(),
            platform,
            posted_at: None,
            timezone: None,
            media_count: 0,
            has_video: false,
            thread_length: 1,
            is_reply: false,
            similar_history: None,
        }
    }
}

/// One factor behind a score, with its signed contribution (log-odds for classifiers).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Factor {
    /// Feature name (`"word_count"`).
    pub feature: String,
    /// The feature's value for this post.
    pub value: f64,
    /// Signed contribution to the raw prediction.
    pub contribution: f64,
}

/// A predicted engagement score.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EngagementScore {
    /// 0–100.
    pub score: f64,
    /// 0–1: how far the prediction is from a coin flip and how familiar the inputs are.
    pub confidence: f64,
    /// The largest contributions, strongest first.
    pub factors: Vec<Factor>,
    /// Model version that produced the score.
    pub model_version: String,
}

/// Predicts engagement for posts. Implemented by `contentos-predict`.
pub trait EngagementScorer: Send + Sync {
    /// Scores a batch of posts; the output has one score per input, in order.
    fn score(&self, inputs: &[ScoreInput]) -> Result<Vec<EngagementScore>>;
}
