//! Store-backed data preparation and model selection, which need no native library: the label
//! and chronological split on SQLite and PostgreSQL, the history checks, scoring with a stored
//! model, and the clear `NotSupported` of training without the `train` feature.

mod support;

use chrono::{DateTime, Duration, Utc};
use contentos_core::model::StoredModel;
use contentos_core::Error;
use contentos_predict::training::{
    is_insufficient_history, prepare_workspace_data, roc_auc, workspace_scorer, EngagementMetric,
    ModelSource, TrainOptions, ENGAGEMENT_MODEL_NAME,
};
use contentos_predict::xgb::{DEFAULT_MODEL_JSON, FEATURES_V1};
use support::{publish_history, workspace_with_accounts, Backend};

fn start() -> DateTime<Utc> {
    "2025-01-06T00:00:00Z".parse().unwrap()
}

async fn prepares_a_chronological_split(backend: Backend) {
    let store = backend.store();
    let mut h = workspace_with_accounts(store.as_ref(), "prep@example.com", 2).await;
    publish_history(store.as_ref(), &mut h, 300, start(), 3).await;
    // "now" = 1 day after the last post: the last day's posts are still settling (48 h).
    let now = h.last_published + Duration::days(1);
    let opts = TrainOptions::default();
    let data = prepare_workspace_data(store.as_ref(), h.workspace.id, &opts, now)
        .await
        .unwrap();
    let nf = FEATURES_V1.len();
    assert_eq!(data.train.rows.len(), data.train.len() * nf);
    assert_eq!(data.heldout.rows.len(), data.heldout.len() * nf);
    assert!(data.excluded.too_recent >= 1, "{:?}", data.excluded);
    assert!(data.excluded.unknown_metric <= 20, "{:?}", data.excluded);
    let total = data.train.len() + data.heldout.len();
    let expected_hold = (total as f64 * 0.2).ceil() as usize;
    assert!(
        data.heldout.len() >= expected_hold,
        "ties go to the held-out side"
    );
    let last_train = *data.train.published_at.last().unwrap();
    assert!(last_train < data.split_at);
    assert!(data
        .heldout
        .published_at
        .iter()
        .all(|t| *t >= data.split_at));
    assert!(data.train.published_at.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(data.timezone, support::WORKSPACE_TZ);
    // The hour feature is in the workspace's zone.
    let hour = FEATURES_V1.index_of("hour_local").unwrap();
    let tz: chrono_tz::Tz = support::WORKSPACE_TZ.parse().unwrap();
    use chrono::Timelike;
    assert_eq!(
        data.train.rows[hour] as u32,
        data.train.published_at[0].with_timezone(&tz).hour()
    );
    // The question feature alone already ranks the held-out posts better than chance.
    let q = FEATURES_V1.index_of("question_count").unwrap();
    let qs: Vec<f32> = data.heldout.rows.chunks(nf).map(|r| r[q]).collect();
    let auc = roc_auc(&qs, &data.heldout.labels).unwrap();
    assert!(auc > 0.6, "question_count alone: AUC {auc}");

    // Without a settle period every post counts: 300 posts, every 15th without impressions
    // (20), the first 5 of each of the 2 accounts without a baseline (10).
    let opts = TrainOptions::builder().settle_hours(0).build().unwrap();
    let data = prepare_workspace_data(store.as_ref(), h.workspace.id, &opts, now)
        .await
        .unwrap();
    assert_eq!(data.excluded.too_recent, 0);
    assert_eq!(data.excluded.unknown_metric, 20);
    assert_eq!(data.excluded.no_baseline, 10);
    assert_eq!(data.train.len() + data.heldout.len(), 270);

    // With the interactions metric no post is excluded for unknown impressions.
    let opts = TrainOptions::builder()
        .metric(EngagementMetric::Interactions)
        .build()
        .unwrap();
    let data = prepare_workspace_data(store.as_ref(), h.workspace.id, &opts, now)
        .await
        .unwrap();
    assert_eq!(data.excluded.unknown_metric, 0);

    // Too little history: a typed error naming the rule.
    let opts = TrainOptions::builder()
        .min_labelled_posts(1000)
        .build()
        .unwrap();
    let err = prepare_workspace_data(store.as_ref(), h.workspace.id, &opts, now)
        .await
        .unwrap_err();
    assert!(is_insufficient_history(&err));
    match &err {
        Error::Validation { field, rule } => {
            assert_eq!(field, "history.labelled_posts");
            assert!(rule.contains("at least 1000"), "{rule}");
        }
        other => panic!("{other:?}"),
    }
    drop(store);
    backend.finish().await;
}

#[tokio::test]
async fn sqlite_prepares_a_chronological_split() {
    prepares_a_chronological_split(Backend::sqlite().await).await;
}

#[tokio::test]
async fn postgres_prepares_a_chronological_split() {
    prepares_a_chronological_split(Backend::postgres("prep").await).await;
}

async fn scorer_prefers_the_stored_model(backend: Backend) {
    let store = backend.store();
    let h = workspace_with_accounts(store.as_ref(), "score@example.com", 1).await;
    let (_, source) = workspace_scorer(store.as_ref(), h.workspace.id)
        .await
        .unwrap();
    assert_eq!(source, ModelSource::BuiltIn);

    let model = |ws, version, schema: &str| StoredModel {
        id: uuid::Uuid::now_v7(),
        workspace_id: ws,
        name: ENGAGEMENT_MODEL_NAME.into(),
        version,
        feature_schema: schema.into(),
        payload: DEFAULT_MODEL_JSON.into(),
        metrics: serde_json::json!({}),
        created_at: support::micros(Utc::now()),
    };
    store
        .save_model(&model(None, 1, FEATURES_V1.version))
        .await
        .unwrap();
    let (_, source) = workspace_scorer(store.as_ref(), h.workspace.id)
        .await
        .unwrap();
    assert_eq!(source, ModelSource::Global { version: 1 });

    store
        .save_model(&model(Some(h.workspace.id), 1, FEATURES_V1.version))
        .await
        .unwrap();
    store
        .save_model(&model(Some(h.workspace.id), 2, "contentos-features/99"))
        .await
        .unwrap();
    // Version 2 has another schema: skipped, the global model is used.
    let (_, source) = workspace_scorer(store.as_ref(), h.workspace.id)
        .await
        .unwrap();
    assert_eq!(source, ModelSource::Global { version: 1 });
    store
        .save_model(&model(Some(h.workspace.id), 3, FEATURES_V1.version))
        .await
        .unwrap();
    let (scorer, source) = workspace_scorer(store.as_ref(), h.workspace.id)
        .await
        .unwrap();
    assert_eq!(source, ModelSource::Workspace { version: 3 });
    assert_eq!(scorer.model_version(), "default-trump-tweets-1");

    // A corrupt stored model is an error, not a silent fallback.
    let mut bad = model(Some(h.workspace.id), 4, FEATURES_V1.version);
    bad.payload = "{not json".into();
    store.save_model(&bad).await.unwrap();
    assert!(workspace_scorer(store.as_ref(), h.workspace.id)
        .await
        .is_err());
    drop(store);
    backend.finish().await;
}

#[tokio::test]
async fn sqlite_scorer_prefers_the_stored_model() {
    scorer_prefers_the_stored_model(Backend::sqlite().await).await;
}

#[tokio::test]
async fn postgres_scorer_prefers_the_stored_model() {
    scorer_prefers_the_stored_model(Backend::postgres("scorer").await).await;
}

#[cfg(not(feature = "train"))]
#[tokio::test]
async fn training_without_the_feature_is_not_supported() {
    let backend = Backend::sqlite().await;
    let store = backend.store();
    let h = workspace_with_accounts(store.as_ref(), "nofeature@example.com", 1).await;
    let err = contentos_predict::training::train_workspace_model(
        store.as_ref(),
        h.workspace.id,
        &TrainOptions::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), contentos_core::ErrorKind::NotSupported);
    assert!(err.to_string().contains("`train` cargo feature"), "{err}");
    assert!(store
        .latest_model(Some(h.workspace.id), ENGAGEMENT_MODEL_NAME)
        .await
        .unwrap()
        .is_none());
    drop(store);
    backend.finish().await;
}
