//! Score a CSV of posts with an XGBoost model saved by Python xgboost.
//!
//! The CSV needs a `text` column; optional `posted_at` (RFC 3339), `timezone` (IANA) and
//! `platform` (`twitter`, `linkedin`, …) columns. The model defaults to the bundled one
//! (`contentos-predict/models/engagement-default.json`, itself saved by Python xgboost 3.2); pass
//! any other model trained on feature schema `contentos-features/1` (see docs/model.md for how
//! to save one with `Booster.set_attr(contentos_feature_schema=...)`).
//!
//! Run: `cargo run -p contentos-examples --bin score_csv -- posts.csv [model.json]`
//! (without arguments it scores a few built-in posts).

use contentos_core::model::Platform;
use contentos_core::score::{EngagementScorer, ScoreInput};
use contentos_predict::features::FeaturesV1;
use contentos_predict::xgb::{EngagementModel, XgbModel};

const SAMPLE: &str = "text,posted_at,timezone,platform
\"Big announcement at 10am tomorrow. Don't miss it! #launch\",2026-06-02T14:00:00Z,America/New_York,twitter
\"We wrote up what we learned migrating 40 services to Rust: https://example.com/rust\",2026-06-03T09:00:00Z,Europe/Paris,linkedin
ok,2026-06-04T03:00:00Z,UTC,twitter
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let csv_text = match args.get(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => SAMPLE.to_string(),
    };
    let scorer = match args.get(2) {
        Some(model_path) => {
            EngagementModel::new(XgbModel::from_json_file(model_path)?, FeaturesV1)?
        }
        None => contentos_predict::default_scorer()?,
    };
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let text_col = col("text").ok_or("the CSV needs a `text` column")?;
    let (posted_col, tz_col, platform_col) = (col("posted_at"), col("timezone"), col("platform"));
    let mut inputs = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        let field = |c: Option<usize>| c.and_then(|i| record.get(i)).filter(|s| !s.is_empty());
        let platform: Platform = field(platform_col).unwrap_or("twitter").parse()?;
        let mut input = ScoreInput::new(record.get(text_col).unwrap_or(""), platform);
        if let Some(p) = field(posted_col) {
            input.posted_at = Some(
                p.parse()
                    .map_err(|e| format!("row {}: posted_at: {e}", line + 1))?,
            );
        }
        input.timezone = field(tz_col).map(str::to_string);
        inputs.push(input);
    }
    let started = std::time::Instant::now();
    let scores = scorer.score(&inputs)?;
    let elapsed = started.elapsed();
    println!("score  confidence  top factor                         text");
    for (input, s) in inputs.iter().zip(&scores) {
        let top = s
            .factors
            .first()
            .map(|f| format!("{} ({:+.2})", f.feature, f.contribution))
            .unwrap_or_default();
        let preview: String = input.text.chars().take(50).collect();
        println!(
            "{:5.1}  {:10.2}  {:33}  {preview}",
            s.score, s.confidence, top
        );
    }
    println!(
        "\n{} posts scored in {:.2?} with model {}",
        scores.len(),
        elapsed,
        scores
            .first()
            .map(|s| s.model_version.as_str())
            .unwrap_or("-")
    );
    Ok(())
}
