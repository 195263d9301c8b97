//! Scores the parity corpus through the text→score path a fixed number of times, for
//! instruction counts under callgrind (criterion's timing loop is too noisy on a shared machine
//! and too long under valgrind):
//!
//! ```text
//! cargo build --release -p contentos-predict --example profile_text_to_score
//! valgrind --tool=callgrind target/release/examples/profile_text_to_score 2
//! ```
//!
//! The argument is the number of passes over the 3,600 posts (default 1); a warm-up pass runs
//! first so that dictionary loading can be subtracted (run with 0 to measure it alone).
//! Prints a checksum so the work cannot be optimised away. `--batch` scores each pass as one
//! batch (trees a block of rows at a time, as bulk scoring runs) instead of post by post.
//!
//! With `--time` it instead times the two figures of issue 6 with `std::time::Instant` (the
//! criterion bench `benches/text_to_score.rs` measures the same calls): the single-post latency
//! of `score_values` on one 150-character post, and `score_values` over 100,000 posts (the
//! corpus cycled) on all cores, plus the same batch on one thread. Medians of repeated runs;
//! `scripts/golden/bench_python_text_to_score.py` runs it beside the Python stack.

use contentos_core::model::Platform;
use contentos_core::score::ScoreInput;
use contentos_predict::features::v1::{score_values, FeaturesV1};
use contentos_predict::xgb::EngagementModel;

fn input(text: &str) -> ScoreInput {
    let mut input = ScoreInput::new(text, Platform::X);
    input.posted_at = Some("2026-06-02T14:00:00Z".parse().expect("fixed timestamp"));
    input.timezone = Some("America/New_York".into());
    input
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time(
    model: &EngagementModel<FeaturesV1>,
    corpus: &[ScoreInput],
) -> Result<(), Box<dyn std::error::Error>> {
    use contentos_predict::xgb::{FeatureExtractor, Parallelism, PredictOptions, FEATURES_V1};
    use std::time::Instant;
    let post = input(
        "Our new app is LIVE 🚀 and it's honestly the best thing we've shipped this year! \
         Click the link in bio to try it free. #launch @acme https://acme.io/app",
    );
    let one = std::slice::from_ref(&post);
    let mut sink = 0.0;
    let mut single = Vec::new();
    for _ in 0..31 {
        let t = Instant::now();
        for _ in 0..2000 {
            sink += score_values(model, std::hint::black_box(one))?[0];
        }
        single.push(t.elapsed().as_secs_f64() / 2000.0);
    }
    let batch_inputs: Vec<ScoreInput> = corpus.iter().cycle().take(100_000).cloned().collect();
    let mut batch = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        sink += score_values(model, std::hint::black_box(&batch_inputs))?[0];
        batch.push(t.elapsed().as_secs_f64());
    }
    let nf = FEATURES_V1.len();
    let seq = PredictOptions {
        parallelism: Parallelism::Sequential,
        ..PredictOptions::default()
    };
    let mut one_thread = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut rows = vec![f32::NAN; batch_inputs.len() * nf];
        for (out, input) in rows.chunks_mut(nf).zip(&batch_inputs) {
            FeaturesV1.extract(input, out)?;
        }
        sink += model.model().predict_with(&rows, &seq)?[0] as f64;
        one_thread.push(t.elapsed().as_secs_f64());
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "single_post_us median {:.3} min {:.3}",
        median(single.clone()) * 1e6,
        min(&single) * 1e6
    );
    println!(
        "batch_100000_s median {:.4} min {:.4}",
        median(batch.clone()),
        min(&batch)
    );
    println!(
        "one_thread_100000_s median {:.4} min {:.4}",
        median(one_thread.clone()),
        min(&one_thread)
    );
    println!("threads {} (sink {sink:.3})", rayon_threads());
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let timing = std::env::args().any(|a| a == "--time");
    // `--ascii` / `--non-ascii`: only the posts that are (not) pure ASCII, to see what each costs.
    let only_ascii = std::env::args().any(|a| a == "--ascii");
    let only_non_ascii = std::env::args().any(|a| a == "--non-ascii");
    let passes: usize = std::env::args()
        .filter(|a| !a.starts_with("--"))
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1);
    let inputs: Vec<ScoreInput> = include_str!("../tests/golden/texts.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| matches!(v["source"].as_str(), Some("trump_tweets" | "synthetic")))
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .filter(|t| {
            if t.is_ascii() {
                !only_non_ascii
            } else {
                !only_ascii
            }
        })
        .map(|t| input(&t))
        .collect();
    let model = EngagementModel::with_default_model(FeaturesV1)?;
    contentos_predict::features::readability::warm_up();
    if timing {
        return time(&model, &inputs);
    }
    // `--batch`: each pass scores the corpus as one batch (the bulk path: trees evaluated a
    // block of rows at a time) instead of one post per call.
    let batch = std::env::args().any(|a| a == "--batch");
    let mut checksum = score_values(&model, &inputs[..1])?[0];
    for _ in 0..passes {
        if batch {
            checksum += score_values(&model, &inputs)?.iter().sum::<f64>();
            continue;
        }
        for input in &inputs {
            checksum += score_values(&model, std::slice::from_ref(input))?[0];
        }
    }
    println!(
        "{} posts x {passes} passes, checksum {checksum:.6}",
        inputs.len()
    );
    Ok(())
}
