//! `/api/v1/publish/*`: schedule a variation on a platform, or publish it now (section 4.2).
//!
//! The API names platforms; the SDK takes social-account ids. Each platform is resolved to the
//! workspace's active account on it, listed through the SDK (so a caller who cannot read the
//! workspace gets 403 before anything else happens).

use super::{json_object, req_id, req_str, req_str_list};
use crate::auth::AuthUser;
use crate::errors::ApiError;
use crate::openapi::schemas::{
    ErrorBody, PublishNowBody, PublishNowResponse, ScheduleBody, ScheduleResponse,
};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use contentos_core::access::Actor;
use contentos_core::model::{AccountId, AccountStatus, Platform, VariationId};
use contentos_core::Error;
use serde_json::{json, Value};

async fn account_for(
    state: &AppState,
    actor: &Actor,
    variation: VariationId,
    field: &str,
    platform_name: &str,
) -> Result<AccountId, ApiError> {
    let platform: Platform = platform_name
        .parse()
        .map_err(|_| Error::validation(field, "a supported platform name"))?;
    let v = state.os.store().get_variation(variation).await?;
    let content = state.os.store().get_content(v.content_id).await?;
    let accounts = state
        .os
        .list_accounts(actor, content.content.workspace_id)
        .await?;
    accounts
        .into_iter()
        .find(|a| a.platform == platform && a.status == AccountStatus::Active)
        .map(|a| a.id)
        .ok_or_else(|| {
            Error::validation(
                field,
                "a platform with a connected account in the workspace",
            )
            .into()
        })
}

/// `POST /api/v1/publish/schedule` → 201.
#[utoipa::path(post, path = "/api/v1/publish/schedule", tag = "publish",
    request_body = ScheduleBody,
    security(("bearer" = [])),
    responses((status = 201, body = ScheduleResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn schedule(
    State(state): State<AppState>,
    user: AuthUser,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let obj = json_object(&body)?;
    let variation: VariationId = req_id(&obj, "variationId")?;
    let platform = req_str(&obj, "platform")?;
    let at: DateTime<Utc> = req_str(&obj, "scheduledTime")?
        .parse::<DateTime<chrono::FixedOffset>>()
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::validation("scheduledTime", "an RFC 3339 timestamp"))?;
    let tz = match obj.get("timezone") {
        None | Some(Value::Null) => "UTC",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(Error::validation("timezone", "a string").into()),
    };
    let actor = user.actor();
    let account = account_for(&state, &actor, variation, "platform", platform).await?;
    let post = state
        .os
        .schedule(&actor, variation, account, at, tz)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "scheduledPostId": post.id,
            "status": post.status,
            "scheduledTime": post.scheduled_time,
        })),
    ))
}

/// `POST /api/v1/publish/now`.
#[utoipa::path(post, path = "/api/v1/publish/now", tag = "publish",
    request_body = PublishNowBody,
    security(("bearer" = [])),
    responses((status = 200, body = PublishNowResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn publish_now(
    State(state): State<AppState>,
    user: AuthUser,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let obj = json_object(&body)?;
    let variation: VariationId = req_id(&obj, "variationId")?;
    let platforms = req_str_list(&obj, "platforms", 16)?;
    let actor = user.actor();
    let mut accounts = Vec::with_capacity(platforms.len());
    for (i, p) in platforms.iter().enumerate() {
        let field = format!("platforms[{i}]");
        accounts.push(account_for(&state, &actor, variation, &field, p).await?);
    }
    let results = state.os.publish_now(&actor, variation, &accounts).await?;
    Ok(Json(json!({
        "results": results.iter().map(|r| {
            // `published`, `failed`, … from the queue's outcome; `failed` when refused before queueing.
            let status = r
                .outcome
                .as_ref()
                .and_then(|o| serde_json::to_value(o).ok())
                .and_then(|v| v.get("outcome").cloned())
                .unwrap_or_else(|| json!("failed"));
            json!({
                "platform": r.platform,
                "status": status,
                "platformPostId": r.platform_post_id,
                "url": r.url,
                "error": r.error,
            })
        }).collect::<Vec<_>>(),
    })))
}
