//! The generation pipeline: generate, transform, personalize.
//!
//! 1. [`request`] validates input before any work (section 9.3).
//! 2. [`prompts`] renders versioned templates with the workspace's brand voice.
//! 3. The facade's `generate` / `transform` / `personalize` call the configured
//!    [`LlmProvider`](crate::llm::LlmProvider), post-process ([`postprocess`]), fit to the
//!    platform ([`crate::text`]), score (when a scorer is attached) and store atomically.

pub mod generate;
pub mod personalize;
pub mod postprocess;
pub mod prompts;
pub mod request;
pub mod transform;

pub use generate::{GenerateEvent, GeneratedContent};
pub use personalize::PersonalizedVersion;
pub use request::GenerateRequest;
pub use transform::TransformRequest;
