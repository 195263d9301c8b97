//! Text features per post: VADER sentiment, textstat readability and surface statistics.
//!
//! Runs over the posts of the parity corpus (`contentos-predict/tests/golden/texts.jsonl`: 1,800
//! real tweets and 1,800 generated posts) so the figures compare directly with
//! `scripts/golden/bench_python_features.py`, which times textstat + vaderSentiment on the same
//! texts and then runs this bench. Figures: `docs/bench-features.md`.

use contentos_predict::features::readability::{self, ReadabilityCounts};
use contentos_predict::features::sentiment::SentimentAnalyzer;
use contentos_predict::features::text_stats::TextStats;
use contentos_predict::features::TextFeatures;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<String> {
    include_str!("../contentos-predict/tests/golden/texts.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        // Real tweets and generated posts; the edge cases and fuzz soup are for parity only.
        .filter(|v| matches!(v["source"].as_str(), Some("trump_tweets" | "synthetic")))
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .collect()
}

fn features(c: &mut Criterion) {
    let texts = corpus();
    let analyzer = SentimentAnalyzer::shared();
    readability::warm_up();
    let _ = analyzer.polarity_scores("warm up");

    let mut group = c.benchmark_group("features_corpus");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.sample_size(20);
    group.bench_function("vader_polarity_scores", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(analyzer.polarity_scores(black_box(t)));
            }
        })
    });
    group.bench_function("readability_fre_fkg", |b| {
        b.iter(|| {
            for t in &texts {
                let counts = ReadabilityCounts::of(black_box(t));
                black_box((counts.flesch_reading_ease(), counts.flesch_kincaid_grade()));
            }
        })
    });
    group.bench_function("text_stats", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(TextStats::of(black_box(t)));
            }
        })
    });
    group.bench_function("all_text_features", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(TextFeatures::with_analyzer(analyzer, black_box(t)));
            }
        })
    });
    group.finish();

    let post = "Our new app is LIVE 🚀 and it's honestly the best thing we've shipped this year! \
                Click the link in bio to try it free. #launch @acme";
    let mut single = c.benchmark_group("features_single_post");
    single.bench_function("all_text_features", |b| {
        b.iter(|| black_box(TextFeatures::with_analyzer(analyzer, black_box(post))))
    });
    single.finish();
}

criterion_group!(benches, features);
criterion_main!(benches);
