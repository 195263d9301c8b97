//! `generate`: request → prompt with brand voice → LLM → post-processing → Store
//! (design document sections 4.2 and 5.1).

use super::postprocess::{clean_markdown, find_banned_words, reading_time, word_count};
use super::prompts::GENERATE;
use super::request::GenerateRequest;
use crate::access::{Actor, Permission};
use crate::llm::{CompletionChunk, CompletionRequest, LlmProvider, TaskHint};
use crate::model::*;
use crate::score::ScoreInput;
use crate::{ContentOs, Error, Result};
use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Sampling temperature for creative generation (section 5.2).
pub const GENERATE_TEMPERATURE: f32 = 0.7;

/// Token budget by content type (section 5.2: 2000 for blog posts, 500 for social).
pub fn token_budget(content_type: ContentType) -> u32 {
    match content_type {
        ContentType::Blog => 2000,
        ContentType::Email => 1000,
        ContentType::Social => 500,
    }
}

/// What `generate` returns (section 4.2 response).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedContent {
    /// The stored content item.
    pub content: Content,
    /// Its variations, in request order.
    pub variations: Vec<Variation>,
    /// When generation finished.
    pub generated_at: DateTime<Utc>,
}

/// An event of a streaming generation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum GenerateEvent {
    /// More text of variation `index`.
    Delta {
        /// 0-based variation index.
        index: u32,
        /// The new text.
        text: String,
    },
    /// Variation `index` was regenerated (a banned word appeared): discard its text so far.
    Restart {
        /// 0-based variation index.
        index: u32,
    },
    /// Everything is stored.
    Stored(Box<GeneratedContent>),
}

pub(crate) fn brand_voice_text(bv: &BrandVoice) -> String {
    let mut parts = Vec::new();
    if let Some(t) = bv.tone {
        parts.push(format!("- Default tone: {t}"));
    }
    if !bv.style.trim().is_empty() {
        parts.push(format!("- Style: {}", bv.style.trim()));
    }
    if !bv.keywords.is_empty() {
        parts.push(format!(
            "- Work in where natural: {}",
            bv.keywords.join(", ")
        ));
    }
    if !bv.banned_words.is_empty() {
        parts.push(format!("- Never use: {}", bv.banned_words.join(", ")));
    }
    if parts.is_empty() {
        "- No specific guidelines.".to_string()
    } else {
        parts.join("\n")
    }
}

struct Prepared {
    workspace: Workspace,
    tier: Tier,
    tone: Tone,
    prompt: String,
}

impl ContentOs {
    pub(crate) fn require_llm(&self) -> Result<Arc<dyn LlmProvider>> {
        self.inner.llm.clone().ok_or_else(|| Error::Unavailable {
            service: "llm".into(),
            message: "no LLM provider configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or \
                      CONTENTOS_LLM_BASE_URL (any OpenAI-compatible server), or pass one to \
                      ContentOs::builder().llm(…)"
                .into(),
        })
    }

    async fn prepare_generate(&self, actor: &Actor, req: &GenerateRequest) -> Result<Prepared> {
        // Validation first: no permission lookup, no LLM call, no write on bad input.
        req.validate()?;
        self.authorize(actor, req.workspace_id, Permission::Write)
            .await?;
        let workspace = self.inner.store.get_workspace(req.workspace_id).await?;
        let tier = self.inner.store.get_user(actor.user_id).await?.tier;
        let tone = req
            .tone
            .or(workspace.brand_voice.tone)
            .unwrap_or(Tone::Professional);
        let (kind, structure, format) = match req.content_type {
            ContentType::Blog => ("blog post", "Use clear structure with headings", "Markdown"),
            ContentType::Email => (
                "email newsletter",
                "Open with a subject line, then short paragraphs",
                "Markdown",
            ),
            ContentType::Social => (
                "social media post",
                "Keep it short: one idea, a hook first, a call to action last",
                "plain text",
            ),
        };
        let banned_rule = if workspace.brand_voice.banned_words.is_empty() {
            String::new()
        } else {
            format!(
                "- Never use these words: {}\n",
                workspace.brand_voice.banned_words.join(", ")
            )
        };
        let mut vars: HashMap<&str, String> = HashMap::new();
        vars.insert("tone", tone.to_string());
        vars.insert("brand_voice", brand_voice_text(&workspace.brand_voice));
        vars.insert("length", req.length.to_string());
        vars.insert("content_kind", kind.to_string());
        vars.insert("input", req.input.trim().to_string());
        vars.insert("audience", "the workspace's audience".to_string());
        vars.insert("structure", structure.to_string());
        vars.insert("banned_rule", banned_rule);
        vars.insert("format", format.to_string());
        let prompt = GENERATE.render(&vars)?;
        Ok(Prepared {
            workspace,
            tier,
            tone,
            prompt,
        })
    }

    fn completion_request(
        req: &GenerateRequest,
        p: &Prepared,
        index: u32,
        retry: bool,
    ) -> CompletionRequest {
        let mut prompt = p.prompt.clone();
        if retry {
            prompt.push_str(&format!(
                "\n\nImportant: the previous draft used a banned word. Do not use any of: {}.",
                p.workspace.brand_voice.banned_words.join(", ")
            ));
        }
        CompletionRequest::new(prompt)
            .with_temperature(GENERATE_TEMPERATURE)
            .with_max_tokens(token_budget(req.content_type))
            .with_task(match req.content_type {
                ContentType::Social => TaskHint::Simple,
                _ => TaskHint::LongForm,
            })
            .with_workspace(req.workspace_id, p.tier)
            .with_variant(index * 2 + u32::from(retry))
    }

    /// Post-processes one generated text; `Err(banned)` lists banned words that appeared.
    fn finish_variation(
        text: &str,
        bv: &BrandVoice,
    ) -> std::result::Result<(String, Metadata), Vec<String>> {
        let body = clean_markdown(text);
        let banned = find_banned_words(&body, &bv.banned_words);
        if !banned.is_empty() {
            return Err(banned);
        }
        let words = word_count(&body);
        let mut meta = Metadata::new();
        meta.insert("wordCount".into(), words.into());
        meta.insert("readingTime".into(), reading_time(words).into());
        Ok((body, meta))
    }

    async fn generate_one(
        &self,
        llm: &Arc<dyn LlmProvider>,
        req: &GenerateRequest,
        p: &Prepared,
        index: u32,
    ) -> Result<(String, Metadata)> {
        let first = llm
            .complete(Self::completion_request(req, p, index, false))
            .await?;
        match Self::finish_variation(&first.text, &p.workspace.brand_voice) {
            Ok((body, mut meta)) => {
                meta.insert("provider".into(), first.served_by.clone().into());
                meta.insert("model".into(), first.model.clone().into());
                Ok((body, meta))
            }
            Err(_) => {
                let second = llm
                    .complete(Self::completion_request(req, p, index, true))
                    .await?;
                let (body, mut meta) =
                    Self::finish_variation(&second.text, &p.workspace.brand_voice)
                        .map_err(banned_error)?;
                meta.insert("provider".into(), second.served_by.clone().into());
                meta.insert("model".into(), second.model.clone().into());
                meta.insert("regenerated".into(), true.into());
                Ok((body, meta))
            }
        }
    }

    /// Generates content in the workspace's brand voice and stores it with its variations
    /// (permission `write`). Validation happens before any work; when every LLM provider is
    /// down the call fails with [`Error::Unavailable`] and nothing is stored.
    pub async fn generate(&self, actor: &Actor, req: GenerateRequest) -> Result<GeneratedContent> {
        let prepared = self.prepare_generate(actor, &req).await?;
        let llm = self.require_llm()?;
        let span = tracing::info_span!("contentos.generate", workspace = %req.workspace_id,
            content_type = %req.content_type, variations = req.variations);
        let _guard = span.enter();
        let results = futures::future::join_all(
            (0..req.variations).map(|i| self.generate_one(&llm, &req, &prepared, i)),
        )
        .await;
        let mut bodies = Vec::with_capacity(results.len());
        for r in results {
            bodies.push(r?);
        }
        self.store_generated(actor, &req, &prepared, bodies).await
    }

    /// Streaming `generate`: yields text deltas per variation as the model writes them, then
    /// [`GenerateEvent::Stored`] once everything is post-processed and stored. Variations are
    /// streamed one after another.
    pub async fn generate_stream(
        &self,
        actor: &Actor,
        req: GenerateRequest,
    ) -> Result<BoxStream<'static, Result<GenerateEvent>>> {
        let prepared = self.prepare_generate(actor, &req).await?;
        let llm = self.require_llm()?;
        let os = self.clone();
        let actor = *actor;
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<GenerateEvent>>(64);
        tokio::spawn(async move {
            let result: Result<GeneratedContent> = async {
                let mut bodies = Vec::new();
                for index in 0..req.variations {
                    let mut done = None;
                    for retry in [false, true] {
                        if retry {
                            let _ = tx.send(Ok(GenerateEvent::Restart { index })).await;
                        }
                        let mut stream = llm
                            .stream(Self::completion_request(&req, &prepared, index, retry))
                            .await?;
                        let mut text = String::new();
                        let mut served_by = String::new();
                        let mut model = String::new();
                        while let Some(chunk) = stream.next().await {
                            match chunk? {
                                CompletionChunk::Delta(d) => {
                                    text.push_str(&d);
                                    let _ =
                                        tx.send(Ok(GenerateEvent::Delta { index, text: d })).await;
                                }
                                CompletionChunk::Done(s) => {
                                    served_by = s.served_by;
                                    model = s.model;
                                }
                            }
                        }
                        match Self::finish_variation(&text, &prepared.workspace.brand_voice) {
                            Ok((body, mut meta)) => {
                                meta.insert("provider".into(), served_by.into());
                                meta.insert("model".into(), model.into());
                                if retry {
                                    meta.insert("regenerated".into(), true.into());
                                }
                                done = Some((body, meta));
                                break;
                            }
                            Err(banned) if retry => return Err(banned_error(banned)),
                            Err(_) => continue,
                        }
                    }
                    bodies
                        .push(done.ok_or_else(|| Error::internal("generation produced no text"))?);
                }
                os.store_generated(&actor, &req, &prepared, bodies).await
            }
            .await;
            let _ = tx
                .send(result.map(|g| GenerateEvent::Stored(Box::new(g))))
                .await;
        });
        Ok(tokio_stream_from(rx))
    }

    async fn store_generated(
        &self,
        actor: &Actor,
        req: &GenerateRequest,
        p: &Prepared,
        bodies: Vec<(String, Metadata)>,
    ) -> Result<GeneratedContent> {
        let now = Utc::now();
        let mut meta = Metadata::new();
        meta.insert("tone".into(), p.tone.as_str().into());
        meta.insert("length".into(), req.length.as_str().into());
        meta.insert("promptTemplate".into(), GENERATE.id().into());
        if !p.workspace.brand_voice.keywords.is_empty() {
            meta.insert(
                "keywords".into(),
                p.workspace.brand_voice.keywords.clone().into(),
            );
        }
        let content = Content {
            id: ContentId::new(),
            workspace_id: req.workspace_id,
            created_by: actor.user_id,
            title: Some(title_from_input(&req.input)),
            original_input: req.input.trim().to_string(),
            content_type: req.content_type,
            format: match req.content_type {
                ContentType::Social => Format::Plain,
                _ => Format::Markdown,
            },
            metadata: meta,
            status: ContentStatus::Draft,
            created_at: now,
            updated_at: now,
        };
        let mut variations: Vec<Variation> = bodies
            .into_iter()
            .map(|(body, metadata)| Variation {
                id: VariationId::new(),
                content_id: content.id,
                platform: None,
                body,
                metadata,
                created_at: now,
            })
            .collect();
        if req.content_type == ContentType::Social {
            self.attach_scores(&mut variations, Platform::X, &p.workspace)
                .await;
        }
        self.inner
            .store
            .create_content(&content, &variations)
            .await?;
        Ok(GeneratedContent {
            content,
            variations,
            generated_at: now,
        })
    }

    /// Adds `estimatedEngagement` (0–100) to variations when a scorer is attached. Scoring
    /// problems never fail the pipeline: the variation is stored without a score.
    pub(crate) async fn attach_scores(
        &self,
        variations: &mut [Variation],
        default_platform: Platform,
        workspace: &Workspace,
    ) {
        let Some(scorer) = self.inner.scorer.clone() else {
            return;
        };
        let tz = workspace.timezone.as_str();
        let mut inputs: Vec<ScoreInput> = variations
            .iter()
            .map(|v| {
                let parts = v
                    .metadata
                    .get("threadParts")
                    .and_then(|p| p.as_array())
                    .map(|a| a.len() as u32)
                    .unwrap_or(1);
                let first = v
                    .metadata
                    .get("threadParts")
                    .and_then(|p| p.as_array())
                    .and_then(|a| a.first())
                    .and_then(|s| s.as_str())
                    .unwrap_or(&v.body)
                    .to_string();
                let mut input = ScoreInput::new(first, v.platform.unwrap_or(default_platform));
                input.thread_length = parts.max(1);
                input.timezone = Some(tz.to_string());
                input
            })
            .collect();
        for input in &mut inputs {
            input.similar_history = self
                .similar_history(workspace.id, input.platform, &input.text)
                .await;
        }
        match scorer.score(&inputs) {
            Ok(scores) => {
                for (v, s) in variations.iter_mut().zip(scores) {
                    v.metadata.insert(
                        "estimatedEngagement".into(),
                        (s.score.round() as i64).into(),
                    );
                    v.metadata.insert(
                        "engagementConfidence".into(),
                        ((s.confidence * 100.0).round() / 100.0).into(),
                    );
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "engagement scoring failed; variations stored without scores")
            }
        }
    }
}

fn banned_error(banned: Vec<String>) -> Error {
    Error::Rejected {
        service: "pipeline".into(),
        code: Some("banned_words".into()),
        message: format!(
            "generated text still used banned words after one regeneration: {}",
            banned.join(", ")
        ),
    }
}

/// A title from the request input: its first line, cut at a word boundary to ≤ 120 characters.
pub(crate) fn title_from_input(input: &str) -> String {
    let first = input.trim().lines().next().unwrap_or("").trim();
    if first.chars().count() <= 120 {
        return first.to_string();
    }
    let mut out = String::new();
    for word in first.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > 117 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

fn tokio_stream_from<T: Send + 'static>(
    mut rx: tokio::sync::mpsc::Receiver<T>,
) -> BoxStream<'static, T> {
    futures::stream::poll_fn(move |cx| rx.poll_recv(cx)).boxed()
}
