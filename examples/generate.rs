//! Generate and transform with a real LLM: OpenAI, Anthropic, or any OpenAI-compatible server
//! (Ollama, vLLM, llama.cpp server, OpenRouter).
//!
//! Configure one of:
//! - `OPENAI_API_KEY=sk-…` (OpenAI; Anthropic is the fallback when `ANTHROPIC_API_KEY` is set too)
//! - `ANTHROPIC_API_KEY=…`
//! - `CONTENTOS_LLM_BASE_URL=http://localhost:11434/v1` (+ `CONTENTOS_LLM_MODEL=llama3.1`) for a
//!   local OpenAI-compatible server; no key needed.
//!
//! Run: `cargo run -p contentos-examples --bin generate -- "Write about AI in healthcare"`

use contentos_core::access::Actor;
use contentos_core::model::{BrandVoice, ContentType, Platform, Tone};
use contentos_core::pipeline::{GenerateRequest, TransformRequest};
use contentos_core::ContentOs;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Write about AI in healthcare".to_string());
    let Some(llm) = contentos_core::llm::from_env()? else {
        eprintln!(
            "No LLM is configured. Set one of:\n  OPENAI_API_KEY=…\n  ANTHROPIC_API_KEY=…\n  \
             CONTENTOS_LLM_BASE_URL=http://localhost:11434/v1  (any OpenAI-compatible server; \
             optionally CONTENTOS_LLM_MODEL)\nand run again."
        );
        std::process::exit(2);
    };
    let os = ContentOs::builder().in_memory().llm(llm).execute().await?;
    let user = os.create_user("writer@example.com").await?;
    let me = Actor::user(user.id);
    let ws = os
        .create_workspace(
            &me,
            "Demo",
            BrandVoice {
                tone: Some(Tone::Professional),
                ..Default::default()
            },
            "UTC",
        )
        .await?;

    let generated = os
        .generate(
            &me,
            GenerateRequest::new(ws.id, input)
                .content_type(ContentType::Blog)
                .variations(1),
        )
        .await?;
    let draft = &generated.variations[0];
    println!(
        "--- generated ({} words, {}) ---\n{}\n",
        draft.metadata["wordCount"], draft.metadata["readingTime"], draft.body
    );

    let variations = os
        .transform(
            &me,
            TransformRequest::new(
                generated.content.id,
                vec![Platform::X, Platform::LinkedIn, Platform::Bluesky],
            ),
        )
        .await?;
    for v in variations {
        println!(
            "--- {} ---\n{}\n",
            v.platform.map(|p| p.as_str()).unwrap_or("generic"),
            v.body
        );
    }
    Ok(())
}
