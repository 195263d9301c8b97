//! `contentos._native`: the compiled half of the `contentos` Python package.
//!
//! Thin glue only: each file mirrors one SDK area (scoring, client, publishers) and converts
//! between Python objects and SDK types; the Python package (`python/contentos`) adds the
//! input normalisation (NumPy/pandas) and the exception classes.

#![warn(missing_docs)]

mod client;
mod convert;
mod errors;
mod publishers;
mod runtime;
mod scoring;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<scoring::Model>()?;
    m.add_function(wrap_pyfunction!(scoring::score_posts, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::features, m)?)?;
    m.add_function(wrap_pyfunction!(scoring::feature_schema, m)?)?;
    m.add_class::<client::ContentOS>()?;
    m.add_class::<client::GenerateStream>()?;
    m.add_class::<publishers::BlueskyPublisher>()?;
    m.add_class::<publishers::MastodonPublisher>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
