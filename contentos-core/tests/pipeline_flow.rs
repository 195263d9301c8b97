//! The generation pipeline end to end on the embedded Store, with a scripted in-process LLM
//! (the wire protocols themselves are tested against local HTTP servers in `llm_*` tests).

use async_trait::async_trait;
use contentos_core::access::Actor;
use contentos_core::llm::{
    Completion, CompletionChunk, CompletionRequest, CompletionStream, FinishReason, LlmProvider,
    StreamSummary,
};
use contentos_core::model::*;
use contentos_core::pipeline::{GenerateEvent, GenerateRequest, TransformRequest};
use contentos_core::{ContentOs, Error, ErrorKind};
use futures::StreamExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// How a scripted LLM answers call number `n` of request `req`.
type Answer = Box<dyn Fn(&CompletionRequest, usize) -> Result<String, Error> + Send + Sync>;

/// Answers with a function of the prompt, records every request, or fails with a fixed error.
struct ScriptedLlm {
    answer: Answer,
    calls: AtomicUsize,
    seen: Mutex<Vec<CompletionRequest>>,
}

impl ScriptedLlm {
    fn new(
        f: impl Fn(&CompletionRequest, usize) -> Result<String, Error> + Send + Sync + 'static,
    ) -> Arc<Self> {
        Arc::new(ScriptedLlm {
            answer: Box::new(f),
            calls: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
        })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

fn prompt_of(req: &CompletionRequest) -> String {
    req.messages
        .iter()
        .map(|m| m.content.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[async_trait]
impl LlmProvider for ScriptedLlm {
    fn name(&self) -> &str {
        "scripted"
    }
    async fn complete(&self, req: CompletionRequest) -> contentos_core::Result<Completion> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        self.seen.lock().unwrap().push(req.clone());
        let text = (self.answer)(&req, n)?;
        Ok(Completion {
            text,
            finish_reason: FinishReason::Stop,
            provider: "scripted".into(),
            model: "scripted-1".into(),
            request_id: Some(format!("req-{n}")),
            usage: None,
            served_by: "scripted".into(),
            cost_usd: None,
            cached: false,
        })
    }
    async fn stream(&self, req: CompletionRequest) -> contentos_core::Result<CompletionStream> {
        let c = self.complete(req).await?;
        let words: Vec<String> = c.text.split_inclusive(' ').map(str::to_string).collect();
        let mut items: Vec<contentos_core::Result<CompletionChunk>> = words
            .into_iter()
            .map(|w| Ok(CompletionChunk::Delta(w)))
            .collect();
        items.push(Ok(CompletionChunk::Done(StreamSummary {
            finish_reason: FinishReason::Stop,
            provider: "scripted".into(),
            model: "scripted-1".into(),
            request_id: None,
            usage: None,
            served_by: "scripted".into(),
            cost_usd: None,
        })));
        Ok(futures::stream::iter(items).boxed())
    }
}

async fn setup(llm: Option<Arc<ScriptedLlm>>, banned: &[&str]) -> (ContentOs, Actor, Workspace) {
    let os = ContentOs::builder()
        .in_memory()
        .llm_opt(llm.map(|l| l as Arc<dyn LlmProvider>))
        .execute()
        .await
        .unwrap();
    let u = os.create_user("writer@example.com").await.unwrap();
    let me = Actor::user(u.id);
    let bv = BrandVoice {
        tone: Some(Tone::Casual),
        style: "Plain words.".into(),
        keywords: vec!["patients".into()],
        banned_words: banned.iter().map(|s| s.to_string()).collect(),
    };
    let ws = os
        .create_workspace(&me, "W", bv, "Europe/Paris")
        .await
        .unwrap();
    (os, me, ws)
}

async fn content_count(os: &ContentOs, me: &Actor, ws: WorkspaceId) -> u64 {
    os.list_content(me, ws, &ContentQuery::default())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn generate_stores_variations_with_metadata_and_prompt_carries_brand_voice() {
    let llm = ScriptedLlm::new(|_, n| {
        Ok(format!(
            "```markdown\n# Draft {n}\n\nAI helps patients every day.\n```"
        ))
    });
    let (os, me, ws) = setup(Some(llm.clone()), &["synergy"]).await;
    let req = GenerateRequest::new(ws.id, "Write about AI in healthcare")
        .content_type(ContentType::Blog)
        .variations(3);
    let out = os.generate(&me, req).await.unwrap();
    assert_eq!(out.variations.len(), 3);
    assert_eq!(llm.calls(), 3);
    for v in &out.variations {
        assert!(v.body.starts_with("# Draft"), "fence removed: {}", v.body);
        assert_eq!(v.metadata["wordCount"], 7);
        assert_eq!(v.metadata["readingTime"], "1 min");
    }
    assert_eq!(out.content.metadata["promptTemplate"], "generate@1");
    assert_eq!(out.content.metadata["tone"], "casual");
    let seen = llm.seen.lock().unwrap().clone();
    let p = prompt_of(&seen[0]);
    assert!(p.contains("Plain words."), "style injected");
    assert!(p.contains("patients"), "keywords injected");
    assert!(p.contains("synergy"), "banned words named");
    assert_eq!(seen[0].max_tokens, Some(2000));
    assert_eq!(seen[0].temperature, Some(0.7));
    let stored = os.get_content(&me, out.content.id).await.unwrap();
    assert_eq!(stored.variations.len(), 3);
}

#[tokio::test]
async fn invalid_request_does_no_work() {
    let llm = ScriptedLlm::new(|_, _| Ok("text".into()));
    let (os, me, ws) = setup(Some(llm.clone()), &[]).await;
    let err = os
        .generate(&me, GenerateRequest::new(ws.id, "short").variations(2))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "input"));
    let err = os
        .generate(
            &me,
            GenerateRequest::new(ws.id, "long enough input").variations(9),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "variations"));
    assert_eq!(llm.calls(), 0);
    assert_eq!(content_count(&os, &me, ws.id).await, 0);
}

#[tokio::test]
async fn banned_word_triggers_one_regeneration_then_a_typed_error() {
    // First answer uses the banned word, the regeneration does not.
    let llm = ScriptedLlm::new(|_, n| {
        Ok(if n == 0 {
            "Pure synergy for patients."
        } else {
            "Real help for patients."
        }
        .to_string())
    });
    let (os, me, ws) = setup(Some(llm.clone()), &["synergy"]).await;
    let out = os
        .generate(
            &me,
            GenerateRequest::new(ws.id, "Write about AI in healthcare"),
        )
        .await
        .unwrap();
    assert_eq!(out.variations[0].body, "Real help for patients.");
    assert_eq!(out.variations[0].metadata["regenerated"], true);
    assert_eq!(llm.calls(), 2);

    let stubborn = ScriptedLlm::new(|_, _| Ok("Synergy, synergy everywhere.".into()));
    let (os, me, ws) = setup(Some(stubborn.clone()), &["synergy"]).await;
    let err = os
        .generate(
            &me,
            GenerateRequest::new(ws.id, "Write about AI in healthcare"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(stubborn.calls(), 2);
    assert_eq!(content_count(&os, &me, ws.id).await, 0, "nothing stored");
}

#[tokio::test]
async fn llm_outage_fails_generate_and_personalize_and_stores_nothing() {
    let down = ScriptedLlm::new(|_, _| {
        Err(Error::Unavailable {
            service: "llm".into(),
            message: "every provider failed".into(),
        })
    });
    let (os, me, ws) = setup(Some(down), &[]).await;
    let err = os
        .generate(
            &me,
            GenerateRequest::new(ws.id, "Write about AI in healthcare").variations(3),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert_eq!(content_count(&os, &me, ws.id).await, 0);

    // No provider at all: a clear message saying what to configure.
    let (os, me, ws) = setup(None, &[]).await;
    let err = os
        .generate(
            &me,
            GenerateRequest::new(ws.id, "Write about AI in healthcare"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.to_string().contains("OPENAI_API_KEY"));
}

async fn seed_content(os: &ContentOs, me: &Actor, ws: WorkspaceId, body: &str) -> ContentId {
    os.create_content(
        me,
        NewContent {
            workspace_id: ws,
            created_by: me.user_id,
            title: Some("AI in healthcare".into()),
            original_input: "Write about AI in healthcare".into(),
            content_type: ContentType::Blog,
            format: Format::Markdown,
            metadata: Default::default(),
            variations: vec![NewVariation {
                platform: None,
                body: body.into(),
                metadata: Default::default(),
            }],
        },
    )
    .await
    .unwrap()
    .content
    .id
}

const ARTICLE: &str = "# AI in healthcare\n\nAI triage cut emergency waiting times by thirty percent in three pilot hospitals. \
Nurses now spend less time on forms and more time with patients. Read the full study at https://example.org/ai-triage-study.\n\n\
Radiology teams use models to flag urgent scans first. The models never replace the radiologist; they reorder the queue so the \
sickest patients are seen sooner. Hospitals that tried it report fewer missed findings and shorter reporting delays overall.\n\n\
What would you automate first in your hospital? Tell us below.";

#[tokio::test]
async fn transform_degrades_to_rules_when_llm_is_down_and_fits_every_platform() {
    let down = ScriptedLlm::new(|_, _| {
        Err(Error::Transient {
            service: "openai".into(),
            status: Some(503),
            request_id: None,
            message: "overloaded".into(),
        })
    });
    let (os, me, ws) = setup(Some(down), &[]).await;
    let id = seed_content(&os, &me, ws.id, ARTICLE).await;
    let platforms = [
        Platform::X,
        Platform::LinkedIn,
        Platform::Bluesky,
        Platform::Instagram,
    ];
    let vars = os
        .transform(&me, TransformRequest::new(id, platforms.to_vec()))
        .await
        .unwrap();
    assert_eq!(vars.len(), 4);
    for v in &vars {
        let p = v.platform.unwrap();
        assert_eq!(v.metadata["degraded"], true, "{p}");
        let parts: Vec<String> = match v.metadata.get("threadParts") {
            Some(a) => a
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect(),
            None => vec![v.body.clone()],
        };
        for part in &parts {
            let m = contentos_core::text::measure(p, part);
            assert!(m.valid, "{p} part over limit: {} > {}", m.length, m.limit);
        }
        if p == Platform::X {
            assert!(parts.len() > 1, "the article needs a thread on X");
            assert!(
                v.body.contains("https://example.org/ai-triage-study"),
                "URL kept whole"
            );
        }
    }
    let stored = os.get_content(&me, id).await.unwrap();
    assert_eq!(stored.variations.len(), 5);
}

#[tokio::test]
async fn transform_checks_key_messages_and_insists_once() {
    // Key messages come back first; the first rewrite drops one; the insisting rewrite keeps it.
    let llm = ScriptedLlm::new(|req, _| {
        let p = prompt_of(req);
        if p.contains("most important key messages") {
            return Ok("AI triage cut emergency waiting times by thirty percent\nNurses spend more time with patients".into());
        }
        if p.contains("You MUST keep") {
            Ok("AI triage cut emergency waiting times by thirty percent. Nurses spend more time with patients. #health".into())
        } else {
            Ok("AI triage cut emergency waiting times by thirty percent. #health".into())
        }
    });
    let (os, me, ws) = setup(Some(llm.clone()), &[]).await;
    let id = seed_content(&os, &me, ws.id, ARTICLE).await;
    let vars = os
        .transform(&me, TransformRequest::new(id, vec![Platform::LinkedIn]))
        .await
        .unwrap();
    let v = &vars[0];
    assert!(v.body.contains("Nurses spend more time"));
    assert_eq!(v.metadata["keyMessagesMissing"], serde_json::json!([]));
    assert!(v.metadata.get("degraded").is_none());
    assert_eq!(llm.calls(), 3, "key messages + rewrite + insisting rewrite");
}

#[tokio::test]
async fn personalize_uses_segment_attributes_and_stores_versions() {
    let llm = ScriptedLlm::new(|req, _| {
        let p = prompt_of(req);
        assert!(
            p.contains("industry: software"),
            "attributes in prompt: {p}"
        );
        Ok(r#"{"body": "Models like transformers flag urgent scans.", "changes": ["Added technical details"]}"#.into())
    });
    let (os, me, ws) = setup(Some(llm), &[]).await;
    let id = seed_content(&os, &me, ws.id, ARTICLE).await;
    let mut attrs = serde_json::Map::new();
    attrs.insert("industry".into(), "software".into());
    os.create_segment(
        &me,
        ws.id,
        NewSegment {
            name: "developers".into(),
            description: None,
            attributes: attrs,
        },
    )
    .await
    .unwrap();
    let out = os
        .personalize(&me, id, &["developers".to_string()])
        .await
        .unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].segment_name, "developers");
    assert_eq!(out[0].changes, vec!["Added technical details"]);
    let err = os
        .personalize(&me, id, &["nobody".to_string()])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { ref field, .. } if field == "audienceSegments[0]"));
    assert_eq!(os.get_content(&me, id).await.unwrap().variations.len(), 2);
}

#[tokio::test]
async fn generate_stream_yields_deltas_then_stored() {
    let llm = ScriptedLlm::new(|_, _| Ok("Short social post about patients.".into()));
    let (os, me, ws) = setup(Some(llm), &[]).await;
    let mut s = os
        .generate_stream(
            &me,
            GenerateRequest::new(ws.id, "Write about AI in healthcare").variations(2),
        )
        .await
        .unwrap();
    let mut deltas = String::new();
    let mut stored = None;
    while let Some(ev) = s.next().await {
        match ev.unwrap() {
            GenerateEvent::Delta { index: 0, text } => deltas.push_str(&text),
            GenerateEvent::Stored(g) => stored = Some(g),
            _ => {}
        }
    }
    assert_eq!(deltas, "Short social post about patients.");
    let g = stored.expect("stored event");
    assert_eq!(g.variations.len(), 2);
}
