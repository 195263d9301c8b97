//! `transform`: one content item → a variation per platform, each rewritten by the LLM and then
//! fitted by the text engine so the platform accepts it (design document section 4.2).
//!
//! When every LLM provider is down, transform still works: it degrades to rule-based adaptation
//! (the text engine splits or fits the source text) and marks the variation `degraded: true`.

use super::prompts::{KEY_MESSAGES, TRANSFORM};
use crate::access::{Actor, Permission};
use crate::llm::{CompletionRequest, LlmProvider, TaskHint};
use crate::model::*;
use crate::text;
use crate::{ContentOs, Error, ErrorKind, Result};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Options of a transform.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TransformRequest {
    /// The content to adapt.
    pub content_id: ContentId,
    /// Target platforms (at least one, no duplicates).
    pub target_platforms: Vec<Platform>,
    /// Extract key messages first and check that each survives the rewrite.
    #[serde(default = "default_true")]
    pub preserve_key_messages: bool,
    /// Number threads `1/n`.
    #[serde(default = "default_true")]
    pub number_threads: bool,
}

fn default_true() -> bool {
    true
}

impl TransformRequest {
    /// A transform of `content` to `platforms`, preserving key messages, with numbered threads.
    pub fn new(content_id: ContentId, platforms: impl Into<Vec<Platform>>) -> Self {
        TransformRequest {
            content_id,
            target_platforms: platforms.into(),
            preserve_key_messages: true,
            number_threads: true,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.target_platforms.is_empty() {
            return Err(Error::validation(
                "targetPlatforms",
                "at least one platform",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.target_platforms.iter().enumerate() {
            if !seen.insert(*p) {
                return Err(Error::validation(
                    format!("targetPlatforms[{i}]"),
                    "no duplicates",
                ));
            }
        }
        Ok(())
    }
}

/// The platform's name as users know it, for prompts.
fn display_name(p: Platform) -> &'static str {
    match p {
        Platform::X => "X (Twitter)",
        Platform::LinkedIn => "LinkedIn",
        Platform::Bluesky => "Bluesky",
        Platform::Mastodon => "Mastodon",
        Platform::Threads => "Threads",
        Platform::Instagram => "Instagram",
    }
}

/// The length unit in words a model understands.
fn unit_description(unit: crate::publish::LengthUnit) -> &'static str {
    use crate::publish::LengthUnit::*;
    match unit {
        TwitterWeighted => "characters (links count 23, emoji and CJK count 2)",
        GraphemesAndBytes { .. } => "characters",
        CodePointsUrlWeighted { .. } => "characters (links count 23)",
        CharactersEmojiAsBytes => "characters (emoji count as several)",
        CodePoints => "characters",
    }
}

/// What every per-platform rewrite of one transform shares.
#[derive(Clone, Copy)]
struct RewriteSource<'a> {
    body: &'a str,
    brand_voice: &'a BrandVoice,
    key_messages: &'a [String],
    scope: (WorkspaceId, Tier),
}

/// True when an LLM failure means "no provider can answer now" (degrade), as opposed to a
/// problem with the request or the account (surface it).
fn is_outage(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::Unavailable | ErrorKind::Transient | ErrorKind::Timeout | ErrorKind::RateLimited
    )
}

/// Words of ≥ 4 letters, lowercased: what must survive for a key message to count as kept.
fn content_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// Whether most (≥ 60%) of a key message's content words appear in `text`.
pub fn key_message_survives(message: &str, text: &str) -> bool {
    let words = content_words(message);
    if words.is_empty() {
        return true;
    }
    let haystack: std::collections::HashSet<String> = content_words(text).into_iter().collect();
    let kept = words.iter().filter(|w| haystack.contains(*w)).count();
    kept * 10 >= words.len() * 6
}

/// Rule-based key messages: the first sentence of each of the first three paragraphs.
fn rule_key_messages(body: &str) -> Vec<String> {
    body.split("\n\n")
        .map(|p| p.trim().trim_start_matches('#').trim())
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let end = p.find(['.', '!', '?']).map(|i| i + 1).unwrap_or(p.len());
            let s = p[..end].trim();
            (s.split_whitespace().count() >= 4).then(|| s.to_string())
        })
        .take(3)
        .collect()
}

/// Plain text from Markdown for social platforms: drops heading marks, emphasis and list bullets.
fn strip_markdown(body: &str) -> String {
    body.lines()
        .map(|l| {
            let l = l.trim_start_matches('#').trim_start();
            let l = l
                .strip_prefix("- ")
                .or_else(|| l.strip_prefix("* "))
                .unwrap_or(l);
            l.replace("**", "").replace("__", "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl ContentOs {
    async fn key_messages(
        &self,
        llm: Option<&Arc<dyn LlmProvider>>,
        body: &str,
        scope: (WorkspaceId, Tier),
    ) -> Vec<String> {
        if let Some(llm) = llm {
            let mut vars: HashMap<&str, String> = HashMap::new();
            vars.insert("count", "3".into());
            vars.insert("body", body.to_string());
            if let Ok(prompt) = KEY_MESSAGES.render(&vars) {
                let req = CompletionRequest::new(prompt)
                    .with_temperature(0.0)
                    .with_max_tokens(200)
                    .with_task(TaskHint::Simple)
                    .with_workspace(scope.0, scope.1);
                if let Ok(c) = llm.complete(req).await {
                    let msgs: Vec<String> = c
                        .text
                        .lines()
                        .map(|l| {
                            l.trim()
                                .trim_start_matches(['-', '*', '•'])
                                .trim()
                                .to_string()
                        })
                        .filter(|l| !l.is_empty())
                        .take(5)
                        .collect();
                    if !msgs.is_empty() {
                        return msgs;
                    }
                }
            }
        }
        rule_key_messages(body)
    }

    async fn rewrite_for(
        &self,
        llm: &Arc<dyn LlmProvider>,
        platform: Platform,
        source: &RewriteSource<'_>,
        insist: bool,
    ) -> Result<String> {
        let RewriteSource {
            body,
            brand_voice,
            key_messages,
            scope,
        } = *source;
        let rules = text::PlatformRules::of(platform);
        let threaded = matches!(
            rules.thread_model,
            crate::publish::ThreadModel::ReplyTo | crate::publish::ThreadModel::ReplyChain
        );
        let mut vars: HashMap<&str, String> = HashMap::new();
        vars.insert("platform_name", display_name(platform).to_string());
        vars.insert(
            "length_rule",
            format!(
                "Each post must fit {} {}.",
                rules.max_length,
                unit_description(rules.unit)
            ),
        );
        vars.insert(
            "thread_rule",
            if threaded {
                "If it needs more than one post, write it as a thread: separate posts with a line containing only ---".to_string()
            } else {
                "It must be a single post.".to_string()
            },
        );
        vars.insert(
            "brand_voice",
            super::generate::brand_voice_text(brand_voice).replace('\n', " "),
        );
        vars.insert(
            "key_messages_rule",
            if key_messages.is_empty() {
                String::new()
            } else {
                format!(
                    "{}these key messages:\n{}\n",
                    if insist {
                        "You MUST keep every one of "
                    } else {
                        "Keep "
                    },
                    key_messages
                        .iter()
                        .map(|m| format!("  - {m}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            },
        );
        vars.insert(
            "separator_rule",
            if threaded {
                " (posts separated by ---)"
            } else {
                ""
            }
            .to_string(),
        );
        vars.insert("body", body.to_string());
        let prompt = TRANSFORM.render(&vars)?;
        let req = CompletionRequest::new(prompt)
            .with_temperature(0.7)
            .with_max_tokens(if platform == Platform::LinkedIn {
                1200
            } else {
                800
            })
            .with_task(TaskHint::Simple)
            .with_workspace(scope.0, scope.1)
            .with_variant(u32::from(insist));
        let c = llm.complete(req).await?;
        Ok(super::postprocess::clean_markdown(&c.text))
    }

    /// Fits text to a platform with the text engine: a thread for platforms that have them, a
    /// single fitted post otherwise. Returns the parts.
    fn fit_parts(platform: Platform, text: &str, numbered: bool) -> Result<Vec<String>> {
        let rules = text::PlatformRules::of(platform);
        // The model separates thread posts with `---`; respect its breaks when each fits.
        let chunks: Vec<&str> = text
            .split("\n---\n")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let threaded = matches!(
            rules.thread_model,
            crate::publish::ThreadModel::ReplyTo | crate::publish::ThreadModel::ReplyChain
        );
        if !threaded {
            let joined = chunks.join("\n\n");
            return Ok(vec![
                text::fit_to_platform(platform, &joined, &text::FitOptions::default())?.text,
            ]);
        }
        let joined = chunks.join("\n\n");
        let opts = text::SplitOptions {
            numbering: if numbered {
                text::Numbering::Suffix
            } else {
                text::Numbering::None
            },
            ..Default::default()
        };
        text::split_thread(platform, &joined, &opts)
    }

    /// Adapts a content item to each target platform and stores one variation per platform,
    /// atomically (permission `write`). See the module docs for the degraded mode.
    pub async fn transform(&self, actor: &Actor, req: TransformRequest) -> Result<Vec<Variation>> {
        req.validate()?;
        let source = self.inner.store.get_content(req.content_id).await?;
        let ws_id = source.content.workspace_id;
        self.authorize(actor, ws_id, Permission::Write).await?;
        let workspace = self.inner.store.get_workspace(ws_id).await?;
        let tier = self.inner.store.get_user(actor.user_id).await?.tier;
        let body = source
            .variations
            .iter()
            .find(|v| v.platform.is_none())
            .map(|v| v.body.clone())
            .unwrap_or_else(|| source.content.original_input.clone());
        let llm = self.inner.llm.clone();
        let scope = (ws_id, tier);
        let key_messages = if req.preserve_key_messages {
            self.key_messages(llm.as_ref(), &body, scope).await
        } else {
            Vec::new()
        };

        let per_platform =
            futures::future::join_all(req.target_platforms.iter().map(|&platform| {
                let llm = llm.clone();
                let body = body.clone();
                let key_messages = key_messages.clone();
                let bv = workspace.brand_voice.clone();
                async move {
                    let source = RewriteSource {
                        body: &body,
                        brand_voice: &bv,
                        key_messages: &key_messages,
                        scope,
                    };
                    let mut degraded_reason = None;
                    let mut rewritten = None;
                    if let Some(llm) = &llm {
                        match self.rewrite_for(llm, platform, &source, false).await {
                            Ok(t) => {
                                let missing =
                                    key_messages.iter().any(|m| !key_message_survives(m, &t));
                                if missing {
                                    match self.rewrite_for(llm, platform, &source, true).await {
                                        Ok(t2) => rewritten = Some(t2),
                                        Err(e) if is_outage(&e) => rewritten = Some(t),
                                        Err(e) => return Err(e),
                                    }
                                } else {
                                    rewritten = Some(t);
                                }
                            }
                            Err(e) if is_outage(&e) => degraded_reason = Some(e.to_string()),
                            Err(e) => return Err(e),
                        }
                    } else {
                        degraded_reason = Some("no LLM provider configured".to_string());
                    }
                    let text_in = rewritten.unwrap_or_else(|| strip_markdown(&body));
                    let parts = Self::fit_parts(platform, &text_in, req.number_threads)?;
                    Ok::<_, Error>((platform, parts, degraded_reason))
                }
            }))
            .await;

        let now = Utc::now();
        let mut variations = Vec::with_capacity(per_platform.len());
        for r in per_platform {
            let (platform, parts, degraded) = r?;
            let mut meta = Metadata::new();
            let joined = parts.join("\n\n");
            let m = text::measure(platform, parts.first().map(String::as_str).unwrap_or(""));
            meta.insert("threadLength".into(), parts.len().into());
            if parts.len() > 1 {
                meta.insert("threadParts".into(), parts.clone().into());
            }
            meta.insert("length".into(), m.length.into());
            meta.insert("limit".into(), m.limit.into());
            meta.insert("promptTemplate".into(), TRANSFORM.id().into());
            if !key_messages.is_empty() {
                let missing: Vec<String> = key_messages
                    .iter()
                    .filter(|k| !key_message_survives(k, &joined))
                    .cloned()
                    .collect();
                meta.insert("keyMessages".into(), key_messages.clone().into());
                meta.insert("keyMessagesMissing".into(), missing.into());
            }
            if let Some(reason) = degraded {
                meta.insert("degraded".into(), true.into());
                meta.insert("degradedReason".into(), reason.into());
            }
            let entities = text::extract_entities(&joined);
            let hashtags: Vec<String> = entities
                .iter()
                .filter(|e| e.kind == text::EntityKind::Hashtag)
                .map(|e| e.text.clone())
                .collect();
            if !hashtags.is_empty() {
                meta.insert("hashtags".into(), hashtags.into());
            }
            variations.push(Variation {
                id: VariationId::new(),
                content_id: req.content_id,
                platform: Some(platform),
                body: joined,
                metadata: meta,
                created_at: now,
            });
        }
        self.attach_scores(&mut variations, Platform::X, &workspace)
            .await;
        self.inner
            .store
            .add_variations(req.content_id, &variations)
            .await?;
        Ok(variations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_message_survival_is_word_based() {
        let m = "AI triage cut emergency waiting times by thirty percent";
        assert!(key_message_survives(
            m,
            "Emergency waiting times fell thirty percent thanks to triage"
        ));
        assert!(!key_message_survives(
            m,
            "Hospitals are adopting new software"
        ));
    }

    #[test]
    fn rule_key_messages_take_first_sentences() {
        let body = "# Title\n\nAI is changing hospitals fast. More here.\n\nNurses spend less time on forms now! Yes.";
        assert_eq!(
            rule_key_messages(body),
            vec![
                "AI is changing hospitals fast.",
                "Nurses spend less time on forms now!"
            ]
        );
    }
}
