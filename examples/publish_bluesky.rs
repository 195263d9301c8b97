//! Publishes a three-part thread (link, mention, hashtag, image) to a Bluesky PDS from Rust.
//!
//! Against the local reference PDS (see docs/publishers.md):
//!
//! ```text
//! node scripts/bluesky/start-pds.js &            # http://localhost:2583
//! cargo run -p contentos-examples --bin publish_bluesky
//! ```
//!
//! Environment: `CONTENTOS_BLUESKY_PDS` (default `http://localhost:2583`). With
//! `BSKY_HANDLE` and `BSKY_PASSWORD` set it logs in to that account; otherwise it creates two
//! throw-away accounts on the PDS (only a local test PDS allows that) and mentions the second.

use contentos_core::model::{AccountId, Platform};
use contentos_core::publish::{
    AccountCredentials, CollectReceipts, MediaAttachment, MediaKind, PostPart, PostRequest,
    Publisher,
};
use contentos_core::vault::Secret;
use contentos_publishers::bluesky::BlueskyPublisher;

/// A valid 1×1 PNG, so the example needs no image file.
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F,
    0x0F, 0x00, 0x02, 0x87, 0x01, 0x80, 0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn create_account(
    pds: &str,
    handle: &str,
    password: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let resp = reqwest::Client::new()
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&serde_json::json!({
            "email": format!("{handle}@example.com"), "handle": handle, "password": password,
        }))
        .send()
        .await?;
    if !resp.status().is_success() {
        return Err(format!("createAccount {handle}: {}", resp.text().await?).into());
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_env_filter("info").init();
    let pds =
        std::env::var("CONTENTOS_BLUESKY_PDS").unwrap_or_else(|_| "http://localhost:2583".into());
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let (handle, password, friend) =
        match (std::env::var("BSKY_HANDLE"), std::env::var("BSKY_PASSWORD")) {
            (Ok(h), Ok(p)) => (h, p, "bsky.app".to_string()),
            _ => {
                let me = format!("writer{suffix}.test");
                let friend = format!("friend{suffix}.test");
                create_account(&pds, &me, "example-pass").await?;
                create_account(&pds, &friend, "example-pass").await?;
                (me, "example-pass".to_string(), friend)
            }
        };
    let account = AccountCredentials {
        account_id: AccountId::new(),
        platform: Platform::Bluesky,
        handle,
        external_id: None,
        base_url: Some(pds.clone()),
        access_token: Secret::new(password),
        refresh_token: None,
        expires_at: None,
    };
    let post = PostRequest {
        post_key: uuid::Uuid::new_v4(),
        parts: vec![
            PostPart {
                text: "A thread from ContentOS 🧵 docs: https://example.com/contentos #rust".into(),
                media: vec![MediaAttachment {
                    kind: MediaKind::Image,
                    mime_type: "image/png".into(),
                    data: PNG_1X1.to_vec(),
                    url: None,
                    alt_text: Some("a single pixel".into()),
                    dimensions: Some((1, 1)),
                }],
            },
            PostPart {
                text: format!("Reviewed by @{friend} — thanks!"),
                media: vec![],
            },
            PostPart {
                text: "Part three: every part is recorded as soon as the PDS confirms it.".into(),
                media: vec![],
            },
        ],
        resume_from: vec![],
        languages: vec!["en".into()],
    };
    let publisher = BlueskyPublisher::default();
    publisher.validate(&post)?;
    let sink = CollectReceipts::default();
    let receipt = publisher.publish(&account, &post, &sink).await?;
    for part in &receipt.parts {
        println!(
            "part {}: {} (cid {})",
            part.index,
            part.platform_post_id,
            part.cid.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}
