//! The native XGBoost booster through the C API (`xgboost-rs-sys`), with RAII handles.
//!
//! Only this file contains `unsafe`: every call checks XGBoost's return code and turns a
//! failure into [`Error::Internal`] carrying `XGBGetLastError`'s text.

use super::{TrainData, TrainParams};
use contentos_core::{Error, Result};
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use xgboost_rs_sys as sys;

/// Converts a non-zero XGBoost return code into an error naming the call.
fn check(call: &str, code: i32) -> Result<()> {
    if code == 0 {
        return Ok(());
    }
    // SAFETY: XGBGetLastError returns a thread-local, NUL-terminated string owned by the
    // library, valid until the next XGBoost call on this thread; it is copied at once.
    let msg = unsafe {
        let p = sys::XGBGetLastError();
        if p.is_null() {
            String::from("(no message)")
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        }
    };
    Err(Error::internal(format!("xgboost {call} failed: {msg}")))
}

fn cstring(field: &str, s: &str) -> Result<CString> {
    CString::new(s).map_err(|_| Error::validation(field.to_string(), "no NUL characters"))
}

/// An owned `DMatrixHandle`.
struct DMatrix(sys::DMatrixHandle);

impl DMatrix {
    /// A dense matrix from row-major values; NaN (and only NaN) is missing.
    fn dense(rows: &[f32], num_rows: usize, num_feature: usize) -> Result<Self> {
        let mut h: sys::DMatrixHandle = std::ptr::null_mut();
        // SAFETY: `rows` holds num_rows × num_feature floats (checked by the callers); the
        // library copies them into its own storage.
        let code = unsafe {
            sys::XGDMatrixCreateFromMat(
                rows.as_ptr(),
                num_rows as sys::bst_ulong,
                num_feature as sys::bst_ulong,
                f32::NAN,
                &mut h,
            )
        };
        check("XGDMatrixCreateFromMat", code)?;
        Ok(DMatrix(h))
    }

    fn set_labels(&self, labels: &[f32]) -> Result<()> {
        let field = cstring("train.labels", "label")?;
        // SAFETY: the handle is live; the library copies `labels`.
        let code = unsafe {
            sys::XGDMatrixSetFloatInfo(
                self.0,
                field.as_ptr(),
                labels.as_ptr(),
                labels.len() as sys::bst_ulong,
            )
        };
        check("XGDMatrixSetFloatInfo(label)", code)
    }
}

impl Drop for DMatrix {
    fn drop(&mut self) {
        // SAFETY: the handle was created by XGDMatrixCreateFromMat and is freed once.
        unsafe {
            sys::XGDMatrixFree(self.0);
        }
    }
}

/// A booster trained by the native XGBoost library (feature `train`).
///
/// Why public: tests and notebooks compare the pure-Rust scorer against the library that
/// trained the model ([`NativeBooster::predict`]).
pub struct NativeBooster {
    handle: sys::BoosterHandle,
    num_feature: usize,
}

impl std::fmt::Debug for NativeBooster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeBooster")
            .field("num_feature", &self.num_feature)
            .finish()
    }
}

impl NativeBooster {
    /// Trains for exactly `params.rounds` rounds (`XGBoosterUpdateOneIter` once per round) on
    /// a matrix whose only missing value is NaN, then records the feature names and attributes.
    pub fn train(data: &TrainData<'_>, params: &TrainParams) -> Result<Self> {
        params.validate()?;
        let span = tracing::info_span!(
            "xgboost.train",
            rows = data.num_rows(),
            features = data.num_feature(),
            rounds = params.rounds,
            max_depth = params.max_depth
        );
        let _guard = span.enter();
        let dtrain = DMatrix::dense(data.rows(), data.num_rows(), data.num_feature())?;
        dtrain.set_labels(data.labels())?;

        let mut handle: sys::BoosterHandle = std::ptr::null_mut();
        let dmats = [dtrain.0];
        // SAFETY: one live DMatrix handle is passed as the cache; the booster keeps its own
        // reference to it, and `dtrain` outlives the training loop below.
        let code = unsafe { sys::XGBoosterCreate(dmats.as_ptr(), 1, &mut handle) };
        check("XGBoosterCreate", code)?;
        let booster = NativeBooster {
            handle,
            num_feature: data.num_feature(),
        };
        for (name, value) in params.xgboost_pairs() {
            booster.set_param(name, &value)?;
        }
        if !data.feature_names().is_empty() {
            booster.set_feature_names(data.feature_names())?;
        }
        for round in 0..params.rounds {
            let iter = i32::try_from(round)
                .map_err(|_| Error::validation("train.rounds", "fits in i32"))?;
            // SAFETY: both handles are live.
            let code = unsafe { sys::XGBoosterUpdateOneIter(booster.handle, iter, dtrain.0) };
            check("XGBoosterUpdateOneIter", code)?;
        }
        for (k, v) in data.attributes() {
            booster.set_attr(k, v)?;
        }
        Ok(booster)
    }

    fn set_param(&self, name: &str, value: &str) -> Result<()> {
        let n = cstring("train.param", name)?;
        let v = cstring("train.param", value)?;
        // SAFETY: live handle, NUL-terminated strings that outlive the call.
        let code = unsafe { sys::XGBoosterSetParam(self.handle, n.as_ptr(), v.as_ptr()) };
        check("XGBoosterSetParam", code)
    }

    fn set_attr(&self, key: &str, value: &str) -> Result<()> {
        let k = cstring("train.attributes", key)?;
        let v = cstring("train.attributes", value)?;
        // SAFETY: live handle, NUL-terminated strings that outlive the call.
        let code = unsafe { sys::XGBoosterSetAttr(self.handle, k.as_ptr(), v.as_ptr()) };
        check("XGBoosterSetAttr", code)
    }

    fn set_feature_names(&self, names: &[&str]) -> Result<()> {
        let owned = names
            .iter()
            .map(|n| cstring("train.feature_names", n))
            .collect::<Result<Vec<_>>>()?;
        let ptrs: Vec<*const c_char> = owned.iter().map(|c| c.as_ptr()).collect();
        let field = cstring("train.feature_names", "feature_name")?;
        // SAFETY: `ptrs` points into `owned`, both alive for the call; the library copies.
        let code = unsafe {
            sys::XGBoosterSetStrFeatureInfo(
                self.handle,
                field.as_ptr(),
                ptrs.as_ptr() as *mut *const c_char,
                ptrs.len() as sys::bst_ulong,
            )
        };
        check("XGBoosterSetStrFeatureInfo", code)
    }

    /// The model in XGBoost's JSON format (`XGBoosterSaveModelToBuffer`, `{"format":"json"}`),
    /// loadable by [`XgbModel::from_json_str`](crate::xgb::XgbModel::from_json_str) and by
    /// Python xgboost.
    pub fn to_json(&self) -> Result<String> {
        let config = cstring("format", r#"{"format": "json"}"#)?;
        let mut len: sys::bst_ulong = 0;
        let mut ptr: *const c_char = std::ptr::null();
        // SAFETY: live handle; the returned buffer is owned by the booster and valid until the
        // next call on it, so it is copied before returning.
        let code = unsafe {
            sys::XGBoosterSaveModelToBuffer(self.handle, config.as_ptr(), &mut len, &mut ptr)
        };
        check("XGBoosterSaveModelToBuffer", code)?;
        if ptr.is_null() {
            return Err(Error::internal("xgboost returned no model buffer"));
        }
        let len = usize::try_from(len).map_err(|_| Error::internal("model buffer too large"))?;
        // SAFETY: `ptr` points to `len` bytes owned by the booster (see above).
        let bytes = unsafe { std::slice::from_raw_parts(ptr as *const u8, len) };
        String::from_utf8(bytes.to_vec())
            .map_err(|_| Error::internal("xgboost wrote a JSON model that is not UTF-8"))
    }

    /// Probabilities from the native library for row-major `rows` (NaN = missing), for
    /// comparing with the pure-Rust scorer.
    pub fn predict(&self, rows: &[f32]) -> Result<Vec<f32>> {
        if rows.len() % self.num_feature != 0 {
            return Err(Error::validation(
                "rows",
                format!("a multiple of {} values", self.num_feature),
            ));
        }
        let n = rows.len() / self.num_feature;
        let dm = DMatrix::dense(rows, n, self.num_feature)?;
        let mut len: sys::bst_ulong = 0;
        let mut out: *const f32 = std::ptr::null();
        // SAFETY: live handles; the result buffer belongs to the booster and is copied below
        // before any other call on it.
        let code = unsafe { sys::XGBoosterPredict(self.handle, dm.0, 0, 0, 0, &mut len, &mut out) };
        check("XGBoosterPredict", code)?;
        let len = usize::try_from(len).map_err(|_| Error::internal("prediction too large"))?;
        if len != n || (n > 0 && out.is_null()) {
            return Err(Error::internal(format!(
                "xgboost returned {len} predictions for {n} rows"
            )));
        }
        if n == 0 {
            return Ok(Vec::new());
        }
        // SAFETY: `out` points to `len` floats owned by the booster.
        Ok(unsafe { std::slice::from_raw_parts(out, len) }.to_vec())
    }
}

impl Drop for NativeBooster {
    fn drop(&mut self) {
        // SAFETY: the handle was created by XGBoosterCreate and is freed once.
        unsafe {
            sys::XGBoosterFree(self.handle);
        }
    }
}
