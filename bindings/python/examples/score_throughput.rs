//! Scores a corpus of posts with the default engagement model: the Rust side of the Python
//! binding's overhead measurement (`bindings/python/scripts/overhead.py`, run by
//! `scripts/test-python.sh`).
//!
//! ```text
//! cargo run --release -p contentos-python --example score_throughput -- corpus.json \
//!     [--repeats N] [--no-score] [--scores scores.json]
//! ```
//!
//! `corpus.json` is `{"texts": [...], "platform": "twitter", "posted_at": "2024-05-01T12:00:00Z"}`.
//! The protocol is the same as `scripts/throughput.py` on the Python side: load the corpus,
//! warm up on the first 1,000 posts, then score the whole corpus `N` times, printing one JSON
//! line per run with its wall time and the process CPU time it used. `--no-score` stops after
//! the warm-up (the baseline for instruction counts under callgrind). `--scores` writes the
//! first 1,000 scores and their inputs for the parity test.

use contentos_core::model::Platform;
use contentos_core::score::ScoreInput;
use contentos_predict::features::v1::{score_values, FeaturesV1};
use contentos_predict::xgb::EngagementModel;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// CPU time used by the whole process so far (all threads), like Python's `time.process_time`.
fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the kernel knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// One batch, built and scored as the binding does (building the inputs is part of the work).
#[inline(never)]
fn score_batch(
    model: &EngagementModel<FeaturesV1>,
    texts: &[String],
    platform: Platform,
    posted_at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Vec<f64>, contentos_core::Error> {
    let inputs: Vec<ScoreInput> = texts
        .iter()
        .map(|t| {
            let mut i = ScoreInput::new(t.clone(), platform);
            i.posted_at = posted_at;
            i
        })
        .collect();
    score_values(model, &inputs)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut corpus_path = None;
    let mut out_path = None;
    let mut repeats = 3usize;
    let mut score = true;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeats" => repeats = args.next().ok_or("--repeats needs a number")?.parse()?,
            "--no-score" => score = false,
            "--scores" => out_path = Some(args.next().ok_or("--scores needs a path")?),
            _ => corpus_path = Some(a),
        }
    }
    let corpus_path = corpus_path.ok_or(
        "usage: score_throughput corpus.json [--repeats N] [--no-score] [--scores out.json]",
    )?;
    let corpus: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&corpus_path)?)?;
    let platform_name = corpus["platform"].as_str().unwrap_or("twitter").to_string();
    let platform = Platform::from_str(&platform_name)?;
    let posted_at_text = corpus["posted_at"].as_str().map(str::to_string);
    let posted_at = posted_at_text.as_deref().map(str::parse).transpose()?;
    let texts: Vec<String> = serde_json::from_value(corpus["texts"].clone())?;
    let model = EngagementModel::with_default_model(FeaturesV1)?;
    let warm = &texts[..texts.len().min(1000)];
    let mut scores = score_batch(&model, warm, platform, posted_at)?;
    if !score {
        return Ok(());
    }
    for _ in 0..repeats {
        let (wall, cpu) = (Instant::now(), process_cpu_time());
        scores = score_batch(&model, &texts, platform, posted_at)?;
        let (wall, cpu) = (wall.elapsed(), process_cpu_time() - cpu);
        println!(
            "{}",
            serde_json::json!({
                "lang": "rust",
                "posts": texts.len(),
                "wall": wall.as_secs_f64(),
                "cpu": cpu.as_secs_f64(),
            })
        );
    }
    if let Some(path) = out_path {
        let n = texts.len().min(1000).min(scores.len());
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
