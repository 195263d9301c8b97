//! Store write+read latency: insert one content item with 3 variations (one transaction), then
//! read it back with its variations — the hot path of every generation request.
//!
//! Backends: SQLite file in WAL mode (the embedded default), SQLite in memory, and PostgreSQL
//! at `CONTENTOS_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`) in a
//! throw-away schema. Run: `cargo bench -p contentos-benches --bench store`. Figures:
//! docs/bench-store.md.

use chrono::{DateTime, Utc};
use contentos_core::model::*;
use contentos_core::store::{PostgresStore, SqliteStore, Store};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_default()
}

/// A user and a workspace to write into.
async fn seed(store: &dyn Store) -> (User, Workspace) {
    let user = User::new(format!("bench-{}@example.com", uuid::Uuid::now_v7()));
    store.create_user(&user).await.unwrap();
    let ws = Workspace {
        id: WorkspaceId::new(),
        owner_id: user.id,
        name: "Bench".into(),
        brand_voice: BrandVoice::default(),
        timezone: "UTC".into(),
        created_at: now(),
    };
    store.create_workspace(&ws).await.unwrap();
    (user, ws)
}

/// One generation result: a blog post and three platform variations of realistic size.
fn item(ws: &Workspace, user: &User) -> (Content, Vec<Variation>) {
    let t = now();
    let mut metadata = Metadata::new();
    metadata.insert("tone".into(), "professional".into());
    metadata.insert("keywords".into(), serde_json::json!(["rust", "sdk", "content"]));
    let content = Content {
        id: ContentId::new(),
        workspace_id: ws.id,
        created_by: user.id,
        title: Some("Shipping an embeddable content engine in Rust".into()),
        original_input: "Write a post about building an embeddable AI content pipeline in Rust \
                         with SQLite by default and PostgreSQL when teams grow."
            .into(),
        content_type: ContentType::Blog,
        format: Format::Markdown,
        metadata,
        status: ContentStatus::Draft,
        created_at: t,
        updated_at: t,
    };
    let body = "ContentOS generates, adapts and schedules posts. ".repeat(12);
    let variations = [Some(Platform::X), Some(Platform::LinkedIn), Some(Platform::Bluesky)]
        .into_iter()
        .map(|platform| Variation {
            id: VariationId::new(),
            content_id: content.id,
            platform,
            body: body.clone(),
            metadata: Metadata::new(),
            created_at: t,
        })
        .collect();
    (content, variations)
}

async fn insert_and_read(store: &dyn Store, ws: &Workspace, user: &User) {
    let (content, variations) = item(ws, user);
    store.create_content(&content, &variations).await.unwrap();
    let back = store.get_content(content.id).await.unwrap();
    assert_eq!(back.variations.len(), 3);
    black_box(back);
}

fn bench_store(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("store/insert_read_content_3_variations");
    group.sample_size(50).measurement_time(Duration::from_secs(8));

    let dir = tempfile::tempdir().unwrap();
    let file = rt
        .block_on(SqliteStore::open(dir.path().join("bench.db")))
        .unwrap();
    let (user, ws) = rt.block_on(seed(&file));
    group.bench_function("sqlite_file_wal", |b| {
        b.to_async(&rt).iter(|| insert_and_read(&file, &ws, &user))
    });
    rt.block_on(file.close());

    let mem = rt.block_on(SqliteStore::in_memory()).unwrap();
    let (user, ws) = rt.block_on(seed(&mem));
    group.bench_function("sqlite_memory", |b| {
        b.to_async(&rt).iter(|| insert_and_read(&mem, &ws, &user))
    });

    let url = std::env::var("CONTENTOS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("bench_store_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    match rt.block_on(PostgresStore::connect_in_schema(&url, &schema)) {
        Ok(pg) => {
            let (user, ws) = rt.block_on(seed(&pg));
            group.bench_function("postgres", |b| {
                b.to_async(&rt).iter(|| insert_and_read(&pg, &ws, &user))
            });
            rt.block_on(pg.drop_schema()).unwrap();
        }
        Err(e) => eprintln!("store bench: PostgreSQL unavailable, postgres case skipped: {e}"),
    }
    group.finish();
}

criterion_group!(benches, bench_store);
criterion_main!(benches);
