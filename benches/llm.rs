//! SDK overhead per `complete()` against a zero-latency loopback server, versus a bare reqwest
//! call to the same server. Target: SDK ≤ 1.2× bare, and under 200 µs of added time.
//! Figures: docs/bench-llm.md. Run: `cargo bench -p contentos-benches --bench llm`.

use axum::routing::post;
use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::llm::{
    CompletionRequest, InMemoryLedger, LlmProvider, LlmStack, ModelRoutes, PriceTable, TierQuotas,
};
use contentos_core::model::{Tier, WorkspaceId};
use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::Arc;

fn completion_body() -> String {
    serde_json::json!({
        "id": "chatcmpl-bench", "object": "chat.completion", "created": 1_700_000_000u32,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Rust makes systems programming approachable: fast, safe and fun. #rustlang", "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 42, "completion_tokens": 17, "total_tokens": 59},
        "system_fingerprint": "fp_bench"
    })
    .to_string()
}

/// A loopback server that answers every POST immediately with the same completion.
fn start_server(rt: &tokio::runtime::Runtime) -> String {
    let body = completion_body();
    rt.block_on(async move {
        let app = axum::Router::new().route(
            "/v1/chat/completions",
            post(move || {
                let body = body.clone();
                async move { ([("content-type", "application/json")], body) }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/v1")
    })
}

fn request() -> CompletionRequest {
    CompletionRequest::new("Write a short post about Rust for X.")
        .with_system("You are a friendly brand copywriter. Tone: casual.")
        .with_temperature(0.7)
        .with_max_tokens(500)
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let base = start_server(&rt);
    let url = format!("{base}/chat/completions");
    let mut g = c.benchmark_group("llm_complete_loopback");

    // Bare: the same JSON request body, one POST, body read and parsed to a JSON value.
    let bare = reqwest::Client::new();
    let bare_body = serde_json::json!({
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "You are a friendly brand copywriter. Tone: casual."},
            {"role": "user", "content": "Write a short post about Rust for X."}
        ],
        "temperature": 0.7,
        "max_completion_tokens": 500
    });
    g.bench_function("bare_reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let r = bare
                .post(&url)
                .bearer_auth("sk-bench")
                .json(&bare_body)
                .send()
                .await
                .unwrap();
            let v: serde_json::Value = r.json().await.unwrap();
            assert!(v["choices"][0]["message"]["content"].is_string());
        })
    });

    let provider: Arc<dyn LlmProvider> = Arc::new(
        OpenAiProvider::new(OpenAiConfig::new("sk-bench").with_base_url(base.clone())).unwrap(),
    );
    g.bench_function("sdk_openai_provider", |b| {
        b.to_async(&rt).iter(|| async {
            let c = provider.complete(request()).await.unwrap();
            assert!(!c.text.is_empty());
        })
    });

    // The full default stack (meter, cache bypassed, limit, retry, timeouts, router).
    let stack = LlmStack::new()
        .provider(provider.clone(), Some(ModelRoutes::openai()))
        .meter(Some((
            PriceTable::defaults(),
            TierQuotas::unlimited(),
            Arc::new(InMemoryLedger::new()),
        )))
        .build()
        .unwrap();
    let ws = WorkspaceId::new();
    g.bench_function("sdk_full_stack_uncached", |b| {
        b.to_async(&rt).iter(|| async {
            let c = stack
                .complete(request().with_workspace(ws, Tier::Pro).with_no_cache())
                .await
                .unwrap();
            assert!(c.cost_usd.is_some());
        })
    });
    g.bench_function("sdk_full_stack_cache_hit", |b| {
        b.to_async(&rt).iter(|| async {
            let c = stack
                .complete(request().with_workspace(ws, Tier::Pro))
                .await
                .unwrap();
            assert!(!c.text.is_empty());
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
