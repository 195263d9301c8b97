//! One conformance suite for every VectorStore backend: the same test bodies run against the
//! embedded store (SQLite file and in-memory), Pinecone and Qdrant (local servers that behave
//! like the real services).

mod support;

use contentos_core::model::{Platform, WorkspaceId};
use contentos_core::vector::{
    EmbeddedVectorStore, Filter, PineconeConfig, PineconeVectorStore, QdrantConfig,
    QdrantVectorStore, VectorMetadata, VectorRecord, VectorStore, AUDIENCE_EMBEDDINGS,
    CONTENT_EMBEDDINGS,
};
use contentos_core::{embed::RetryPolicy, vault::Secret, Error};
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

const DIM: usize = 8;
const MODEL: &str = "test-model-8";

/// A backend under test: `open()` returns a fresh client (fresh caches) on the same data.
struct Backend {
    open: Box<dyn Fn() -> BoxFuture<'static, Arc<dyn VectorStore>> + Send + Sync>,
    _guard: Box<dyn std::any::Any + Send + Sync>,
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
    }
}

async fn embedded_file() -> Backend {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let path = dir.path().join("vectors.db");
    Backend {
        open: Box::new(move || {
            let path = path.clone();
            Box::pin(async move {
                Arc::new(EmbeddedVectorStore::open(&path).await.unwrap()) as Arc<dyn VectorStore>
            })
        }),
        _guard: Box::new(dir),
    }
}

async fn embedded_memory() -> Backend {
    let store: Arc<dyn VectorStore> = Arc::new(EmbeddedVectorStore::in_memory());
    Backend {
        open: Box::new(move || {
            let s = store.clone();
            Box::pin(async move { s })
        }),
        _guard: Box::new(()),
    }
}

async fn pinecone() -> Backend {
    let (state, url) = support::pinecone::start(DIM).await;
    Backend {
        open: Box::new(move || {
            let mut cfg = PineconeConfig::new(url.clone(), Secret::new(support::pinecone::API_KEY));
            cfg.retry = fast_retry();
            Box::pin(async move {
                Arc::new(PineconeVectorStore::new(cfg).unwrap()) as Arc<dyn VectorStore>
            })
        }),
        _guard: Box::new(state),
    }
}

async fn qdrant() -> Backend {
    let (state, url) = support::qdrant::start().await;
    Backend {
        open: Box::new(move || {
            let mut cfg = QdrantConfig::new(url.clone());
            cfg.api_key = Some(Secret::new(support::qdrant::API_KEY));
            cfg.retry = fast_retry();
            Box::pin(async move {
                Arc::new(QdrantVectorStore::new(cfg).unwrap()) as Arc<dyn VectorStore>
            })
        }),
        _guard: Box::new(state),
    }
}

// ---------- helpers ----------

fn rec(id: &str, vector: Vec<f32>, meta: VectorMetadata) -> VectorRecord {
    VectorRecord {
        id: id.to_string(),
        vector,
        metadata: meta,
        model_id: MODEL.to_string(),
    }
}

/// Deterministic pseudo-random vector (xorshift), components in [-1, 1).
fn pseudo(seed: u64, dim: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..dim)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

fn reference_cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum();
    let na = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

/// Brute-force reference: ids of the best `k` records passing `filter`, best first.
fn reference_top_k(
    records: &[VectorRecord],
    q: &[f32],
    k: usize,
    filter: Option<&Filter>,
) -> Vec<(String, f64)> {
    let mut scored: Vec<(String, f64)> = records
        .iter()
        .filter(|r| match filter {
            Some(f) => f.matches(&r.metadata),
            None => true,
        })
        .map(|r| (r.id.clone(), reference_cosine(&r.vector, q)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(k);
    scored
}

fn validation_field(e: Error) -> String {
    match e {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn unit(i: usize) -> Vec<f32> {
    let mut v = vec![0.0; DIM];
    v[i] = 1.0;
    v
}

// ---------- the shared test bodies ----------

async fn ranks_by_cosine_and_round_trips_metadata(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    let meta = VectorMetadata::new(ws, "published")
        .with_platform(Platform::Bluesky)
        .with_extra("performance_score", 42.5)
        .with_extra("segment_id", "seg-1")
        .with_extra("evergreen", true);
    let mut near = unit(0);
    near[1] = 0.2;
    let mut mid = unit(0);
    mid[1] = 1.0;
    let records = vec![
        rec("far", unit(3), VectorMetadata::new(ws, "content")),
        rec("near", near.clone(), meta.clone()),
        rec("mid", mid, VectorMetadata::new(ws, "content")),
        rec(
            "opposite",
            vec![-1.0; DIM],
            VectorMetadata::new(ws, "content"),
        ),
    ];
    s.upsert(CONTENT_EMBEDDINGS, records.clone()).await.unwrap();
    let q = unit(0);
    let got = s.query(CONTENT_EMBEDDINGS, &q, 4, None).await.unwrap();
    let ids: Vec<&str> = got.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["near", "mid", "far", "opposite"]);
    for m in &got {
        let r = records.iter().find(|r| r.id == m.id).unwrap();
        let expected = reference_cosine(&r.vector, &q);
        assert!(
            (m.score as f64 - expected).abs() < 1e-5,
            "{}: {} vs {expected}",
            m.id,
            m.score
        );
    }
    assert_eq!(got[0].metadata, meta);
    // Scale does not matter for cosine.
    let scaled: Vec<f32> = q.iter().map(|x| x * 37.0).collect();
    let again = s.query(CONTENT_EMBEDDINGS, &scaled, 1, None).await.unwrap();
    assert_eq!(again[0].id, "near");
}

async fn filters_by_workspace_platform_kind_and_extra(b: &Backend) {
    let s = (b.open)().await;
    let (a, other) = (WorkspaceId::new(), WorkspaceId::new());
    let mut records = Vec::new();
    for i in 0..24u64 {
        let ws = if i % 3 == 0 { other } else { a };
        let platform = [Platform::X, Platform::LinkedIn, Platform::Bluesky][(i % 4 % 3) as usize];
        let kind = if i % 2 == 0 { "published" } else { "content" };
        let meta = VectorMetadata::new(ws, kind)
            .with_platform(platform)
            .with_extra("tier", if i % 5 == 0 { "gold" } else { "basic" });
        records.push(rec(&format!("r{i:02}"), pseudo(i + 1, DIM), meta));
    }
    s.upsert(CONTENT_EMBEDDINGS, records.clone()).await.unwrap();
    let filters = [
        Filter::workspace(a),
        Filter::workspace(other),
        Filter::workspace(a).platform(Platform::LinkedIn),
        Filter::workspace(a).kind("published"),
        Filter::workspace(a).platform(Platform::X).kind("published"),
        Filter::default().extra("tier", "gold"),
        Filter::workspace(WorkspaceId::new()),
    ];
    let q = pseudo(999, DIM);
    for f in &filters {
        let got = s.query(CONTENT_EMBEDDINGS, &q, 30, Some(f)).await.unwrap();
        let want = reference_top_k(&records, &q, 30, Some(f));
        let got_ids: Vec<&str> = got.iter().map(|m| m.id.as_str()).collect();
        let want_ids: Vec<&str> = want.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(got_ids, want_ids, "filter {f:?}");
        assert!(got.iter().all(|m| f.matches(&m.metadata)));
    }
}

async fn top_k_equals_brute_force(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    let records: Vec<VectorRecord> = (0..80u64)
        .map(|i| {
            rec(
                &format!("id-{i}"),
                pseudo(i + 100, DIM),
                VectorMetadata::new(ws, "content"),
            )
        })
        .collect();
    s.upsert(AUDIENCE_EMBEDDINGS, records.clone())
        .await
        .unwrap();
    for (qi, k) in [(1u64, 1usize), (2, 5), (3, 10), (4, 80), (5, 200)] {
        let q = pseudo(5000 + qi, DIM);
        let got = s.query(AUDIENCE_EMBEDDINGS, &q, k, None).await.unwrap();
        let want = reference_top_k(&records, &q, k, None);
        assert_eq!(got.len(), want.len());
        for (g, (id, score)) in got.iter().zip(&want) {
            assert_eq!(&g.id, id, "k={k}");
            assert!((g.score as f64 - score).abs() < 1e-5);
        }
    }
}

async fn upsert_replaces_by_id(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    s.upsert(
        CONTENT_EMBEDDINGS,
        vec![rec("a", unit(0), VectorMetadata::new(ws, "content"))],
    )
    .await
    .unwrap();
    s.upsert(
        CONTENT_EMBEDDINGS,
        vec![rec(
            "a",
            unit(5),
            VectorMetadata::new(ws, "published").with_extra("v", 2),
        )],
    )
    .await
    .unwrap();
    let got = s
        .query(CONTENT_EMBEDDINGS, &unit(5), 10, None)
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, "a");
    assert!((got[0].score - 1.0).abs() < 1e-6);
    assert_eq!(got[0].metadata.kind, "published");
    assert_eq!(got[0].metadata.extra["v"], 2);
}

async fn delete_removes_and_is_idempotent(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    let records: Vec<VectorRecord> = (0..6u64)
        .map(|i| {
            rec(
                &format!("d{i}"),
                pseudo(i + 7, DIM),
                VectorMetadata::new(ws, "content"),
            )
        })
        .collect();
    s.upsert(CONTENT_EMBEDDINGS, records).await.unwrap();
    let gone = vec![
        "d1".to_string(),
        "d4".to_string(),
        "never-existed".to_string(),
    ];
    s.delete(CONTENT_EMBEDDINGS, &gone).await.unwrap();
    s.delete(CONTENT_EMBEDDINGS, &gone).await.unwrap();
    let mut ids: Vec<String> = s
        .query(CONTENT_EMBEDDINGS, &pseudo(1, DIM), 100, None)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    ids.sort();
    assert_eq!(ids, ["d0", "d2", "d3", "d5"]);
    // Deleting from a namespace that never existed is fine too.
    s.delete(AUDIENCE_EMBEDDINGS, &gone).await.unwrap();
}

async fn refuses_dimension_mismatch(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    s.upsert(
        CONTENT_EMBEDDINGS,
        vec![rec("ok", unit(0), VectorMetadata::new(ws, "content"))],
    )
    .await
    .unwrap();
    let short = rec(
        "short",
        vec![1.0; DIM / 2],
        VectorMetadata::new(ws, "content"),
    );
    let err = s.upsert(CONTENT_EMBEDDINGS, vec![short]).await.unwrap_err();
    assert_eq!(validation_field(err), "items[0].vector");
    // A bad record in a batch refuses the whole batch.
    let good = rec("good", unit(2), VectorMetadata::new(ws, "content"));
    let bad = rec(
        "bad",
        vec![1.0; DIM + 1],
        VectorMetadata::new(ws, "content"),
    );
    let err = s
        .upsert(CONTENT_EMBEDDINGS, vec![good, bad])
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "items[1].vector");
    let ids: Vec<String> = s
        .query(CONTENT_EMBEDDINGS, &unit(2), 10, None)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, ["ok"]);
    let err = s
        .query(CONTENT_EMBEDDINGS, &[1.0; 3], 3, None)
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "vector");
}

async fn refuses_model_mismatch_even_after_reopen(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    s.upsert(
        AUDIENCE_EMBEDDINGS,
        vec![rec("seg", unit(1), VectorMetadata::new(ws, "segment"))],
    )
    .await
    .unwrap();
    let mut other = rec("seg2", unit(2), VectorMetadata::new(ws, "segment"));
    other.model_id = "another-model".into();
    let err = s
        .upsert(AUDIENCE_EMBEDDINGS, vec![other.clone()])
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "items[0].model_id");
    drop(s);
    let reopened = (b.open)().await;
    let spec = reopened
        .namespace_spec(AUDIENCE_EMBEDDINGS)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((spec.dimensions, spec.model_id.as_str()), (DIM, MODEL));
    let err = reopened
        .upsert(AUDIENCE_EMBEDDINGS, vec![other])
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "items[0].model_id");
    let got = reopened
        .query(AUDIENCE_EMBEDDINGS, &unit(1), 5, None)
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, "seg");
}

async fn namespaces_are_independent(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    assert!(s
        .namespace_spec(CONTENT_EMBEDDINGS)
        .await
        .unwrap()
        .is_none());
    assert!(s
        .query(CONTENT_EMBEDDINGS, &unit(0), 5, None)
        .await
        .unwrap()
        .is_empty());
    s.upsert(
        AUDIENCE_EMBEDDINGS,
        vec![rec("x", unit(0), VectorMetadata::new(ws, "segment"))],
    )
    .await
    .unwrap();
    let mut other_model = rec("x", unit(0), VectorMetadata::new(ws, "content"));
    other_model.model_id = "content-model".into();
    s.upsert(CONTENT_EMBEDDINGS, vec![other_model])
        .await
        .unwrap();
    let a = s
        .query(AUDIENCE_EMBEDDINGS, &unit(0), 5, None)
        .await
        .unwrap();
    let c = s
        .query(CONTENT_EMBEDDINGS, &unit(0), 5, None)
        .await
        .unwrap();
    assert_eq!((a.len(), c.len()), (1, 1));
    assert_eq!(a[0].metadata.kind, "segment");
    assert_eq!(c[0].metadata.kind, "content");
    assert_eq!(
        s.namespace_spec(CONTENT_EMBEDDINGS)
            .await
            .unwrap()
            .unwrap()
            .model_id,
        "content-model"
    );
}

async fn refuses_invalid_input(b: &Backend) {
    let s = (b.open)().await;
    let ws = WorkspaceId::new();
    let m = || VectorMetadata::new(ws, "content");
    s.upsert(CONTENT_EMBEDDINGS, vec![rec("a", unit(0), m())])
        .await
        .unwrap();
    let cases: Vec<(Vec<VectorRecord>, &str)> = vec![
        (vec![rec("z", vec![0.0; DIM], m())], "items[0].vector"),
        (vec![rec("n", vec![f32::NAN; DIM], m())], "items[0].vector"),
        (vec![rec("", unit(1), m())], "items[0].id"),
        (
            vec![rec("dup", unit(1), m()), rec("dup", unit(2), m())],
            "items[1].id",
        ),
        (
            vec![rec("r", unit(1), m().with_extra("workspace_id", "evil"))],
            "items[0].metadata.extra.workspace_id",
        ),
        (
            vec![rec(
                "o",
                unit(1),
                m().with_extra("nested", serde_json::json!({"a": 1})),
            )],
            "items[0].metadata.extra.nested",
        ),
    ];
    for (items, field) in cases {
        let err = s.upsert(CONTENT_EMBEDDINGS, items).await.unwrap_err();
        assert_eq!(validation_field(err), field);
    }
    let err = s
        .upsert("Bad Namespace", vec![rec("a", unit(0), m())])
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "namespace");
    let err = s
        .query(CONTENT_EMBEDDINGS, &unit(0), 0, None)
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "top_k");
    let err = s
        .query(CONTENT_EMBEDDINGS, &[0.0; DIM], 3, None)
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "vector");
    let f = Filter::default().extra("score", 0.5);
    let err = s
        .query(CONTENT_EMBEDDINGS, &unit(0), 3, Some(&f))
        .await
        .unwrap_err();
    assert_eq!(validation_field(err), "filter.extra.score");
    // Nothing of the refused batches was written.
    assert_eq!(
        s.query(CONTENT_EMBEDDINGS, &unit(1), 50, None)
            .await
            .unwrap()
            .len(),
        1
    );
}

macro_rules! conformance {
    ($backend:ident) => {
        mod $backend {
            use super::*;

            #[tokio::test]
            async fn ranks_by_cosine_and_round_trips_metadata() {
                super::ranks_by_cosine_and_round_trips_metadata(&$backend().await).await
            }
            #[tokio::test]
            async fn filters_by_workspace_platform_kind_and_extra() {
                super::filters_by_workspace_platform_kind_and_extra(&$backend().await).await
            }
            #[tokio::test]
            async fn top_k_equals_brute_force() {
                super::top_k_equals_brute_force(&$backend().await).await
            }
            #[tokio::test]
            async fn upsert_replaces_by_id() {
                super::upsert_replaces_by_id(&$backend().await).await
            }
            #[tokio::test]
            async fn delete_removes_and_is_idempotent() {
                super::delete_removes_and_is_idempotent(&$backend().await).await
            }
            #[tokio::test]
            async fn refuses_dimension_mismatch() {
                super::refuses_dimension_mismatch(&$backend().await).await
            }
            #[tokio::test]
            async fn refuses_model_mismatch_even_after_reopen() {
                super::refuses_model_mismatch_even_after_reopen(&$backend().await).await
            }
            #[tokio::test]
            async fn namespaces_are_independent() {
                super::namespaces_are_independent(&$backend().await).await
            }
            #[tokio::test]
            async fn refuses_invalid_input() {
                super::refuses_invalid_input(&$backend().await).await
            }
        }
    };
}

conformance!(embedded_file);
conformance!(embedded_memory);
conformance!(pinecone);
conformance!(qdrant);
