//! The LLM pipeline through the Swift glue (generate, streaming, transform, personalize)
//! against a local fake OpenAI-compatible server.

mod support;

use contentos_swift::{ClientOptions, ContentOs, ContentOsError, GenerateEvent, GenerateOptions};
use support::fake_openai::{self, ANSWER};

async fn setup() -> (
    std::sync::Arc<ContentOs>,
    fake_openai::FakeOpenAi,
    String,
    String,
) {
    let llm = fake_openai::start().await;
    let os = ContentOs::in_memory(ClientOptions {
        llm_base_url: Some(llm.url.clone()),
        llm_model: Some("test-model".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let u = os.create_user("ada@example.com".into()).await.unwrap();
    let w = os
        .create_workspace(u.id.clone(), "Acme".into(), "UTC".into(), None)
        .await
        .unwrap();
    (os, llm, u.id, w.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_transform_and_personalize() {
    let (os, llm, u, w) = setup().await;
    let out = os
        .generate(
            u.clone(),
            w.clone(),
            "Announce our Rust SDK release".into(),
            GenerateOptions {
                variations: Some(2),
                tone: Some("casual".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(out.content.variations.len(), 2);
    assert_eq!(out.content.content_type, "social");
    for v in &out.content.variations {
        assert!(v.body.contains(&ANSWER[..20]), "{}", v.body);
    }
    let last = llm.requests.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last["model"], "test-model");

    let t = os
        .transform(
            u.clone(),
            out.content.id.clone(),
            vec!["mastodon".into(), "bluesky".into()],
        )
        .await
        .unwrap();
    let mut platforms: Vec<_> = t.iter().filter_map(|v| v.platform.clone()).collect();
    platforms.sort();
    assert_eq!(platforms, ["bluesky", "mastodon"]);

    let seg = os
        .create_segment(
            u.clone(),
            w.clone(),
            "Developers".into(),
            Some("People who write code".into()),
            Some(r#"{"interests": ["rust"]}"#.into()),
        )
        .await
        .unwrap();
    assert!(seg.attributes_json.contains("rust"));
    let versions = os
        .personalize(u.clone(), out.content.id.clone(), vec!["Developers".into()])
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].segment_id, seg.id);
    assert!(!versions[0].body.trim().is_empty());
    let stored = os
        .get_content(u.clone(), out.content.id.clone())
        .await
        .unwrap();
    assert!(stored
        .variations
        .iter()
        .any(|v| v.id == versions[0].variation_id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_stream_ends_with_stored_then_none() {
    let (os, _llm, u, w) = setup().await;
    let stream = os
        .generate_stream(
            u,
            w,
            "Stream me a post about Rust".into(),
            GenerateOptions::default(),
        )
        .unwrap();
    let mut text = String::new();
    let mut events = Vec::new();
    while let Some(ev) = stream.next().await.unwrap() {
        if let GenerateEvent::Delta { text: t, .. } = &ev {
            text.push_str(t);
        }
        events.push(ev);
    }
    assert!(text.contains(ANSWER.split(' ').next().unwrap()), "{text}");
    match events.last() {
        Some(GenerateEvent::Stored { result }) => {
            assert!(!result.content.variations[0].body.is_empty())
        }
        other => panic!("last event {other:?}"),
    }
    assert!(
        stream.next().await.unwrap().is_none(),
        "stream must stay finished"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_options_are_refused_before_the_llm_is_called() {
    let (os, llm, u, w) = setup().await;
    let err = os
        .generate(
            u.clone(),
            w.clone(),
            "short".into(),
            GenerateOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ContentOsError::Validation { field, .. } if field == "input"),
        "{err:?}"
    );
    let err = os
        .generate(
            u.clone(),
            w.clone(),
            "A long enough input about Rust".into(),
            GenerateOptions {
                tone: Some("sarcastic-ish".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ContentOsError::Validation { field, .. } if field == "tone"),
        "{err:?}"
    );
    let stream = os
        .generate_stream(u, w, "tiny".into(), GenerateOptions::default())
        .unwrap();
    let err = stream.next().await.unwrap_err();
    assert!(matches!(err, ContentOsError::Validation { .. }), "{err:?}");
    assert!(llm.requests.lock().unwrap().is_empty());
}
