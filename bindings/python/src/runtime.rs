//! One tokio runtime for the process (pyo3-async-runtimes' own), and the two ways Python calls
//! into async SDK code: blocking (GIL released while waiting) and as an asyncio awaitable.

use std::future::Future;

use pyo3::prelude::*;

use crate::convert::Json;
use crate::errors::into_py_err;

/// Runs `fut` to completion on the shared runtime with the GIL released, so other Python
/// threads keep running during network and database waits.
pub fn block_on<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = contentos_core::Result<T>> + Send,
    T: Send,
{
    py.detach(|| pyo3_async_runtimes::tokio::get_runtime().block_on(fut))
        .map_err(into_py_err)
}

/// Blocking call whose result is an SDK value returned as plain Python objects.
pub fn block_on_json<'py, T, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = contentos_core::Result<T>> + Send,
    T: serde::Serialize + Send,
{
    let v = block_on(py, fut)?;
    Json::of(&v).map_err(into_py_err)?.into_pyobject(py)
}

/// An asyncio awaitable resolving to the SDK value as plain Python objects.
pub fn awaitable<'py, T, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = contentos_core::Result<T>> + Send + 'static,
    T: serde::Serialize + Send + 'static,
{
    pyo3_async_runtimes::tokio::future_into_py(py, async move {
        let v = fut.await.map_err(into_py_err)?;
        Json::of(&v).map_err(into_py_err)
    })
}
