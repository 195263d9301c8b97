//! Training a workspace's own engagement model from its stored analytics, storing it as a new
//! version, scoring with it, and retraining it on a schedule.
//!
//! Why: the built-in default model (docs/model.md) is a generic prior trained on one public
//! account; once a workspace has published enough posts with metrics, a model of *its*
//! audience ranks drafts better. Everything reads and writes through the
//! [`Store`](contentos_core::store::Store) trait, so it works on SQLite and PostgreSQL alike.
//!
//! * [`prepare_workspace_data`]: label (beat the account's trailing median), chronological
//!   split, history checks — pure Rust, available without the `train` feature.
//! * [`roc_auc`]: the held-out metric (ties count ½).
//! * [`train_workspace_model`] / [`train_workspace_model_at`]: train (feature `train`; without
//!   it [`contentos_core::Error::NotSupported`]), evaluate, `save_model` as version latest + 1.
//! * [`workspace_scorer`]: the workspace's latest model, else a global stored one, else the
//!   built-in default.
//! * [`Retrainer`] + [`RetrainSchedule`]: weekly by default, with an injectable [`Clock`].

mod auc;
mod dataset;
mod label;
mod options;
mod retrain;
mod scorer;
mod workspace;

pub use auc::roc_auc;
pub use dataset::{
    is_insufficient_history, prepare_workspace_data, Examples, Exclusions, PreparedData,
    HISTORY_FIELD_PREFIX,
};
pub use label::{label_posts, Label, LabelInput};
pub use options::{EngagementMetric, TrainOptions, TrainOptionsBuilder, ENGAGEMENT_MODEL_NAME};
pub use retrain::{Clock, RetrainOutcome, RetrainSchedule, Retrainer, SystemClock};
pub use scorer::{workspace_scorer, workspace_scorer_named, ModelSource};
pub use workspace::{
    train_workspace_model, train_workspace_model_at, TrainReport, LABEL_DEFINITION,
};
