//! Peak memory for 10,000 concurrent `complete()` calls through the default stack against a
//! loopback server that takes 20 ms per answer. Prints VmHWM (peak RSS) from
//! /proc/self/status before and after; figures in docs/bench-llm.md.
//! Run: `cargo bench -p contentos-benches --bench llm_rss`.

use axum::routing::post;
use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::llm::{CompletionRequest, LlmStack};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn vm_hwm_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let body = serde_json::json!({
            "id": "c", "object": "chat.completion", "created": 1_700_000_000u32, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "x".repeat(1200), "refusal": null}, "logprobs": null, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 40, "completion_tokens": 300, "total_tokens": 340}
        })
        .to_string();
        let app = axum::Router::new().route(
            "/v1/chat/completions",
            post(move || {
                let body = body.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    ([("content-type", "application/json")], body)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        let provider = Arc::new(
            OpenAiProvider::new(
                OpenAiConfig::new("sk-bench").with_base_url(format!("http://{addr}/v1")),
            )
            .unwrap(),
        );
        let stack = LlmStack::new().provider(provider, None).build().unwrap();
        let before = vm_hwm_kib();
        let started = Instant::now();
        let n = 10_000;
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let s = stack.clone();
                tokio::spawn(async move {
                    s.complete(CompletionRequest::new(format!("post number {i}")).with_max_tokens(400))
                        .await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            if matches!(t.await, Ok(Ok(_))) {
                ok += 1;
            }
        }
        let after = vm_hwm_kib();
        println!(
            "llm_rss: {ok}/{n} calls ok in {:.2}s; peak RSS (VmHWM) before {} KiB, after {} KiB",
            started.elapsed().as_secs_f64(),
            before.map_or("?".into(), |v| v.to_string()),
            after.map_or("?".into(), |v| v.to_string()),
        );
        assert_eq!(ok, n, "every call must complete");
    });
}
