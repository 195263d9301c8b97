//! Input parsing for the Swift glue: string ids and wire names, and JSON object strings.
//! Errors name the Swift argument, as the Node and Python bindings do.

use std::str::FromStr;

use contentos_core::Error;

use crate::errors::Result;

/// Parses an id (`UserId`, …) or wire name (`Platform`, …), naming the Swift argument `what`
/// in the validation error when it does not parse.
pub(crate) fn parse<T: FromStr<Err = Error>>(what: &str, s: &str) -> Result<T> {
    T::from_str(s).map_err(|e| match e {
        Error::Validation { rule, .. } => Error::validation(what, rule).into(),
        other => other.into(),
    })
}

/// Parses an optional JSON object given as a string (`"{}"` when absent).
pub(crate) fn json_object(
    what: &str,
    s: Option<String>,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    match s {
        None => Ok(Default::default()),
        Some(s) => serde_json::from_str(&s)
            .map_err(|e| Error::validation(what, format!("a JSON object ({e})")).into()),
    }
}

/// A JSON object as text (metadata and attributes cross to Swift as strings).
pub(crate) fn json_text(v: &serde_json::Map<String, serde_json::Value>) -> String {
    serde_json::Value::Object(v.clone()).to_string()
}
