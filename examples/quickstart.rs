//! Quickstart: the whole pipeline on embedded defaults — no server to set up, no API key.
//!
//! content in → platform variations (LLM rewrite when one is configured, rule-based fitting by
//! the text engine otherwise) → engagement scores (bundled XGBoost model) → scheduled (durable
//! queue in SQLite) → published to the local Bluesky server when one runs at
//! `CONTENTOS_BLUESKY_PDS` (default `http://localhost:2583`, started by `scripts/setup.sh`), or
//! shown as a dry-run plan when none does → metrics → an insights summary and chart files.
//!
//! Run: `cargo run -p contentos-examples --bin quickstart` (pass a path to use another file).

use chrono::Utc;
use contentos_core::access::Actor;
use contentos_core::model::*;
use contentos_core::pipeline::TransformRequest;
use contentos_core::schedule::WorkerConfig;
use contentos_core::vault::Secret;
use contentos_core::{ContentOs, NewSocialAccount};
use contentos_publishers::bluesky::BlueskyPublisher;
use std::sync::Arc;

const ARTICLE: &str = "# AI triage in emergency rooms\n\n\
AI triage cut emergency waiting times by thirty percent in three pilot hospitals. Nurses now \
spend less time on forms and more time with patients. The full study is at \
https://example.org/ai-triage-study.\n\n\
Radiology teams use models to flag urgent scans first. The models never replace the \
radiologist; they reorder the queue so the sickest patients are seen sooner. #HealthTech\n\n\
What would you automate first in your hospital? Tell us below.";

/// Creates a fresh account on a local development PDS; `None` when no PDS answers.
async fn local_bluesky_account(pds: &str) -> Option<(String, String)> {
    let suffix = &UserId::new().to_string()[..8];
    let handle = format!("quickstart{suffix}.test");
    let password = format!("pw-{suffix}-local");
    let resp = reqwest::Client::new()
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&serde_json::json!({"email": format!("{handle}@example.com"), "handle": handle, "password": password}))
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await
        .ok()?;
    resp.status().is_success().then_some((handle, password))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "contentos.db".to_string());
    let pds =
        std::env::var("CONTENTOS_BLUESKY_PDS").unwrap_or_else(|_| "http://localhost:2583".into());
    let os = ContentOs::builder()
        .sqlite(&path)
        .scorer(Arc::new(contentos_predict::default_scorer()?))
        .llm_opt(contentos_core::llm::from_env()?)
        .publisher(Arc::new(BlueskyPublisher::default().with_pds(pds.clone())))
        .execute()
        .await?;
    println!("1. opened {path}: {os:?}");

    let user = os
        .create_user(&format!(
            "quickstart+{}@example.com",
            &UserId::new().to_string()[..8]
        ))
        .await?;
    let me = Actor::user(user.id);
    let voice = BrandVoice {
        tone: Some(Tone::Professional),
        style: "Short sentences. Concrete numbers. No hype.".into(),
        keywords: vec!["patients".into()],
        banned_words: vec!["revolutionary".into()],
    };
    let ws = os
        .create_workspace(&me, "Acme Health", voice, "America/New_York")
        .await?;

    // 1. Content in.
    let content = os
        .create_content(
            &me,
            NewContent {
                workspace_id: ws.id,
                created_by: user.id,
                title: Some("AI triage in emergency rooms".into()),
                original_input: "Write about AI triage in emergency rooms".into(),
                content_type: ContentType::Blog,
                format: Format::Markdown,
                metadata: Default::default(),
                variations: vec![NewVariation {
                    platform: None,
                    body: ARTICLE.into(),
                    metadata: Default::default(),
                }],
            },
        )
        .await?;

    // 2. Platform variations, fitted and scored.
    let variations = os
        .transform(
            &me,
            TransformRequest::new(
                content.content.id,
                vec![
                    Platform::X,
                    Platform::LinkedIn,
                    Platform::Bluesky,
                    Platform::Mastodon,
                ],
            ),
        )
        .await?;
    println!("2. platform variations (score = predicted engagement 0–100):");
    for v in &variations {
        println!(
            "   {:>9}: {} part(s), score {}, {}",
            v.platform.map(|p| p.as_str()).unwrap_or("-"),
            v.metadata.get("threadLength").cloned().unwrap_or_default(),
            v.metadata
                .get("estimatedEngagement")
                .cloned()
                .unwrap_or_default(),
            if v.metadata.get("degraded").is_some() {
                "rule-based (no LLM configured)"
            } else {
                "LLM rewrite"
            }
        );
    }
    let bluesky = variations
        .iter()
        .find(|v| v.platform == Some(Platform::Bluesky))
        .ok_or("no Bluesky variation")?;

    // 3. Schedule and publish, or show the plan.
    match local_bluesky_account(&pds).await {
        Some((handle, password)) => {
            let account = os
                .connect_account(
                    &me,
                    ws.id,
                    NewSocialAccount {
                        platform: Platform::Bluesky,
                        account_name: handle.clone(),
                        external_id: None,
                        base_url: Some(pds.clone()),
                        access_token: Secret::new(password),
                        refresh_token: None,
                        token_expires_at: None,
                    },
                )
                .await?;
            let post = os
                .schedule(&me, bluesky.id, account.id, Utc::now(), &ws.timezone)
                .await?;
            println!(
                "3. scheduled {} for {} ({})",
                post.id, post.scheduled_time, post.timezone
            );
            let worker = os.worker(WorkerConfig {
                worker_id: "quickstart".into(),
                ..WorkerConfig::default()
            })?;
            let reports = worker.run_once().await?;
            let published = os.get_scheduled_post(&me, post.id).await?;
            println!(
                "4. worker ran {} job(s); post is {:?}",
                reports.len(),
                published.status
            );
            for r in &published.receipts {
                println!("   part {}: {}", r.index, r.platform_post_id);
            }
            // 5. Metrics.
            let collected = os.collect_metrics(ws.id, Utc::now(), 30).await?;
            println!(
                "5. metrics: {} post(s) checked, {} row(s) stored{}",
                collected.posts_checked,
                collected.rows_upserted,
                collected
                    .errors
                    .first()
                    .map(|e| format!(" (unavailable: {e})"))
                    .unwrap_or_default()
            );
        }
        None => {
            println!("3. no Bluesky server at {pds}: dry-run plan (start one with `bash scripts/bluesky/setup.sh`)");
            for v in &variations {
                let parts = contentos_core::schedule::variation_parts(v);
                println!(
                    "   would publish {} part(s) to {}",
                    parts.len(),
                    v.platform.map(|p| p.as_str()).unwrap_or("-")
                );
            }
        }
    }

    // 6. Insights and charts.
    let report = os.performance(&me, ws.id, 30).await?;
    println!(
        "6. insights: {} post(s) with metrics",
        report.summary.total_posts
    );
    for line in &report.insights {
        println!("   - {line}");
    }
    match os.performance_charts(&me, ws.id, 30).await {
        Ok(charts) => {
            std::fs::write("contentos-engagement.svg", &charts.heatmap_svg)?;
            std::fs::write("contentos-trends.png", &charts.trends_png)?;
            println!("   charts written: contentos-engagement.svg, contentos-trends.png");
        }
        Err(e) => println!("   no chart yet: {e}"),
    }
    Ok(())
}
