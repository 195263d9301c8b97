//! `contentos_core::Error` → a JS `Error` whose message carries the kind and structured fields.
//!
//! napi-rs cannot attach arbitrary properties to an error rejected from an async task, so the
//! reason is a JSON document `{"code", "message", "fields"}` behind a fixed marker;
//! `contentos.js` (`rethrow`) turns it into a `ContentOSError` subclass with `code` (the
//! [`ErrorKind`](contentos_core::ErrorKind) string) and the fields as camelCase properties.

use contentos_core::Error;
use serde_json::{json, Map, Value};

/// Prefix of a structured error reason (recognised by `contentos.js`).
pub const MARKER: &str = "CONTENTOS_ERROR:";

/// The variant's structured fields, camelCase, as JS will see them.
fn fields(err: &Error) -> Map<String, Value> {
    let v = match err {
        Error::Validation { field, rule } => json!({"field": field, "rule": rule}),
        Error::NotFound { entity, id } => json!({"entity": entity, "id": id}),
        Error::PermissionDenied { action, reason } => json!({"action": action, "reason": reason}),
        Error::RateLimited {
            service,
            retry_after,
            ..
        } => json!({"service": service, "retryAfter": retry_after.map(|r| r.as_secs_f64())}),
        Error::QuotaExceeded { service, .. }
        | Error::Unavailable { service, .. }
        | Error::Unauthorized { service, .. }
        | Error::Protocol { service, .. } => json!({"service": service}),
        Error::NeedsReauth { platform, .. } | Error::Unconfirmed { platform, .. } => {
            json!({"platform": platform})
        }
        Error::Rejected { service, code, .. } => json!({"service": service, "platformCode": code}),
        Error::Transient {
            service, status, ..
        } => json!({"service": service, "status": status}),
        Error::Timeout {
            operation, after, ..
        } => json!({"operation": operation, "after": after.as_secs_f64()}),
        Error::NotSupported { feature } => json!({"feature": feature}),
        _ => json!({}),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Converts an SDK error for JS (see the module docs for the encoding).
pub fn to_napi(err: Error) -> napi::Error {
    let doc = json!({
        "code": err.kind().as_str(),
        "message": err.to_string(),
        "fields": fields(&err),
    });
    napi::Error::new(napi::Status::GenericFailure, format!("{MARKER}{doc}"))
}

/// `contentos_core::Result<T>` → `napi::Result<T>`.
pub trait IntoNapi<T> {
    /// Maps the error with [`to_napi`].
    fn napi(self) -> napi::Result<T>;
}

impl<T> IntoNapi<T> for contentos_core::Result<T> {
    fn napi(self) -> napi::Result<T> {
        self.map_err(to_napi)
    }
}
