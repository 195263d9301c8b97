//! `contentos_core::Error` → the Python exception hierarchy of `contentos.errors`.
//!
//! The classes are defined in Python (so they can be subclassed, pickled and documented there);
//! this module only picks the class name from [`ErrorKind`] and passes the variant's structured
//! fields as keyword arguments.

use contentos_core::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The `snake_case` name of a kind, as `ContentOSError.kind` reports it.
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "validation",
        ErrorKind::NotFound => "not_found",
        ErrorKind::PermissionDenied => "permission_denied",
        ErrorKind::Conflict => "conflict",
        ErrorKind::RateLimited => "rate_limited",
        ErrorKind::QuotaExceeded => "quota_exceeded",
        ErrorKind::Unavailable => "unavailable",
        ErrorKind::Unauthorized => "unauthorized",
        ErrorKind::NeedsReauth => "needs_reauth",
        ErrorKind::Rejected => "rejected",
        ErrorKind::Transient => "transient",
        ErrorKind::Unconfirmed => "unconfirmed",
        ErrorKind::Protocol => "protocol",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Configuration => "configuration",
        ErrorKind::NotSupported => "not_supported",
        ErrorKind::Storage => "storage",
        ErrorKind::Crypto => "crypto",
        _ => "internal",
    }
}

/// The structured fields of an error, as keyword arguments for the Python class.
fn fields<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    match err {
        Error::Validation { field, rule, .. } => {
            d.set_item("field", field)?;
            d.set_item("rule", rule)?;
        }
        Error::NotFound { entity, id, .. } => {
            d.set_item("entity", *entity)?;
            d.set_item("id", id)?;
        }
        Error::PermissionDenied { action, reason, .. } => {
            d.set_item("action", action)?;
            d.set_item("reason", reason)?;
        }
        Error::RateLimited {
            service,
            retry_after,
            ..
        } => {
            d.set_item("service", service)?;
            d.set_item("retry_after", retry_after.map(|r| r.as_secs_f64()))?;
        }
        Error::QuotaExceeded { service, .. }
        | Error::Unavailable { service, .. }
        | Error::Unauthorized { service, .. }
        | Error::Protocol { service, .. } => {
            d.set_item("service", service)?;
        }
        Error::NeedsReauth { platform, .. } | Error::Unconfirmed { platform, .. } => {
            d.set_item("platform", platform)?;
        }
        Error::Rejected { service, code, .. } => {
            d.set_item("service", service)?;
            d.set_item("code", code)?;
        }
        Error::Transient {
            service, status, ..
        } => {
            d.set_item("service", service)?;
            d.set_item("status", status)?;
        }
        Error::Timeout {
            operation, after, ..
        } => {
            d.set_item("operation", operation)?;
            d.set_item("after", after.as_secs_f64())?;
        }
        Error::NotSupported { feature, .. } => {
            d.set_item("feature", feature)?;
        }
        _ => {}
    }
    Ok(d)
}

/// Builds the Python exception for `err` (`contentos.errors.from_native`).
pub fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = py.import("contentos.errors")?;
        let exc = module.getattr("from_native")?.call1((
            kind_name(err.kind()),
            err.to_string(),
            fields(py, err)?,
        ))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

/// Converts an SDK error, acquiring the GIL (for use on tokio threads).
pub fn into_py_err(err: Error) -> PyErr {
    Python::attach(|py| to_py_err(py, &err))
}

/// `Result<T, Error>` → `PyResult<T>`.
pub trait IntoPyResult<T> {
    /// Maps the error to its Python exception.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for contentos_core::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(into_py_err)
    }
}
