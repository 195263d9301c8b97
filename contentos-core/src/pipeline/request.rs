//! Generation requests and their validation (design document section 9.3).
//!
//! Validation runs before any work (no LLM call, no Store write) and names the field and the
//! rule, so a REST server can return field-level 400s and bindings can raise `ValidationError`
//! with `.field` set.

use crate::model::{ContentType, Length, Tone, WorkspaceId};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Bounds on `input`, in characters (Unicode scalar values).
pub const INPUT_CHARS: std::ops::RangeInclusive<usize> = 10..=5000;
/// Bounds on the number of variations.
pub const VARIATIONS: std::ops::RangeInclusive<u32> = 1..=5;

/// A request to generate content (section 4.2 `POST /content/generate`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GenerateRequest {
    /// Target workspace.
    pub workspace_id: WorkspaceId,
    /// What to write about (10..=5000 characters).
    pub input: String,
    /// Blog, social or email.
    pub content_type: ContentType,
    /// Tone; the workspace's brand-voice tone when absent.
    pub tone: Option<Tone>,
    /// Length.
    pub length: Length,
    /// Number of variations (1..=5).
    pub variations: u32,
}

impl GenerateRequest {
    /// A request with defaults (social, medium, one variation).
    pub fn new(workspace_id: WorkspaceId, input: impl Into<String>) -> Self {
        GenerateRequest {
            workspace_id,
            input: input.into(),
            content_type: ContentType::Social,
            tone: None,
            length: Length::Medium,
            variations: 1,
        }
    }

    /// Sets the content type.
    pub fn content_type(mut self, t: ContentType) -> Self {
        self.content_type = t;
        self
    }

    /// Sets the tone.
    pub fn tone(mut self, t: Tone) -> Self {
        self.tone = Some(t);
        self
    }

    /// Sets the tone if `Some`.
    pub fn tone_opt(mut self, t: Option<Tone>) -> Self {
        self.tone = t;
        self
    }

    /// Sets the length.
    pub fn length(mut self, l: Length) -> Self {
        self.length = l;
        self
    }

    /// Sets the number of variations.
    pub fn variations(mut self, n: u32) -> Self {
        self.variations = n;
        self
    }

    /// Checks every rule of section 9.3.
    pub fn validate(&self) -> Result<()> {
        let n = self.input.trim().chars().count();
        if !INPUT_CHARS.contains(&n) {
            return Err(Error::validation(
                "input",
                format!(
                    "length {}..={} characters (got {n})",
                    INPUT_CHARS.start(),
                    INPUT_CHARS.end()
                ),
            ));
        }
        if !VARIATIONS.contains(&self.variations) {
            return Err(Error::validation(
                "variations",
                format!("an integer {}..={}", VARIATIONS.start(), VARIATIONS.end()),
            ));
        }
        Ok(())
    }

    /// Parses and validates a JSON body with the section 4.2 field names, naming the first
    /// field that is missing, of the wrong type, or out of range.
    pub fn from_json(v: &serde_json::Value) -> Result<Self> {
        let obj = v
            .as_object()
            .ok_or_else(|| Error::validation("body", "a JSON object"))?;
        let str_field = |name: &str| -> Result<&str> {
            obj.get(name)
                .ok_or_else(|| Error::validation(name, "required"))?
                .as_str()
                .ok_or_else(|| Error::validation(name, "a string"))
        };
        let workspace_id = str_field("workspaceId")?
            .parse::<uuid::Uuid>()
            .map(WorkspaceId)
            .map_err(|_| Error::validation("workspaceId", "a UUID"))?;
        let input = str_field("input")?.to_string();
        let content_type: ContentType = str_field("contentType")?.parse()?;
        let tone = match obj.get("tone") {
            None | Some(serde_json::Value::Null) => None,
            Some(t) => Some(
                t.as_str()
                    .ok_or_else(|| Error::validation("tone", "a string"))?
                    .parse()?,
            ),
        };
        let length = match obj.get("length") {
            None | Some(serde_json::Value::Null) => Length::Medium,
            Some(l) => l
                .as_str()
                .ok_or_else(|| Error::validation("length", "a string"))?
                .parse()?,
        };
        let variations = match obj.get("variations") {
            None | Some(serde_json::Value::Null) => 1,
            Some(n) => n
                .as_u64()
                .filter(|n| *n <= u32::MAX as u64)
                .ok_or_else(|| Error::validation("variations", "an integer 1..=5"))?
                as u32,
        };
        let req = GenerateRequest {
            workspace_id,
            input,
            content_type,
            tone,
            length,
            variations,
        };
        req.validate()?;
        Ok(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_of(e: Error) -> String {
        match e {
            Error::Validation { field, .. } => field,
            other => panic!("expected validation, got {other:?}"),
        }
    }

    #[test]
    fn each_rule_names_its_field() {
        let ws = WorkspaceId::new().to_string();
        let ok = json!({"workspaceId": ws, "input": "Write about AI in healthcare",
            "contentType": "blog", "tone": "professional", "length": "medium", "variations": 3});
        assert!(GenerateRequest::from_json(&ok).is_ok());
        let cases = [
            ("workspaceId", json!("nope")),
            ("input", json!("too short")),
            ("input", json!("x".repeat(5001))),
            ("contentType", json!("tweet")),
            ("tone", json!("angry")),
            ("length", json!("huge")),
            ("variations", json!(0)),
            ("variations", json!(6)),
            ("variations", json!("3")),
        ];
        for (field, value) in cases {
            let mut body = ok.clone();
            body[field] = value;
            let err = GenerateRequest::from_json(&body).unwrap_err();
            assert_eq!(field_of(err), field);
        }
        let mut missing = ok.clone();
        missing.as_object_mut().unwrap().remove("input");
        assert_eq!(
            field_of(GenerateRequest::from_json(&missing).unwrap_err()),
            "input"
        );
    }

    #[test]
    fn bounds_are_inclusive() {
        let ws = WorkspaceId::new();
        assert!(GenerateRequest::new(ws, "x".repeat(10)).validate().is_ok());
        assert!(GenerateRequest::new(ws, "x".repeat(5000))
            .validate()
            .is_ok());
        assert!(GenerateRequest::new(ws, "x".repeat(9)).validate().is_err());
        assert!(GenerateRequest::new(ws, "x".repeat(10))
            .variations(5)
            .validate()
            .is_ok());
    }
}
