//! `personalize`: one content item → a version per audience segment, with the segment's
//! attributes (and retrieved context, when a vector index is attached) in the prompt
//! (design document sections 4.2 and 5.4).

use super::prompts::PERSONALIZE;
use crate::access::{Actor, Permission};
use crate::llm::{CompletionRequest, TaskHint};
use crate::model::*;
use crate::{ContentOs, Error, Result};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One personalized version (section 4.2 `personalizedVersions[]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PersonalizedVersion {
    /// The segment.
    pub segment_id: SegmentId,
    /// Its name.
    pub segment_name: String,
    /// The stored variation.
    pub variation_id: VariationId,
    /// The rewritten text.
    pub body: String,
    /// What the model says it changed.
    pub changes: Vec<String>,
}

/// Extracts `{"body": …, "changes": […]}` from a model answer, tolerating a code fence or text
/// around the object. Falls back to the whole answer as the body.
pub fn parse_personalized(answer: &str) -> (String, Vec<String>) {
    let trimmed = answer.trim();
    if let (Some(start), Some(end)) = (trimmed.find('{'), trimmed.rfind('}')) {
        if start < end {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&trimmed[start..=end]) {
                if let Some(body) = v.get("body").and_then(|b| b.as_str()) {
                    let changes = v
                        .get("changes")
                        .and_then(|c| c.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    return (body.trim().to_string(), changes);
                }
            }
        }
    }
    (super::postprocess::clean_markdown(trimmed), Vec::new())
}

fn describe_attributes(attrs: &serde_json::Map<String, serde_json::Value>) -> String {
    if attrs.is_empty() {
        return "- (no attributes recorded)".into();
    }
    attrs
        .iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| x.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            format!("- {k}: {value}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl ContentOs {
    /// Resolves segment references (ids or names) within a workspace, naming the bad one.
    async fn resolve_segments(
        &self,
        workspace: WorkspaceId,
        refs: &[String],
    ) -> Result<Vec<AudienceSegment>> {
        if refs.is_empty() {
            return Err(Error::validation(
                "audienceSegments",
                "at least one segment",
            ));
        }
        let mut out = Vec::with_capacity(refs.len());
        for (i, r) in refs.iter().enumerate() {
            let by_id = match r.parse::<SegmentId>() {
                Ok(id) => match self.inner.store.get_segment(id).await {
                    Ok(s) if s.workspace_id == workspace => Some(s),
                    _ => None,
                },
                Err(_) => None,
            };
            let seg = match by_id {
                Some(s) => s,
                None => self
                    .inner
                    .store
                    .find_segment_by_name(workspace, r)
                    .await?
                    .ok_or_else(|| {
                        Error::validation(
                            format!("audienceSegments[{i}]"),
                            "an existing segment id or name in this workspace",
                        )
                    })?,
            };
            out.push(seg);
        }
        Ok(out)
    }

    /// Personalizes a content item for each segment and stores each version as a variation
    /// (permission `write`). Fails with [`Error::Unavailable`] and stores nothing when no LLM
    /// can answer. `context` lets callers add retrieved context per segment id.
    pub async fn personalize(
        &self,
        actor: &Actor,
        content_id: ContentId,
        segments: &[String],
    ) -> Result<Vec<PersonalizedVersion>> {
        let source = self.inner.store.get_content(content_id).await?;
        let ws_id = source.content.workspace_id;
        self.authorize(actor, ws_id, Permission::Write).await?;
        let segs = self.resolve_segments(ws_id, segments).await?;
        let llm = self.require_llm()?;
        let workspace = self.inner.store.get_workspace(ws_id).await?;
        let tier = self.inner.store.get_user(actor.user_id).await?.tier;
        let body = source
            .variations
            .iter()
            .find(|v| v.platform.is_none())
            .map(|v| v.body.clone())
            .unwrap_or_else(|| source.content.original_input.clone());

        let mut contexts = Vec::with_capacity(segs.len());
        for s in &segs {
            contexts.push(self.segment_context(s, &body).await);
        }
        let answers =
            futures::future::join_all(segs.iter().zip(contexts.iter()).map(|(s, ctx)| {
                let llm = llm.clone();
                let mut vars: HashMap<&str, String> = HashMap::new();
                vars.insert("segment_name", s.name.clone());
                vars.insert("attributes", describe_attributes(&s.attributes));
                vars.insert(
                    "segment_description",
                    s.description
                        .clone()
                        .map(|d| format!("Description: {d}"))
                        .unwrap_or_default(),
                );
                vars.insert("context", ctx.clone());
                vars.insert(
                    "brand_voice",
                    super::generate::brand_voice_text(&workspace.brand_voice).replace('\n', " "),
                );
                vars.insert("body", body.clone());
                async move {
                    let prompt = PERSONALIZE.render(&vars)?;
                    let req = CompletionRequest::new(prompt)
                        .with_temperature(0.7)
                        .with_max_tokens(1500)
                        .with_task(TaskHint::Simple)
                        .with_workspace(ws_id, tier);
                    llm.complete(req).await
                }
            }))
            .await;

        let now = Utc::now();
        let mut versions = Vec::with_capacity(segs.len());
        let mut variations = Vec::with_capacity(segs.len());
        for (seg, answer) in segs.iter().zip(answers) {
            let completion = answer?;
            let (text, changes) = parse_personalized(&completion.text);
            if text.trim().is_empty() {
                return Err(Error::Protocol {
                    service: completion.served_by,
                    message: "personalized body was empty".into(),
                });
            }
            let mut meta = Metadata::new();
            meta.insert("segmentId".into(), seg.id.to_string().into());
            meta.insert("segmentName".into(), seg.name.clone().into());
            meta.insert("changes".into(), changes.clone().into());
            meta.insert("promptTemplate".into(), PERSONALIZE.id().into());
            meta.insert("provider".into(), completion.served_by.into());
            let v = Variation {
                id: VariationId::new(),
                content_id,
                platform: None,
                body: text.clone(),
                metadata: meta,
                created_at: now,
            };
            versions.push(PersonalizedVersion {
                segment_id: seg.id,
                segment_name: seg.name.clone(),
                variation_id: v.id,
                body: text,
                changes,
            });
            variations.push(v);
        }
        self.inner
            .store
            .add_variations(content_id, &variations)
            .await?;
        Ok(versions)
    }

    /// Retrieved context for a segment's prompt: the workspace's best-performing published posts
    /// similar to the content (from the vector store; empty until posts have metrics).
    async fn segment_context(&self, segment: &AudienceSegment, body: &str) -> String {
        let examples = self
            .best_similar_examples(segment.workspace_id, body, 2)
            .await;
        if examples.is_empty() {
            return String::new();
        }
        let mut out =
            String::from("Similar posts that performed best with this workspace's audience:\n");
        for e in examples {
            let short: String = e.chars().take(400).collect();
            out.push_str(&format!("- {short}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_with_fences_and_falls_back() {
        let (b, c) = parse_personalized(
            "```json\n{\"body\": \"Hi devs\", \"changes\": [\"Added code\"]}\n```",
        );
        assert_eq!(b, "Hi devs");
        assert_eq!(c, vec!["Added code"]);
        let (b, c) = parse_personalized("Just text");
        assert_eq!(b, "Just text");
        assert!(c.is_empty());
    }
}
