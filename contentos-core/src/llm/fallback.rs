//! [`Fallback`]: an ordered chain of providers (OpenAI → Anthropic by default).
//!
//! The next provider is tried when one fails with an error another provider might not have:
//! rate limits, outages, timeouts, provider quota, a refused key, a malformed answer. Errors
//! about the request itself (validation, the workspace's own quota) stop the chain. Streams fall
//! back only before their first chunk; after that the caller has seen text from one provider
//! and switching would splice two answers. The answer's `served_by` names the member that
//! produced it.

use super::provider::{CompletionStream, LlmProvider};
use super::types::{Completion, CompletionChunk, CompletionRequest};
use crate::{Error, Result};
use async_trait::async_trait;
use futures::StreamExt;
use std::sync::Arc;

/// Tries providers in order until one answers.
pub struct Fallback {
    providers: Vec<Arc<dyn LlmProvider>>,
    name: String,
}

impl Fallback {
    /// A chain over `providers`, first preferred. An empty chain fails every call with
    /// [`Error::Configuration`].
    pub fn new(providers: Vec<Arc<dyn LlmProvider>>) -> Self {
        let name = providers
            .iter()
            .map(|p| p.name())
            .collect::<Vec<_>>()
            .join("|");
        Fallback { providers, name }
    }

    /// True when the next provider may succeed where this one failed.
    pub fn should_fall_back(e: &Error) -> bool {
        match e {
            Error::Validation { .. }
            | Error::PermissionDenied { .. }
            | Error::NotFound { .. }
            | Error::Conflict { .. } => false,
            Error::QuotaExceeded { service, .. } => service != "workspace",
            _ => true,
        }
    }

    fn exhausted(&self, errors: Vec<(String, Error)>) -> Error {
        if errors.len() == 1 {
            if let Some((_, e)) = errors.into_iter().next() {
                return e;
            }
            return Error::internal("fallback: error list vanished");
        }
        Error::Unavailable {
            service: "llm".into(),
            message: format!(
                "every provider failed: {}",
                errors
                    .iter()
                    .map(|(n, e)| format!("{n}: {e}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

#[async_trait]
impl LlmProvider for Fallback {
    fn name(&self) -> &str {
        &self.name
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        let mut errors = Vec::new();
        for p in &self.providers {
            match p.complete(req.clone()).await {
                Ok(mut c) => {
                    c.served_by = p.name().to_string();
                    return Ok(c);
                }
                Err(e) if Self::should_fall_back(&e) => {
                    tracing::warn!(provider = p.name(), error = %e, "llm provider failed, falling back");
                    errors.push((p.name().to_string(), e));
                }
                Err(e) => return Err(e),
            }
        }
        if errors.is_empty() {
            return Err(Error::configuration("the LLM fallback chain is empty"));
        }
        Err(self.exhausted(errors))
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        let mut errors = Vec::new();
        for p in &self.providers {
            let first = match p.stream(req.clone()).await {
                Ok(mut s) => match s.next().await {
                    Some(Ok(chunk)) => Ok((chunk, s)),
                    Some(Err(e)) => Err(e),
                    None => Err(Error::Protocol {
                        service: p.name().to_string(),
                        message: "empty stream".into(),
                    }),
                },
                Err(e) => Err(e),
            };
            match first {
                Ok((chunk, rest)) => {
                    let served_by = p.name().to_string();
                    let stamp = move |item: Result<CompletionChunk>| match item {
                        Ok(CompletionChunk::Done(mut s)) => {
                            s.served_by = served_by.clone();
                            Ok(CompletionChunk::Done(s))
                        }
                        other => other,
                    };
                    return Ok(futures::stream::once(async move { Ok(chunk) })
                        .chain(rest)
                        .map(stamp)
                        .boxed());
                }
                Err(e) if Self::should_fall_back(&e) => {
                    tracing::warn!(provider = p.name(), error = %e, "llm stream failed before its first chunk, falling back");
                    errors.push((p.name().to_string(), e));
                }
                Err(e) => return Err(e),
            }
        }
        if errors.is_empty() {
            return Err(Error::configuration("the LLM fallback chain is empty"));
        }
        Err(self.exhausted(errors))
    }
}
