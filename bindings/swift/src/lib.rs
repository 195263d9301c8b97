//! ContentOS for Swift: thin uniffi glue over the Rust SDK.
//!
//! Each file mirrors one SDK area with the same names as the Python and Node bindings:
//! [`scoring`], [`client`], [`publishers`], [`errors`]. `scripts/swift/generate.sh` builds the
//! library and runs this crate's `uniffi-bindgen` to produce `Sources/ContentOS/*.swift`.

#![warn(missing_docs)]

uniffi::setup_scaffolding!();

mod client;
mod errors;
mod publishers;
mod scoring;

pub use client::{Content, ContentOs, ScheduledPost, User, Variation, Workspace};
pub use errors::ContentOsError;
pub use publishers::{BlueskyPublisher, PartReceipt, PublishReceipt};
pub use scoring::score_posts;
