//! Claimed-and-completed publish jobs per second: 4 workers, a no-op publisher, on SQLite (a
//! file in a temp dir, WAL) and PostgreSQL (`CONTENTOS_TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`, a fresh schema). Each completed job is the full
//! state machine: claim (lease), attempt marker (CAS), receipt + `published` (CAS).
//! Figures: docs/bench-scheduler.md.

use async_trait::async_trait;
use chrono::Utc;
use contentos_core::access::Actor;
use contentos_core::model::*;
use contentos_core::publish::*;
use contentos_core::schedule::WorkerConfig;
use contentos_core::store::{PostgresOptions, PostgresStore, SqliteStore, Store};
use contentos_core::vault::{Secret, Vault};
use contentos_core::{ContentOs, NewSocialAccount, Result};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const JOBS_PER_ITER: u64 = 2000;

/// The PostgreSQL pool of the one process running the 4 workers: `CONTENTOS_BENCH_PG_POOL`,
/// default 16 — enough connections for the batch's concurrent receipt commits to overlap (and
/// share WAL flushes) without one connection per job.
fn pg_pool_size() -> u32 {
    std::env::var("CONTENTOS_BENCH_PG_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16)
}
const WORKERS: usize = 4;

struct NoopPublisher {
    caps: Capabilities,
    done: AtomicU64,
}

#[async_trait]
impl Publisher for NoopPublisher {
    fn platform(&self) -> Platform {
        Platform::Mastodon
    }
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }
    fn validate(&self, _post: &PostRequest) -> Result<()> {
        Ok(())
    }
    async fn publish(
        &self,
        _account: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> Result<PublishReceipt> {
        let r = PartReceipt {
            index: 0,
            platform_post_id: post.post_key.to_string(),
            cid: None,
            url: None,
        };
        sink.record(&r).await?;
        self.done.fetch_add(1, Ordering::SeqCst);
        Ok(PublishReceipt {
            platform: Platform::Mastodon,
            parts: vec![r],
        })
    }
    async fn metrics(
        &self,
        _account: &AccountCredentials,
        _ids: &[PlatformPostId],
    ) -> Result<Vec<PostMetrics>> {
        Ok(vec![])
    }
    async fn refresh(&self, account: &AccountCredentials) -> Result<AccountCredentials> {
        Ok(account.clone())
    }
}

struct Bed {
    os: ContentOs,
    publisher: Arc<NoopPublisher>,
    template: ScheduledPost,
}

async fn bed(store: Arc<dyn Store>) -> Bed {
    let publisher = Arc::new(NoopPublisher {
        caps: Capabilities {
            platform: Platform::Mastodon,
            length_unit: LengthUnit::CodePoints,
            max_length: 500,
            max_followup_length: None,
            max_images: 4,
            max_videos: 1,
            media_types: vec![],
            max_image_bytes: None,
            thread_model: ThreadModel::ReplyTo,
            idempotency: Idempotency::NativeKey,
            needs_public_media_url: false,
            max_hashtags: None,
        },
        done: AtomicU64::new(0),
    });
    let os = ContentOs::builder()
        .store(store)
        .vault(Vault::ephemeral())
        .publisher(publisher.clone())
        .execute()
        .await
        .unwrap();
    let user = os
        .create_user(&format!("bench-{}@example.com", uuid::Uuid::new_v4()))
        .await
        .unwrap();
    let actor = Actor::user(user.id);
    let ws = os
        .create_workspace(&actor, "bench", BrandVoice::default(), "UTC")
        .await
        .unwrap();
    let acc = os
        .connect_account(
            &actor,
            ws.id,
            NewSocialAccount {
                platform: Platform::Mastodon,
                account_name: "bench".into(),
                external_id: None,
                base_url: None,
                access_token: Secret::new("t"),
                refresh_token: None,
                token_expires_at: None,
            },
        )
        .await
        .unwrap();
    let content = os
        .create_content(
            &actor,
            NewContent {
                workspace_id: ws.id,
                created_by: user.id,
                title: None,
                original_input: "bench".into(),
                content_type: ContentType::Social,
                format: Format::default(),
                metadata: Metadata::new(),
                variations: vec![NewVariation {
                    platform: None,
                    body: "benchmark post".into(),
                    metadata: Metadata::new(),
                }],
            },
        )
        .await
        .unwrap();
    let template = os
        .schedule(&actor, content.variations[0].id, acc.id, Utc::now(), "UTC")
        .await
        .unwrap();
    os.cancel(&actor, template.id).await.unwrap();
    Bed {
        os,
        publisher,
        template,
    }
}

/// Inserts `n` due posts (untimed), then times 4 workers draining them.
async fn drain(bed: &Bed, n: u64) -> Duration {
    let store = bed.os.store();
    let now = Utc::now();
    for _ in 0..n {
        let mut p = bed.template.clone();
        p.id = ScheduledPostId::new();
        p.status = PostStatus::Pending;
        p.scheduled_time = now;
        store.insert_scheduled_post(&p).await.unwrap();
    }
    let target = bed.publisher.done.load(Ordering::SeqCst) + n;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let start = Instant::now();
    let mut handles = vec![];
    for i in 0..WORKERS {
        let w = bed
            .os
            .worker(WorkerConfig {
                worker_id: format!("bench-{i}"),
                batch_size: 32,
                poll_interval: Duration::from_millis(1),
                ..WorkerConfig::default()
            })
            .unwrap();
        let mut rx = stop_rx.clone();
        handles.push(tokio::spawn(async move {
            w.run_until(async move {
                let _ = rx.wait_for(|s| *s).await;
            })
            .await
        }));
    }
    while bed.publisher.done.load(Ordering::SeqCst) < target {
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    let elapsed = start.elapsed();
    stop_tx.send(true).unwrap();
    for h in handles {
        h.await.unwrap();
    }
    elapsed
}

fn scheduler(c: &mut Criterion) {
    // CONTENTOS_BENCH_TRACE=<file>: span close events (store calls, publish jobs) with their
    // busy/idle times, to see where a drain's wall time goes. Off by default (it slows the run).
    if let Ok(path) = std::env::var("CONTENTOS_BENCH_TRACE") {
        let file = std::fs::File::create(path).unwrap();
        tracing_subscriber::fmt()
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_env_filter("contentos_core=info")
            .init();
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = rt.block_on(async {
        let store = SqliteStore::open(dir.path().join("bench.db"))
            .await
            .unwrap();
        bed(Arc::new(store)).await
    });
    let pg_url = std::env::var("CONTENTOS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("bench_sched_{}", uuid::Uuid::new_v4().simple());
    let pg = rt.block_on(async {
        let options = PostgresOptions {
            schema: Some(schema.clone()),
            max_connections: pg_pool_size(),
            ..PostgresOptions::default()
        };
        eprintln!("PostgreSQL pool: {} connections", options.max_connections);
        match PostgresStore::connect_with(&pg_url, &options).await {
            Ok(s) => Some(bed(Arc::new(s)).await),
            Err(e) => {
                eprintln!("PostgreSQL unavailable ({e}): skipping the PostgreSQL case");
                None
            }
        }
    });

    let mut g = c.benchmark_group("scheduler_4_workers");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(15));
    g.throughput(Throughput::Elements(JOBS_PER_ITER));
    g.bench_function("sqlite_jobs", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| rt.block_on(drain(&sqlite, JOBS_PER_ITER)))
                .sum()
        })
    });
    if let Some(pg) = &pg {
        g.bench_function("postgres_jobs", |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| rt.block_on(drain(pg, JOBS_PER_ITER)))
                    .sum()
            })
        });
    }
    g.finish();
    if pg.is_some() {
        rt.block_on(async {
            if let Ok(s) = PostgresStore::connect_in_schema(&pg_url, &schema).await {
                let _ = s.drop_schema().await;
            }
        });
    }
}

criterion_group!(benches, scheduler);
criterion_main!(benches);
