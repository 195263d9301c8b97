//! Retraining on a schedule (design section 5.3: weekly).
//!
//! Why a pass rather than a timer: hosts already run schedulers (the publish worker, cron, a
//! job queue), so [`Retrainer::run_once`] is one idempotent pass the host calls as often as it
//! likes (say hourly); the [`RetrainSchedule`] decides which workspaces are due, so calling it
//! more often never retrains more often. Time comes from an injected [`Clock`], so the schedule
//! is tested without sleeping.

use super::dataset::is_insufficient_history;
use super::options::TrainOptions;
use super::workspace::{train_workspace_model_at, TrainReport};
use chrono::{DateTime, Duration, Utc};
use contentos_core::model::WorkspaceId;
use contentos_core::store::Store;
use contentos_core::{Error, Result};
use std::sync::Arc;

/// The current time, injectable for tests.
pub trait Clock: Send + Sync {
    /// Now (UTC).
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// How often a workspace model is retrained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetrainSchedule {
    interval: Duration,
}

impl Default for RetrainSchedule {
    /// Weekly (design section 5.3).
    fn default() -> Self {
        RetrainSchedule {
            interval: Duration::days(7),
        }
    }
}

impl RetrainSchedule {
    /// A schedule retraining when the latest model is at least `interval` old (at least one
    /// hour: [`Error::Validation`] on `schedule.interval` otherwise).
    pub fn every(interval: Duration) -> Result<Self> {
        if interval < Duration::hours(1) {
            return Err(Error::validation("schedule.interval", "at least one hour"));
        }
        Ok(RetrainSchedule { interval })
    }

    /// The interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// When a model trained at `trained_at` is due for retraining.
    pub fn due_at(&self, trained_at: DateTime<Utc>) -> DateTime<Utc> {
        trained_at + self.interval
    }
}

/// What one pass did for one workspace.
#[derive(Debug)]
pub enum RetrainOutcome {
    /// A new model version was trained and stored.
    Retrained(Box<TrainReport>),
    /// The latest model is younger than the interval.
    NotDue {
        /// Version of the current model.
        version: i64,
        /// When it becomes due.
        due_at: DateTime<Utc>,
    },
    /// Too little history to train (the error names the missing piece); tried again next pass.
    NotEnoughHistory(Error),
    /// Training or storing failed for another reason.
    Failed(Error),
}

/// Retrains the workspaces whose engagement model is missing or older than the schedule's
/// interval and that have enough history.
pub struct Retrainer {
    store: Arc<dyn Store>,
    schedule: RetrainSchedule,
    options: TrainOptions,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Retrainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retrainer")
            .field("backend", &self.store.backend())
            .field("schedule", &self.schedule)
            .field("options", &self.options)
            .finish()
    }
}

impl Retrainer {
    /// A weekly retrainer with default [`TrainOptions`] and the system clock.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Retrainer {
            store,
            schedule: RetrainSchedule::default(),
            options: TrainOptions::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Sets the schedule.
    pub fn schedule(mut self, schedule: RetrainSchedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Sets the training options (validated at each training).
    pub fn options(mut self, options: TrainOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets the clock (tests inject a fixed or stepped one).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// `Some((version, due_at))` of the current model when it is not yet due, `None` when the
    /// workspace has no model or its model is due.
    pub async fn not_due(&self, workspace: WorkspaceId) -> Result<Option<(i64, DateTime<Utc>)>> {
        let latest = self
            .store
            .latest_model(Some(workspace), &self.options.model_name)
            .await?;
        let now = self.clock.now();
        Ok(latest
            .map(|m| (m.version, self.schedule.due_at(m.created_at)))
            .filter(|(_, due)| *due > now))
    }

    /// One pass over `workspaces` (the host knows which workspaces it serves): each is
    /// retrained if due; outcomes in the same order. Never fails as a whole: a workspace's
    /// error is its outcome.
    pub async fn run_once(&self, workspaces: &[WorkspaceId]) -> Vec<(WorkspaceId, RetrainOutcome)> {
        let mut out = Vec::with_capacity(workspaces.len());
        for &ws in workspaces {
            let outcome = match self.not_due(ws).await {
                Ok(Some((version, due_at))) => RetrainOutcome::NotDue { version, due_at },
                Ok(None) => {
                    let now = self.clock.now();
                    match train_workspace_model_at(self.store.as_ref(), ws, &self.options, now)
                        .await
                    {
                        Ok(report) => RetrainOutcome::Retrained(Box::new(report)),
                        Err(e) if is_insufficient_history(&e) => {
                            RetrainOutcome::NotEnoughHistory(e)
                        }
                        Err(e) => {
                            tracing::warn!(workspace = %ws, error = %e, "retraining failed");
                            RetrainOutcome::Failed(e)
                        }
                    }
                }
                Err(e) => RetrainOutcome::Failed(e),
            };
            out.push((ws, outcome));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_is_weekly_by_default_and_refuses_tiny_intervals() {
        let s = RetrainSchedule::default();
        assert_eq!(s.interval(), Duration::days(7));
        let t = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(s.due_at(t), t + Duration::days(7));
        match RetrainSchedule::every(Duration::minutes(5)) {
            Err(Error::Validation { field, .. }) => assert_eq!(field, "schedule.interval"),
            other => panic!("{other:?}"),
        }
        assert!(RetrainSchedule::every(Duration::days(1)).is_ok());
    }
}
