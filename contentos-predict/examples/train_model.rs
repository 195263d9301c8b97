//! Train a workspace's engagement model from its stored analytics and store it as a new version.
//!
//! `cargo run -p contentos-predict --features train --example train_model -- <sqlite-file> <workspace-id>`
//! trains the given workspace of an existing SQLite store. Without arguments it builds a demo:
//! an in-memory store with one workspace and 500 published posts with analytics (questions and
//! evening posts do better), then trains, prints the held-out AUC and the stored version, and
//! scores two drafts with the workspace's model. Needs the `train` feature (native XGBoost;
//! cmake and libclang-dev).

use chrono::{DateTime, Duration, Utc};
use contentos_core::model::*;
use contentos_core::score::{EngagementScorer, ScoreInput};
use contentos_core::store::{SqliteStore, Store};
use contentos_core::vault::{Secret, Vault};
use contentos_predict::training::{train_workspace_model_at, workspace_scorer, TrainOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (store, workspace, now) = match (args.get(1), args.get(2)) {
        (Some(path), Some(ws)) => {
            let store = SqliteStore::open(path).await?;
            let id: uuid::Uuid = ws.parse()?;
            (store, WorkspaceId::from(id), Utc::now())
        }
        _ => {
            let store = SqliteStore::in_memory().await?;
            let (ws, last) = demo_history(&store).await?;
            (store, ws, last + Duration::days(3))
        }
    };
    let started = std::time::Instant::now();
    let report = train_workspace_model_at(&store, workspace, &TrainOptions::default(), now).await?;
    println!(
        "workspace {workspace}: model version {} ({})",
        report.version, report.model_version
    );
    println!(
        "held-out AUC {:.4} on {} posts from {} (train AUC {:.4} on {} posts); native training \
         {:.2} s, whole run {:.2} s",
        report.heldout_auc,
        report.heldout_rows,
        report.split_at.format("%Y-%m-%d"),
        report.train_auc,
        report.train_rows,
        report.train_seconds,
        started.elapsed().as_secs_f64()
    );
    let (scorer, source) = workspace_scorer(&store, workspace).await?;
    println!("scoring with {source:?}, zone {}", scorer.timezone());
    let at: DateTime<Utc> = "2026-06-03T23:30:00Z".parse()?;
    let drafts = [
        "What would you change about our release process? Tell us",
        "Some thoughts about our release process from the team",
    ];
    let inputs: Vec<ScoreInput> = drafts
        .iter()
        .map(|t| {
            let mut i = ScoreInput::new(*t, Platform::X);
            i.posted_at = Some(at);
            i
        })
        .collect();
    for (draft, s) in drafts.iter().zip(scorer.score(&inputs)?) {
        println!("{:5.1}  {draft}", s.score);
    }
    Ok(())
}

/// A workspace in America/Chicago with 500 published posts and their analytics: questions get
/// 1.9× the engagement rate and 17:00–20:59 local posts 1.6×, with noise.
async fn demo_history(
    store: &dyn Store,
) -> Result<(WorkspaceId, DateTime<Utc>), Box<dyn std::error::Error>> {
    let owner = User::new("demo@example.com");
    store.create_user(&owner).await?;
    let ws = Workspace {
        id: WorkspaceId::new(),
        owner_id: owner.id,
        name: "Demo".into(),
        brand_voice: BrandVoice::default(),
        timezone: "America/Chicago".into(),
        created_at: Utc::now(),
    };
    store.create_workspace(&ws).await?;
    let vault = Vault::ephemeral();
    let account = SocialAccount {
        id: AccountId::new(),
        workspace_id: ws.id,
        platform: Platform::X,
        account_name: "demo".into(),
        external_id: None,
        base_url: None,
        access_token: vault.seal(&Secret::new("demo-token"), "account")?,
        refresh_token: None,
        token_expires_at: None,
        status: AccountStatus::Active,
        connected_at: Utc::now(),
    };
    store.create_account(&account).await?;
    let tz: chrono_tz::Tz = ws.timezone.parse()?;
    let start: DateTime<Utc> = "2025-01-06T00:00:00Z".parse()?;
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut last = start;
    for i in 0..500i64 {
        let published = start + Duration::hours(12 * i) + Duration::minutes((rnd() * 720.0) as i64);
        let question = rnd() < 0.4;
        let text = if question {
            format!("What do you think about update {i}? Tell us")
        } else {
            format!("Some notes on update {i} from the team")
        };
        let hour = chrono::Timelike::hour(&published.with_timezone(&tz));
        let mut rate = 2.0 * if question { 1.9 } else { 1.0 };
        if (17..21).contains(&hour) {
            rate *= 1.6;
        }
        rate *= ((rnd() + rnd() + rnd() - 1.5) * 0.5).exp();
        let now = Utc::now();
        let content = Content {
            id: ContentId::new(),
            workspace_id: ws.id,
            created_by: owner.id,
            title: None,
            original_input: text.clone(),
            content_type: ContentType::Social,
            format: Format::Plain,
            metadata: Metadata::new(),
            status: ContentStatus::Published,
            created_at: now,
            updated_at: now,
        };
        let variation = Variation {
            id: VariationId::new(),
            content_id: content.id,
            platform: Some(Platform::X),
            body: text,
            metadata: Metadata::new(),
            created_at: now,
        };
        store
            .create_content(&content, std::slice::from_ref(&variation))
            .await?;
        let post = ScheduledPost {
            id: ScheduledPostId::new(),
            workspace_id: ws.id,
            variation_id: variation.id,
            account_id: account.id,
            platform: Platform::X,
            scheduled_time: published,
            timezone: ws.timezone.clone(),
            status: PostStatus::Published,
            attempts: 1,
            receipts: vec![],
            platform_post_id: Some(format!("demo-{i}")),
            url: None,
            error_message: None,
            lease_owner: None,
            lease_expires_at: None,
            attempt_started_at: None,
            published_at: Some(published),
            created_at: now,
            updated_at: now,
        };
        store.insert_scheduled_post(&post).await?;
        let impressions = 2000i64;
        let total = (rate / 100.0 * impressions as f64).round() as i64;
        store
            .upsert_analytics(&AnalyticsRow {
                id: AnalyticsId::new(),
                scheduled_post_id: post.id,
                platform: Platform::X,
                impressions: Some(impressions),
                likes: total,
                comments: 0,
                shares: 0,
                clicks: None,
                engagement_rate: AnalyticsRow::compute_engagement_rate(
                    Some(impressions),
                    total,
                    0,
                    0,
                ),
                predicted_score: None,
                fetched_at: published + Duration::days(3),
            })
            .await?;
        last = last.max(published);
    }
    Ok((ws.id, last))
}
