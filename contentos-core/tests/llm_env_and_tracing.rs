//! `llm::from_env` and the `tracing` spans. One test per concern that touches process-wide
//! state (environment, global subscriber), kept in its own binary so nothing races it.

#[path = "support/llm_mock.rs"]
mod llm_mock;

use contentos_core::llm::openai::{OpenAiConfig, OpenAiProvider};
use contentos_core::llm::{
    from_env, CompletionRequest, InMemoryLedger, LlmProvider, PriceTable, TierQuotas, UsageMeter,
};
use contentos_core::model::{Tier, WorkspaceId};
use llm_mock::{openai_completion, MockServer, Reply};
use std::io::Write;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn from_env_builds_the_default_stack_or_none() {
    for k in [
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "CONTENTOS_LLM_BASE_URL",
        "CONTENTOS_LLM_MODEL",
    ] {
        std::env::remove_var(k);
    }
    assert!(from_env().unwrap().is_none(), "nothing configured → None");

    let server = MockServer::start(|_, r| {
        let model = r.body["model"].as_str().unwrap_or("").to_string();
        Reply::json(200, openai_completion(&model, "local answer", 3, 2))
    })
    .await;
    std::env::set_var("CONTENTOS_LLM_BASE_URL", server.url("/v1"));
    std::env::set_var("CONTENTOS_LLM_MODEL", "llama3.2");
    let llm = from_env().unwrap().expect("base URL configures a provider");
    let c = llm.complete(CompletionRequest::new("hi")).await.unwrap();
    assert_eq!(c.text, "local answer");
    let got = server.last();
    assert_eq!(
        got.body["model"], "llama3.2",
        "custom base URL serves CONTENTOS_LLM_MODEL"
    );
    assert!(got.header("authorization").is_none());

    std::env::set_var("OPENAI_API_KEY", "sk-env-key");
    let llm = from_env().unwrap().unwrap();
    llm.complete(CompletionRequest::new("with key"))
        .await
        .unwrap();
    assert_eq!(
        server.last().header("authorization"),
        Some("Bearer sk-env-key")
    );
    for k in [
        "OPENAI_API_KEY",
        "CONTENTOS_LLM_BASE_URL",
        "CONTENTOS_LLM_MODEL",
    ] {
        std::env::remove_var(k);
    }
}

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_carry_provider_model_tokens_cost_outcome_but_never_the_key() {
    const KEY: &str = "sk-tracing-secret-789";
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    // Global, not scoped: callsite interest is cached process-wide, and the other test in this
    // binary may register the same callsites first.
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = MockServer::start(|n, _| {
        if n == 0 {
            Reply::json(200, openai_completion("gpt-4o-mini", "ok", 100, 20))
        } else {
            Reply::json(401, serde_json::json!({"error": {"message": format!("Incorrect API key provided: {KEY}"), "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}))
        }
    })
    .await;
    let provider = Arc::new(
        OpenAiProvider::new(OpenAiConfig::new(KEY).with_base_url(server.url("/v1"))).unwrap(),
    );
    tracing::debug!(config = ?provider.config(), "configured");
    let meter = UsageMeter::new(
        provider,
        PriceTable::defaults(),
        TierQuotas::default(),
        Arc::new(InMemoryLedger::new()),
    );
    let ws = WorkspaceId::new();
    meter
        .complete(CompletionRequest::new("x").with_workspace(ws, Tier::Pro))
        .await
        .unwrap();
    let err = meter
        .complete(CompletionRequest::new("y"))
        .await
        .unwrap_err();
    tracing::error!(error = %err, "call failed");

    let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(!out.contains(KEY), "key leaked into logs:\n{out}");
    // The close line of this test's llm.call span itself (not of its llm.request child, and
    // not of the other test in this binary, whose spans the global subscriber also sees).
    let ws_id = ws.to_string();
    let call = out
        .lines()
        .find(|l| {
            l.contains("close")
                && l.contains(&ws_id)
                && l.contains("llm.call{")
                && !l.contains("llm.request{")
                && l.contains("outcome=\"ok\"")
        })
        .unwrap_or_else(|| panic!("no llm.call span closed with ok:\n{out}"));
    for field in [
        "provider=",
        "model=",
        "prompt_tokens=100",
        "completion_tokens=20",
        "cost_usd=",
        "latency_ms=",
    ] {
        assert!(call.contains(field), "{field} missing in {call}");
    }
    assert!(out.contains("llm.request"), "provider span missing:\n{out}");
    assert!(
        out.contains("unauthorized"),
        "error outcome recorded:\n{out}"
    );
}
