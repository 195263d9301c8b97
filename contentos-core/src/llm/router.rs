//! [`Router`]: picks a cheap model for simple tasks and a strong one for long-form (design
//! document section 12.3), for requests that name no model.
//!
//! Routing is per provider (wrap each member of a fallback chain with its own routes), because
//! model names mean nothing across providers.

use super::provider::{CompletionStream, LlmProvider};
use super::types::{Completion, CompletionRequest, TaskHint};
use crate::Result;
use async_trait::async_trait;
use std::sync::Arc;

/// Model names per [`TaskHint`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRoutes {
    /// Model for [`TaskHint::Simple`] (short social rewrites, extraction).
    pub simple: String,
    /// Model for [`TaskHint::LongForm`] (blog posts, newsletters).
    pub long_form: String,
}

impl ModelRoutes {
    /// Routes with explicit model names.
    pub fn new(simple: impl Into<String>, long_form: impl Into<String>) -> Self {
        ModelRoutes {
            simple: simple.into(),
            long_form: long_form.into(),
        }
    }

    /// OpenAI defaults: `gpt-4o-mini` for simple tasks, `gpt-4o` for long-form.
    pub fn openai() -> Self {
        ModelRoutes::new("gpt-4o-mini", "gpt-4o")
    }

    /// Anthropic defaults: `claude-3-5-haiku-latest` for simple tasks, `claude-sonnet-4-0` for
    /// long-form.
    pub fn anthropic() -> Self {
        ModelRoutes::new("claude-3-5-haiku-latest", "claude-sonnet-4-0")
    }

    /// The model for `task`.
    pub fn model_for(&self, task: TaskHint) -> &str {
        match task {
            TaskHint::Simple => &self.simple,
            TaskHint::LongForm => &self.long_form,
        }
    }
}

/// Fills in [`CompletionRequest::model`] from the task hint when the caller left it empty.
pub struct Router {
    inner: Arc<dyn LlmProvider>,
    routes: ModelRoutes,
}

impl Router {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn LlmProvider>, routes: ModelRoutes) -> Self {
        Router { inner, routes }
    }

    fn route(&self, mut req: CompletionRequest) -> CompletionRequest {
        if req.model.is_none() {
            req.model = Some(self.routes.model_for(req.task).to_string());
        }
        req
    }
}

#[async_trait]
impl LlmProvider for Router {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        self.inner.complete(self.route(req)).await
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        self.inner.stream(self.route(req)).await
    }
}
