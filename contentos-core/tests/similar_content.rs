//! Vector wiring of the facade: segments are embedded on create, published posts are indexed,
//! and the near-duplicate check and `find_similar` find them (and only them).

use async_trait::async_trait;
use chrono::Utc;
use contentos_core::access::Actor;
use contentos_core::model::*;
use contentos_core::publish::*;
use contentos_core::schedule::WorkerConfig;
use contentos_core::vault::Secret;
use contentos_core::vector::similarity::NearDuplicateCheck;
use contentos_core::vector::{Filter, AUDIENCE_EMBEDDINGS};
use contentos_core::{ContentOs, NewSocialAccount};
use std::sync::Arc;

/// A publisher that confirms every part with a made-up id (no network).
struct EchoPublisher(Capabilities);

impl EchoPublisher {
    fn new() -> Self {
        EchoPublisher(Capabilities {
            platform: Platform::Mastodon,
            length_unit: LengthUnit::CodePoints,
            max_length: 500,
            max_followup_length: None,
            max_images: 4,
            max_videos: 1,
            media_types: vec![],
            max_image_bytes: None,
            thread_model: ThreadModel::ReplyTo,
            idempotency: Idempotency::NativeKey,
            needs_public_media_url: false,
            max_hashtags: None,
        })
    }
}

#[async_trait]
impl Publisher for EchoPublisher {
    fn platform(&self) -> Platform {
        Platform::Mastodon
    }
    fn capabilities(&self) -> &Capabilities {
        &self.0
    }
    fn validate(&self, _post: &PostRequest) -> contentos_core::Result<()> {
        Ok(())
    }
    async fn publish(
        &self,
        _a: &AccountCredentials,
        post: &PostRequest,
        sink: &dyn ReceiptSink,
    ) -> contentos_core::Result<PublishReceipt> {
        let mut parts = post.resume_from.clone();
        for i in parts.len()..post.parts.len() {
            let r = PartReceipt {
                index: i,
                platform_post_id: format!("{}-{i}", post.post_key),
                cid: None,
                url: None,
            };
            sink.record(&r).await?;
            parts.push(r);
        }
        Ok(PublishReceipt {
            platform: Platform::Mastodon,
            parts,
        })
    }
    async fn metrics(
        &self,
        _a: &AccountCredentials,
        _ids: &[PlatformPostId],
    ) -> contentos_core::Result<Vec<PostMetrics>> {
        Ok(vec![])
    }
    async fn refresh(&self, a: &AccountCredentials) -> contentos_core::Result<AccountCredentials> {
        Ok(a.clone())
    }
}

#[tokio::test]
async fn published_posts_are_found_as_near_duplicates_and_segments_are_embedded() {
    let os = ContentOs::builder()
        .in_memory()
        .publisher(Arc::new(EchoPublisher::new()))
        .execute()
        .await
        .unwrap();
    let u = os.create_user("v@example.com").await.unwrap();
    let me = Actor::user(u.id);
    let ws = os
        .create_workspace(&me, "W", BrandVoice::default(), "UTC")
        .await
        .unwrap();

    let seg = os
        .create_segment(
            &me,
            ws.id,
            NewSegment {
                name: "developers".into(),
                description: Some("people who write Rust services".into()),
                attributes: Default::default(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        seg.embedding_id.as_deref(),
        Some(seg.id.to_string().as_str())
    );
    let q = contentos_core::embed::Embedder::embed(
        os.embedder().as_ref(),
        &["developers who write Rust services".to_string()],
    )
    .await
    .unwrap();
    let hits = os
        .vector_store()
        .query(
            AUDIENCE_EMBEDDINGS,
            &q[0],
            1,
            Some(&Filter::workspace(ws.id)),
        )
        .await
        .unwrap();
    assert_eq!(hits[0].id, seg.id.to_string());

    let published_text =
        "Our Rust migration cut p99 latency by 40 percent across 12 services. Full write-up soon.";
    let content = os
        .create_content(
            &me,
            NewContent {
                workspace_id: ws.id,
                created_by: u.id,
                title: None,
                original_input: "Write about our Rust migration".into(),
                content_type: ContentType::Social,
                format: Format::Plain,
                metadata: Default::default(),
                variations: vec![NewVariation {
                    platform: Some(Platform::Mastodon),
                    body: published_text.into(),
                    metadata: Default::default(),
                }],
            },
        )
        .await
        .unwrap();
    let acc = os
        .connect_account(
            &me,
            ws.id,
            NewSocialAccount {
                platform: Platform::Mastodon,
                account_name: "me".into(),
                external_id: None,
                base_url: Some("https://mastodon.example".into()),
                access_token: Secret::new("t"),
                refresh_token: None,
                token_expires_at: None,
            },
        )
        .await
        .unwrap();
    let check = NearDuplicateCheck::default();
    // Nothing is published yet: no duplicates.
    assert!(os
        .near_duplicates(&me, ws.id, Platform::Mastodon, published_text, &check)
        .await
        .unwrap()
        .is_empty());

    let post = os
        .schedule(&me, content.variations[0].id, acc.id, Utc::now(), "UTC")
        .await
        .unwrap();
    let worker = os
        .worker(WorkerConfig {
            worker_id: "w".into(),
            ..WorkerConfig::default()
        })
        .unwrap();
    worker.run_once().await.unwrap();
    assert_eq!(
        os.get_scheduled_post(&me, post.id).await.unwrap().status,
        PostStatus::Published
    );

    let almost = "Our Rust migration cut p99 latency by 40 percent across 12 services. Full write-up coming soon!";
    eprintln!(
        "similar: {:?}",
        os.find_similar(&me, content.content.id, 5).await
    );
    let dups = os
        .near_duplicates(&me, ws.id, Platform::Mastodon, almost, &check)
        .await
        .unwrap();
    assert_eq!(dups.len(), 1, "a near-copy of a published post is reported");
    assert_eq!(dups[0].id, post.id.to_string());
    assert!(dups[0].score >= 0.85);
    let unrelated = "Join our webinar on hospital staffing next Tuesday.";
    assert!(os
        .near_duplicates(&me, ws.id, Platform::Mastodon, unrelated, &check)
        .await
        .unwrap()
        .is_empty());
    assert!(
        os.near_duplicates(&me, ws.id, Platform::X, almost, &check)
            .await
            .unwrap()
            .is_empty(),
        "other platform"
    );

    let similar = os.find_similar(&me, content.content.id, 5).await.unwrap();
    assert_eq!(similar[0].id, post.id.to_string());

    // Another workspace sees nothing of this one.
    let other = os
        .create_workspace(&me, "Other", BrandVoice::default(), "UTC")
        .await
        .unwrap();
    assert!(os
        .near_duplicates(&me, other.id, Platform::Mastodon, almost, &check)
        .await
        .unwrap()
        .is_empty());
}
