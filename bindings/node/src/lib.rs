//! `@contentos/sdk`'s native addon: thin napi-rs glue over the ContentOS Rust SDK.
//!
//! Each file mirrors one SDK area (the same file names as the Python and Swift bindings):
//! [`scoring`] (contentos-predict), [`client`] (the `ContentOs` facade), [`publishers`]
//! (contentos-publishers), [`errors`] (`contentos_core::Error` → JS errors) and [`records`]
//! (the client's results as typed `#[napi(object)]`s, filled through serde from the SDK's
//! camelCase serialisation, so `index.d.ts` is precise). Requests cross as JSON values.
//! `contentos.js` wraps this addon with typed error classes and async iterators.

#![warn(missing_docs)]
#![deny(clippy::all)]

mod client;
mod convert;
mod errors;
mod publishers;
mod records;
mod scoring;

pub use client::{ContentOS, GenerateStream};
pub use publishers::{BlueskyPublisher, MastodonPublisher};
pub use scoring::score_posts;
