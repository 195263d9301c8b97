//! Versioned prompt templates, kept as files in the crate (`contentos-core/prompts/`).
//!
//! Why files with versions: a prompt change changes output, so every stored content item records
//! the template name and version that produced it (`metadata.promptTemplate`), and an old version
//! stays reproducible. Templates use `{{name}}` placeholders; rendering fails on an unknown or
//! missing placeholder instead of sending a half-filled prompt.

use crate::{Error, Result};
use std::collections::HashMap;

/// A named, versioned prompt template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptTemplate {
    /// Template name (`"generate"`).
    pub name: &'static str,
    /// Version, bumped on every wording change.
    pub version: u32,
    /// The template text.
    pub text: &'static str,
}

impl PromptTemplate {
    /// `name@version`, as stored in content metadata.
    pub fn id(&self) -> String {
        format!("{}@{}", self.name, self.version)
    }

    /// Fills every `{{placeholder}}` from `vars`. Errors if one is missing.
    pub fn render(&self, vars: &HashMap<&str, String>) -> Result<String> {
        let mut out = String::with_capacity(self.text.len() + 256);
        let mut rest = self.text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find("}}").ok_or_else(|| Error::Internal {
                message: format!("unterminated placeholder in template {}", self.id()),
            })?;
            let key = after[..end].trim();
            let value = vars.get(key).ok_or_else(|| Error::Internal {
                message: format!("template {} needs {{{{{key}}}}}", self.id()),
            })?;
            out.push_str(value);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Generation of blog posts, social posts and emails (design document section 5.1).
pub const GENERATE: PromptTemplate = PromptTemplate {
    name: "generate",
    version: 1,
    text: include_str!("../../prompts/generate.v1.txt"),
};

/// Per-platform rewrite.
pub const TRANSFORM: PromptTemplate = PromptTemplate {
    name: "transform",
    version: 1,
    text: include_str!("../../prompts/transform.v1.txt"),
};

/// Key-message extraction before a transform.
pub const KEY_MESSAGES: PromptTemplate = PromptTemplate {
    name: "key_messages",
    version: 1,
    text: include_str!("../../prompts/key_messages.v1.txt"),
};

/// Audience personalization (design document section 5.4).
pub const PERSONALIZE: PromptTemplate = PromptTemplate {
    name: "personalize",
    version: 1,
    text: include_str!("../../prompts/personalize.v1.txt"),
};

/// Phrasing computed insights as bullets (design document section 8.2).
pub const INSIGHTS: PromptTemplate = PromptTemplate {
    name: "insights",
    version: 1,
    text: include_str!("../../prompts/insights.v1.txt"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_and_refuses_missing() {
        let mut vars = HashMap::new();
        vars.insert("count", "3".to_string());
        assert!(KEY_MESSAGES.render(&vars).is_err());
        vars.insert("body", "Hello world".to_string());
        let out = KEY_MESSAGES.render(&vars).unwrap();
        assert!(out.contains("the 3 most important"));
        assert!(out.contains("Hello world"));
        assert!(!out.contains("{{"));
        assert_eq!(KEY_MESSAGES.id(), "key_messages@1");
    }
}
