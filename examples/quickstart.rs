//! Quickstart: the whole pipeline on embedded defaults — no server to set up, no API key.
//!
//! content in → platform variations (LLM rewrite when one is configured, rule-based fitting by
//! the text engine otherwise) → engagement scores (bundled XGBoost model) → scheduled (durable
//! queue in SQLite) → published to the local Bluesky server when one runs at
//! `CONTENTOS_BLUESKY_PDS` (default `http://localhost:2583`, started by `scripts/setup.sh`), or
//! shown as a dry-run plan when none does → metrics (read through the Bluesky adapter from the
//! local AppView at `CONTENTOS_BLUESKY_APPVIEW`, default `http://localhost:2584`, after a second
//! local account liked, reposted and replied; "unknown" with the reason when there is no AppView)
//! → an insights summary and chart files.
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
use std::time::Duration;

const ARTICLE: &str = "# AI triage in emergency rooms\n\n\
AI triage cut emergency waiting times by thirty percent in three pilot hospitals. Nurses now \
spend less time on forms and more time with patients. The full study is at \
https://example.org/ai-triage-study.\n\n\
Radiology teams use models to flag urgent scans first. The models never replace the \
radiologist; they reorder the queue so the sickest patients are seen sooner. #HealthTech\n\n\
What would you automate first in your hospital? Tell us below.";

#[path = "quickstart/local_bluesky.rs"]
mod local_bluesky;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "contentos.db".to_string());
    let pds =
        std::env::var("CONTENTOS_BLUESKY_PDS").unwrap_or_else(|_| "http://localhost:2583".into());
    let appview = std::env::var("CONTENTOS_BLUESKY_APPVIEW")
        .unwrap_or_else(|_| "http://localhost:2584".into());
    let os = ContentOs::builder()
        .sqlite(&path)
        .scorer(Arc::new(contentos_predict::default_scorer()?))
        .llm_opt(contentos_core::llm::from_env()?)
        .publisher(Arc::new(
            BlueskyPublisher::default()
                .with_pds(pds.clone())
                .with_appview(appview.clone()),
        ))
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
    match local_bluesky::create_account(&pds, "quickstart").await {
        Some((handle, password, _session)) => {
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
                "4. worker ran {} job(s); post is {:?} on {pds} as @{handle}",
                reports.len(),
                published.status
            );
            for r in &published.receipts {
                println!("   part {}: {}", r.index, r.platform_post_id);
            }
            metrics_step(&os, &me, ws.id, &pds, &appview, &published).await?;
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
            println!("4. nothing published (dry run)");
            println!("5. metrics: unknown — nothing was published, so there is nothing to measure");
        }
    }

    // 6. Insights summary over what is known, and a chart.
    let report = os.performance(&me, ws.id, 30).await?;
    let s = &report.summary;
    println!("6. insights summary (last 30 days):");
    println!("   posts with metrics: {}", s.total_posts);
    println!(
        "   engagements (likes + replies + reposts/quotes): {}",
        s.total_engagements
    );
    if s.posts_without_impressions == s.total_posts {
        println!("   impressions: unknown (no platform reported any)");
        println!("   average engagement rate: unknown (it needs impressions)");
    } else {
        println!(
            "   impressions: {} ({} post(s) without)",
            s.total_impressions, s.posts_without_impressions
        );
        match s.avg_engagement_rate {
            Some(r) => println!("   average engagement rate: {r:.2}%"),
            None => println!("   average engagement rate: unknown"),
        }
    }
    println!(
        "   top platform: {}",
        s.top_platform
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "unknown (no metrics yet)".into())
    );
    for line in &report.insights {
        println!("   - {line}");
    }
    match os.performance_charts(&me, ws.id, 30).await {
        Ok(charts) => {
            std::fs::write("contentos-engagement.svg", &charts.heatmap_svg)?;
            std::fs::write("contentos-trends.png", &charts.trends_png)?;
            println!(
                "7. charts written: contentos-engagement.svg (engagement by weekday × hour), \
                 contentos-trends.png (per-platform trend){}",
                if s.total_posts == 0 {
                    " — empty until a post has metrics"
                } else {
                    ""
                }
            );
        }
        Err(e) => println!("7. charts could not be drawn: {e}"),
    }
    Ok(())
}

/// Step 5: metrics of the published post, read through the Bluesky adapter from the local
/// AppView — after a second local account liked, reposted and replied to it, so the counts are
/// real. Without an AppView the metrics are reported as unknown, with the reason.
async fn metrics_step(
    os: &ContentOs,
    me: &Actor,
    ws: WorkspaceId,
    pds: &str,
    appview: &str,
    published: &ScheduledPost,
) -> Result<(), Box<dyn std::error::Error>> {
    if published.status != PostStatus::Published {
        println!(
            "5. metrics: unknown — the post is {:?}, not published",
            published.status
        );
        return Ok(());
    }
    if !local_bluesky::appview_up(appview).await {
        println!(
            "5. metrics: unknown — no Bluesky AppView at {appview}: the bare development PDS does \
             not serve app.bsky.feed.getPosts (`bash scripts/bluesky/setup.sh` starts the full \
             local network with its AppView)"
        );
        return Ok(());
    }
    let first = published
        .receipts
        .first()
        .ok_or("published without a receipt")?;
    if let (Some(cid), Some((fan_handle, _, fan))) = (
        first.cid.as_deref(),
        local_bluesky::create_account(pds, "fan").await,
    ) {
        match local_bluesky::engage(pds, &fan, &first.platform_post_id, cid).await {
            Ok(()) => println!("5. @{fan_handle} liked, reposted and replied to the post"),
            Err(e) => println!("5. a second account could not engage with the post: {e}"),
        }
        if !local_bluesky::wait_indexed(appview, &first.platform_post_id, Duration::from_secs(20))
            .await
        {
            println!("   (the AppView had not indexed all of it after 20 s; reading what it has)");
        }
    }
    let collected = os.collect_metrics(ws, Utc::now(), 30).await?;
    println!(
        "   metrics: {} post(s) checked, {} row(s) stored from {appview}",
        collected.posts_checked, collected.rows_upserted
    );
    for e in &collected.errors {
        println!("   metrics unavailable: {e}");
    }
    for row in os.post_performance(me, ws, 30).await? {
        let m = &row.metrics;
        println!(
            "   {}: likes {}, replies {}, reposts+quotes {}, impressions {}, engagement rate {}",
            row.post.platform,
            m.likes,
            m.comments,
            m.shares,
            m.impressions
                .map(|n| n.to_string())
                .unwrap_or_else(|| "unknown".into()),
            m.engagement_rate
                .map(|r| format!("{r:.2}%"))
                .unwrap_or_else(|| "unknown (no impressions reported)".into())
        );
    }
    Ok(())
}
