//! [`ResponseCache`]: a TTL cache of completions keyed on the normalised request, plus in-flight
//! deduplication so identical concurrent requests make one upstream call.
//!
//! Why both: the cache saves money on repeated prompts (design document section 15.1, "cache
//! common generations"); deduplication covers the burst before the first answer lands, when a
//! cache alone would let every concurrent caller through.
//!
//! The key includes the workspace id, so one tenant never receives another's cached text, and
//! [`CompletionRequest::variant`], so variations of one request stay distinct. Errors are not
//! cached, but every waiter of a shared call receives the same typed error.

use super::error_clone::clone_error;
use super::provider::{CompletionStream, LlmProvider};
use super::types::{Completion, CompletionChunk, CompletionRequest, StreamSummary};
use crate::{Error, Result};
use async_trait::async_trait;
use futures::future::{BoxFuture, FutureExt, Shared};
use futures::StreamExt;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Cache size and lifetime.
#[derive(Debug, Clone, Copy)]
pub struct CacheConfig {
    /// How long an answer is reused.
    pub ttl: Duration,
    /// Most entries kept; the oldest are evicted beyond it.
    pub max_entries: usize,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            ttl: Duration::from_secs(3600),
            max_entries: 10_000,
        }
    }
}

/// Counters, for tests and dashboards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Answers served from the cache.
    pub hits: u64,
    /// Calls that went upstream.
    pub upstream_calls: u64,
    /// Calls that joined an identical call already in flight.
    pub deduplicated: u64,
}

type SharedCall = Shared<BoxFuture<'static, std::result::Result<Completion, Arc<Error>>>>;

struct State {
    cfg: CacheConfig,
    entries: Mutex<HashMap<[u8; 32], (Instant, Completion)>>,
    inflight: Mutex<HashMap<[u8; 32], SharedCall>>,
    hits: AtomicU64,
    upstream: AtomicU64,
    dedup: AtomicU64,
}

impl State {
    fn lookup(&self, key: &[u8; 32]) -> Option<Completion> {
        let entries = self.entries.lock().ok()?;
        let (at, c) = entries.get(key)?;
        (at.elapsed() < self.cfg.ttl).then(|| {
            let mut c = c.clone();
            c.cached = true;
            c
        })
    }

    fn insert(&self, key: [u8; 32], c: &Completion) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.cfg.max_entries {
            let ttl = self.cfg.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= self.cfg.max_entries {
                // Still full of live entries: drop the older half in one pass, so eviction
                // cost is amortised over many inserts.
                let mut ages: Vec<Instant> = entries.values().map(|(at, _)| *at).collect();
                ages.sort_unstable();
                let cut = ages[ages.len() / 2];
                entries.retain(|_, (at, _)| *at > cut);
            }
        }
        entries.insert(key, (Instant::now(), c.clone()));
    }
}

/// Caches and deduplicates a provider's completions.
pub struct ResponseCache {
    inner: Arc<dyn LlmProvider>,
    state: Arc<State>,
}

impl ResponseCache {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn LlmProvider>, cfg: CacheConfig) -> Self {
        ResponseCache {
            inner,
            state: Arc::new(State {
                cfg,
                entries: Mutex::new(HashMap::new()),
                inflight: Mutex::new(HashMap::new()),
                hits: AtomicU64::new(0),
                upstream: AtomicU64::new(0),
                dedup: AtomicU64::new(0),
            }),
        }
    }

    /// Current counters.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.state.hits.load(Ordering::Relaxed),
            upstream_calls: self.state.upstream.load(Ordering::Relaxed),
            deduplicated: self.state.dedup.load(Ordering::Relaxed),
        }
    }

    /// Drops every cached answer (in-flight calls are unaffected).
    pub fn clear(&self) {
        if let Ok(mut e) = self.state.entries.lock() {
            e.clear();
        }
    }
}

/// The cache key: SHA-256 over the request with whitespace at the ends of texts trimmed and
/// the temperature rounded to two decimals, so trivially different requests share an entry.
pub fn cache_key(req: &CompletionRequest) -> [u8; 32] {
    let mut h = Sha256::new();
    let mut field = |tag: &str, v: &str| {
        h.update(tag.as_bytes());
        h.update((v.len() as u64).to_le_bytes());
        h.update(v.as_bytes());
    };
    field("model", req.model.as_deref().unwrap_or(""));
    field("system", req.system.as_deref().unwrap_or("").trim());
    for m in &req.messages {
        field(
            match m.role {
                super::types::Role::User => "user",
                super::types::Role::Assistant => "assistant",
            },
            m.content.trim(),
        );
    }
    field(
        "temperature",
        &req.temperature
            .map(|t| format!("{t:.2}"))
            .unwrap_or_default(),
    );
    field(
        "max_tokens",
        &req.max_tokens.map(|t| t.to_string()).unwrap_or_default(),
    );
    field(
        "task",
        match req.task {
            super::types::TaskHint::Simple => "simple",
            super::types::TaskHint::LongForm => "long_form",
        },
    );
    field(
        "workspace",
        &req.workspace.map(|w| w.id.to_string()).unwrap_or_default(),
    );
    field("variant", &req.variant.to_string());
    h.finalize().into()
}

#[async_trait]
impl LlmProvider for ResponseCache {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        if req.no_cache {
            self.state.upstream.fetch_add(1, Ordering::Relaxed);
            return self.inner.complete(req).await;
        }
        let key = cache_key(&req);
        if let Some(c) = self.state.lookup(&key) {
            self.state.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(c);
        }
        let call = {
            let mut inflight = self
                .state
                .inflight
                .lock()
                .map_err(|_| Error::internal("llm cache lock poisoned"))?;
            // Re-check under the lock: the leader fills the cache before it leaves `inflight`.
            if let Some(c) = self.state.lookup(&key) {
                self.state.hits.fetch_add(1, Ordering::Relaxed);
                return Ok(c);
            }
            match inflight.get(&key) {
                Some(call) => {
                    self.state.dedup.fetch_add(1, Ordering::Relaxed);
                    call.clone()
                }
                None => {
                    self.state.upstream.fetch_add(1, Ordering::Relaxed);
                    let inner = self.inner.clone();
                    let state = self.state.clone();
                    let call = async move {
                        let result = inner.complete(req).await;
                        if let Ok(c) = &result {
                            state.insert(key, c);
                        }
                        if let Ok(mut inflight) = state.inflight.lock() {
                            inflight.remove(&key);
                        }
                        result.map_err(Arc::new)
                    }
                    .boxed()
                    .shared();
                    inflight.insert(key, call.clone());
                    call
                }
            }
        };
        call.await.map_err(|e| clone_error(&e))
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        if req.no_cache {
            self.state.upstream.fetch_add(1, Ordering::Relaxed);
            return self.inner.stream(req).await;
        }
        let key = cache_key(&req);
        if let Some(c) = self.state.lookup(&key) {
            self.state.hits.fetch_add(1, Ordering::Relaxed);
            let done = CompletionChunk::Done(StreamSummary {
                finish_reason: c.finish_reason,
                provider: c.provider,
                model: c.model,
                request_id: c.request_id,
                usage: c.usage,
                served_by: c.served_by,
                cost_usd: c.cost_usd,
            });
            return Ok(
                futures::stream::iter([Ok(CompletionChunk::Delta(c.text)), Ok(done)]).boxed(),
            );
        }
        // Streams are not deduplicated (each caller wants its own live deltas), but a finished
        // stream fills the cache for later calls.
        self.state.upstream.fetch_add(1, Ordering::Relaxed);
        let inner = self.inner.stream(req).await?;
        let state = self.state.clone();
        let mut text = String::new();
        Ok(inner
            .map(move |item| {
                match &item {
                    Ok(CompletionChunk::Delta(d)) => text.push_str(d),
                    Ok(CompletionChunk::Done(s)) => {
                        let c = super::provider::completion_from_summary(
                            std::mem::take(&mut text),
                            s.clone(),
                        );
                        state.insert(key, &c);
                    }
                    Err(_) => {}
                }
                item
            })
            .boxed())
    }
}
