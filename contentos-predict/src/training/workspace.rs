//! Training a workspace's own engagement model and storing it as a new version.

use super::auc::roc_auc;
use super::dataset::{prepare_workspace_data, Exclusions, PreparedData};
use super::options::TrainOptions;
use crate::xgb::train::{train_binary, TrainData, TrainedModel, NATIVE_TRAINING};
use crate::xgb::{FEATURES_V1, MODEL_VERSION_ATTRIBUTE, SCHEMA_ATTRIBUTE, TIMEZONE_ATTRIBUTE};
use chrono::{DateTime, Utc};
use contentos_core::model::{StoredModel, WorkspaceId};
use contentos_core::store::Store;
use contentos_core::{Error, Result};
use serde::Serialize;
use std::time::Instant;
use tracing::Instrument;

/// The label definition recorded with every workspace model.
pub const LABEL_DEFINITION: &str = "metric > median metric of the same account's previous \
     trailing_window posts with a known metric (posts with an unknown metric, fewer than \
     min_trailing earlier posts, or younger than settle_hours excluded)";

/// What a training run produced (also stored, camelCase, as the model's `metrics`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainReport {
    /// The workspace.
    pub workspace: WorkspaceId,
    /// The stored version (1 for the first model).
    pub version: i64,
    /// `StoredModel::name`.
    pub model_name: String,
    /// The model version string reported with each score.
    pub model_version: String,
    /// Feature schema the model was trained on.
    pub feature_schema: String,
    /// AUC on the held-out (latest) period.
    pub heldout_auc: f64,
    /// AUC on the training period (much higher than held-out means over-fitting).
    pub train_auc: f64,
    /// Training examples.
    pub train_rows: usize,
    /// Positive training examples.
    pub train_positives: usize,
    /// Held-out examples.
    pub heldout_rows: usize,
    /// Positive held-out examples.
    pub heldout_positives: usize,
    /// First publish instant of the held-out period.
    pub split_at: DateTime<Utc>,
    /// First and last publish instant of the training period.
    pub trained_from: DateTime<Utc>,
    /// Last publish instant of the training period.
    pub trained_to: DateTime<Utc>,
    /// Last publish instant of the held-out period.
    pub heldout_to: DateTime<Utc>,
    /// Posts left out, by reason.
    pub excluded: Exclusions,
    /// The metric posts were labelled by.
    pub metric: String,
    /// How the label is defined.
    pub label: String,
    /// The zone hour/weekday features assume (the workspace's).
    pub timezone: String,
    /// Boosting rounds (= trees).
    pub rounds: usize,
    /// Maximum tree depth.
    pub max_depth: u32,
    /// Learning rate.
    pub eta: f64,
    /// Seed.
    pub seed: u64,
    /// Wall time of the native training, in seconds.
    pub train_seconds: f64,
    /// When it was trained.
    pub trained_at: DateTime<Utc>,
}

/// Trains the workspace's engagement model from its stored history and stores it as the next
/// version; `now` is the current time (injected so schedules are testable).
///
/// Steps: [`prepare_workspace_data`] (label, chronological split, history checks), train on the
/// earlier part with the native library, score the held-out part with the pure-Rust scorer and
/// compute its AUC, then `save_model` a [`StoredModel`] with version = latest + 1, the feature
/// schema, the model JSON (recording schema, version, zone and AUC as booster attributes) and
/// the [`TrainReport`] as metrics.
///
/// Errors: [`Error::NotSupported`] without the `train` feature (before reading anything);
/// [`Error::Validation`] for bad options or too little history (see
/// [`is_insufficient_history`](super::is_insufficient_history)); Store errors as they come
/// (`Conflict` if another process stored the same version first).
pub async fn train_workspace_model_at(
    store: &dyn Store,
    workspace: WorkspaceId,
    options: &TrainOptions,
    now: DateTime<Utc>,
) -> Result<TrainReport> {
    if !NATIVE_TRAINING {
        return Err(Error::not_supported(
            "training workspace models needs the `train` cargo feature of contentos-predict \
             (native XGBoost; needs cmake and libclang-dev); scoring falls back to the default \
             model",
        ));
    }
    options.validate()?;
    let span = tracing::info_span!("training.workspace", workspace = %workspace);
    async {
        let data = prepare_workspace_data(store, workspace, options, now).await?;
        let previous = store
            .latest_model(Some(workspace), &options.model_name)
            .await?
            .map(|m| m.version)
            .unwrap_or(0);
        let version = previous + 1;
        let model_version = format!("workspace-{workspace}-v{version}");
        let (trained, seconds) = fit(data.clone(), options, model_version.clone()).await?;
        let report = evaluate(
            &data,
            &trained,
            options,
            version,
            model_version,
            seconds,
            now,
        )?;
        let metrics = serde_json::to_value(&report)
            .map_err(|e| Error::internal(format!("training report does not serialise: {e}")))?;
        let stored = StoredModel {
            id: uuid::Uuid::now_v7(),
            workspace_id: Some(workspace),
            name: options.model_name.clone(),
            version,
            feature_schema: FEATURES_V1.version.to_string(),
            payload: trained.json,
            metrics,
            created_at: now,
        };
        store.save_model(&stored).await?;
        tracing::info!(
            version,
            heldout_auc = report.heldout_auc,
            train_rows = report.train_rows,
            heldout_rows = report.heldout_rows,
            "workspace engagement model stored"
        );
        Ok(report)
    }
    .instrument(span)
    .await
}

/// [`train_workspace_model_at`] with the current time.
pub async fn train_workspace_model(
    store: &dyn Store,
    workspace: WorkspaceId,
    options: &TrainOptions,
) -> Result<TrainReport> {
    train_workspace_model_at(store, workspace, options, Utc::now()).await
}

/// Runs the native training on a blocking thread (it takes seconds of CPU).
async fn fit(
    data: PreparedData,
    options: &TrainOptions,
    model_version: String,
) -> Result<(TrainedModel, f64)> {
    let params = options.params.clone();
    tokio::task::spawn_blocking(move || {
        let names: Vec<&str> = FEATURES_V1.names().collect();
        let attributes = [
            (SCHEMA_ATTRIBUTE, FEATURES_V1.version),
            (MODEL_VERSION_ATTRIBUTE, model_version.as_str()),
            (TIMEZONE_ATTRIBUTE, data.timezone.as_str()),
        ];
        let train = TrainData::new(&data.train.rows, &data.train.labels, FEATURES_V1.len())?
            .with_feature_names(&names)?
            .with_attributes(&attributes);
        let started = Instant::now();
        let trained = train_binary(&train, &params)?;
        Ok((trained, started.elapsed().as_secs_f64()))
    })
    .await
    .map_err(|e| Error::internal(format!("training task failed: {e}")))?
}

fn evaluate(
    data: &PreparedData,
    trained: &TrainedModel,
    options: &TrainOptions,
    version: i64,
    model_version: String,
    train_seconds: f64,
    now: DateTime<Utc>,
) -> Result<TrainReport> {
    let heldout_pred = trained.model.predict(&data.heldout.rows)?;
    let train_pred = trained.model.predict(&data.train.rows)?;
    let first = |v: &[DateTime<Utc>]| v.first().copied().unwrap_or(data.split_at);
    let last = |v: &[DateTime<Utc>]| v.last().copied().unwrap_or(data.split_at);
    Ok(TrainReport {
        workspace: data.workspace,
        version,
        model_name: options.model_name.clone(),
        model_version,
        feature_schema: FEATURES_V1.version.to_string(),
        heldout_auc: roc_auc(&heldout_pred, &data.heldout.labels)?,
        train_auc: roc_auc(&train_pred, &data.train.labels)?,
        train_rows: data.train.len(),
        train_positives: data.train.positives(),
        heldout_rows: data.heldout.len(),
        heldout_positives: data.heldout.positives(),
        split_at: data.split_at,
        trained_from: first(&data.train.published_at),
        trained_to: last(&data.train.published_at),
        heldout_to: last(&data.heldout.published_at),
        excluded: data.excluded,
        metric: options.metric.as_str().to_string(),
        label: LABEL_DEFINITION.to_string(),
        timezone: data.timezone.clone(),
        rounds: options.params.rounds,
        max_depth: options.params.max_depth,
        eta: options.params.eta,
        seed: options.params.seed,
        train_seconds,
        trained_at: now,
    })
}
