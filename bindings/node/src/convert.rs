//! JSON values ↔ SDK types. The SDK's serde names are camelCase (the JS convention), so a JS
//! object converts with serde directly; a shape error becomes a `validation` error naming
//! the argument.

use contentos_core::Error;
use serde_json::Value;

use crate::errors::to_napi;

/// Deserialises an SDK type from a JS value, as a `validation` error on `what` if it does not fit.
pub fn from_value<T: serde::de::DeserializeOwned>(what: &str, v: Value) -> napi::Result<T> {
    serde_json::from_value(v).map_err(|e| to_napi(Error::validation(what, e.to_string())))
}

/// Parses an id (`UserId`, `WorkspaceId`, …) from its string form.
pub fn id<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> napi::Result<T> {
    from_value(what, Value::String(s.to_string()))
}

/// Serialises an SDK result for JS.
pub fn to_value<T: serde::Serialize>(v: &T) -> napi::Result<Value> {
    serde_json::to_value(v)
        .map_err(|e| to_napi(Error::internal(format!("serialising a result: {e}"))))
}

/// `fixed` fields overlaid with the caller's options object (if any).
pub fn merged(fixed: Value, options: Option<Value>) -> Value {
    let mut v = fixed;
    if let (Some(Value::Object(more)), Value::Object(m)) = (options, &mut v) {
        for (k, x) in more {
            m.insert(k, x);
        }
    }
    v
}
