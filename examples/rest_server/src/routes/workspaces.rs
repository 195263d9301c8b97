//! `/api/v1/workspaces`: create a workspace and list the caller's workspaces.
//!
//! Why these exist although section 4.2 does not list them: every other endpoint takes a
//! `workspaceId`, so a backend needs a way to make one. The creator becomes the workspace's
//! `owner` through the SDK (`ContentOS::create_workspace`); roles are then checked by the SDK on
//! every call, not read from the JWT.

use super::{json_object, req_str};
use crate::auth::AuthUser;
use crate::errors::ApiError;
use crate::openapi::schemas::{CreateWorkspaceBody, ErrorBody, WorkspaceItem};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use contentos_core::model::BrandVoice;
use contentos_core::Error;
use serde_json::{json, Value};

/// `POST /api/v1/workspaces`: `{name, timezone?, brandVoice?}` → 201 with the workspace.
#[utoipa::path(post, path = "/api/v1/workspaces", tag = "workspaces",
    request_body = CreateWorkspaceBody,
    security(("bearer" = [])),
    responses((status = 201, body = WorkspaceItem), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: AuthUser,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let obj = json_object(&body)?;
    let name = req_str(&obj, "name")?;
    let timezone = match obj.get("timezone") {
        None | Some(Value::Null) => "UTC",
        Some(v) => v
            .as_str()
            .ok_or_else(|| Error::validation("timezone", "an IANA time zone name"))?,
    };
    let brand_voice = match obj.get("brandVoice") {
        None | Some(Value::Null) => BrandVoice::default(),
        Some(v) => serde_json::from_value::<BrandVoice>(v.clone()).map_err(|_| {
            Error::validation(
                "brandVoice",
                "an object with tone, style, keywords and bannedWords",
            )
        })?,
    };
    let ws = state
        .os
        .create_workspace(&user.actor(), name, brand_voice, timezone)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": ws.id, "name": ws.name, "timezone": ws.timezone, "role": "owner",
            "brandVoice": ws.brand_voice, "createdAt": ws.created_at,
        })),
    ))
}

/// `GET /api/v1/workspaces`: the caller's workspaces with their role in each.
#[utoipa::path(get, path = "/api/v1/workspaces", tag = "workspaces",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<WorkspaceItem>), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, user: AuthUser) -> Result<Json<Value>, ApiError> {
    let items = state.os.my_workspaces(&user.actor()).await?;
    Ok(Json(Value::Array(
        items
            .into_iter()
            .map(|(ws, role)| {
                json!({
                    "id": ws.id, "name": ws.name, "timezone": ws.timezone, "role": role,
                    "brandVoice": ws.brand_voice, "createdAt": ws.created_at,
                })
            })
            .collect(),
    )))
}
