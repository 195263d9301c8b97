//! The embedded store beyond the shared conformance suite: identical results to a brute-force
//! reference on larger data (including the multi-threaded path), persistence, and deletes that
//! keep storage consistent.

use contentos_core::model::{Platform, WorkspaceId};
use contentos_core::vector::{
    EmbeddedVectorStore, Filter, VectorMetadata, VectorRecord, VectorStore, CONTENT_EMBEDDINGS,
};

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

fn records(n: usize, dim: usize, workspaces: &[WorkspaceId]) -> Vec<VectorRecord> {
    (0..n)
        .map(|i| VectorRecord {
            id: format!("r{i}"),
            vector: pseudo(i as u64 + 1, dim),
            metadata: VectorMetadata::new(
                workspaces[i % workspaces.len()],
                if i % 2 == 0 { "published" } else { "content" },
            )
            .with_platform(if i % 3 == 0 {
                Platform::X
            } else {
                Platform::Mastodon
            }),
            model_id: "bench".into(),
        })
        .collect()
}

/// Brute force in f64: normalise both sides, dot, sort by score desc then id.
fn reference(
    records: &[VectorRecord],
    q: &[f32],
    k: usize,
    f: Option<&Filter>,
) -> Vec<(String, f64)> {
    let norm = |v: &[f32]| v.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let qn = norm(q);
    let mut s: Vec<(String, f64)> = records
        .iter()
        .filter(|r| match f {
            Some(f) => f.matches(&r.metadata),
            None => true,
        })
        .map(|r| {
            let d: f64 = r
                .vector
                .iter()
                .zip(q)
                .map(|(a, b)| *a as f64 * *b as f64)
                .sum();
            (r.id.clone(), d / (norm(&r.vector) * qn))
        })
        .collect();
    s.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    s.truncate(k);
    s
}

async fn assert_same_as_reference(
    store: &EmbeddedVectorStore,
    recs: &[VectorRecord],
    dim: usize,
    filters: &[Option<Filter>],
) {
    for qi in 0..4u64 {
        let q = pseudo(1_000_000 + qi, dim);
        for f in filters {
            for k in [1usize, 10, 100] {
                let got = store
                    .query(CONTENT_EMBEDDINGS, &q, k, f.as_ref())
                    .await
                    .unwrap();
                let want = reference(recs, &q, k, f.as_ref());
                assert_eq!(got.len(), want.len());
                for (i, (g, (id, score))) in got.iter().zip(&want).enumerate() {
                    assert!((g.score as f64 - score).abs() < 1e-5, "score at {i}");
                    if &g.id != id {
                        // Only acceptable when the two are tied within float error.
                        let other = want.iter().find(|(w, _)| *w == g.id).map(|x| x.1);
                        assert!(
                            other.is_some_and(|o| (o - score).abs() < 1e-6),
                            "rank {i}: {} vs {id}",
                            g.id
                        );
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn matches_brute_force_single_threaded() {
    let (a, b) = (WorkspaceId::new(), WorkspaceId::new());
    let dim = 96;
    let recs = records(5_000, dim, &[a, b]);
    let store = EmbeddedVectorStore::in_memory();
    store
        .upsert(CONTENT_EMBEDDINGS, recs.clone())
        .await
        .unwrap();
    let filters = [
        None,
        Some(Filter::workspace(a)),
        Some(Filter::workspace(b).platform(Platform::X).kind("published")),
    ];
    assert_same_as_reference(&store, &recs, dim, &filters).await;
}

#[tokio::test]
async fn matches_brute_force_on_the_multi_threaded_path() {
    // 20,000 × 128 floats is above the threshold where the scan is split across threads.
    let a = WorkspaceId::new();
    let dim = 128;
    let recs = records(20_000, dim, &[a, WorkspaceId::new()]);
    let store = EmbeddedVectorStore::in_memory();
    for chunk in recs.chunks(5_000) {
        store
            .upsert(CONTENT_EMBEDDINGS, chunk.to_vec())
            .await
            .unwrap();
    }
    assert_eq!(store.len(CONTENT_EMBEDDINGS), 20_000);
    assert_same_as_reference(
        &store,
        &recs,
        dim,
        &[None, Some(Filter::workspace(a).kind("content"))],
    )
    .await;
}

#[tokio::test]
async fn reopened_file_gives_identical_results_and_keeps_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vectors.db");
    let ws = WorkspaceId::new();
    let dim = 32;
    let mut recs = records(500, dim, &[ws]);
    let q = pseudo(42, dim);
    let before = {
        let store = EmbeddedVectorStore::open(&path).await.unwrap();
        store
            .upsert(CONTENT_EMBEDDINGS, recs.clone())
            .await
            .unwrap();
        let gone: Vec<String> = (0..500).step_by(7).map(|i| format!("r{i}")).collect();
        store.delete(CONTENT_EMBEDDINGS, &gone).await.unwrap();
        recs.retain(|r| !gone.contains(&r.id));
        // Replace one record after the deletes moved rows around.
        let mut changed = recs[10].clone();
        changed.vector = q.clone();
        store
            .upsert(CONTENT_EMBEDDINGS, vec![changed.clone()])
            .await
            .unwrap();
        recs[10] = changed;
        store.query(CONTENT_EMBEDDINGS, &q, 50, None).await.unwrap()
    };
    let reopened = EmbeddedVectorStore::open(&path).await.unwrap();
    assert_eq!(reopened.len(CONTENT_EMBEDDINGS), recs.len());
    let after = reopened
        .query(CONTENT_EMBEDDINGS, &q, 50, None)
        .await
        .unwrap();
    assert_eq!(before, after, "bit-identical after reload");
    assert_eq!(after[0].id, recs[10].id);
    let want = reference(&recs, &q, 50, None);
    let got_ids: Vec<&str> = after.iter().map(|m| m.id.as_str()).collect();
    let want_ids: Vec<&str> = want.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(got_ids, want_ids);
}
