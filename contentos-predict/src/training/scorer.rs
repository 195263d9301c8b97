//! Choosing the model a workspace is scored with: its own latest stored model when there is
//! one, else a global model stored for every workspace, else the built-in default.

use super::options::ENGAGEMENT_MODEL_NAME;
use crate::features::FeaturesV1;
use crate::xgb::{EngagementModel, XgbModel, FEATURES_V1};
use contentos_core::model::{StoredModel, WorkspaceId};
use contentos_core::store::Store;
use contentos_core::Result;

/// Where the model a scorer uses came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelSource {
    /// The workspace's own stored model, with its version.
    Workspace {
        /// `StoredModel::version`.
        version: i64,
    },
    /// A global stored model (`workspace_id = None`), with its version.
    Global {
        /// `StoredModel::version`.
        version: i64,
    },
    /// The model built into the library (`models/engagement-default.json`).
    BuiltIn,
}

/// The scorer for a workspace and where its model came from.
///
/// Looks up `latest_model(Some(workspace), "engagement")`, then `latest_model(None,
/// "engagement")`, and uses the first whose feature schema is `contentos-features/1` (a model
/// of another schema is skipped with a warning: it was trained for a different extractor);
/// without one it uses the built-in default model. A stored model that cannot be loaded is an
/// error rather than a silent fallback, so a corrupt artifact is noticed.
pub async fn workspace_scorer(
    store: &dyn Store,
    workspace: WorkspaceId,
) -> Result<(EngagementModel<FeaturesV1>, ModelSource)> {
    workspace_scorer_named(store, workspace, ENGAGEMENT_MODEL_NAME).await
}

/// [`workspace_scorer`] for models stored under another name.
pub async fn workspace_scorer_named(
    store: &dyn Store,
    workspace: WorkspaceId,
    name: &str,
) -> Result<(EngagementModel<FeaturesV1>, ModelSource)> {
    if let Some(m) = usable(store.latest_model(Some(workspace), name).await?) {
        let version = m.version;
        return Ok((load(&m)?, ModelSource::Workspace { version }));
    }
    if let Some(m) = usable(store.latest_model(None, name).await?) {
        let version = m.version;
        return Ok((load(&m)?, ModelSource::Global { version }));
    }
    Ok((
        EngagementModel::with_default_model(FeaturesV1)?,
        ModelSource::BuiltIn,
    ))
}

fn usable(model: Option<StoredModel>) -> Option<StoredModel> {
    let m = model?;
    if m.feature_schema == FEATURES_V1.version {
        Some(m)
    } else {
        tracing::warn!(
            name = %m.name,
            version = m.version,
            schema = %m.feature_schema,
            "stored model has another feature schema; not used"
        );
        None
    }
}

fn load(m: &StoredModel) -> Result<EngagementModel<FeaturesV1>> {
    EngagementModel::new(XgbModel::from_json_str(&m.payload)?, FeaturesV1)
}
