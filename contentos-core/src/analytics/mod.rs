//! Metrics collection, engagement rates, insights and charts (design document section 8).
//!
//! 1. [`collector`] polls each platform's metrics for recently published posts and upserts one
//!    analytics row per post; the engagement rate is (likes + comments + shares) / impressions ×
//!    100, and *unknown* (`None`) where a platform reports no impressions — never a fake 0.
//! 2. [`insights`] computes the section 8.2 report deterministically: summary, top performers,
//!    best weekday/hour in the workspace's zone (with a minimum sample), platform and
//!    content-type comparisons, and plain-language insights.
//! 3. [`charts`] renders a weekday × hour heat map and per-platform trends as SVG and PNG.

pub mod charts;
pub mod collector;
pub mod insights;
mod report;

pub use collector::{analytics_row, CollectReport, DEFAULT_INTERVAL};
pub use insights::{
    performance_report, PerformanceReport, PostPerformance, Summary, TimeSlot, TopPerformer,
};
pub use report::Charts;
