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
//! Prints a checksum so the work cannot be optimised away.

use contentos_core::model::Platform;
use contentos_core::score::ScoreInput;
use contentos_predict::features::v1::{score_values, FeaturesV1};
use contentos_predict::xgb::EngagementModel;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let passes: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(1);
    let inputs: Vec<ScoreInput> = include_str!("../tests/golden/texts.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| matches!(v["source"].as_str(), Some("trump_tweets" | "synthetic")))
        .filter_map(|v| v["text"].as_str().map(str::to_owned))
        .map(|t| {
            let mut input = ScoreInput::new(t, Platform::X);
            input.posted_at = Some("2026-06-02T14:00:00Z".parse().expect("fixed timestamp"));
            input.timezone = Some("America/New_York".into());
            input
        })
        .collect();
    let model = EngagementModel::with_default_model(FeaturesV1)?;
    contentos_predict::features::readability::warm_up();
    let mut checksum = score_values(&model, &inputs[..1])?[0];
    for _ in 0..passes {
        for input in &inputs {
            checksum += score_values(&model, std::slice::from_ref(input))?[0];
        }
    }
    println!("{} posts x {passes} passes, checksum {checksum:.6}", inputs.len());
    Ok(())
}
