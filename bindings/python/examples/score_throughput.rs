//! Scores a corpus of posts with the default engagement model and prints the throughput: the
//! Rust side of the Python binding's overhead check (`scripts/test-python.sh`).
//!
//! ```text
//! cargo run --release -p contentos-python --example score_throughput -- corpus.json [scores.json]
//! ```
//!
//! `corpus.json` is `{"texts": [...], "platform": "twitter", "posted_at": "2024-05-01T12:00:00Z"}`.
//! Prints one JSON line `{"posts": n, "seconds": best-of-3, "posts_per_second": …}`; with a
//! second argument, writes the first 1,000 scores (and their inputs) for the parity test.

use contentos_core::model::Platform;
use contentos_core::score::ScoreInput;
use contentos_predict::features::v1::{score_values, FeaturesV1};
use contentos_predict::xgb::EngagementModel;
use std::str::FromStr;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let corpus_path = args
        .next()
        .ok_or("usage: score_throughput corpus.json [scores.json]")?;
    let out_path = args.next();
    let corpus: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&corpus_path)?)?;
    let platform_name = corpus["platform"].as_str().unwrap_or("twitter").to_string();
    let platform = Platform::from_str(&platform_name)?;
    let posted_at_text = corpus["posted_at"].as_str().map(str::to_string);
    let posted_at = posted_at_text.as_deref().map(str::parse).transpose()?;
    let texts: Vec<String> = serde_json::from_value(corpus["texts"].clone())?;
    let model = EngagementModel::with_default_model(FeaturesV1)?;
    let mut best = f64::INFINITY;
    let mut scores = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        // Building the inputs is part of the work, as it is for the binding.
        let inputs: Vec<ScoreInput> = texts
            .iter()
            .map(|t| {
                let mut i = ScoreInput::new(t.clone(), platform);
                i.posted_at = posted_at;
                i
            })
            .collect();
        scores = score_values(&model, &inputs)?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{}",
        serde_json::json!({
            "posts": texts.len(),
            "seconds": best,
            "posts_per_second": texts.len() as f64 / best,
        })
    );
    if let Some(path) = out_path {
        let n = texts.len().min(1000);
        std::fs::write(
            path,
            serde_json::json!({
                "texts": &texts[..n],
                "platform": platform_name,
                "posted_at": posted_at_text,
                "scores": &scores[..n],
            })
            .to_string(),
        )?;
    }
    Ok(())
}
