//! `/api/v1/content/*`: generate, read, transform and personalize (section 4.2).

use super::{json_object, req_id, req_str_list};
use crate::auth::AuthUser;
use crate::errors::ApiError;
use crate::openapi::schemas::{
    ContentResponse, ErrorBody, GenerateBody, GenerateResponse, PersonalizeBody,
    PersonalizeResponse, TransformBody, TransformResponse,
};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use contentos_core::model::{ContentId, Platform};
use contentos_core::pipeline::{GenerateRequest, TransformRequest};
use contentos_core::Error;
use serde_json::{json, Value};
use std::time::Instant;

/// `POST /api/v1/content/generate`.
#[utoipa::path(post, path = "/api/v1/content/generate", tag = "content",
    request_body = GenerateBody,
    security(("bearer" = [])),
    responses((status = 200, body = GenerateResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn generate(
    State(state): State<AppState>,
    user: AuthUser,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let obj = json_object(&body)?;
    let req = GenerateRequest::from_json(&Value::Object(obj))?;
    let content_type = req.content_type.to_string();
    let started = Instant::now();
    let out = state.os.generate(&user.actor(), req).await?;
    state
        .metrics
        .generation
        .with_label_values(&[&content_type])
        .observe(started.elapsed().as_secs_f64());
    Ok(Json(json!({
        "contentId": out.content.id,
        "variations": out.variations.iter().map(|v| json!({
            "id": v.id, "body": v.body, "metadata": v.metadata,
        })).collect::<Vec<_>>(),
        "generatedAt": out.generated_at,
    })))
}

/// `GET /api/v1/content/{id}`: the content item with `originalInput` and its variations.
#[utoipa::path(get, path = "/api/v1/content/{id}", tag = "content",
    params(("id" = String, Path, description = "Content id (UUID)")),
    security(("bearer" = [])),
    responses((status = 200, body = ContentResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_content(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: ContentId = id
        .parse::<uuid::Uuid>()
        .map(ContentId::from)
        .map_err(|_| Error::validation("id", "a UUID"))?;
    let c = state.os.get_content(&user.actor(), id).await?;
    Ok(Json(serde_json::to_value(&c).map_err(|e| {
        Error::Internal {
            message: format!("serializing content: {e}"),
        }
    })?))
}

/// `POST /api/v1/content/transform`.
#[utoipa::path(post, path = "/api/v1/content/transform", tag = "content",
    request_body = TransformBody,
    security(("bearer" = [])),
    responses((status = 200, body = TransformResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn transform(
    State(state): State<AppState>,
    user: AuthUser,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let obj = json_object(&body)?;
    let content_id: ContentId = req_id(&obj, "contentId")?;
    let names = req_str_list(&obj, "targetPlatforms", 16)?;
    let mut platforms = Vec::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        let p: Platform = n.parse().map_err(|_| {
            Error::validation(format!("targetPlatforms[{i}]"), "a supported platform name")
        })?;
        platforms.push(p);
    }
    let mut req = TransformRequest::new(content_id, platforms);
    match obj.get("preserveKeyMessages") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => req.preserve_key_messages = *b,
        Some(_) => return Err(Error::validation("preserveKeyMessages", "a boolean").into()),
    }
    let vars = state.os.transform(&user.actor(), req).await?;
    Ok(Json(json!({
        "variations": vars.iter().map(|v| json!({
            "id": v.id, "platform": v.platform, "body": v.body, "metadata": v.metadata,
        })).collect::<Vec<_>>(),
    })))
}

/// `POST /api/v1/content/personalize`.
#[utoipa::path(post, path = "/api/v1/content/personalize", tag = "content",
    request_body = PersonalizeBody,
    security(("bearer" = [])),
    responses((status = 200, body = PersonalizeResponse), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn personalize(
    State(state): State<AppState>,
    user: AuthUser,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let obj = json_object(&body)?;
    let content_id: ContentId = req_id(&obj, "contentId")?;
    let segments = req_str_list(&obj, "audienceSegments", 10)?;
    let versions = state
        .os
        .personalize(&user.actor(), content_id, &segments)
        .await?;
    Ok(Json(json!({ "personalizedVersions": versions })))
}
