//! Usage and cost: a replaceable [`PriceTable`], per-workspace token quotas by [`Tier`]
//! ([`TierQuotas`], design document section 15.1), a [`UsageLedger`] that stores what each
//! workspace used, and the [`UsageMeter`] wrapper that enforces the quota *before* the call and
//! records tokens and cost after it.
//!
//! Why reserve-then-settle: checking "used < limit" and charging afterwards lets a burst of
//! concurrent calls overshoot the quota. The meter reserves the call's worst case (estimated
//! prompt + `max_tokens`) atomically, and replaces the reservation with the real usage when
//! the provider reports it.

use super::provider::{CompletionStream, LlmProvider};
use super::telemetry::call_span;
use super::types::{Completion, CompletionChunk, CompletionRequest, Usage};
use crate::model::{Tier, WorkspaceId};
use crate::{Error, Result};
use async_trait::async_trait;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tracing::Instrument;

/// Price of one model in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelPrice {
    /// Per million prompt tokens.
    pub input_per_mtok: f64,
    /// Per million completion tokens.
    pub output_per_mtok: f64,
}

/// Model prices. Names match exactly or by longest prefix, so `gpt-4o-mini-2024-07-18` is priced
/// as `gpt-4o-mini`. Replace the defaults with your contract's prices.
#[derive(Debug, Clone, Default)]
pub struct PriceTable {
    prices: HashMap<String, ModelPrice>,
}

impl PriceTable {
    /// An empty table (every call costs `None`).
    pub fn empty() -> Self {
        PriceTable::default()
    }

    /// List prices of common models at the time of writing (USD per million tokens).
    pub fn defaults() -> Self {
        let mut t = PriceTable::empty();
        for (m, i, o) in [
            ("gpt-4o-mini", 0.15, 0.60),
            ("gpt-4o", 2.50, 10.00),
            ("gpt-4.1-mini", 0.40, 1.60),
            ("gpt-4.1-nano", 0.10, 0.40),
            ("gpt-4.1", 2.00, 8.00),
            ("claude-3-5-haiku", 0.80, 4.00),
            ("claude-3-5-sonnet", 3.00, 15.00),
            ("claude-3-7-sonnet", 3.00, 15.00),
            ("claude-sonnet-4", 3.00, 15.00),
            ("claude-opus-4", 15.00, 75.00),
        ] {
            t = t.with_price(m, i, o);
        }
        t
    }

    /// Sets (or replaces) a model's price.
    pub fn with_price(
        mut self,
        model: impl Into<String>,
        input_per_mtok: f64,
        output_per_mtok: f64,
    ) -> Self {
        self.prices.insert(
            model.into(),
            ModelPrice {
                input_per_mtok,
                output_per_mtok,
            },
        );
        self
    }

    /// The price for `model`, by exact name or longest matching prefix.
    pub fn price(&self, model: &str) -> Option<ModelPrice> {
        if let Some(p) = self.prices.get(model) {
            return Some(*p);
        }
        self.prices
            .iter()
            .filter(|(k, _)| model.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, p)| *p)
    }

    /// Cost of `usage` on `model`, or `None` when the model is not priced.
    pub fn cost(&self, model: &str, usage: &Usage) -> Option<f64> {
        let p = self.price(model)?;
        Some(
            f64::from(usage.prompt_tokens) * p.input_per_mtok / 1e6
                + f64::from(usage.completion_tokens) * p.output_per_mtok / 1e6,
        )
    }
}

/// Monthly token allowance per tier; `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierQuotas {
    /// Free tier tokens per calendar month (UTC).
    pub free: Option<u64>,
    /// Pro tier tokens per month.
    pub pro: Option<u64>,
    /// Enterprise tier tokens per month.
    pub enterprise: Option<u64>,
}

impl Default for TierQuotas {
    /// 100k tokens/month on Free, 5M on Pro, unlimited on Enterprise.
    fn default() -> Self {
        TierQuotas {
            free: Some(100_000),
            pro: Some(5_000_000),
            enterprise: None,
        }
    }
}

impl TierQuotas {
    /// No limits for any tier.
    pub fn unlimited() -> Self {
        TierQuotas {
            free: None,
            pro: None,
            enterprise: None,
        }
    }

    /// The monthly limit for `tier`.
    pub fn limit(&self, tier: Tier) -> Option<u64> {
        match tier {
            Tier::Free => self.free,
            Tier::Pro => self.pro,
            Tier::Enterprise => self.enterprise,
        }
    }
}

/// A workspace's usage in the current period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkspaceUsage {
    /// The period (`YYYY-MM`, UTC).
    pub period: String,
    /// Tokens settled (prompt + completion).
    pub tokens: u64,
    /// Tokens reserved by calls in flight.
    pub reserved: u64,
    /// Cost settled, in US dollars.
    pub cost_usd: f64,
    /// Calls settled.
    pub calls: u64,
}

/// Where per-workspace usage is kept. The in-memory [`InMemoryLedger`] suits one process; a
/// multi-instance deployment implements this on its Store or Redis so quotas hold across nodes.
#[async_trait]
pub trait UsageLedger: Send + Sync {
    /// Atomically reserves `tokens` for `workspace` in the current period, or fails with
    /// [`Error::QuotaExceeded`] (service `"workspace"`) when settled + reserved + `tokens` would
    /// exceed `limit`.
    async fn reserve(&self, workspace: WorkspaceId, tokens: u64, limit: Option<u64>) -> Result<()>;

    /// Releases a reservation of `reserved` tokens and records `used` tokens costing `cost_usd`.
    async fn settle(
        &self,
        workspace: WorkspaceId,
        reserved: u64,
        used: u64,
        cost_usd: f64,
    ) -> Result<()>;

    /// The workspace's usage in the current period.
    async fn usage(&self, workspace: WorkspaceId) -> Result<WorkspaceUsage>;
}

/// A [`UsageLedger`] in process memory, by calendar month (UTC).
#[derive(Debug, Default)]
pub struct InMemoryLedger {
    rows: Mutex<HashMap<(WorkspaceId, String), WorkspaceUsage>>,
}

impl InMemoryLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        InMemoryLedger::default()
    }
}

fn period() -> String {
    chrono::Utc::now().format("%Y-%m").to_string()
}

#[async_trait]
impl UsageLedger for InMemoryLedger {
    async fn reserve(&self, workspace: WorkspaceId, tokens: u64, limit: Option<u64>) -> Result<()> {
        let p = period();
        let mut rows = self
            .rows
            .lock()
            .map_err(|_| Error::internal("usage ledger lock poisoned"))?;
        let row = rows
            .entry((workspace, p.clone()))
            .or_insert_with(|| WorkspaceUsage {
                period: p,
                ..WorkspaceUsage::default()
            });
        if let Some(limit) = limit {
            let after = row.tokens + row.reserved + tokens;
            if after > limit {
                return Err(Error::QuotaExceeded {
                    service: "workspace".into(),
                    message: format!(
                        "monthly LLM quota of {limit} tokens: {} used, {} reserved, this call needs up to {tokens}",
                        row.tokens, row.reserved
                    ),
                });
            }
        }
        row.reserved += tokens;
        Ok(())
    }

    async fn settle(
        &self,
        workspace: WorkspaceId,
        reserved: u64,
        used: u64,
        cost_usd: f64,
    ) -> Result<()> {
        let p = period();
        let mut rows = self
            .rows
            .lock()
            .map_err(|_| Error::internal("usage ledger lock poisoned"))?;
        let row = rows
            .entry((workspace, p.clone()))
            .or_insert_with(|| WorkspaceUsage {
                period: p,
                ..WorkspaceUsage::default()
            });
        row.reserved = row.reserved.saturating_sub(reserved);
        row.tokens += used;
        row.cost_usd += cost_usd;
        row.calls += 1;
        Ok(())
    }

    async fn usage(&self, workspace: WorkspaceId) -> Result<WorkspaceUsage> {
        let p = period();
        let rows = self
            .rows
            .lock()
            .map_err(|_| Error::internal("usage ledger lock poisoned"))?;
        Ok(rows
            .get(&(workspace, p.clone()))
            .cloned()
            .unwrap_or(WorkspaceUsage {
                period: p,
                ..WorkspaceUsage::default()
            }))
    }
}

/// Meters calls: quota check before, tokens and cost after, one `llm.call` span each.
pub struct UsageMeter {
    inner: Arc<dyn LlmProvider>,
    prices: PriceTable,
    quotas: TierQuotas,
    ledger: Arc<dyn UsageLedger>,
    /// Completion tokens reserved when a request sets no `max_tokens`.
    default_output_reserve: u32,
}

impl UsageMeter {
    /// Wraps `inner`.
    pub fn new(
        inner: Arc<dyn LlmProvider>,
        prices: PriceTable,
        quotas: TierQuotas,
        ledger: Arc<dyn UsageLedger>,
    ) -> Self {
        UsageMeter {
            inner,
            prices,
            quotas,
            ledger,
            default_output_reserve: 1024,
        }
    }

    /// The ledger (to show a workspace its usage).
    pub fn ledger(&self) -> &Arc<dyn UsageLedger> {
        &self.ledger
    }

    fn estimate(&self, req: &CompletionRequest) -> u64 {
        req.estimated_prompt_tokens()
            + u64::from(req.max_tokens.unwrap_or(self.default_output_reserve))
    }

    async fn reserve(&self, req: &CompletionRequest) -> Result<u64> {
        let Some(ws) = req.workspace else {
            return Ok(0);
        };
        let estimate = self.estimate(req);
        self.ledger
            .reserve(ws.id, estimate, self.quotas.limit(ws.tier))
            .await?;
        Ok(estimate)
    }
}

/// Settles a metered call: tokens used and their cost (cached answers cost nothing).
async fn settle(
    ledger: &dyn UsageLedger,
    req_ws: Option<WorkspaceId>,
    reserved: u64,
    used: u64,
    cost: f64,
) {
    if let Some(ws) = req_ws {
        if let Err(e) = ledger.settle(ws, reserved, used, cost).await {
            tracing::error!(error = %e, "could not record LLM usage");
        }
    }
}

#[async_trait]
impl LlmProvider for UsageMeter {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn complete(&self, req: CompletionRequest) -> Result<Completion> {
        let model_hint = req.model.clone().unwrap_or_default();
        let ws = req.workspace.map(|w| w.id);
        let span = call_span(self.inner.name(), &model_hint, ws.map(|w| w.to_string()));
        let started = Instant::now();
        let result = async {
            let reserved = self.reserve(&req).await?;
            match self.inner.complete(req).await {
                Ok(mut c) => {
                    let (used, cost) = if c.cached {
                        (0, Some(0.0))
                    } else {
                        let cost = c.usage.and_then(|u| self.prices.cost(&c.model, &u));
                        (c.usage.map_or(reserved, |u| u.total()), cost)
                    };
                    c.cost_usd = cost;
                    settle(
                        self.ledger.as_ref(),
                        ws,
                        reserved,
                        used,
                        cost.unwrap_or(0.0),
                    )
                    .await;
                    Ok(c)
                }
                Err(e) => {
                    settle(self.ledger.as_ref(), ws, reserved, 0, 0.0).await;
                    Err(e)
                }
            }
        }
        .instrument(span.clone())
        .await;
        if let Ok(c) = &result {
            span.record("model", c.model.as_str());
            span.record("served_by", c.served_by.as_str());
            span.record("cached", c.cached);
            if let Some(cost) = c.cost_usd {
                span.record("cost_usd", cost);
            }
        }
        super::telemetry::record_usage(&span, result.as_ref().ok().and_then(|c| c.usage.as_ref()));
        super::telemetry::record_outcome(&span, started, result.as_ref().err());
        result
    }

    async fn stream(&self, req: CompletionRequest) -> Result<CompletionStream> {
        let model_hint = req.model.clone().unwrap_or_default();
        let ws = req.workspace.map(|w| w.id);
        let span = call_span(self.inner.name(), &model_hint, ws.map(|w| w.to_string()));
        let started = Instant::now();
        let prompt_estimate = req.estimated_prompt_tokens();
        let reserved = match self.reserve(&req).instrument(span.clone()).await {
            Ok(r) => r,
            Err(e) => {
                super::telemetry::record_outcome(&span, started, Some(&e));
                return Err(e);
            }
        };
        let inner = match self.inner.stream(req).instrument(span.clone()).await {
            Ok(s) => s,
            Err(e) => {
                settle(self.ledger.as_ref(), ws, reserved, 0, 0.0).await;
                super::telemetry::record_outcome(&span, started, Some(&e));
                return Err(e);
            }
        };
        let guard = StreamSettle {
            ledger: self.ledger.clone(),
            ws,
            reserved,
            prompt_estimate,
            streamed_chars: 0,
            settled: false,
        };
        let prices = self.prices.clone();
        let state = (inner, guard, prices, span, started);
        Ok(futures::stream::unfold(
            state,
            |(mut s, mut guard, prices, span, started)| async move {
                let item = s.next().await?;
                let item = match item {
                    Ok(CompletionChunk::Delta(d)) => {
                        guard.streamed_chars += d.len() as u64;
                        Ok(CompletionChunk::Delta(d))
                    }
                    Ok(CompletionChunk::Done(mut sum)) => {
                        let cost = sum.usage.and_then(|u| prices.cost(&sum.model, &u));
                        sum.cost_usd = cost;
                        let used = sum.usage.map_or_else(|| guard.partial(), |u| u.total());
                        guard.settle_now(used, cost.unwrap_or(0.0)).await;
                        span.record("model", sum.model.as_str());
                        span.record("served_by", sum.served_by.as_str());
                        if let Some(c) = cost {
                            span.record("cost_usd", c);
                        }
                        super::telemetry::record_usage(&span, sum.usage.as_ref());
                        super::telemetry::record_outcome(&span, started, None);
                        Ok(CompletionChunk::Done(sum))
                    }
                    Err(e) => {
                        let used = guard.partial();
                        guard.settle_now(used, 0.0).await;
                        super::telemetry::record_outcome(&span, started, Some(&e));
                        Err(e)
                    }
                };
                Some((item, (s, guard, prices, span, started)))
            },
        )
        .boxed())
    }
}

/// Settles a stream's reservation exactly once: at the final chunk, at an error, or — when the
/// caller drops the stream early — in `Drop`, charging the prompt plus what was streamed
/// (providers bill for tokens generated before a disconnect).
struct StreamSettle {
    ledger: Arc<dyn UsageLedger>,
    ws: Option<WorkspaceId>,
    reserved: u64,
    prompt_estimate: u64,
    streamed_chars: u64,
    settled: bool,
}

impl StreamSettle {
    fn partial(&self) -> u64 {
        self.prompt_estimate + self.streamed_chars.div_ceil(4)
    }

    async fn settle_now(&mut self, used: u64, cost: f64) {
        if !self.settled {
            self.settled = true;
            settle(self.ledger.as_ref(), self.ws, self.reserved, used, cost).await;
        }
    }
}

impl Drop for StreamSettle {
    fn drop(&mut self) {
        if self.settled || self.ws.is_none() {
            return;
        }
        let (ledger, ws, reserved, used) =
            (self.ledger.clone(), self.ws, self.reserved, self.partial());
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                settle(ledger.as_ref(), ws, reserved, used, 0.0).await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_match_by_longest_prefix() {
        let t = PriceTable::defaults();
        assert_eq!(
            t.price("gpt-4o-mini-2024-07-18").unwrap().input_per_mtok,
            0.15
        );
        assert_eq!(t.price("gpt-4o-2024-08-06").unwrap().input_per_mtok, 2.50);
        assert!(t.price("llama3.2").is_none());
        let cost = t
            .cost(
                "gpt-4o-mini",
                &Usage {
                    prompt_tokens: 1_000_000,
                    completion_tokens: 500_000,
                },
            )
            .unwrap();
        assert!((cost - 0.45).abs() < 1e-9, "{cost}");
    }

    #[tokio::test]
    async fn ledger_reserves_atomically_and_settles() {
        let l = InMemoryLedger::new();
        let ws = WorkspaceId::new();
        l.reserve(ws, 600, Some(1000)).await.unwrap();
        let err = l.reserve(ws, 500, Some(1000)).await.unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::QuotaExceeded);
        l.settle(ws, 600, 200, 0.01).await.unwrap();
        l.reserve(ws, 500, Some(1000)).await.unwrap();
        let u = l.usage(ws).await.unwrap();
        assert_eq!((u.tokens, u.reserved, u.calls), (200, 500, 1));
    }
}
