//! `@contentos/sdk`'s native addon: thin napi-rs glue over the ContentOS Rust SDK.
//!
//! Each file mirrors one SDK area (the same file names as the Python and Swift bindings):
//! [`scoring`] (contentos-predict), [`client`] (the `ContentOs` facade), [`publishers`]
//! (contentos-publishers) and [`errors`] (`contentos_core::Error` → JS errors). Requests and
//! results cross the boundary as JSON values: the SDK's serde names are already camelCase,
//! so no per-type glue is needed. `contentos.js` wraps this addon with typed error classes
//! and async iterators.

#![warn(missing_docs)]
#![deny(clippy::all)]

mod client;
mod convert;
mod errors;
mod publishers;
mod scoring;

pub use client::{ContentOS, GenerateStream};
pub use publishers::{BlueskyPublisher, MastodonPublisher};
pub use scoring::score_posts;
