//! The building blocks the facade calls: near-duplicate check, find similar, history mean.

use chrono::{Duration, TimeZone, Utc};
use contentos_core::embed::{Embedder, LexicalEmbedder, LexicalEmbedderConfig};
use contentos_core::model::{Platform, WorkspaceId};
use contentos_core::vector::similarity::{
    check_embedder, find_similar, index_text, near_duplicates, similar_history_mean,
    NearDuplicateCheck, PERFORMANCE_SCORE_KEY, PUBLISHED_AT_KEY,
};
use contentos_core::vector::{
    EmbeddedVectorStore, Filter, Match, VectorMetadata, CONTENT_EMBEDDINGS, KIND_CONTENT,
    KIND_PUBLISHED,
};

const POST: &str = "Our Q3 product update is live: faster scheduling, Bluesky threads and analytics. Read more at https://example.com/q3";

async fn seeded() -> (
    EmbeddedVectorStore,
    LexicalEmbedder,
    WorkspaceId,
    WorkspaceId,
) {
    let store = EmbeddedVectorStore::in_memory();
    let e = LexicalEmbedder::default();
    let (ws, other) = (WorkspaceId::new(), WorkspaceId::new());
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
    let published = |ws, platform, days_ago: i64, score: f64| {
        VectorMetadata::new(ws, KIND_PUBLISHED)
            .with_platform(platform)
            .with_extra(
                PUBLISHED_AT_KEY,
                (now - Duration::days(days_ago)).timestamp(),
            )
            .with_extra(PERFORMANCE_SCORE_KEY, score)
    };
    let items = [
        (
            "same-recent",
            POST,
            published(ws, Platform::LinkedIn, 3, 80.0),
        ),
        (
            "same-old",
            POST,
            published(ws, Platform::LinkedIn, 90, 20.0),
        ),
        (
            "same-other-platform",
            POST,
            published(ws, Platform::X, 1, 50.0),
        ),
        (
            "same-other-workspace",
            POST,
            published(other, Platform::LinkedIn, 1, 50.0),
        ),
        (
            "draft",
            POST,
            VectorMetadata::new(ws, KIND_CONTENT).with_platform(Platform::LinkedIn),
        ),
        (
            "different",
            "We are hiring a senior Rust engineer in Berlin; apply through our careers page.",
            published(ws, Platform::LinkedIn, 2, 60.0),
        ),
    ];
    for (id, text, meta) in items {
        index_text(&store, &e, CONTENT_EMBEDDINGS, id, text, meta)
            .await
            .unwrap();
    }
    (store, e, ws, other)
}

fn check() -> NearDuplicateCheck {
    NearDuplicateCheck {
        now: Some(Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()),
        ..NearDuplicateCheck::default()
    }
}

#[tokio::test]
async fn near_duplicates_only_recent_published_posts_of_workspace_and_platform() {
    let (store, e, ws, _) = seeded().await;
    let repost = format!("{POST} 🎉");
    let found = near_duplicates(&store, &e, ws, Platform::LinkedIn, &repost, &check())
        .await
        .unwrap();
    let ids: Vec<&str> = found.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["same-recent"]);
    assert!(found[0].score > 0.9);

    let no_window = NearDuplicateCheck {
        window: None,
        ..check()
    };
    let found = near_duplicates(&store, &e, ws, Platform::LinkedIn, &repost, &no_window)
        .await
        .unwrap();
    let mut ids: Vec<&str> = found.iter().map(|m| m.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["same-old", "same-recent"]);

    let fresh = "Tips for writing a LinkedIn headline that people actually read.";
    assert!(
        near_duplicates(&store, &e, ws, Platform::LinkedIn, fresh, &check())
            .await
            .unwrap()
            .is_empty()
    );
    let bad = NearDuplicateCheck {
        threshold: 1.5,
        ..check()
    };
    assert!(
        near_duplicates(&store, &e, ws, Platform::LinkedIn, POST, &bad)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn similar_history_mean_averages_performance_of_matches() {
    let (store, e, ws, _) = seeded().await;
    let f = Filter::workspace(ws).kind(KIND_PUBLISHED);
    let similar = find_similar(&store, &e, CONTENT_EMBEDDINGS, POST, 3, Some(&f))
        .await
        .unwrap();
    let mut ids: Vec<&str> = similar.iter().map(|m| m.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["same-old", "same-other-platform", "same-recent"]);
    let mean = similar_history_mean(&similar).unwrap();
    assert!((mean - (80.0 + 20.0 + 50.0) / 3.0).abs() < 1e-9);
    let without: Vec<Match> = similar
        .into_iter()
        .map(|mut m| {
            m.metadata.extra.remove(PERFORMANCE_SCORE_KEY);
            m
        })
        .collect();
    assert_eq!(similar_history_mean(&without), None);
    assert_eq!(similar_history_mean(&[]), None);
}

#[tokio::test]
async fn a_different_embedder_is_refused_before_querying() {
    let (store, _, ws, _) = seeded().await;
    let other = LexicalEmbedder::new(LexicalEmbedderConfig {
        dimensions: 384,
        char_weight: 0.1,
        ..Default::default()
    })
    .unwrap();
    let err = check_embedder(&store, &other, CONTENT_EMBEDDINGS)
        .await
        .unwrap_err();
    assert!(
        matches!(err, contentos_core::Error::Validation { ref field, .. } if field == "embedder.model_id"),
        "{err:?}"
    );
    assert!(
        near_duplicates(&store, &other, ws, Platform::LinkedIn, POST, &check())
            .await
            .is_err()
    );
    // Indexing with it is refused by the store itself.
    let err = index_text(
        &store,
        &other,
        CONTENT_EMBEDDINGS,
        "x",
        POST,
        VectorMetadata::new(ws, KIND_CONTENT),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("model_id"), "{err}");
    assert_eq!(other.dimensions(), 384);
}
