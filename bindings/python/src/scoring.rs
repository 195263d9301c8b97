//! Batch engagement scoring and feature extraction (`contentos-predict`) for Python.
//!
//! Texts arrive as a `list[str]` (the Python wrapper flattens NumPy arrays and pandas Series);
//! the work runs with the GIL released on rayon's pool inside `contentos-predict`, in chunks
//! when a progress callback is given so it can be called between chunks.

use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use contentos_core::model::Platform;
use contentos_core::score::ScoreInput;
use contentos_predict::features::v1::{score_explained, score_values, FeaturesV1};
use contentos_predict::xgb::{EngagementModel, XgbModel, FEATURES_V1};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::{to_py_err, IntoPyResult};

/// An engagement model: the built-in default or an XGBoost JSON model saved by Python xgboost
/// (`Booster.save_model("m.json")` with the `contentos_feature_schema` attribute set).
#[pyclass(name = "Model", module = "contentos._native", frozen)]
pub struct Model {
    inner: Arc<EngagementModel<FeaturesV1>>,
}

fn default_model() -> contentos_core::Result<Arc<EngagementModel<FeaturesV1>>> {
    static DEFAULT: OnceLock<Arc<EngagementModel<FeaturesV1>>> = OnceLock::new();
    if let Some(m) = DEFAULT.get() {
        return Ok(m.clone());
    }
    let m = Arc::new(EngagementModel::with_default_model(FeaturesV1)?);
    Ok(DEFAULT.get_or_init(|| m).clone())
}

#[pymethods]
impl Model {
    /// Loads an XGBoost JSON model file and checks it was trained on the feature schema.
    #[staticmethod]
    fn load(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let model = py.detach(|| {
            XgbModel::from_json_file(&path)
                .and_then(|m| EngagementModel::new(m, FeaturesV1).map(Arc::new))
        });
        Ok(Model { inner: model.py()? })
    }

    /// The built-in model (docs/model.md).
    #[staticmethod]
    #[allow(clippy::should_implement_trait)]
    fn default() -> PyResult<Self> {
        Ok(Model {
            inner: default_model().py()?,
        })
    }

    /// The model version reported with explained scores.
    #[getter]
    fn version(&self) -> String {
        self.inner.model_version().to_string()
    }

    /// Number of trees.
    #[getter]
    fn num_trees(&self) -> usize {
        self.inner.model().num_trees()
    }

    fn __repr__(&self) -> String {
        format!(
            "Model(version={:?}, trees={})",
            self.inner.model_version(),
            self.inner.model().num_trees()
        )
    }
}

/// Publish times as seconds since the Unix epoch: one for every post, or one per post.
#[derive(FromPyObject)]
pub enum PostedAt {
    /// The same instant for every post.
    One(f64),
    /// One instant (or `None` = now) per post.
    Many(Vec<Option<f64>>),
}

fn inputs(
    py: Python<'_>,
    texts: Vec<String>,
    platform: &str,
    posted_at: Option<PostedAt>,
    timezone: Option<String>,
) -> PyResult<Vec<ScoreInput>> {
    let platform = Platform::from_str(platform).map_err(|e| to_py_err(py, &e))?;
    if let Some(PostedAt::Many(p)) = &posted_at {
        if p.len() != texts.len() {
            return Err(to_py_err(
                py,
                &contentos_core::Error::validation(
                    "posted_at",
                    format!("has {} entries for {} texts", p.len(), texts.len()),
                ),
            ));
        }
    }
    let mut out = Vec::with_capacity(texts.len());
    for (i, text) in texts.into_iter().enumerate() {
        let mut input = ScoreInput::new(text, platform);
        let secs = match &posted_at {
            Some(PostedAt::One(s)) => Some(*s),
            Some(PostedAt::Many(p)) => p[i],
            None => None,
        };
        if let Some(secs) = secs {
            let at = DateTime::<Utc>::from_timestamp_millis((secs * 1000.0).round() as i64)
                .ok_or_else(|| {
                    to_py_err(
                        py,
                        &contentos_core::Error::validation("posted_at", "timestamp out of range"),
                    )
                })?;
            input.posted_at = Some(at);
        }
        input.timezone = timezone.clone();
        out.push(input);
    }
    Ok(out)
}

fn model_of(m: Option<&Bound<'_, Model>>) -> PyResult<Arc<EngagementModel<FeaturesV1>>> {
    match m {
        Some(m) => Ok(m.get().inner.clone()),
        None => default_model().py(),
    }
}

/// `score_posts`' result: the scores and, with `explain`, the factors per post.
type Scored<'py> = (Bound<'py, PyArray1<f64>>, Option<Bound<'py, PyList>>);

/// Scores posts (0–100). Returns `(scores, factors)`: a float64 array and, with `explain`, one
/// list of `{feature, value, contribution}` dicts per post (strongest first), else `None`.
#[pyfunction]
#[pyo3(signature = (texts, platform = "twitter", posted_at = None, timezone = None, model = None, explain = false, progress = None, chunk_size = 16384))]
#[allow(clippy::too_many_arguments)]
pub fn score_posts<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    platform: &str,
    posted_at: Option<PostedAt>,
    timezone: Option<String>,
    model: Option<&Bound<'py, Model>>,
    explain: bool,
    progress: Option<Bound<'py, PyAny>>,
    chunk_size: usize,
) -> PyResult<Scored<'py>> {
    let model = model_of(model)?;
    let inputs = inputs(py, texts, platform, posted_at, timezone)?;
    let total = inputs.len();
    let chunk = match &progress {
        Some(_) => chunk_size.max(1),
        None => total.max(1),
    };
    let mut scores = Vec::with_capacity(total);
    let factors = explain.then(|| PyList::empty(py));
    let mut done = 0usize;
    for part in inputs.chunks(chunk) {
        if let Some(list) = &factors {
            let explained = py.detach(|| score_explained(&model, part)).py()?;
            for s in explained {
                scores.push(s.score);
                let row = PyList::empty(py);
                for f in s.factors {
                    let d = PyDict::new(py);
                    d.set_item("feature", f.feature)?;
                    d.set_item("value", f.value)?;
                    d.set_item("contribution", f.contribution)?;
                    row.append(d)?;
                }
                list.append(row)?;
            }
        } else {
            scores.extend(py.detach(|| score_values(&model, part)).py()?);
        }
        done += part.len();
        if let Some(cb) = &progress {
            cb.call1((done, total))?;
        }
    }
    Ok((PyArray1::from_vec(py, scores), factors))
}

/// Feature columns of schema `contentos-features/1`: `{name: float64 array}`.
#[pyfunction]
#[pyo3(signature = (texts, platform = "twitter", posted_at = None, timezone = None))]
pub fn features<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    platform: &str,
    posted_at: Option<PostedAt>,
    timezone: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let inputs = inputs(py, texts, platform, posted_at, timezone)?;
    let n = inputs.len();
    let rows = py.detach(|| FeaturesV1.rows(&inputs)).py()?;
    let nf = FEATURES_V1.len();
    let out = PyDict::new(py);
    for (j, def) in FEATURES_V1.features.iter().enumerate() {
        let col: Vec<f64> = (0..n).map(|i| rows[i * nf + j] as f64).collect();
        let arr = PyArray1::from_vec(py, col);
        out.set_item(def.name, arr)?;
    }
    Ok(out)
}

/// The feature schema: `(version, [(name, definition), ...])`.
#[pyfunction]
pub fn feature_schema() -> (String, Vec<(String, String)>) {
    (
        FEATURES_V1.version.to_string(),
        FEATURES_V1
            .features
            .iter()
            .map(|f| (f.name.to_string(), f.definition.to_string()))
            .collect(),
    )
}
