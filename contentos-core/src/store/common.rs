//! Helpers shared by the two Store backends: the tracing wrapper every call goes through, and
//! decoding of stored columns into domain types.
//!
//! Why here: both backends must report the same span fields and decode stored values with the
//! same rules, so that a dashboard or a bug report reads the same whichever backend is in use.

use crate::{Error, Result};
use std::future::Future;
use std::str::FromStr;
use std::time::Instant;
use tracing::Instrument;

/// Runs one Store operation inside a `store` span carrying `backend`, `operation`,
/// `duration_ms` and `outcome` (`"ok"` or the [`crate::ErrorKind`] name). Bound values are
/// never recorded, so sealed tokens and user text stay out of logs.
pub(crate) async fn observe<T, F>(
    backend: &'static str,
    operation: &'static str,
    fut: F,
) -> Result<T>
where
    F: Future<Output = Result<T>>,
{
    let span = tracing::info_span!(
        "store",
        backend,
        operation,
        duration_ms = tracing::field::Empty,
        outcome = tracing::field::Empty,
    );
    let started = Instant::now();
    let result = fut.instrument(span.clone()).await;
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.record("duration_ms", duration_ms);
    match &result {
        Ok(_) => {
            span.record("outcome", "ok");
            tracing::debug!(parent: &span, duration_ms, "store call ok");
        }
        Err(e) => {
            span.record("outcome", e.kind().as_str());
            tracing::debug!(parent: &span, duration_ms, kind = e.kind().as_str(), "store call failed");
        }
    }
    result
}

/// Maps a database error to the engine's [`Error`]: CHECK violations become
/// [`Error::Validation`] naming the constraint (a stored value broke a schema rule such as a
/// non-empty variation body); everything else uses the generic `From<sqlx::Error>`.
pub(crate) fn db_error(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(db) = &e {
        if matches!(db.kind(), sqlx::error::ErrorKind::CheckViolation) {
            let field = db.constraint().unwrap_or("row").to_string();
            return Error::validation(field, format!("database constraint: {}", db.message()));
        }
        // SQLite reports CHECK failures with extended code 275 (SQLITE_CONSTRAINT_CHECK).
        if db.code().as_deref() == Some("275") {
            return Error::validation("row", format!("database constraint: {}", db.message()));
        }
    }
    Error::from(e)
}

/// `.db()?` on a sqlx result: maps the error with [`db_error`].
pub(crate) trait DbResultExt<T> {
    /// The result with its error mapped by [`db_error`].
    fn db(self) -> Result<T>;
}

impl<T> DbResultExt<T> for std::result::Result<T, sqlx::Error> {
    fn db(self) -> Result<T> {
        self.map_err(db_error)
    }
}

/// A stored value that no longer parses: the row was written by something else or corrupted.
pub(crate) fn corrupt(column: &str, value: &str) -> Error {
    Error::storage(format!("stored {column} has an unexpected value {value:?}"))
}

/// Parses a wire-named enum column (`content.status`, `scheduled_posts.platform`, …).
pub(crate) fn parse_wire<T: FromStr>(column: &str, value: &str) -> Result<T> {
    value.parse::<T>().map_err(|_| corrupt(column, value))
}

/// Parses a JSON object column into a map (`{}` for an empty or `null` value).
pub(crate) fn json_object(
    column: &str,
    value: serde_json::Value,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    match value {
        serde_json::Value::Object(m) => Ok(m),
        serde_json::Value::Null => Ok(serde_json::Map::new()),
        other => Err(corrupt(column, &other.to_string())),
    }
}

/// Turns free text into a safe conjunctive FTS5 query: each word quoted, so user input with
/// quotes, `*`, `-`, `NEAR` or parentheses can never be a syntax error. `None` when the text has
/// no searchable word.
pub(crate) fn fts5_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" "))
    }
}

/// Clamps a page request to the documented bounds: page ≥ 1, limit 1..=100.
pub(crate) fn page_bounds(page: u32, limit: u32) -> (u32, u32, i64) {
    let page = page.max(1);
    let limit = limit.clamp(1, 100);
    let offset = i64::from(page - 1) * i64::from(limit);
    (page, limit, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_query_quotes_every_word_and_drops_syntax() {
        assert_eq!(
            fts5_query("rust \"async\" -NEAR(x*)").as_deref(),
            Some("\"rust\" \"async\" \"NEAR\" \"x\"")
        );
        assert_eq!(fts5_query("  *** "), None);
    }

    #[test]
    fn page_bounds_clamp() {
        assert_eq!(page_bounds(0, 0), (1, 1, 0));
        assert_eq!(page_bounds(3, 500), (3, 100, 200));
    }
}
