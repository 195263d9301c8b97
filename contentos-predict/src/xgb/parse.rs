//! Reading XGBoost's JSON model format (as written by `Booster.save_model("m.json")` in
//! xgboost 1.6 through 3.x) into plain arrays.
//!
//! Why `serde_json::Value` rather than typed structs: the format drifted across versions
//! (`default_left` as booleans or integers, `base_score` as `"5E-1"` or `"[5E-1]"`, numbers
//! written as strings in `*_param` objects, the `dart` booster nesting the tree model one level
//! deeper), and a tolerant walk over a `Value` handles all of them in one place with precise
//! error messages naming the offending path.

use super::tree::RawTree;
use contentos_core::{Error, Result};
use serde_json::Value;
use std::collections::BTreeMap;

/// Everything the scorer needs from a model file, before compilation.
#[derive(Debug, Clone)]
pub(crate) struct ParsedModel {
    pub objective: String,
    pub base_score: f32,
    pub num_feature: usize,
    pub trees: Vec<RawTree>,
    /// Per-tree weights (`dart` booster only).
    pub tree_weights: Option<Vec<f32>>,
    /// `iteration_indptr[i]..iteration_indptr[i+1]` are the trees of boosting round `i`.
    pub iteration_indptr: Vec<usize>,
    pub feature_names: Vec<String>,
    pub attributes: BTreeMap<String, String>,
    pub version: [u32; 3],
}

/// Deeper trees are refused: explanations walk trees recursively, and no sensible model needs
/// more levels.
const MAX_TREE_DEPTH: usize = 512;

fn invalid(path: &str, rule: impl Into<String>) -> Error {
    Error::validation(format!("xgboost model {path}"), rule)
}

fn get<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a Value> {
    v.get(key)
        .ok_or_else(|| invalid(&format!("{path}.{key}"), "is required"))
}

/// XGBoost writes most scalar params as strings ("6", "5E-1"); accept numbers too.
fn scalar_f64(v: &Value, path: &str) -> Result<f64> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| invalid(path, "must be a finite number")),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| invalid(path, format!("must be a number, got {s:?}"))),
        _ => Err(invalid(path, "must be a number or a numeric string")),
    }
}

fn scalar_usize(v: &Value, path: &str) -> Result<usize> {
    let x = scalar_f64(v, path)?;
    if x < 0.0 || x.fract() != 0.0 || x > u32::MAX as f64 {
        return Err(invalid(path, "must be a non-negative integer"));
    }
    Ok(x as usize)
}

fn array<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a Vec<Value>> {
    get(v, key, path)?
        .as_array()
        .ok_or_else(|| invalid(&format!("{path}.{key}"), "must be an array"))
}

/// Rewrites the non-standard tokens `NaN`, `Infinity` and `-Infinity` outside strings into
/// `null`, `3.5e38` and `-3.5e38` (which round to ±inf in f32), so serde_json can read the file.
fn replace_non_finite(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = json;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else {
            let mut replaced = false;
            for (token, with) in [
                ("NaN", "null"),
                ("-Infinity", "-3.5e38"),
                ("Infinity", "3.5e38"),
            ] {
                if rest.starts_with(token) {
                    out.push_str(with);
                    rest = &rest[token.len()..];
                    replaced = true;
                    break;
                }
            }
            if replaced {
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn f32_array(v: &Value, key: &str, path: &str) -> Result<Vec<f32>> {
    array(v, key, path)?
        .iter()
        .enumerate()
        .map(|(i, x)| {
            if x.is_null() {
                return Ok(f32::NAN);
            }
            x.as_f64()
                .map(|f| f as f32)
                .ok_or_else(|| invalid(&format!("{path}.{key}[{i}]"), "must be a number"))
        })
        .collect()
}

fn i64_array(v: &Value, key: &str, path: &str) -> Result<Vec<i64>> {
    array(v, key, path)?
        .iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_i64()
                .ok_or_else(|| invalid(&format!("{path}.{key}[{i}]"), "must be an integer"))
        })
        .collect()
}

/// `default_left` is `[0, 1, …]` in current versions and `[false, true, …]` in some older ones.
fn bool_array(v: &Value, key: &str, path: &str) -> Result<Vec<bool>> {
    array(v, key, path)?
        .iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::Bool(b) => Ok(*b),
            Value::Number(n) => Ok(n.as_i64().unwrap_or(0) != 0),
            _ => Err(invalid(
                &format!("{path}.{key}[{i}]"),
                "must be a boolean or 0/1",
            )),
        })
        .collect()
}

/// `base_score` is `"5E-1"` up to 2.x and `"[5E-1]"` (a vector, one entry per target) in 3.x.
fn parse_base_score(v: &Value) -> Result<f32> {
    const PATH: &str = "learner.learner_model_param.base_score";
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return Err(invalid(PATH, "must be a number or a numeric string")),
    };
    let inner = text.trim_start_matches('[').trim_end_matches(']');
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    if parts.len() != 1 {
        return Err(Error::not_supported(format!(
            "xgboost models with {} targets (multi-target or multi-class); only single-output models are scored",
            parts.len()
        )));
    }
    parts[0]
        .parse::<f32>()
        .map_err(|_| invalid(PATH, format!("must be a number, got {text:?}")))
}

fn parse_tree(t: &Value, idx: usize) -> Result<RawTree> {
    let path = format!("trees[{idx}]");
    let param = get(t, "tree_param", &path)?;
    if let Some(size) = param.get("size_leaf_vector") {
        let size = scalar_usize(size, &format!("{path}.tree_param.size_leaf_vector"))?;
        if size > 1 {
            return Err(Error::not_supported(format!(
                "multi-target xgboost trees (size_leaf_vector = {size} in {path})"
            )));
        }
    }
    if let Some(types) = t.get("split_type").and_then(Value::as_array) {
        if types.iter().any(|x| x.as_i64() != Some(0)) {
            return Err(Error::not_supported(format!(
                "categorical splits in xgboost models ({path} has split_type != 0)"
            )));
        }
    }
    for key in ["categories", "categories_nodes"] {
        if t.get(key)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            return Err(Error::not_supported(format!(
                "categorical splits in xgboost models ({path}.{key} is not empty)"
            )));
        }
    }
    let tree = RawTree {
        left: i64_array(t, "left_children", &path)?,
        right: i64_array(t, "right_children", &path)?,
        feature: i64_array(t, "split_indices", &path)?,
        condition: f32_array(t, "split_conditions", &path)?,
        default_left: bool_array(t, "default_left", &path)?,
        cover: f32_array(t, "sum_hessian", &path)?,
    };
    tree.validate(&path)?;
    let depth = tree.depth();
    if depth > MAX_TREE_DEPTH {
        return Err(Error::not_supported(format!(
            "xgboost trees deeper than {MAX_TREE_DEPTH} levels ({path} has {depth})"
        )));
    }
    Ok(tree)
}

/// Parses a model from the text of an XGBoost JSON model file.
pub(crate) fn parse_model(json: &str) -> Result<ParsedModel> {
    let root: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        // Some versions write bare NaN/Infinity (e.g. 2.1 at categorical nodes); retry without.
        Err(e) => serde_json::from_str(&replace_non_finite(json))
            .map_err(|_| invalid("file", format!("must be XGBoost JSON: {e}")))?,
    };
    let learner = get(&root, "learner", "")?;
    let version = match root.get("version").and_then(Value::as_array) {
        Some(v) if v.len() == 3 => {
            let p = |i: usize| v[i].as_u64().unwrap_or(0) as u32;
            [p(0), p(1), p(2)]
        }
        _ => [0, 0, 0],
    };
    if version[0] == 1 && version[1] < 6 || version[0] == 0 {
        return Err(Error::not_supported(format!(
            "xgboost JSON models older than 1.6 (file says {}.{}.{})",
            version[0], version[1], version[2]
        )));
    }

    let lmp = get(learner, "learner_model_param", "learner")?;
    let num_feature = scalar_usize(
        get(lmp, "num_feature", "learner.learner_model_param")?,
        "learner.learner_model_param.num_feature",
    )?;
    if num_feature == 0 {
        return Err(invalid(
            "learner.learner_model_param.num_feature",
            "must be at least 1",
        ));
    }
    if let Some(nc) = lmp.get("num_class") {
        let nc = scalar_usize(nc, "learner.learner_model_param.num_class")?;
        if nc > 1 {
            return Err(Error::not_supported(format!(
                "multi-class xgboost models (num_class = {nc})"
            )));
        }
    }
    if let Some(nt) = lmp.get("num_target") {
        let nt = scalar_usize(nt, "learner.learner_model_param.num_target")?;
        if nt > 1 {
            return Err(Error::not_supported(format!(
                "multi-target xgboost models (num_target = {nt})"
            )));
        }
    }
    let base_score = parse_base_score(get(lmp, "base_score", "learner.learner_model_param")?)?;

    let objective = get(
        get(learner, "objective", "learner")?,
        "name",
        "learner.objective",
    )?
    .as_str()
    .ok_or_else(|| invalid("learner.objective.name", "must be a string"))?
    .to_string();

    let gb = get(learner, "gradient_booster", "learner")?;
    let gb_name = gb.get("name").and_then(Value::as_str).unwrap_or("gbtree");
    let (model, tree_weights) = match gb_name {
        "gbtree" => (get(gb, "model", "learner.gradient_booster")?, None),
        "dart" => {
            let inner = get(gb, "gbtree", "learner.gradient_booster")?;
            let w = f32_array(gb, "weight_drop", "learner.gradient_booster")?;
            (
                get(inner, "model", "learner.gradient_booster.gbtree")?,
                Some(w),
            )
        }
        other => {
            return Err(Error::not_supported(format!(
                "xgboost booster {other:?} (only gbtree and dart tree models are scored)"
            )))
        }
    };
    let trees: Vec<RawTree> = array(model, "trees", "model")?
        .iter()
        .enumerate()
        .map(|(i, t)| parse_tree(t, i))
        .collect::<Result<_>>()?;
    for (i, t) in trees.iter().enumerate() {
        for (n, (&f, &l)) in t.feature.iter().zip(&t.left).enumerate() {
            if l >= 0 && f as usize >= num_feature {
                return Err(invalid(
                    &format!("trees[{i}].split_indices[{n}]"),
                    format!("feature {f} is out of range for {num_feature} features"),
                ));
            }
        }
    }
    if let Some(info) = model.get("tree_info").and_then(Value::as_array) {
        if info.iter().any(|g| g.as_i64() != Some(0)) {
            return Err(Error::not_supported(
                "xgboost models with several output groups (tree_info != 0)",
            ));
        }
    }
    if let Some(w) = &tree_weights {
        if w.len() != trees.len() {
            return Err(invalid(
                "learner.gradient_booster.weight_drop",
                format!("has {} weights for {} trees", w.len(), trees.len()),
            ));
        }
    }

    let iteration_indptr = match model.get("iteration_indptr").and_then(Value::as_array) {
        Some(ptr) => {
            let v: Vec<usize> = ptr
                .iter()
                .map(|x| x.as_u64().map(|u| u as usize))
                .collect::<Option<_>>()
                .ok_or_else(|| invalid("model.iteration_indptr", "must be integers"))?;
            if v.first() != Some(&0)
                || v.last() != Some(&trees.len())
                || v.windows(2).any(|w| w[0] > w[1])
            {
                return Err(invalid(
                    "model.iteration_indptr",
                    "must rise from 0 to the number of trees",
                ));
            }
            v
        }
        None => {
            // Before 2.0: every round adds num_parallel_tree trees (single output group).
            let per_round = model
                .get("gbtree_model_param")
                .and_then(|p| p.get("num_parallel_tree"))
                .map(|v| scalar_usize(v, "model.gbtree_model_param.num_parallel_tree"))
                .transpose()?
                .unwrap_or(1)
                .max(1);
            let mut v: Vec<usize> = (0..trees.len()).step_by(per_round).collect();
            v.push(trees.len());
            v
        }
    };

    let feature_names = learner
        .get("feature_names")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let attributes = learner
        .get("attributes")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default();

    Ok(ParsedModel {
        objective,
        base_score,
        num_feature,
        trees,
        tree_weights,
        iteration_indptr,
        feature_names,
        attributes,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_tokens_are_replaced_outside_strings_only() {
        let src = r#"{"a":[NaN,-Infinity,Infinity,1.5],"s":"NaN \"Infinity\" kept"}"#;
        let fixed = replace_non_finite(src);
        let v: Value = serde_json::from_str(&fixed).unwrap();
        assert!(v["a"][0].is_null());
        assert_eq!(v["a"][1].as_f64().unwrap() as f32, f32::NEG_INFINITY);
        assert_eq!(v["a"][2].as_f64().unwrap() as f32, f32::INFINITY);
        assert_eq!(v["a"][3].as_f64(), Some(1.5));
        assert_eq!(v["s"].as_str(), Some("NaN \"Infinity\" kept"));
    }

    #[test]
    fn base_score_formats() {
        assert_eq!(parse_base_score(&Value::from("5E-1")).unwrap(), 0.5);
        assert_eq!(
            parse_base_score(&Value::from("[5.275E-1]")).unwrap(),
            0.5275
        );
        assert_eq!(parse_base_score(&Value::from(0.25)).unwrap(), 0.25);
        assert_eq!(
            parse_base_score(&Value::from("[1E0,2E0]"))
                .unwrap_err()
                .kind(),
            contentos_core::ErrorKind::NotSupported
        );
        assert_eq!(
            parse_base_score(&Value::from("abc")).unwrap_err().kind(),
            contentos_core::ErrorKind::Validation
        );
    }
}
