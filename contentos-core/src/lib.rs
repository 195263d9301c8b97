//! # ContentOS core
//!
//! An embeddable engine for AI content pipelines. The pipeline, in the order a post travels it:
//!
//! 1. **Generate** — a request (input, content type, tone, length, 1–5 variations) is validated,
//!    turned into a prompt with the workspace's brand voice ([`pipeline`]), sent to an
//!    [`LlmProvider`](llm::LlmProvider) behind retries, fallback and a cache ([`llm`]), cleaned
//!    up and stored atomically with its variations ([`store`]).
//! 2. **Adapt** — each platform gets its own rewrite, fitted by the text engine ([`text`]):
//!    counted in the platform's own unit, split into threads that never cut a URL, escaped and
//!    annotated (LinkedIn little-text, Bluesky facets).
//! 3. **Personalize** — audience segments and similar past content are retrieved from a
//!    [`VectorStore`](vector::VectorStore) ([`embed`], [`vector`]) and put into the prompt.
//! 4. **Score** — an [`EngagementScorer`](score::EngagementScorer) (XGBoost, in
//!    `contentos-predict`) attaches a 0–100 estimate to every variation.
//! 5. **Schedule** — a durable queue on the Store holds UTC instants with the user's IANA zone
//!    ([`schedule`]).
//! 6. **Publish** — workers claim due posts with a lease and call a
//!    [`Publisher`](publish::Publisher) (in `contentos-publishers`); every confirmed part is
//!    persisted the moment the platform answers, so nothing is posted twice.
//! 7. **Measure and learn** — metrics flow back into analytics rows and insights
//!    ([`analytics`]), and the scorer retrains on them.
//!
//! Everything has an embedded default (SQLite, in-process vectors, a local embedder) so a new
//! user needs no server and no key; the same traits take PostgreSQL, Pinecone/Qdrant and real
//! LLM providers when one machine is not enough.
//!
//! Access control ([`access`]) is checked by the facade before any write; platform tokens are
//! encrypted at rest ([`vault`]); every failure is an [`Error`] with a stable [`ErrorKind`].

#![warn(missing_docs)]

pub mod access;
pub mod analytics;
mod client;
pub mod embed;
mod error;
pub mod llm;
pub mod model;
pub mod pipeline;
pub mod publish;
pub mod schedule;
pub mod score;
pub mod store;
pub mod text;
pub mod vault;
pub mod vector;

pub use client::{ContentOs, ContentOsBuilder, NewSocialAccount, StoreConfig};
pub use error::{Error, ErrorKind, Result};
