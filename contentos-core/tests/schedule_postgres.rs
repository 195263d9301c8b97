//! Concurrency on PostgreSQL: 8 workers (each with its own connection pool, as separate
//! processes would have) drain 1,000 due posts; every post is published exactly once.
//!
//! Needs PostgreSQL at `CONTENTOS_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each run uses a fresh schema, dropped at the end.

mod schedule_support;

use chrono::Utc;
use contentos_core::model::*;
use contentos_core::schedule::WorkerConfig;
use contentos_core::store::{PostgresStore, Store};
use contentos_core::vault::Vault;
use contentos_core::ContentOs;
use schedule_support::*;
use std::sync::Arc;

const JOBS: usize = 1000;
const WORKERS: usize = 8;

fn url() -> String {
    std::env::var("CONTENTOS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_workers_publish_a_thousand_posts_exactly_once() {
    let schema = format!("sched_conc_{}", uuid::Uuid::new_v4().simple());
    let vault = Vault::ephemeral();
    let publisher = Arc::new(CountingPublisher::new(Platform::X));
    let mut engines = vec![];
    for _ in 0..=WORKERS {
        let store = PostgresStore::connect_in_schema(&url(), &schema)
            .await
            .expect("PostgreSQL at CONTENTOS_TEST_POSTGRES_URL");
        let os = ContentOs::builder()
            .store(Arc::new(store))
            .vault(vault.clone())
            .publisher(publisher.clone())
            .execute()
            .await
            .unwrap();
        engines.push(os);
    }
    let fx = fixture(engines[0].clone(), "http://127.0.0.1:9", "UTC").await;
    let bodies: Vec<String> = (0..JOBS).map(|i| format!("post number {i}")).collect();
    let vs = fx.variations(&bodies).await;
    let now = Utc::now();
    let mut ids = vec![];
    for v in vs {
        ids.push(
            fx.os
                .schedule(&fx.actor, v, fx.plain, now, "UTC")
                .await
                .unwrap()
                .id,
        );
    }

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut handles = vec![];
    for (i, os) in engines[1..].iter().enumerate() {
        let worker = os
            .worker(WorkerConfig {
                worker_id: format!("pg-worker-{i}"),
                batch_size: 4,
                poll_interval: std::time::Duration::from_millis(20),
                ..WorkerConfig::default()
            })
            .unwrap();
        let mut rx = stop_rx.clone();
        handles.push(tokio::spawn(async move {
            worker
                .run_until(async move {
                    let _ = rx.wait_for(|s| *s).await;
                })
                .await
        }));
    }
    let store = fx.os.store().clone();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let done = publisher.sent.lock().unwrap().len();
        if done >= JOBS {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {done} published"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Give any (wrong) duplicate claim a moment to show up before stopping.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop_tx.send(true).unwrap();
    let mut per_worker = vec![];
    for h in handles {
        per_worker.push(h.await.unwrap());
    }

    let sent = publisher.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), JOBS);
    assert!(sent.values().all(|n| *n == 1), "a post was sent twice");
    for id in &ids {
        let p = store.get_scheduled_post(*id).await.unwrap();
        assert_eq!(p.status, PostStatus::Published);
        assert_eq!(p.attempts, 1);
        assert_eq!(p.platform_post_id, Some(format!("{}-0", id.as_uuid())));
        assert!(p.lease_owner.is_none() && p.attempt_started_at.is_none());
    }
    assert_eq!(per_worker.iter().sum::<u64>(), JOBS as u64);
    assert!(
        per_worker.iter().filter(|n| **n > 0).count() > 1,
        "work was shared: {per_worker:?}"
    );
    println!(
        "8 workers on PostgreSQL published {JOBS} posts exactly once; per worker: {per_worker:?}"
    );
    drop(fx);
    drop(engines);
    let cleanup = PostgresStore::connect_in_schema(&url(), &schema)
        .await
        .unwrap();
    cleanup.ping().await.unwrap();
    cleanup.drop_schema().await.unwrap();
}
