//! Pinecone and Qdrant specifics: the exact request bodies, retries on 429/5xx honouring
//! Retry-After, error mapping, and keys never leaking into errors.

mod support;

use contentos_core::model::{Platform, WorkspaceId};
use contentos_core::vector::{
    Filter, PineconeConfig, PineconeVectorStore, QdrantConfig, QdrantVectorStore, VectorMetadata,
    VectorRecord, VectorStore, CONTENT_EMBEDDINGS,
};
use contentos_core::{embed::RetryPolicy, vault::Secret, ErrorKind};
use serde_json::json;
use std::time::Duration;
use support::Failure;

fn retry(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(200),
    }
}

fn rec(id: &str, v: Vec<f32>, ws: WorkspaceId) -> VectorRecord {
    VectorRecord {
        id: id.into(),
        vector: v,
        metadata: VectorMetadata::new(ws, "published")
            .with_platform(Platform::LinkedIn)
            .with_extra("performance_score", 61.0),
        model_id: "m1".into(),
    }
}

async fn pinecone(
    attempts: u32,
) -> (
    std::sync::Arc<support::pinecone::Pinecone>,
    PineconeVectorStore,
) {
    let (state, url) = support::pinecone::start(4).await;
    let mut cfg = PineconeConfig::new(url, Secret::new(support::pinecone::API_KEY));
    cfg.retry = retry(attempts);
    (state, PineconeVectorStore::new(cfg).unwrap())
}

async fn qdrant(
    attempts: u32,
) -> (
    std::sync::Arc<support::qdrant::Qdrant>,
    String,
    QdrantVectorStore,
) {
    let (state, url) = support::qdrant::start().await;
    let mut cfg = QdrantConfig::new(url.clone());
    cfg.api_key = Some(Secret::new(support::qdrant::API_KEY));
    cfg.retry = retry(attempts);
    (state, url, QdrantVectorStore::new(cfg).unwrap())
}

#[tokio::test]
async fn pinecone_request_bodies_follow_the_data_plane_api() {
    let (state, store) = pinecone(1).await;
    let ws = WorkspaceId::new();
    store
        .upsert(
            CONTENT_EMBEDDINGS,
            vec![rec("post-1", vec![1.0, 0.0, 0.5, 0.0], ws)],
        )
        .await
        .unwrap();
    let filter = Filter::workspace(ws)
        .platform(Platform::LinkedIn)
        .kind("published");
    let got = store
        .query(CONTENT_EMBEDDINGS, &[1.0, 0.0, 0.4, 0.0], 3, Some(&filter))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].metadata.extra["performance_score"], 61.0);
    store
        .delete(CONTENT_EMBEDDINGS, &["post-1".into()])
        .await
        .unwrap();

    let seen = state.core.seen();
    let upsert = seen.iter().find(|s| s.path == "/vectors/upsert").unwrap();
    assert_eq!(upsert.body["namespace"], "content_embeddings");
    let vectors = upsert.body["vectors"].as_array().unwrap();
    // The namespace spec record travels with the first upsert.
    assert_eq!(vectors[0]["id"], "contentos-namespace-spec");
    assert_eq!(vectors[0]["metadata"]["model_id"], "m1");
    assert_eq!(vectors[0]["metadata"]["dimensions"], 4);
    assert_eq!(vectors[1]["id"], "post-1");
    assert_eq!(vectors[1]["values"], json!([1.0, 0.0, 0.5, 0.0]));
    assert_eq!(vectors[1]["metadata"]["workspace_id"], ws.to_string());
    assert_eq!(vectors[1]["metadata"]["platform"], "linkedin");
    assert_eq!(vectors[1]["metadata"]["kind"], "published");
    assert_eq!(vectors[1]["metadata"]["model_id"], "m1");

    let query = seen.iter().find(|s| s.path == "/query").unwrap();
    assert_eq!(
        query.body["topK"], 4,
        "one extra match to drop the spec record"
    );
    assert_eq!(query.body["includeMetadata"], true);
    assert_eq!(query.body["includeValues"], false);
    assert_eq!(
        query.body["filter"],
        json!({
            "workspace_id": {"$eq": ws.to_string()},
            "platform": {"$eq": "linkedin"},
            "kind": {"$eq": "published"},
        })
    );
    let delete = seen.iter().find(|s| s.path == "/vectors/delete").unwrap();
    assert_eq!(
        delete.body,
        json!({"ids": ["post-1"], "namespace": "content_embeddings"})
    );
}

#[tokio::test]
async fn pinecone_retries_429_then_succeeds() {
    let (state, store) = pinecone(3).await;
    let ws = WorkspaceId::new();
    store
        .upsert(
            CONTENT_EMBEDDINGS,
            vec![rec("a", vec![1.0, 0.0, 0.0, 0.0], ws)],
        )
        .await
        .unwrap();
    state.core.fail_next(
        Failure::new(
            429,
            r#"{"code":8,"message":"Too many requests","details":[]}"#,
        )
        .header("retry-after", "0.05"),
    );
    let before = state.core.count("/query");
    let got = store
        .query(CONTENT_EMBEDDINGS, &[1.0, 0.0, 0.0, 0.0], 1, None)
        .await
        .unwrap();
    assert_eq!(got[0].id, "a");
    assert_eq!(state.core.count("/query") - before, 2);
}

#[tokio::test]
async fn pinecone_gives_up_with_typed_errors() {
    let (state, store) = pinecone(2).await;
    let ws = WorkspaceId::new();
    store
        .upsert(
            CONTENT_EMBEDDINGS,
            vec![rec("a", vec![1.0, 0.0, 0.0, 0.0], ws)],
        )
        .await
        .unwrap();
    let q = [1.0, 0.0, 0.0, 0.0];

    for _ in 0..2 {
        state.core.fail_next(
            Failure::new(429, r#"{"code":8,"message":"Too many requests"}"#)
                .header("retry-after", "0"),
        );
    }
    let err = store
        .query(CONTENT_EMBEDDINGS, &q, 1, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::ZERO));

    for _ in 0..2 {
        state.core.fail_next(Failure::new(
            503,
            r#"{"code":14,"message":"Service unavailable"}"#,
        ));
    }
    let err = store
        .query(CONTENT_EMBEDDINGS, &q, 1, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);

    state.core.fail_next(Failure::new(
        400,
        r#"{"code":3,"message":"Metadata size is 50000 bytes, which exceeds the limit"}"#,
    ));
    let before = state.core.count("/vectors/upsert");
    let err = store
        .upsert(CONTENT_EMBEDDINGS, vec![rec("b", q.to_vec(), ws)])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(err.to_string().contains("Metadata size"), "{err}");
    assert_eq!(
        state.core.count("/vectors/upsert") - before,
        1,
        "4xx is not retried"
    );
}

#[tokio::test]
async fn pinecone_wrong_key_is_unauthorized_and_not_leaked() {
    let (state, url) = support::pinecone::start(4).await;
    let mut cfg = PineconeConfig::new(url, Secret::new("pc-wrong-secret-key"));
    cfg.retry = retry(3);
    let store = PineconeVectorStore::new(cfg).unwrap();
    let err = store.namespace_spec(CONTENT_EMBEDDINGS).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(state.core.count("/vectors/fetch"), 1, "401 is not retried");
    assert!(!format!("{err} {err:?} {store:?}").contains("pc-wrong-secret-key"));
}

#[tokio::test]
async fn qdrant_creates_collection_and_maps_ids_to_uuids() {
    let (state, url, store) = qdrant(1).await;
    let ws = WorkspaceId::new();
    store
        .upsert(
            CONTENT_EMBEDDINGS,
            vec![rec("post/1 ünïcode", vec![0.0, 1.0, 0.0, 0.0], ws)],
        )
        .await
        .unwrap();
    {
        let cols = state.collections.lock().unwrap();
        let c = cols
            .get("contentos_content_embeddings")
            .expect("collection created");
        assert_eq!(c.size, 4);
        let originals: Vec<&str> = c
            .points
            .values()
            .map(|(_, p)| p["contentos_id"].as_str().unwrap())
            .collect();
        assert!(originals.contains(&"post/1 ünïcode"));
        for id in c.points.keys() {
            assert!(uuid::Uuid::parse_str(id).is_ok(), "{id} is a UUID");
        }
    }
    let seen = state.core.seen();
    let create = seen
        .iter()
        .find(|s| s.method == "PUT" && s.path == "/collections/contentos_content_embeddings")
        .unwrap();
    assert_eq!(
        create.body,
        json!({"vectors": {"size": 4, "distance": "Cosine"}})
    );

    let filter = Filter::workspace(ws).platform(Platform::LinkedIn);
    let got = store
        .query(CONTENT_EMBEDDINGS, &[0.0, 1.0, 0.1, 0.0], 2, Some(&filter))
        .await
        .unwrap();
    assert_eq!(got[0].id, "post/1 ünïcode");
    let q = state
        .core
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("/points/query"))
        .unwrap();
    assert_eq!(q.body["limit"], 3);
    assert_eq!(q.body["with_payload"], true);
    assert_eq!(
        q.body["filter"],
        json!({"must": [
            {"key": "workspace_id", "match": {"value": ws.to_string()}},
            {"key": "platform", "match": {"value": "linkedin"}},
        ]})
    );

    // A second client learns the namespace spec from the server.
    let mut cfg = QdrantConfig::new(url);
    cfg.api_key = Some(Secret::new(support::qdrant::API_KEY));
    let fresh = QdrantVectorStore::new(cfg).unwrap();
    let spec = fresh
        .namespace_spec(CONTENT_EMBEDDINGS)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((spec.dimensions, spec.model_id.as_str()), (4, "m1"));

    store
        .delete(CONTENT_EMBEDDINGS, &["post/1 ünïcode".into()])
        .await
        .unwrap();
    assert!(store
        .query(CONTENT_EMBEDDINGS, &[0.0, 1.0, 0.0, 0.0], 2, None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn qdrant_retries_429_and_5xx_and_maps_errors() {
    let (state, _url, store) = qdrant(3).await;
    let ws = WorkspaceId::new();
    store
        .upsert(
            CONTENT_EMBEDDINGS,
            vec![rec("a", vec![1.0, 0.0, 0.0, 0.0], ws)],
        )
        .await
        .unwrap();
    state.core.fail_next(
        Failure::new(
            429,
            r#"{"status":{"error":"Too many requests"},"time":0.0}"#,
        )
        .header("retry-after", "0"),
    );
    state.core.fail_next(Failure::new(502, "Bad Gateway"));
    let before = state.core.count("/points/query");
    let got = store
        .query(CONTENT_EMBEDDINGS, &[1.0, 0.0, 0.0, 0.0], 1, None)
        .await
        .unwrap();
    assert_eq!(got[0].id, "a");
    assert_eq!(state.core.count("/points/query") - before, 3);

    state.core.fail_next(Failure::new(
        400,
        r#"{"status":{"error":"Wrong input: Vector dimension error: expected dim: 4, got 3"},"time":0.0}"#,
    ));
    let err = store
        .query(CONTENT_EMBEDDINGS, &[1.0, 0.0, 0.0, 0.0], 1, None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(err.to_string().contains("Vector dimension error"), "{err}");
}

#[tokio::test]
async fn qdrant_wrong_key_is_unauthorized_and_not_leaked() {
    let (_state, url) = support::qdrant::start().await;
    let mut cfg = QdrantConfig::new(url);
    cfg.api_key = Some(Secret::new("qd-wrong-secret"));
    let store = QdrantVectorStore::new(cfg).unwrap();
    let ws = WorkspaceId::new();
    let err = store
        .upsert(
            CONTENT_EMBEDDINGS,
            vec![rec("a", vec![1.0, 0.0, 0.0, 0.0], ws)],
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert!(!format!("{err} {err:?} {store:?}").contains("qd-wrong-secret"));
}
