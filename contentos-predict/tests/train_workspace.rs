//! Training a workspace model from its stored history (feature `train`), on SQLite and
//! PostgreSQL: held-out AUC on a learnable synthetic signal, versioned storage, scoring with the
//! stored model (in its recorded zone), and the weekly retrainer with an injected clock.

#![cfg(feature = "train")]

mod support;

use chrono::{DateTime, Duration, Utc};
use contentos_core::model::Platform;
use contentos_core::score::{EngagementScorer, ScoreInput};
use contentos_core::store::Store;
use contentos_predict::training::{
    is_insufficient_history, train_workspace_model_at, workspace_scorer, Clock, ModelSource,
    RetrainOutcome, RetrainSchedule, Retrainer, TrainOptions, ENGAGEMENT_MODEL_NAME,
};
use contentos_predict::xgb::train::TrainParams;
use std::sync::{Arc, Mutex};
use support::{publish_history, workspace_with_accounts, Backend, WORKSPACE_TZ};

fn start() -> DateTime<Utc> {
    "2025-01-06T00:00:00Z".parse().unwrap()
}

fn options() -> TrainOptions {
    TrainOptions::builder()
        .params(
            TrainParams::builder()
                .rounds(60)
                .max_depth(3)
                .eta(0.1)
                .seed(1)
                .nthread(1)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// Trains twice, checks the AUC, the stored versions and metrics, and scoring.
async fn trains_and_stores(backend: Backend) {
    let store = backend.store();
    let mut h = workspace_with_accounts(store.as_ref(), "train@example.com", 2).await;
    publish_history(store.as_ref(), &mut h, 600, start(), 42).await;
    let now = h.last_published + Duration::days(3);

    let t0 = std::time::Instant::now();
    let report = train_workspace_model_at(store.as_ref(), h.workspace.id, &options(), now)
        .await
        .unwrap();
    let elapsed = t0.elapsed();
    println!(
        "[{}] heldout AUC {:.4} (train AUC {:.4}), {} train / {} held-out rows, native train \
         {:.3} s, whole call {:.3} s",
        store.backend(),
        report.heldout_auc,
        report.train_auc,
        report.train_rows,
        report.heldout_rows,
        report.train_seconds,
        elapsed.as_secs_f64()
    );
    assert_eq!(report.version, 1);
    assert!(
        report.heldout_auc > 0.7,
        "the synthetic signal is learnable: held-out AUC {}",
        report.heldout_auc
    );
    // 600 posts, every 15th without impressions (40), 5 per account without a baseline (10).
    assert_eq!(report.excluded.unknown_metric, 40);
    assert_eq!(report.excluded.no_baseline, 10);
    assert_eq!(report.train_rows + report.heldout_rows, 550);
    assert!(report.heldout_rows >= 110 && report.heldout_rows <= 115);
    // Chronological: everything trained on precedes the held-out period.
    assert!(report.trained_to < report.split_at);
    assert!(report.split_at <= report.heldout_to);
    assert_eq!(report.timezone, WORKSPACE_TZ);

    let stored = store
        .latest_model(Some(h.workspace.id), ENGAGEMENT_MODEL_NAME)
        .await
        .unwrap()
        .expect("model stored");
    assert_eq!(stored.version, 1);
    assert_eq!(stored.feature_schema, "contentos-features/1");
    assert_eq!(
        stored.metrics["heldoutAuc"].as_f64(),
        Some(report.heldout_auc)
    );
    assert_eq!(
        stored.metrics["trainRows"].as_u64(),
        Some(report.train_rows as u64)
    );
    assert_eq!(
        stored.metrics["heldoutRows"].as_u64(),
        Some(report.heldout_rows as u64)
    );
    assert_eq!(stored.created_at, now);

    // Scoring prefers the workspace model, in its recorded zone.
    let (scorer, source) = workspace_scorer(store.as_ref(), h.workspace.id)
        .await
        .unwrap();
    assert_eq!(source, ModelSource::Workspace { version: 1 });
    assert_eq!(scorer.timezone().name(), WORKSPACE_TZ);
    assert_eq!(scorer.model().num_trees(), 60);
    let posted: DateTime<Utc> = "2025-09-03T23:30:00Z".parse().unwrap(); // 18:30 in Chicago
    let mut no_zone = ScoreInput::new("What do you think about the roadmap? Tell us", Platform::X);
    no_zone.posted_at = Some(posted);
    let mut chicago = no_zone.clone();
    chicago.timezone = Some(WORKSPACE_TZ.into());
    let mut morning = no_zone.clone();
    morning.posted_at = Some("2025-09-03T14:30:00Z".parse().unwrap()); // 09:30 in Chicago
    let mut flat = no_zone.clone();
    flat.text = "Some thoughts about the roadmap from the team".into();
    let s = scorer.score(&[no_zone, chicago, morning, flat]).unwrap();
    assert_eq!(s[0].score, s[1].score, "no zone = the model's zone");
    assert!(s[0].score > s[2].score, "evening beats morning: {s:?}");
    assert!(s[0].score > s[3].score, "a question beats none: {s:?}");

    // A second training stores version 2, and scoring follows it.
    let report2 = train_workspace_model_at(
        store.as_ref(),
        h.workspace.id,
        &options(),
        now + Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(report2.version, 2);
    let (_, source) = workspace_scorer(store.as_ref(), h.workspace.id)
        .await
        .unwrap();
    assert_eq!(source, ModelSource::Workspace { version: 2 });

    // Another workspace without history falls back to the built-in model, and refuses to train.
    let other = workspace_with_accounts(store.as_ref(), "other@example.com", 1).await;
    let (scorer, source) = workspace_scorer(store.as_ref(), other.workspace.id)
        .await
        .unwrap();
    assert_eq!(source, ModelSource::BuiltIn);
    assert_eq!(scorer.timezone().name(), "America/New_York");
    let err = train_workspace_model_at(store.as_ref(), other.workspace.id, &options(), now)
        .await
        .unwrap_err();
    assert!(is_insufficient_history(&err), "{err:?}");
    drop(store);
    backend.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_trains_evaluates_and_stores_versions() {
    trains_and_stores(Backend::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_trains_evaluates_and_stores_versions() {
    trains_and_stores(Backend::postgres("train_store").await).await;
}

/// A clock tests move by hand.
struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap() = t;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

async fn retrains_weekly(backend: Backend) {
    let store: Arc<dyn Store> = backend.store();
    let mut rich = workspace_with_accounts(store.as_ref(), "rich@example.com", 2).await;
    publish_history(store.as_ref(), &mut rich, 400, start(), 7).await;
    let mut poor = workspace_with_accounts(store.as_ref(), "poor@example.com", 1).await;
    publish_history(store.as_ref(), &mut poor, 30, start(), 8).await;
    let t0 = rich.last_published + Duration::days(3);
    let clock = Arc::new(ManualClock(Mutex::new(t0)));
    let retrainer = Retrainer::new(store.clone())
        .schedule(RetrainSchedule::default())
        .options(options())
        .clock(clock.clone());
    let ws = [rich.workspace.id, poor.workspace.id];

    let pass = retrainer.run_once(&ws).await;
    match &pass[0].1 {
        RetrainOutcome::Retrained(r) => {
            assert_eq!(r.version, 1);
            assert!(r.heldout_auc > 0.65, "AUC {}", r.heldout_auc);
        }
        other => panic!("expected a first model, got {other:?}"),
    }
    match &pass[1].1 {
        RetrainOutcome::NotEnoughHistory(e) => assert!(is_insufficient_history(e)),
        other => panic!("expected not enough history, got {other:?}"),
    }

    // Six days later nothing is due.
    clock.set(t0 + Duration::days(6));
    match &retrainer.run_once(&ws[..1]).await[0].1 {
        RetrainOutcome::NotDue { version, due_at } => {
            assert_eq!(*version, 1);
            assert_eq!(*due_at, t0 + Duration::days(7));
        }
        other => panic!("expected not due, got {other:?}"),
    }

    // A week later (with a week of new posts) it retrains.
    let next_week = rich.last_published + Duration::days(1);
    publish_history(store.as_ref(), &mut rich, 28, next_week, 9).await;
    clock.set(t0 + Duration::days(7));
    match &retrainer.run_once(&ws[..1]).await[0].1 {
        RetrainOutcome::Retrained(r) => {
            assert_eq!(r.version, 2);
            assert_eq!(r.trained_at, t0 + Duration::days(7));
        }
        other => panic!("expected a retrain, got {other:?}"),
    }
    let latest = store
        .latest_model(Some(rich.workspace.id), ENGAGEMENT_MODEL_NAME)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.version, 2);

    // A daily interval retrains again after a day.
    let daily = Retrainer::new(store.clone())
        .schedule(RetrainSchedule::every(Duration::days(1)).unwrap())
        .options(options())
        .clock(clock.clone());
    clock.set(t0 + Duration::days(8));
    assert!(matches!(
        &daily.run_once(&ws[..1]).await[0].1,
        RetrainOutcome::Retrained(r) if r.version == 3
    ));
    drop(retrainer);
    drop(daily);
    drop(store);
    backend.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_retrains_weekly_with_an_injected_clock() {
    retrains_weekly(Backend::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_retrains_weekly_with_an_injected_clock() {
    retrains_weekly(Backend::postgres("retrain").await).await;
}
