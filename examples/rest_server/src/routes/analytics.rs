//! `GET /api/v1/analytics/performance` (section 4.2).

use crate::auth::AuthUser;
use crate::errors::ApiError;
use crate::openapi::schemas::{ErrorBody, PerformanceResponse};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use contentos_core::model::WorkspaceId;
use contentos_core::Error;
use serde_json::Value;
use std::collections::HashMap;

/// `GET /api/v1/analytics/performance?workspaceId=…&days=30` (days 1..=365, default 30).
#[utoipa::path(get, path = "/api/v1/analytics/performance", tag = "analytics",
    params(("workspaceId" = String, Query, description = "Workspace id (UUID)"),
           ("days" = Option<u32>, Query, description = "Period in days, 1..=365 (default 30)")),
    security(("bearer" = [])),
    responses((status = 200, body = PerformanceResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn performance(
    State(state): State<AppState>,
    user: AuthUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let ws: WorkspaceId = q
        .get("workspaceId")
        .ok_or_else(|| Error::validation("workspaceId", "required"))?
        .parse::<uuid::Uuid>()
        .map(WorkspaceId::from)
        .map_err(|_| Error::validation("workspaceId", "a UUID"))?;
    let days = match q.get("days") {
        None => 30,
        Some(d) => d
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| Error::validation("days", "an integer 1..=365"))?,
    };
    let report = state.os.performance(&user.actor(), ws, days).await?;
    Ok(Json(serde_json::to_value(&report).map_err(|e| {
        Error::Internal {
            message: format!("serializing report: {e}"),
        }
    })?))
}
