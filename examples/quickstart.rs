//! Quickstart: the main job on embedded defaults — no server, no API key.
//!
//! Opens (or creates) `contentos.db` in the working directory, creates a user and a workspace
//! with a brand voice, stores a content item with three platform variations in one atomic
//! write, and lists the workspace's content back, newest first.
//!
//! Run: `cargo run -p contentos-examples --bin quickstart` (pass a path to use another file).

use contentos_core::access::Actor;
use contentos_core::model::{
    BrandVoice, ContentQuery, ContentType, NewContent, NewVariation, Platform, Tone,
};
use contentos_core::ContentOs;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "contentos.db".to_string());
    let os = ContentOs::open(&path).await?;
    println!("opened {path} ({os:?})");

    let email = format!("quickstart+{}@example.com", uuid_suffix());
    let user = os.create_user(&email).await?;
    let me = Actor::user(user.id);
    let voice = BrandVoice {
        tone: Some(Tone::Professional),
        style: "Short sentences. Concrete examples. No hype.".into(),
        keywords: vec!["patient outcomes".into()],
        banned_words: vec!["revolutionary".into()],
    };
    let ws = os
        .create_workspace(&me, "Acme Health", voice, "America/New_York")
        .await?;
    println!("workspace {} ({})", ws.name, ws.id);

    let variation = |platform: Platform, body: &str| NewVariation {
        platform: Some(platform),
        body: body.to_string(),
        metadata: Default::default(),
    };
    let stored = os
        .create_content(
            &me,
            NewContent {
                workspace_id: ws.id,
                created_by: user.id,
                title: Some("AI in healthcare".into()),
                original_input: "Write about AI in healthcare".into(),
                content_type: ContentType::Social,
                format: Default::default(),
                metadata: Default::default(),
                variations: vec![
                    variation(Platform::X, "AI triage cut ER wait times by 30% at three pilot hospitals. What would you automate first?"),
                    variation(Platform::LinkedIn, "Three pilot hospitals used AI triage to cut ER waits by 30%. Here is what worked (and what did not)."),
                    variation(Platform::Bluesky, "AI triage, real numbers: ER waits down 30% across three pilots. Thread on what worked."),
                ],
            },
        )
        .await?;
    println!(
        "stored content {} with {} variations",
        stored.content.id,
        stored.variations.len()
    );

    let page = os
        .list_content(&me, ws.id, &ContentQuery::default())
        .await?;
    println!("workspace has {} content item(s):", page.total);
    for c in &page.items {
        let full = os.get_content(&me, c.id).await?;
        println!(
            "- {} [{}] {}",
            c.id,
            c.status,
            c.title.as_deref().unwrap_or("(untitled)")
        );
        for v in &full.variations {
            let platform = v.platform.map(|p| p.as_str()).unwrap_or("generic");
            println!("    {platform:>9}: {}", v.body);
        }
    }
    Ok(())
}

fn uuid_suffix() -> String {
    contentos_core::model::UserId::new().to_string()[..8].to_string()
}
