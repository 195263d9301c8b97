//! Anthropic Messages API (`POST {base}/v1/messages`) over reqwest: `x-api-key`,
//! `anthropic-version: 2023-06-01`, the system prompt as a top-level field, and the SSE event
//! types `message_start`, `content_block_start`, `content_block_delta`, `content_block_stop`,
//! `message_delta` (stop reason and output usage), `message_stop`, `ping` and `error`.

mod client;
mod completion;
mod streaming;
mod wire;

pub use client::{
    AnthropicConfig, AnthropicProvider, ANTHROPIC_API_KEY_ENV, ANTHROPIC_BASE_URL,
    ANTHROPIC_VERSION,
};
