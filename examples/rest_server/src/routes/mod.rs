//! HTTP handlers, one file per API area. Handlers parse and validate the section 4.2 body
//! (naming the failing field), call the SDK with the caller's `Actor`, and shape the response.

pub mod analytics;
pub mod auth;
pub mod content;
pub mod publish;
pub mod workspaces;

use crate::errors::{bad_json, ApiError};
use contentos_core::Error;
use serde_json::{Map, Value};

/// Parses a request body as a JSON object.
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(bad_json()),
    }
}

/// A required string field.
pub(crate) fn req_str<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, Error> {
    obj.get(name)
        .ok_or_else(|| Error::validation(name, "required"))?
        .as_str()
        .ok_or_else(|| Error::validation(name, "a string"))
}

/// A required UUID field parsed into an id type.
pub(crate) fn req_id<T: From<uuid::Uuid>>(
    obj: &Map<String, Value>,
    name: &str,
) -> Result<T, Error> {
    req_str(obj, name)?
        .parse::<uuid::Uuid>()
        .map(T::from)
        .map_err(|_| Error::validation(name, "a UUID"))
}

/// A required array of strings (at most `max` items).
pub(crate) fn req_str_list(
    obj: &Map<String, Value>,
    name: &str,
    max: usize,
) -> Result<Vec<String>, Error> {
    let arr = obj
        .get(name)
        .ok_or_else(|| Error::validation(name, "required"))?
        .as_array()
        .ok_or_else(|| Error::validation(name, "an array of strings"))?;
    if arr.is_empty() || arr.len() > max {
        return Err(Error::validation(name, format!("1..={max} items")));
    }
    arr.iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| Error::validation(format!("{name}[{i}]"), "a string"))
        })
        .collect()
}
