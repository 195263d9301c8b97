//! The generation pipeline: generate, transform, personalize.
//!
//! Requests are validated here ([`request`]) before any LLM call or Store write.

pub mod request;

pub use request::GenerateRequest;
