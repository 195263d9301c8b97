//! Text → engagement score, end to end: the `contentos-features/1` vector of a post (readability,
//! VADER, counts, local time) and the bundled default model's score (`default_scorer()`, 128
//! trees), through `score_values`, the bulk-scoring entry point the Python, Node and Swift
//! bindings call.
//!
//! * `text_to_score_single/score_values_one_post`: one 150-character post (emoji, URL, hashtag,
//!   mention), the single-post latency of issue 6 (target < 10 µs).
//! * `text_to_score_batch/score_values/100000`: 100,000 posts (the parity corpus's 3,600 real and
//!   generated posts, cycled) in one call, which uses every core (rayon). Compared with
//!   textstat + vaderSentiment + xgboost on the same posts by
//!   `scripts/golden/bench_python_text_to_score.py` (target ≥ 100×).
//! * `text_to_score_batch/one_thread/100000`: the same work on one thread (extract + predict
//!   with `Parallelism::Sequential`), the per-core cost.
//!
//! Figures: `docs/bench-features.md`.

use contentos_core::model::Platform;
use contentos_core::score::ScoreInput;
use contentos_predict::features::v1::{score_values, FeaturesV1};
use contentos_predict::xgb::{FeatureExtractor, Parallelism, PredictOptions, FEATURES_V1};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// Posts in the batch measurement.
const BATCH: usize = 100_000;

fn input(text: &str) -> ScoreInput {
    let mut input = ScoreInput::new(text, Platform::X);
    input.posted_at = Some("2026-06-02T14:00:00Z".parse().expect("fixed timestamp"));
    input.timezone = Some("America/New_York".into());
    input
}

fn corpus() -> Vec<String> {
    include_str!("../contentos-predict/tests/golden/texts.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        // Real tweets and generated posts; the edge cases and fuzz soup are for parity only.
        .filter(|v| matches!(v["source"].as_str(), Some("trump_tweets" | "synthetic")))
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect()
}

fn text_to_score(c: &mut Criterion) {
    let model = contentos_predict::default_scorer().expect("default model");
    contentos_predict::features::readability::warm_up();

    let post = input(
        "Our new app is LIVE 🚀 and it's honestly the best thing we've shipped this year! \
         Click the link in bio to try it free. #launch @acme https://acme.io/app",
    );
    let _ = score_values(&model, std::slice::from_ref(&post)).expect("score");
    let mut single = c.benchmark_group("text_to_score_single");
    single.bench_function("score_values_one_post", |b| {
        b.iter(|| score_values(&model, std::slice::from_ref(black_box(&post))).expect("score"))
    });
    single.finish();

    let texts = corpus();
    let inputs: Vec<ScoreInput> = texts.iter().cycle().take(BATCH).map(|t| input(t)).collect();
    let mut batch = c.benchmark_group("text_to_score_batch");
    batch.throughput(Throughput::Elements(BATCH as u64));
    batch.sample_size(10);
    batch.bench_function(BenchmarkId::new("score_values", BATCH), |b| {
        b.iter(|| score_values(&model, black_box(&inputs)).expect("score"))
    });
    let nf = FEATURES_V1.len();
    let seq = PredictOptions {
        parallelism: Parallelism::Sequential,
        ..PredictOptions::default()
    };
    batch.bench_function(BenchmarkId::new("one_thread", BATCH), |b| {
        b.iter(|| {
            let mut rows = vec![f32::NAN; inputs.len() * nf];
            for (out, input) in rows.chunks_mut(nf).zip(black_box(&inputs)) {
                FeaturesV1.extract(input, out).expect("features");
            }
            model.model().predict_with(&rows, &seq).expect("predict")
        })
    });
    batch.finish();

    if let Ok(path) = std::env::var("CONTENTOS_TEXT_SCORE_OUT") {
        // Scores of the corpus's posts, for the driver script's agreement check with Python.
        let scores = score_values(&model, &inputs[..texts.len()]).expect("score");
        let lines: Vec<String> = scores.iter().map(|s| format!("{s:.9}")).collect();
        std::fs::write(path, lines.join("\n")).expect("write scores");
    }
}

criterion_group!(benches, text_to_score);
criterion_main!(benches);
