//! [`Timeouts`]: a total deadline per call and an idle limit between stream chunks, around any
//! provider.
//!
//! The connect timeout belongs to the HTTP client (only the transport sees the handshake) and is
//! set on each provider's config (`connect_timeout`); these two belong here because they are
//! the same for every provider. The idle limit also covers the wait for the first chunk, so a
//! server that sends headers and then stalls is caught.

use super::provider::{CompletionStream, LlmProvider};
use super::types::{Completion, CompletionChunk, CompletionRequest};
use crate::{Error, Result};
use async_trait::async_trait;
use futures::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Deadlines applied by [`Timeouts`].
#[derive(Debug, Clone, Copy)]
pub struct TimeoutConfig {
    /// Whole call (for streams: from opening to the final chunk); `None` for no limit.
    pub total: Option<Duration>,
    /// Longest silence between two stream chunks (and before the first); `None` for no limit.
    pub idle: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        TimeoutConfig {
            total: Some(Duration::from_secs(120)),
            idle: Some(Duration::from_secs(30)),
        }
    }
}

/// Applies a [`TimeoutConfig`] to a provider.
pub struct Timeouts {
    inner: Arc<dyn LlmProvider>,
    cfg: TimeoutConfig,
}

impl Timeouts {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn LlmProvider>, cfg: TimeoutConfig) -> Self {
        Timeouts { inner, cfg }
    }
}

fn timeout_error(operation: &str, after: Duration) -> Error {
    Error::Timeout {
        operation: operation.to_string(),
        after,
    }
}

#[async_trait]
impl LlmProvider for Timeouts {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        match self.cfg.total {
            Some(total) => tokio::time::timeout(total, self.inner.complete(req))
                .await
                .map_err(|_| timeout_error(&format!("{} completion", self.inner.name()), total))?,
            None => self.inner.complete(req).await,
        }
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        let deadline = self.cfg.total.map(|t| (Instant::now() + t, t));
        let name = self.inner.name().to_string();
        let open = self.inner.stream(req);
        let inner = match deadline {
            Some((at, total)) => tokio::time::timeout_at(at, open)
                .await
                .map_err(|_| timeout_error(&format!("{name} stream"), total))??,
            None => open.await?,
        };
        let idle = self.cfg.idle;
        let state = (inner, false, name);
        Ok(
            futures::stream::unfold(state, move |(mut s, done, name)| async move {
                if done {
                    return None;
                }
                let limit_at = match (idle, deadline) {
                    (Some(i), Some((at, _))) => Some((Instant::now() + i).min(at)),
                    (Some(i), None) => Some(Instant::now() + i),
                    (None, Some((at, _))) => Some(at),
                    (None, None) => None,
                };
                let next = match limit_at {
                    Some(at) => match tokio::time::timeout_at(at, s.next()).await {
                        Ok(n) => n,
                        Err(_) => {
                            let err = match (deadline, idle) {
                                (Some((d, total)), _) if Instant::now() >= d => {
                                    timeout_error(&format!("{name} stream"), total)
                                }
                                (_, Some(i)) => timeout_error(&format!("{name} stream idle"), i),
                                (Some((_, total)), None) => {
                                    timeout_error(&format!("{name} stream"), total)
                                }
                                (None, None) => {
                                    timeout_error(&format!("{name} stream"), Duration::ZERO)
                                }
                            };
                            return Some((Err(err), (s, true, name)));
                        }
                    },
                    None => s.next().await,
                };
                match next {
                    Some(Ok(CompletionChunk::Done(d))) => {
                        Some((Ok(CompletionChunk::Done(d)), (s, true, name)))
                    }
                    Some(Err(e)) => Some((Err(e), (s, true, name))),
                    Some(Ok(chunk)) => Some((Ok(chunk), (s, false, name))),
                    None => None,
                }
            })
            .boxed(),
        )
    }
}
