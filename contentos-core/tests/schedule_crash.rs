//! Crash test: worker PROCESSES publishing a few hundred posts are killed with SIGKILL at random
//! points, round after round. Afterwards every post is published, failed or unconfirmed; the
//! local platform never created a post (or thread part) twice — for the X-like kind it never
//! even received two creates for one part — and nothing the platform created is unknown to the
//! Store unless the post is flagged `unconfirmed`.
//!
//! The worker processes are this test binary re-executed with `SCHEDULE_CRASH_WORKER_DB` set,
//! which turns the `crash_worker_entry` test into a worker loop.

mod schedule_support;

use chrono::{Duration, Utc};
use contentos_core::model::*;
use contentos_core::schedule::WorkerConfig;
use contentos_core::ContentOs;
use schedule_support::*;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

const WORKER_ENV: &str = "SCHEDULE_CRASH_WORKER_DB";
const ROUNDS: usize = 4;
const POSTS_PER_ROUND: usize = 100;
const WORKERS: usize = 3;

async fn open(db: &str) -> ContentOs {
    ContentOs::builder()
        .sqlite(db)
        .publisher(Arc::new(HttpPublisher::new(Kind::Keyed)))
        .publisher(Arc::new(HttpPublisher::new(Kind::Plain)))
        .execute()
        .await
        .unwrap()
}

/// In a child process: run a worker until killed. In the normal test run: does nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_worker_entry() {
    let Ok(db) = std::env::var(WORKER_ENV) else {
        return;
    };
    let os = open(&db).await;
    let worker = os
        .worker(WorkerConfig {
            worker_id: format!("crash-{}", std::process::id()),
            lease: std::time::Duration::from_millis(1500),
            poll_interval: std::time::Duration::from_millis(50),
            batch_size: 4,
            max_attempts: 3,
            backoff_base: std::time::Duration::from_millis(200),
            backoff_max: std::time::Duration::from_secs(2),
            default_rate_limit_wait: std::time::Duration::from_millis(200),
            ..WorkerConfig::default()
        })
        .unwrap();
    worker.run_until(std::future::pending()).await;
}

fn spawn_worker(db: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_worker_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WORKER_ENV, db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_worker_processes_never_lose_or_duplicate_a_post() {
    if std::env::var(WORKER_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db").to_string_lossy().to_string();
    let server = FakePlatform::start("access-1").await;
    {
        let mut s = server.state.lock().unwrap();
        s.fail_rate = 0.05;
        s.max_latency_ms = 40;
    }
    let fx = fixture(open(&db).await, &server.base_url(), "UTC").await;
    let store = fx.os.store().clone();
    let mut kills = 0usize;
    let mut all_posts: Vec<ScheduledPostId> = vec![];
    let mut workers: Vec<Child> = (0..WORKERS).map(|_| spawn_worker(&db)).collect();

    for round in 0..ROUNDS {
        let bodies: Vec<String> = (0..POSTS_PER_ROUND)
            .map(|i| {
                if i % 3 == 0 {
                    format!("r{round} p{i} part one | part two | part three")
                } else {
                    format!("round {round} post {i}")
                }
            })
            .collect();
        // The parent writes while workers hold the SQLite write lock; `create_content` uses a
        // deferred transaction, which SQLite may refuse with SQLITE_BUSY instead of waiting, so
        // the test's own setup retries (workers need no such help: they only write via claims
        // and compare-and-set updates).
        let vs = loop {
            let attempt = tokio::spawn({
                let fx_os = fx.os.clone();
                let actor = fx.actor;
                let ws = fx.workspace;
                let bodies = bodies.clone();
                async move { create_variations(&fx_os, actor, ws, &bodies).await }
            })
            .await
            .unwrap();
            match attempt {
                Ok(vs) => break vs,
                Err(e) if e.to_string().contains("locked") => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await
                }
                Err(e) => panic!("{e}"),
            }
        };
        let now = Utc::now();
        for (i, v) in vs.iter().enumerate() {
            let account = if i % 2 == 0 { fx.keyed } else { fx.plain };
            let p = loop {
                match fx.os.schedule(&fx.actor, *v, account, now, "UTC").await {
                    Ok(p) => break p,
                    Err(e) if e.to_string().contains("locked") => {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await
                    }
                    Err(e) => panic!("{e}"),
                }
            };
            all_posts.push(p.id);
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let wait = 30 + rand::random::<u64>() % 250;
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            let victim = rand::random::<usize>() % workers.len();
            workers[victim].kill().unwrap(); // SIGKILL
            workers[victim].wait().unwrap();
            kills += 1;
            workers[victim] = spawn_worker(&db);
            let open_posts = pending_count(&*store, fx.workspace).await;
            if open_posts == 0 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "round {round}: {open_posts} posts still open"
            );
        }
    }
    for w in &mut workers {
        let _ = w.kill();
        let _ = w.wait();
    }

    // ---- verdict ----
    let (requests, statuses) = {
        let st = server.state.lock().unwrap();
        (st.requests.clone(), st.statuses.clone())
    };
    let mut by_status: HashMap<PostStatus, usize> = HashMap::new();
    let mut unconfirmed_on_platform = 0;
    for id in &all_posts {
        let p = store.get_scheduled_post(*id).await.unwrap();
        *by_status.entry(p.status).or_default() += 1;
        assert!(
            matches!(
                p.status,
                PostStatus::Published | PostStatus::Failed | PostStatus::Unconfirmed
            ),
            "post {id} ended {:?}",
            p.status
        );
        let kind = if p.platform == Platform::Mastodon {
            "mastodon"
        } else {
            "x"
        };
        let parts = if p.receipts.len() == 3
            || statuses.contains_key(&(kind.to_string(), id.to_string(), 2))
        {
            3
        } else {
            1
        };
        for index in 0..3 {
            let key = (kind.to_string(), id.to_string(), index);
            let created = statuses.get(&key).cloned().unwrap_or_default();
            assert!(
                created.len() <= 1,
                "post {id} part {index} created {} times",
                created.len()
            );
            if kind == "x" {
                let sent = requests
                    .iter()
                    .filter(|r| {
                        r.kind == "x"
                            && r.post_key == id.to_string()
                            && r.index == index
                            && r.created
                    })
                    .count();
                assert!(
                    sent <= 1,
                    "X post {id} part {index} received {sent} creates"
                );
            }
            let receipt = p.receipts.iter().find(|r| r.index == index);
            match (created.first(), receipt) {
                (Some(c), Some(r)) => {
                    assert_eq!(&r.platform_post_id, c, "receipt matches platform")
                }
                (None, Some(r)) => panic!(
                    "post {id}: receipt {} unknown to the platform",
                    r.platform_post_id
                ),
                (Some(_), None) => {
                    // Created but never confirmed to the Store: only allowed when flagged.
                    assert_eq!(
                        p.status,
                        PostStatus::Unconfirmed,
                        "post {id} part {index} lost"
                    );
                    unconfirmed_on_platform += 1;
                }
                (None, None) => {}
            }
        }
        if p.status == PostStatus::Published {
            assert_eq!(
                p.receipts.len(),
                parts,
                "post {id} published with all parts"
            );
            assert_eq!(
                p.platform_post_id.as_ref(),
                Some(&p.receipts[0].platform_post_id)
            );
        }
    }
    let replays = requests
        .iter()
        .filter(|r| r.kind == "mastodon" && !r.created && r.status_id.is_some())
        .count();
    let refused = requests.iter().filter(|r| r.status_id.is_none()).count();
    println!(
        "crash test: {} posts in {ROUNDS} rounds, {kills} SIGKILLs; published {}, failed {}, unconfirmed {} \
         ({unconfirmed_on_platform} of their parts exist on the platform); {} create requests, \
         {replays} deduplicated by Idempotency-Key, {refused} refused (503/429)",
        all_posts.len(),
        by_status.get(&PostStatus::Published).unwrap_or(&0),
        by_status.get(&PostStatus::Failed).unwrap_or(&0),
        by_status.get(&PostStatus::Unconfirmed).unwrap_or(&0),
        requests.len(),
    );
    assert!(kills >= ROUNDS);
    assert!(*by_status.get(&PostStatus::Published).unwrap_or(&0) > all_posts.len() / 2);
}

async fn pending_count(store: &dyn contentos_core::store::Store, ws: WorkspaceId) -> usize {
    let now = Utc::now();
    store
        .list_scheduled_posts(ws, now - Duration::days(1), now + Duration::days(1))
        .await
        .unwrap()
        .iter()
        .filter(|p| matches!(p.status, PostStatus::Pending | PostStatus::Publishing))
        .count()
}

async fn create_variations(
    os: &ContentOs,
    actor: contentos_core::access::Actor,
    ws: WorkspaceId,
    bodies: &[String],
) -> contentos_core::Result<Vec<VariationId>> {
    let variations = bodies
        .iter()
        .map(|b| {
            let mut metadata = Metadata::new();
            if b.contains('|') {
                let parts: Vec<serde_json::Value> = b
                    .split('|')
                    .map(|p| serde_json::Value::from(p.trim()))
                    .collect();
                metadata.insert("threadParts".into(), serde_json::Value::Array(parts));
            }
            NewVariation {
                platform: None,
                body: b.clone(),
                metadata,
            }
        })
        .collect();
    let c = os
        .create_content(
            &actor,
            NewContent {
                workspace_id: ws,
                created_by: actor.user_id,
                title: None,
                original_input: "input".into(),
                content_type: ContentType::Social,
                format: Format::default(),
                metadata: Metadata::new(),
                variations,
            },
        )
        .await?;
    Ok(c.variations.iter().map(|v| v.id).collect())
}
