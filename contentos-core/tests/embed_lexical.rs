//! The local lexical embedder: deterministic, unit length, and similarity that tracks shared
//! words and fragments.

use contentos_core::embed::{Embedder, LexicalEmbedder, LexicalEmbedderConfig};
use contentos_core::ErrorKind;

fn cos(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

async fn embed(e: &LexicalEmbedder, texts: &[&str]) -> Vec<Vec<f32>> {
    let owned: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
    e.embed(&owned).await.unwrap()
}

#[tokio::test]
async fn vectors_are_unit_length_and_deterministic() {
    let e = LexicalEmbedder::default();
    assert_eq!(e.dimensions(), 384);
    assert_eq!(e.model_id(), "contentos-lexical-v1-384");
    let v = embed(
        &e,
        &["Launch day! Our new scheduler ships today 🚀", "🚀🚀", "a"],
    )
    .await;
    for x in &v {
        assert_eq!(x.len(), 384);
        let norm: f32 = x.iter().map(|a| a * a).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
    }
    let again =
        LexicalEmbedder::default().embed_text("Launch day! Our new scheduler ships today 🚀");
    assert_eq!(v[0], again, "same text, same vector, across instances");
}

#[tokio::test]
async fn near_duplicates_score_high_and_unrelated_posts_low() {
    let e = LexicalEmbedder::default();
    let v = embed(
        &e,
        &[
            "Our Q3 product update is live: faster scheduling, Bluesky threads and analytics. Read more at https://example.com/q3",
            "Our Q3 product update is live: faster scheduling, Bluesky threads and analytics! 🎉 Read more at https://example.com/q3",
            "our q3 product update is live - faster scheduling, bluesky threads & analytics. read more: https://example.com/q3",
            "Scheduling tips: post when your audience is awake, and keep threads short.",
            "We are hiring a senior Rust engineer in Berlin; apply through our careers page.",
        ],
    )
    .await;
    let dup = cos(&v[0], &v[1]);
    let reformatted = cos(&v[0], &v[2]);
    let related = cos(&v[0], &v[3]);
    let unrelated = cos(&v[0], &v[4]);
    assert!(dup > 0.9, "emoji added: {dup}");
    assert!(
        reformatted > 0.85,
        "case and punctuation changed: {reformatted}"
    );
    assert!(
        related < 0.5 && related > unrelated,
        "related {related}, unrelated {unrelated}"
    );
    assert!(unrelated < 0.25, "unrelated {unrelated}");
}

#[tokio::test]
async fn character_ngrams_connect_word_forms() {
    let e = LexicalEmbedder::default();
    let v = embed(&e, &["scheduling", "rescheduled", "marketing"]).await;
    let (forms, other) = (cos(&v[0], &v[1]), cos(&v[0], &v[2]));
    assert!(
        forms > 2.0 * other && forms > other + 0.1,
        "forms {forms}, other {other}"
    );
}

#[tokio::test]
async fn configuration_changes_the_model_id_and_is_validated() {
    let small = LexicalEmbedder::new(LexicalEmbedderConfig {
        dimensions: 64,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(small.model_id(), "contentos-lexical-v1-64");
    assert_eq!(small.embed_text("hello world").len(), 64);
    let tuned = LexicalEmbedder::new(LexicalEmbedderConfig {
        char_weight: 0.0,
        ..Default::default()
    })
    .unwrap();
    assert_ne!(tuned.model_id(), LexicalEmbedder::default().model_id());
    for bad in [
        LexicalEmbedderConfig {
            dimensions: 0,
            ..Default::default()
        },
        LexicalEmbedderConfig {
            min_char_ngram: 6,
            ..Default::default()
        },
        LexicalEmbedderConfig {
            word_weight: f32::NAN,
            ..Default::default()
        },
    ] {
        assert_eq!(
            LexicalEmbedder::new(bad).unwrap_err().kind(),
            ErrorKind::Validation
        );
    }
    let err = LexicalEmbedder::default()
        .embed(&["fine".into(), "\n\t ".into()])
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid texts[1]: non-empty text (not only whitespace)"
    );
}
