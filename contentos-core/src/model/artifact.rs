//! Trained model artifacts kept in the Store, versioned per workspace.

use super::WorkspaceId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One version of a trained model (for example the engagement predictor), stored so that every
/// process sharing the Store scores with the same model and retraining is auditable.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StoredModel {
    /// Row id.
    pub id: uuid::Uuid,
    /// Owning workspace; `None` for a global default model.
    pub workspace_id: Option<WorkspaceId>,
    /// Model name (`"engagement"`).
    pub name: String,
    /// Monotonic version within (workspace, name), starting at 1.
    pub version: i64,
    /// Version of the feature schema the model was trained on.
    pub feature_schema: String,
    /// The serialized model (XGBoost JSON).
    pub payload: String,
    /// Training metrics (AUC on the held-out period, row counts, …).
    pub metrics: serde_json::Value,
    /// When it was trained.
    pub created_at: DateTime<Utc>,
}
