//! Helpers shared by the glue tests: a fake OpenAI-compatible server and the local Bluesky PDS.

pub mod bluesky;
pub mod fake_openai;
