//! From a workspace's stored history to feature rows, labels and a chronological split.
//!
//! Reads, through the [`Store`] trait only: the workspace (its time zone), every published post
//! with an analytics row (`list_analytics`), and each labelled post's variation (its text and
//! thread parts, as published). Needs no native library, so the data preparation and its checks
//! work without the `train` feature.

use super::label::{label_posts, LabelInput};
use super::options::{EngagementMetric, TrainOptions};
use crate::features::FeaturesV1;
use crate::xgb::FEATURES_V1;
use chrono::{DateTime, Duration, Utc};
use contentos_core::model::{AnalyticsRow, PostStatus, ScheduledPost, WorkspaceId};
use contentos_core::schedule::variation_parts;
use contentos_core::score::ScoreInput;
use contentos_core::store::Store;
use contentos_core::{Error, Result};
use tracing::Instrument;

/// Field prefix of the [`Error::Validation`] errors that mean "not enough history yet" (as
/// opposed to a bad option): `history.labelled_posts`, `history.training_classes`,
/// `history.heldout_classes`.
pub const HISTORY_FIELD_PREFIX: &str = "history.";

/// Whether `err` says the workspace has too little history to train (retry later, not a bug).
pub fn is_insufficient_history(err: &Error) -> bool {
    matches!(err, Error::Validation { field, .. } if field.starts_with(HISTORY_FIELD_PREFIX))
}

/// Why posts were left out of a training set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exclusions {
    /// Published less than `settle_hours` ago.
    pub too_recent: usize,
    /// Metric unknown (no impressions for the rate metric).
    pub unknown_metric: usize,
    /// Fewer than `min_trailing` earlier posts on the account.
    pub no_baseline: usize,
}

/// One side of the split: row-major [`FEATURES_V1`] rows and 0/1 labels, in publish order.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    /// Row-major features (NaN = unknown).
    pub rows: Vec<f32>,
    /// 0/1 labels.
    pub labels: Vec<f32>,
    /// Publish instants.
    pub published_at: Vec<DateTime<Utc>>,
}

impl Examples {
    /// Number of examples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of positive labels.
    pub fn positives(&self) -> usize {
        self.labels.iter().filter(|&&l| l == 1.0).count()
    }
}

/// A workspace's history as a chronologically split training set.
#[derive(Debug, Clone)]
pub struct PreparedData {
    /// The workspace.
    pub workspace: WorkspaceId,
    /// The IANA zone the hour/weekday features were computed in (the workspace's).
    pub timezone: String,
    /// The earlier posts, to train on.
    pub train: Examples,
    /// The latest posts (published at or after `split_at`), held out for evaluation.
    pub heldout: Examples,
    /// First publish instant of the held-out period.
    pub split_at: DateTime<Utc>,
    /// Posts left out, by reason.
    pub excluded: Exclusions,
}

/// The engagement number of a row under `metric`.
fn metric_of(row: &AnalyticsRow, metric: EngagementMetric) -> Option<f64> {
    match metric {
        EngagementMetric::Rate => row.engagement_rate.filter(|r| r.is_finite()),
        EngagementMetric::Interactions => Some((row.likes + row.comments + row.shares) as f64),
    }
}

fn published_instant(p: &ScheduledPost) -> DateTime<Utc> {
    p.published_at.unwrap_or(p.scheduled_time)
}

/// Loads, labels and splits a workspace's history (see [`TrainOptions`] for the label).
///
/// The split is chronological: the latest `holdout_fraction` of labelled posts (never cutting
/// between posts published at the same instant) is held out. Refuses with
/// [`Error::Validation`] (see [`is_insufficient_history`]) when there are fewer than
/// `min_labelled_posts` labelled posts (`history.labelled_posts`), when the training part lacks
/// a class (`history.training_classes`), or when the held-out part has fewer than
/// `min_holdout_per_class` posts of either class (`history.heldout_classes`).
pub async fn prepare_workspace_data(
    store: &dyn Store,
    workspace: WorkspaceId,
    options: &TrainOptions,
    now: DateTime<Utc>,
) -> Result<PreparedData> {
    options.validate()?;
    let span =
        tracing::info_span!("training.prepare", workspace = %workspace, backend = store.backend());
    prepare(store, workspace, options, now)
        .instrument(span)
        .await
}

async fn prepare(
    store: &dyn Store,
    workspace: WorkspaceId,
    options: &TrainOptions,
    now: DateTime<Utc>,
) -> Result<PreparedData> {
    let ws = store.get_workspace(workspace).await?;
    let epoch = DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default();
    let settled_before = now - Duration::hours(options.settle_hours);
    let mut excluded = Exclusions::default();
    let mut posts: Vec<(ScheduledPost, AnalyticsRow)> = store
        .list_analytics(workspace, epoch)
        .await?
        .into_iter()
        .filter(|(p, _)| p.status == PostStatus::Published)
        .filter(|(p, _)| {
            let settled = published_instant(p) <= settled_before;
            excluded.too_recent += usize::from(!settled);
            settled
        })
        .collect();
    posts.sort_by_key(|(p, _)| (published_instant(p), p.id));

    let inputs: Vec<LabelInput> = posts
        .iter()
        .map(|(p, a)| LabelInput {
            account: p.account_id,
            metric: metric_of(a, options.metric),
        })
        .collect();
    excluded.unknown_metric = inputs.iter().filter(|i| i.metric.is_none()).count();
    let labels = label_posts(&inputs, options.trailing_window, options.min_trailing);
    excluded.no_baseline = labels.iter().filter(|l| l.is_none()).count() - excluded.unknown_metric;

    let labelled: Vec<(&ScheduledPost, f32)> = posts
        .iter()
        .zip(&labels)
        .filter_map(|((p, _), l)| l.map(|l| (p, if l.positive { 1.0 } else { 0.0 })))
        .collect();
    if labelled.len() < options.min_labelled_posts {
        return Err(Error::validation(
            "history.labelled_posts",
            format!(
                "at least {} labelled posts (published at least {} h ago, {} known, and {} \
                 earlier posts on the same account); found {} ({} too recent, {} unknown, {} \
                 without a baseline)",
                options.min_labelled_posts,
                options.settle_hours,
                options.metric.as_str(),
                options.min_trailing,
                labelled.len(),
                excluded.too_recent,
                excluded.unknown_metric,
                excluded.no_baseline
            ),
        ));
    }

    // Chronological cut; posts sharing the cut instant all go to the held-out side.
    let n = labelled.len();
    let n_hold = ((n as f64) * options.holdout_fraction).ceil() as usize;
    let mut cut = n - n_hold.clamp(1, n - 1);
    while cut > 0 && published_instant(labelled[cut - 1].0) == published_instant(labelled[cut].0) {
        cut -= 1;
    }
    let split_at = published_instant(labelled[cut].0);

    let extractor = FeaturesV1;
    let nf = FEATURES_V1.len();
    let mut train = Examples::default();
    let mut heldout = Examples::default();
    for (i, (post, label)) in labelled.iter().enumerate() {
        let variation = store.get_variation(post.variation_id).await?;
        let parts = variation_parts(&variation);
        let first = parts.first().map(|p| p.text.clone()).unwrap_or_default();
        let mut input = ScoreInput::new(first, post.platform);
        input.posted_at = Some(published_instant(post));
        input.timezone = Some(ws.timezone.clone());
        input.thread_length = u32::try_from(parts.len()).unwrap_or(u32::MAX).max(1);
        let side = if i < cut { &mut train } else { &mut heldout };
        let start = side.rows.len();
        side.rows.resize(start + nf, f32::NAN);
        crate::xgb::FeatureExtractor::extract(&extractor, &input, &mut side.rows[start..])?;
        side.labels.push(*label);
        side.published_at.push(published_instant(post));
    }

    let train_pos = train.positives();
    if train_pos == 0 || train_pos == train.len() {
        return Err(Error::validation(
            "history.training_classes",
            format!(
                "the training period needs posts both above and at or below their baseline; \
                 found {train_pos} of {} above",
                train.len()
            ),
        ));
    }
    let hold_pos = heldout.positives();
    let hold_neg = heldout.len() - hold_pos;
    if hold_pos < options.min_holdout_per_class || hold_neg < options.min_holdout_per_class {
        return Err(Error::validation(
            "history.heldout_classes",
            format!(
                "at least {} held-out posts of each class; found {hold_pos} above and {hold_neg} \
                 at or below their baseline",
                options.min_holdout_per_class
            ),
        ));
    }
    Ok(PreparedData {
        workspace,
        timezone: ws.timezone,
        train,
        heldout,
        split_at,
        excluded,
    })
}
