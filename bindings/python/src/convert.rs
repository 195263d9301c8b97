//! Python objects ↔ `serde_json::Value`, renaming keys between Python's `snake_case` and the
//! SDK's `camelCase` wire names. Every SDK type is serde-serialisable, so this one converter
//! lets the bindings pass requests in and results out without per-type glue.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// `workspaceId` → `workspace_id`.
pub fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `workspace_id` → `workspaceId`.
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A JSON value to plain Python objects (dict keys in `snake_case`).
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => {
            let items = a
                .iter()
                .map(|x| to_py(py, x))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(snake(k), to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// Plain Python objects to a JSON value (dict keys to `camelCase`). `datetime`, `date`, `UUID`
/// and enums become their ISO / string forms.
pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        let i: i64 = obj.extract()?;
        return Ok(Value::Number(i.into()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Number::from_f64(f.value())
            .map(Value::Number)
            .unwrap_or(Value::Null));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.extract()?));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Value::Array(
            b.as_bytes()
                .iter()
                .map(|x| Value::Number((*x).into()))
                .collect(),
        ));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = Map::new();
        for (k, v) in d.iter() {
            let key: String = k.str()?.extract()?;
            m.insert(camel(&key), from_py(&v)?);
        }
        return Ok(Value::Object(m));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj
            .try_iter()?
            .map(|x| from_py(&x?))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(Value::Array(items));
    }
    if obj.hasattr("isoformat")? {
        return Ok(Value::String(
            obj.call_method0("isoformat")?.extract::<String>()?,
        ));
    }
    if obj.hasattr("hex")? && obj.hasattr("urn")? {
        return Ok(Value::String(obj.str()?.extract()?));
    }
    if let Ok(v) = obj.getattr("value") {
        return from_py(&v);
    }
    Err(PyTypeError::new_err(format!(
        "cannot convert {} to a ContentOS value",
        obj.get_type().name()?
    )))
}

/// Deserialises an SDK type from a JSON value, reporting the problem as a `ValidationError`.
pub fn from_value<T: serde::de::DeserializeOwned>(
    py: Python<'_>,
    what: &str,
    v: Value,
) -> PyResult<T> {
    serde_json::from_value(v).map_err(|e| {
        crate::errors::to_py_err(py, &contentos_core::Error::validation(what, e.to_string()))
    })
}

/// An SDK value converted to Python when returned (usable from async tasks).
pub struct Json(pub Value);

impl Json {
    /// Serialises any SDK result.
    pub fn of<T: serde::Serialize>(v: &T) -> contentos_core::Result<Json> {
        serde_json::to_value(v)
            .map(Json)
            .map_err(|e| contentos_core::Error::internal(format!("serialising a result: {e}")))
    }
}

impl<'py> IntoPyObject<'py> for Json {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        to_py(py, &self.0)
    }
}
