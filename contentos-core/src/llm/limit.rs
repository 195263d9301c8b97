//! [`ConcurrencyLimit`]: caps the calls in flight to the providers beneath it.
//!
//! Why: 10,000 concurrent `generate` calls must not open 10,000 sockets (file-descriptor limits,
//! provider connection caps) nor hold 10,000 response buffers at once. Excess calls wait in a
//! FIFO queue (a tokio semaphore) that costs a few hundred bytes each, so memory stays bounded
//! by the limit rather than by the burst.

use super::provider::{CompletionStream, LlmProvider};
use super::types::{Completion, CompletionRequest};
use crate::{Error, Result};
use async_trait::async_trait;
use futures::StreamExt;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Lets at most `max_in_flight` calls through at once; streams hold their slot until they end
/// or are dropped.
pub struct ConcurrencyLimit {
    inner: Arc<dyn LlmProvider>,
    permits: Arc<Semaphore>,
}

impl ConcurrencyLimit {
    /// Wraps `inner`; a limit of 0 is raised to 1.
    pub fn new(inner: Arc<dyn LlmProvider>, max_in_flight: usize) -> Self {
        ConcurrencyLimit {
            inner,
            permits: Arc::new(Semaphore::new(max_in_flight.max(1))),
        }
    }

    /// Slots free right now.
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }

    async fn acquire(&self) -> Result<tokio::sync::OwnedSemaphorePermit> {
        self.permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::internal("llm concurrency limiter closed"))
    }
}

#[async_trait]
impl LlmProvider for ConcurrencyLimit {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        let _permit = self.acquire().await?;
        self.inner.complete(req).await
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        let permit = self.acquire().await?;
        let inner = self.inner.stream(req).await?;
        Ok(inner
            .map(move |item| {
                let _held = &permit;
                item
            })
            .boxed())
    }
}
