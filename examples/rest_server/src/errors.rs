//! Maps SDK errors and server-side refusals to HTTP responses.
//!
//! Why one type: every handler returns `Result<_, ApiError>`, so the status code and body shape
//! (`{"error": …}` plus structured fields) are decided in one place, from the SDK's stable
//! [`ErrorKind`](contentos_core::ErrorKind). Responses never carry stack traces, SQL, provider
//! messages or secrets: only the kind and the fields a client can act on.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contentos_core::{Error, ErrorKind};
use serde_json::json;

/// An error answered to an HTTP client.
#[derive(Debug)]
pub enum ApiError {
    /// An error from the SDK; its kind picks the status.
    Sdk(Error),
    /// Missing, malformed, expired or tampered credentials (401).
    Unauthorized(&'static str),
    /// A cookie-authenticated state change without a matching `X-CSRF-Token` header (403).
    CsrfMissing,
    /// The caller exceeded its request budget; retry after this many seconds (429).
    TooManyRequests {
        /// Whole seconds until the window frees a request (at least 1).
        retry_after_secs: u64,
    },
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::Sdk(e)
    }
}

/// The HTTP status for an SDK error kind.
pub fn status_for(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Validation => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::QuotaExceeded => StatusCode::PAYMENT_REQUIRED,
        ErrorKind::Unavailable | ErrorKind::Transient => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorKind::NeedsReauth | ErrorKind::Rejected => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unconfirmed => StatusCode::ACCEPTED,
        ErrorKind::Protocol => StatusCode::BAD_GATEWAY,
        ErrorKind::Timeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorKind::NotSupported => StatusCode::NOT_IMPLEMENTED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn too_many(retry_after_secs: u64) -> Response {
    let secs = retry_after_secs.max(1);
    let mut resp = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({"error": "Too many requests", "retryAfter": secs})),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Unauthorized(reason) => (
                StatusCode::UNAUTHORIZED,
                Json(json!({"error": "unauthorized", "message": reason})),
            )
                .into_response(),
            ApiError::CsrfMissing => (
                StatusCode::FORBIDDEN,
                Json(json!({"error": "csrf", "message": "missing or mismatched X-CSRF-Token"})),
            )
                .into_response(),
            ApiError::TooManyRequests { retry_after_secs } => too_many(retry_after_secs),
            ApiError::Sdk(e) => sdk_response(e),
        }
    }
}

fn sdk_response(e: Error) -> Response {
    let kind = e.kind();
    let status = status_for(kind);
    let body = match &e {
        Error::Validation { field, rule } => {
            json!({"error": "validation", "field": field, "rule": rule})
        }
        Error::NotFound { entity, .. } => json!({"error": "not_found", "entity": entity}),
        Error::PermissionDenied { action, .. } => {
            json!({"error": "permission_denied", "action": action})
        }
        Error::RateLimited { retry_after, .. } => {
            return too_many(
                retry_after
                    .map(|d| d.as_secs_f64().ceil() as u64)
                    .unwrap_or(1),
            );
        }
        Error::Conflict { message } => json!({"error": "conflict", "message": message}),
        _ => json!({"error": kind.as_str()}),
    };
    if status.is_server_error() {
        // The detail goes to the log (already redacted by the SDK), never to the client.
        tracing::error!(error.kind = kind.as_str(), error = %e, "request failed");
    }
    (status, Json(body)).into_response()
}

/// A 400 for a body that is not JSON at all, in the same shape as field validation errors.
pub fn bad_json() -> ApiError {
    ApiError::Sdk(Error::validation("body", "a JSON object"))
}
