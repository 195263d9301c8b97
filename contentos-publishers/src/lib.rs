//! # ContentOS publishers
//!
//! One module per platform, each implementing [`contentos_core::publish::Publisher`]:
//! [`x::XPublisher`], [`linkedin::LinkedInPublisher`], [`bluesky::BlueskyPublisher`],
//! [`mastodon::MastodonPublisher`], [`threads::ThreadsPublisher`] and
//! [`instagram::InstagramPublisher`].
//!
//! Shared rules, enforced in [`http`] and [`common`]:
//! - validation happens before any network call and names the part and the rule;
//! - reads and uploads are retried; a create is sent once, and a create whose outcome is unknown
//!   is [`Error::Unconfirmed`](contentos_core::Error::Unconfirmed), never retried blindly
//!   (Mastodon creates carry a deterministic `Idempotency-Key` and are retried with it);
//! - every confirmed part goes to the [`ReceiptSink`](contentos_core::publish::ReceiptSink)
//!   before the next call, and a publish with `resume_from` receipts continues after them;
//! - every platform call runs in a `platform_call` tracing span (platform, endpoint, status,
//!   latency); tokens never reach logs or errors.
//!
//! Base URLs are configurable on every adapter so tests (and self-hosted instances) can point
//! them elsewhere.

#![warn(missing_docs)]

pub mod bluesky;
pub mod common;
pub mod http;
pub mod instagram;
pub mod linkedin;
pub mod mastodon;
mod meta;
pub mod oauth;
pub mod textutil;
pub mod threads;
pub mod x;

pub use http::{CallKind, Http, HttpConfig};
