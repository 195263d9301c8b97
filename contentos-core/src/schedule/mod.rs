//! The durable publish queue and its workers (design document sections 4.2 and 7.2).
//!
//! Scheduling lives on the Store — no extra queue server. A [`ScheduledPost`](crate::model::ScheduledPost)
//! holds the UTC instant and the user's IANA zone; [`Worker`]s claim due posts with a lease,
//! heartbeat while publishing and persist every state change with a compare-and-set:
//!
//! - transient failures are retried up to [`WorkerConfig::max_attempts`] with exponential backoff;
//! - rate limits reschedule at the platform's `retry_after` without spending an attempt;
//! - refused tokens are refreshed (the rotated tokens stored before use); when that fails the
//!   account is marked `needs_reauth` and its posts wait;
//! - a post whose worker died mid-publish is resumed with the same idempotency key when the
//!   platform has one (Mastodon, Threads, Instagram) — publishing only the parts without a
//!   receipt — and otherwise becomes `unconfirmed`: reported, never re-posted blindly.
//!
//! Facade methods (`schedule`, `schedule_local`, `cancel`, `reschedule`, `publish_now`,
//! `calendar`, `next_free_slot`) are on [`ContentOs`](crate::ContentOs); see
//! `docs/scheduling.md` for the full contract.

mod batch;
mod config;
mod group_commit;
mod job;
mod lease;
mod parts;
mod sink;
mod slots;
mod time;
mod types;
mod worker;

pub use config::WorkerConfig;
pub use job::{JobOutcome, JobReport};
pub use parts::{variation_parts, THREAD_PARTS_KEY};
pub use slots::{QueueSlots, WeeklySlot, SLOT_SEARCH_WEEKS};
pub use time::{days_in_month, local_date, local_to_utc, month_bounds, parse_zone};
pub use types::{CalendarDay, CalendarMonth, PublishNowResult};
pub use worker::Worker;

pub(crate) use job::Job;
pub(crate) use lease::{chrono_dur as lease_chrono, Clock, Lease};
