//! ContentOS for Swift: thin uniffi glue over the Rust SDK.
//!
//! Each file mirrors one SDK area with the same names as the Python and Node bindings:
//! [`scoring`] (contentos-predict), [`client`] (the `ContentOs` facade: CRUD, generate,
//! transform, personalize, schedule, publishNow, performance), [`publishers`]
//! (contentos-publishers), [`errors`] and [`records`] (SDK results → Swift records), [`convert`] (input parsing).
//! `scripts/swift/generate.sh` builds the library and runs this crate's `uniffi-bindgen` to
//! produce `Sources/ContentOS/ContentOS.swift`. The exported functions are plain Rust functions,
//! so `tests/` exercises them from Rust (no Swift toolchain is needed for that).

#![warn(missing_docs)]

uniffi::setup_scaffolding!();

mod client;
mod convert;
mod errors;
mod publishers;
mod records;
mod scoring;

pub use client::{
    BrandVoice, ClientOptions, ContentOs, GenerateOptions, GenerateStream, NewVariation,
};
pub use errors::ContentOsError;
pub use publishers::{
    BlueskyPublisher, MastodonPublisher, PartReceipt, PlatformPublisher, PublishReceipt,
};
pub use records::{
    Account, Content, GenerateEvent, GeneratedContent, GroupStats, PerformanceReport,
    PerformanceSummary, PersonalizedVersion, PublishNowResult, ScheduledPost, Segment, TimeSlot,
    TopPerformer, User, Variation, Workspace,
};
pub use scoring::score_posts;
