//! OpenAI Chat Completions, and every server that speaks the same protocol (Ollama, vLLM,
//! llama.cpp server, OpenRouter) through a configurable base URL.
//!
//! The request and response bodies are `async-openai`'s types, so the wire format tracks that
//! crate; the HTTP exchange itself is done with reqwest because `async-openai`'s client hides
//! the status code, the `Retry-After` / `x-ratelimit-reset-*` headers and the `x-request-id`
//! that typed errors and support tickets need, and retries 429s on its own (which would fight
//! the [`Retry`](super::Retry) wrapper). See `docs/llm.md`.

mod client;
mod completion;
mod streaming;

pub use client::{
    MaxTokensField, OpenAiConfig, OpenAiProvider, BASE_URL_ENV, MODEL_ENV, OPENAI_API_KEY_ENV,
    OPENAI_BASE_URL,
};
