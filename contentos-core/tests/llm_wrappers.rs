//! The wrappers (timeouts, fallback, cache + dedup, router, usage meter) around real providers
//! talking to local servers.

#[path = "support/llm_mock.rs"]
mod llm_mock;

use contentos_core::llm::anthropic::{AnthropicConfig, AnthropicProvider};
use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::llm::{
    collect_stream, CacheConfig, CompletionChunk, CompletionRequest, Fallback, InMemoryLedger,
    LlmProvider, LlmStack, ModelRoutes, PriceTable, ResponseCache, RetryPolicy, Router, TaskHint,
    TierQuotas, TimeoutConfig, Timeouts, UsageLedger, UsageMeter,
};
use contentos_core::model::{Tier, WorkspaceId};
use contentos_core::{Error, ErrorKind};
use futures::StreamExt;
use llm_mock::{
    anthropic_message, anthropic_stream, openai_completion, openai_stream, MockServer, Reply,
};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn openai(server: &MockServer) -> Arc<dyn LlmProvider> {
    Arc::new(
        OpenAiProvider::new(OpenAiConfig::new("sk-openai-key").with_base_url(server.url("/v1")))
            .unwrap(),
    )
}

fn anthropic(server: &MockServer) -> Arc<dyn LlmProvider> {
    Arc::new(
        AnthropicProvider::new(AnthropicConfig::new("sk-ant-key").with_base_url(server.url("")))
            .unwrap(),
    )
}

fn server_error() -> Reply {
    Reply::json(
        500,
        json!({"error": {"message": "boom", "type": "server_error", "param": null, "code": null}}),
    )
}

#[tokio::test]
async fn slow_stream_trips_the_idle_timeout() {
    let server = MockServer::start(|_, _| {
        let chunks = openai_stream("gpt-4o-mini", &["fast", "slow"], 1, 1);
        let events = chunks
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let delay = if i == 2 {
                    Duration::from_millis(800)
                } else {
                    Duration::ZERO
                };
                (delay, format!("data: {c}\n\n"))
            })
            .collect();
        Reply::Sse {
            headers: vec![],
            events,
        }
    })
    .await;
    let p = Timeouts::new(
        openai(&server),
        TimeoutConfig {
            total: Some(Duration::from_secs(10)),
            idle: Some(Duration::from_millis(200)),
        },
    );
    let mut s = p.stream(CompletionRequest::new("x")).await.unwrap();
    let mut deltas = vec![];
    let err = loop {
        match s.next().await.expect("stream ended without error") {
            Ok(CompletionChunk::Delta(d)) => deltas.push(d),
            Ok(CompletionChunk::Done(_)) => panic!("should have timed out"),
            Err(e) => break e,
        }
    };
    assert_eq!(deltas, ["fast"]);
    match err {
        Error::Timeout { operation, after } => {
            assert!(operation.contains("idle"), "{operation}");
            assert_eq!(after, Duration::from_millis(200));
        }
        e => panic!("{e:?}"),
    }
    assert!(s.next().await.is_none());
}

#[tokio::test]
async fn total_timeout_bounds_a_slow_completion() {
    let server = MockServer::start(|_, _| {
        Reply::json(200, openai_completion("m", "late", 1, 1)).delayed(Duration::from_millis(600))
    })
    .await;
    let p = Timeouts::new(
        openai(&server),
        TimeoutConfig {
            total: Some(Duration::from_millis(100)),
            idle: None,
        },
    );
    let e = p.complete(CompletionRequest::new("x")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
}

#[tokio::test]
async fn fallback_moves_from_openai_to_anthropic_and_records_served_by() {
    let oa = MockServer::start(|_, _| server_error()).await;
    let an = MockServer::start(|_, _| {
        Reply::json(200, anthropic_message("claude-x", "from claude", 3, 2))
    })
    .await;
    let chain = Fallback::new(vec![openai(&oa), anthropic(&an)]);
    assert_eq!(chain.name(), "openai|anthropic");
    let c = chain
        .complete(CompletionRequest::new("hello").with_system("sys"))
        .await
        .unwrap();
    assert_eq!(c.text, "from claude");
    assert_eq!(c.served_by, "anthropic");
    assert_eq!((oa.hits(), an.hits()), (1, 1));
    // The fallback got the same request, in its own wire format.
    assert_eq!(an.last().body["system"], "sys");
    assert_eq!(an.last().body["messages"][0]["content"], "hello");
}

#[tokio::test]
async fn fallback_stops_on_request_errors_and_reports_unavailable_when_all_fail() {
    let oa = MockServer::start(|_, _| server_error()).await;
    let an = MockServer::start(|_, _| {
        Reply::json(529, json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}))
    })
    .await;
    let chain = Fallback::new(vec![openai(&oa), anthropic(&an)]);
    let e = chain
        .complete(CompletionRequest::new("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert!(e.to_string().contains("openai") && e.to_string().contains("anthropic"));

    let mut bad = CompletionRequest::new("x");
    bad.messages.clear();
    let before = oa.hits() + an.hits();
    assert_eq!(
        chain.complete(bad).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
    assert_eq!(
        oa.hits() + an.hits(),
        before,
        "validation errors do not fall back"
    );
}

#[tokio::test]
async fn stream_falls_back_before_the_first_chunk_only() {
    // OpenAI opens the stream then fails before any text: fall back.
    let oa = MockServer::start(|_, _| {
        Reply::sse_data(&[json!({"error": {"message": "overloaded", "type": "server_error", "param": null, "code": null}}).to_string()])
    })
    .await;
    let an =
        MockServer::start(|_, _| Reply::sse_events(&anthropic_stream("claude", &["A", "B"], 2, 2)))
            .await;
    let chain = Fallback::new(vec![openai(&oa), anthropic(&an)]);
    let c = collect_stream(chain.stream(CompletionRequest::new("x")).await.unwrap())
        .await
        .unwrap();
    assert_eq!(c.text, "AB");
    assert_eq!(c.served_by, "anthropic");

    // OpenAI fails after its first chunk: the error reaches the caller, no splice.
    let mut events = openai_stream("gpt", &["partial"], 1, 1);
    events.truncate(2);
    let oa2 = MockServer::start(move |_, _| Reply::sse_data(&events)).await;
    let chain = Fallback::new(vec![openai(&oa2), anthropic(&an)]);
    let hits_before = an.hits();
    let mut s = chain.stream(CompletionRequest::new("x")).await.unwrap();
    assert_eq!(
        s.next().await.unwrap().unwrap(),
        CompletionChunk::Delta("partial".into())
    );
    assert_eq!(
        s.next().await.unwrap().unwrap_err().kind(),
        ErrorKind::Transient
    );
    assert_eq!(an.hits(), hits_before);
}

#[tokio::test]
async fn thousand_identical_concurrent_requests_make_one_upstream_call() {
    let server = MockServer::start(|_, _| {
        Reply::json(200, openai_completion("gpt-4o-mini", "shared answer", 5, 5))
            .delayed(Duration::from_millis(300))
    })
    .await;
    let cache = Arc::new(ResponseCache::new(openai(&server), CacheConfig::default()));
    let mut tasks = Vec::new();
    for _ in 0..1000 {
        let c = cache.clone();
        tasks.push(tokio::spawn(async move {
            c.complete(CompletionRequest::new("same prompt").with_temperature(0.7))
                .await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().text, "shared answer");
    }
    assert_eq!(server.hits(), 1, "exactly one upstream call");
    let stats = cache.stats();
    assert_eq!(stats.upstream_calls, 1);
    assert_eq!(stats.deduplicated + stats.hits, 999);

    // Later identical requests are cache hits; a different variant is a new call.
    let again = cache
        .complete(CompletionRequest::new("same prompt").with_temperature(0.7))
        .await
        .unwrap();
    assert!(again.cached);
    cache
        .complete(
            CompletionRequest::new("same prompt")
                .with_temperature(0.7)
                .with_variant(1),
        )
        .await
        .unwrap();
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn deduplicated_waiters_all_get_the_typed_error_and_errors_are_not_cached() {
    let server = MockServer::start(|n, _| {
        if n == 0 {
            Reply::json(401, json!({"error": {"message": "bad key", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}))
                .delayed(Duration::from_millis(200))
        } else {
            Reply::json(200, openai_completion("m", "ok", 1, 1))
        }
    })
    .await;
    let cache = Arc::new(ResponseCache::new(openai(&server), CacheConfig::default()));
    let results = futures::future::join_all((0..20).map(|_| {
        let c = cache.clone();
        async move { c.complete(CompletionRequest::new("p")).await }
    }))
    .await;
    assert!(results
        .iter()
        .all(|r| matches!(r, Err(Error::Unauthorized { .. }))));
    assert_eq!(server.hits(), 1);
    assert_eq!(
        cache
            .complete(CompletionRequest::new("p"))
            .await
            .unwrap()
            .text,
        "ok"
    );
}

#[tokio::test]
async fn cache_expires_after_ttl_and_isolates_workspaces() {
    let server = MockServer::start(|n, _| {
        Reply::json(200, openai_completion("m", &format!("answer {n}"), 1, 1))
    })
    .await;
    let cache = ResponseCache::new(
        openai(&server),
        CacheConfig {
            ttl: Duration::from_millis(150),
            max_entries: 100,
        },
    );
    let req = CompletionRequest::new("p");
    assert_eq!(cache.complete(req.clone()).await.unwrap().text, "answer 0");
    // Whitespace at the ends does not change the key.
    assert_eq!(
        cache
            .complete(CompletionRequest::new("  p \n"))
            .await
            .unwrap()
            .text,
        "answer 0"
    );
    let other_ws = req.clone().with_workspace(WorkspaceId::new(), Tier::Pro);
    assert_eq!(cache.complete(other_ws).await.unwrap().text, "answer 1");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(cache.complete(req).await.unwrap().text, "answer 2");
}

#[tokio::test]
async fn streamed_answers_fill_the_cache() {
    let server =
        MockServer::start(|_, _| Reply::sse_data(&openai_stream("m", &["x", "y"], 1, 2))).await;
    let cache = ResponseCache::new(openai(&server), CacheConfig::default());
    let first = collect_stream(cache.stream(CompletionRequest::new("s")).await.unwrap())
        .await
        .unwrap();
    assert_eq!(first.text, "xy");
    let second = collect_stream(cache.stream(CompletionRequest::new("s")).await.unwrap())
        .await
        .unwrap();
    assert_eq!(second.text, "xy");
    let third = cache.complete(CompletionRequest::new("s")).await.unwrap();
    assert!(third.cached);
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn router_picks_cheap_or_strong_model_unless_one_is_named() {
    let server = MockServer::start(|_, r| {
        let model = r.body["model"].as_str().unwrap_or("").to_string();
        Reply::json(200, openai_completion(&model, "ok", 1, 1))
    })
    .await;
    let r = Router::new(
        openai(&server),
        ModelRoutes::new("cheap-model", "strong-model"),
    );
    r.complete(CompletionRequest::new("x").with_task(TaskHint::Simple))
        .await
        .unwrap();
    assert_eq!(server.last().body["model"], "cheap-model");
    r.complete(CompletionRequest::new("x").with_task(TaskHint::LongForm))
        .await
        .unwrap();
    assert_eq!(server.last().body["model"], "strong-model");
    r.complete(
        CompletionRequest::new("x")
            .with_task(TaskHint::Simple)
            .with_model("pinned"),
    )
    .await
    .unwrap();
    assert_eq!(server.last().body["model"], "pinned");
}

#[tokio::test]
async fn usage_meter_prices_calls_and_enforces_tier_quota_before_calling() {
    let server = MockServer::start(|_, _| {
        Reply::json(
            200,
            openai_completion("gpt-4o-mini-2024-07-18", "ok", 1000, 500),
        )
    })
    .await;
    let ledger = Arc::new(InMemoryLedger::new());
    let meter = UsageMeter::new(
        openai(&server),
        PriceTable::defaults(),
        TierQuotas {
            free: Some(3000),
            pro: None,
            enterprise: None,
        },
        ledger.clone(),
    );
    let ws = WorkspaceId::new();
    let req = || {
        CompletionRequest::new("hello")
            .with_max_tokens(500)
            .with_workspace(ws, Tier::Free)
            .with_no_cache()
    };
    let c = meter.complete(req()).await.unwrap();
    let expected = 1000.0 * 0.15 / 1e6 + 500.0 * 0.60 / 1e6;
    assert!((c.cost_usd.unwrap() - expected).abs() < 1e-12);
    let u = ledger.usage(ws).await.unwrap();
    assert_eq!((u.tokens, u.reserved, u.calls), (1500, 0, 1));

    // 1500 used; the next call reserves ~505 → fits; the third would exceed 3000.
    meter.complete(req()).await.unwrap();
    assert_eq!(server.hits(), 2);
    match meter.complete(req()).await.unwrap_err() {
        Error::QuotaExceeded { service, .. } => assert_eq!(service, "workspace"),
        e => panic!("{e:?}"),
    }
    assert_eq!(
        server.hits(),
        2,
        "quota is enforced before the upstream call"
    );

    // Pro is unlimited here; no workspace means no quota.
    meter
        .complete(CompletionRequest::new("x").with_workspace(ws, Tier::Pro))
        .await
        .unwrap();
    meter.complete(CompletionRequest::new("x")).await.unwrap();
    assert_eq!(server.hits(), 4);
}

#[tokio::test]
async fn metered_streams_settle_usage_and_cost() {
    let server = MockServer::start(|_, _| {
        Reply::sse_events(&anthropic_stream("claude-sonnet-4-0", &["a"], 100, 10))
    })
    .await;
    let ledger = Arc::new(InMemoryLedger::new());
    let meter = UsageMeter::new(
        anthropic(&server),
        PriceTable::defaults(),
        TierQuotas::default(),
        ledger.clone(),
    );
    let ws = WorkspaceId::new();
    let c = collect_stream(
        meter
            .stream(CompletionRequest::new("x").with_workspace(ws, Tier::Free))
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let expected = 100.0 * 3.0 / 1e6 + 10.0 * 15.0 / 1e6;
    assert!((c.cost_usd.unwrap() - expected).abs() < 1e-12);
    let u = ledger.usage(ws).await.unwrap();
    assert_eq!((u.tokens, u.reserved), (110, 0));
}

#[tokio::test]
async fn default_stack_retries_falls_back_caches_and_meters() {
    let oa = MockServer::start(|_, _| {
        Reply::json(429, json!({"error": {"message": "slow down", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}))
            .with_header("retry-after", "0")
    })
    .await;
    let an = MockServer::start(|_, r| {
        let model = r.body["model"].as_str().unwrap_or("").to_string();
        Reply::json(200, anthropic_message(&model, "fallback text", 10, 5))
    })
    .await;
    let stack = LlmStack::new()
        .provider(openai(&oa), Some(ModelRoutes::openai()))
        .provider(anthropic(&an), Some(ModelRoutes::anthropic()))
        .retry(Some(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(1),
            ..RetryPolicy::default()
        }))
        .build()
        .unwrap();
    let ws = WorkspaceId::new();
    let req = CompletionRequest::new("x")
        .with_task(TaskHint::Simple)
        .with_workspace(ws, Tier::Free);
    let c = stack.complete(req.clone()).await.unwrap();
    assert_eq!(c.served_by, "anthropic");
    assert_eq!(oa.hits(), 3, "1 try + 2 retries before falling back");
    assert_eq!(oa.last().body["model"], "gpt-4o-mini");
    assert_eq!(an.last().body["model"], "claude-3-5-haiku-latest");
    assert!(c.cost_usd.unwrap() > 0.0);
    let again = stack.complete(req).await.unwrap();
    assert!(again.cached);
    assert_eq!(again.cost_usd, Some(0.0));
    assert_eq!(an.hits(), 1);
}

#[test]
fn empty_stack_is_a_configuration_error() {
    assert_eq!(
        LlmStack::new().build().err().unwrap().kind(),
        ErrorKind::Configuration
    );
}

/// An in-process provider that records how many calls overlap.
struct Overlap {
    now: std::sync::atomic::AtomicUsize,
    peak: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl LlmProvider for Overlap {
    fn name(&self) -> &str {
        "overlap"
    }

    async fn complete(
        &self,
        _req: CompletionRequest,
    ) -> contentos_core::Result<contentos_core::llm::Completion> {
        use std::sync::atomic::Ordering::SeqCst;
        let n = self.now.fetch_add(1, SeqCst) + 1;
        self.peak.fetch_max(n, SeqCst);
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.now.fetch_sub(1, SeqCst);
        Ok(contentos_core::llm::Completion {
            text: "ok".into(),
            finish_reason: contentos_core::llm::FinishReason::Stop,
            provider: "overlap".into(),
            model: "m".into(),
            request_id: None,
            usage: None,
            served_by: "overlap".into(),
            cost_usd: None,
            cached: false,
        })
    }

    async fn stream(
        &self,
        _req: CompletionRequest,
    ) -> contentos_core::Result<contentos_core::llm::CompletionStream> {
        Err(Error::not_supported("stream"))
    }
}

#[tokio::test]
async fn concurrency_limit_caps_calls_in_flight() {
    let inner = Arc::new(Overlap {
        now: Default::default(),
        peak: Default::default(),
    });
    let limited = Arc::new(contentos_core::llm::ConcurrencyLimit::new(inner.clone(), 8));
    let calls = (0..200).map(|i| {
        let l = limited.clone();
        async move { l.complete(CompletionRequest::new(format!("p{i}"))).await }
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(|r| r.is_ok()));
    let peak = inner.peak.load(std::sync::atomic::Ordering::SeqCst);
    assert!((2..=8).contains(&peak), "peak {peak}");
    assert_eq!(limited.available(), 8);
}
