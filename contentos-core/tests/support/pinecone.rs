//! A Pinecone index data plane: `/vectors/upsert`, `/query`, `/vectors/delete`,
//! `/vectors/fetch`, with the index's fixed dimension and cosine metric.

use super::{cosine, floats, json, parse_body, serve, Core};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const API_KEY: &str = "pc-test-key-123";
pub const API_VERSION: &str = "2025-04";

type Record = (Vec<f32>, Map<String, Value>);

pub struct Pinecone {
    pub core: Core,
    pub dimension: usize,
    pub namespaces: Mutex<HashMap<String, HashMap<String, Record>>>,
}

/// Starts a mock index of `dimension` and returns (state, base URL).
pub async fn start(dimension: usize) -> (Arc<Pinecone>, String) {
    let state = Arc::new(Pinecone {
        core: Core::default(),
        dimension,
        namespaces: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route("/vectors/upsert", post(upsert))
        .route("/query", post(query))
        .route("/vectors/delete", post(delete))
        .route("/vectors/fetch", get(fetch))
        .with_state(state.clone());
    (state, serve(app).await)
}

fn error(status: u16, code: u16, message: &str) -> Response {
    json(
        status,
        json!({ "code": code, "message": message, "details": [] }),
    )
}

fn check_headers(h: &HeaderMap) -> Option<Response> {
    match h.get("api-key").and_then(|v| v.to_str().ok()) {
        Some(API_KEY) => {}
        Some(_) => return Some(error(401, 16, "Invalid API Key")),
        None => return Some(error(401, 16, "API key is missing or invalid")),
    }
    if h.get("x-pinecone-api-version")
        .and_then(|v| v.to_str().ok())
        != Some(API_VERSION)
    {
        return Some(error(
            400,
            3,
            "Missing or unsupported X-Pinecone-API-Version",
        ));
    }
    if let Some(ct) = h.get("content-type") {
        if ct != "application/json" {
            return Some(error(415, 3, "expected application/json"));
        }
    }
    None
}

fn check_metadata(m: &Value) -> Result<Map<String, Value>, String> {
    let obj = m.as_object().ok_or("metadata must be an object")?;
    for (k, v) in obj {
        let ok = match v {
            Value::String(_) | Value::Bool(_) => true,
            Value::Number(n) => n.as_f64().is_some(),
            Value::Array(a) => a.iter().all(Value::is_string),
            _ => false,
        };
        if !ok {
            return Err(format!(
                "Metadata value for key {k} must be a string, number, boolean or list of strings"
            ));
        }
    }
    Ok(obj.clone())
}

async fn upsert(State(s): State<Arc<Pinecone>>, h: HeaderMap, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, 3, &e),
    };
    if let Some(r) = s.core.record("POST", "/vectors/upsert", &body) {
        return r;
    }
    if let Some(r) = check_headers(&h) {
        return r;
    }
    let Some(obj) = body.as_object() else {
        return error(400, 3, "body must be an object");
    };
    for k in obj.keys() {
        if k != "vectors" && k != "namespace" {
            return error(400, 3, &format!("unknown field `{k}`"));
        }
    }
    let ns = match obj.get("namespace") {
        Some(Value::String(n)) => n.clone(),
        None => String::new(),
        _ => return error(400, 3, "namespace must be a string"),
    };
    let Some(vectors) = obj.get("vectors").and_then(Value::as_array) else {
        return error(400, 3, "missing field `vectors`");
    };
    if vectors.is_empty() || vectors.len() > 1000 {
        return error(400, 3, "vectors must contain 1..=1000 items");
    }
    let mut parsed = Vec::new();
    for v in vectors {
        let Some(id) = v
            .get("id")
            .and_then(Value::as_str)
            .filter(|i| !i.is_empty())
        else {
            return error(400, 3, "vector id must be a non-empty string");
        };
        let Some(values) = v.get("values").and_then(floats) else {
            return error(400, 3, "values must be an array of numbers");
        };
        if values.len() != s.dimension {
            return error(
                400,
                3,
                &format!(
                    "Vector dimension {} does not match the dimension of the index {}",
                    values.len(),
                    s.dimension
                ),
            );
        }
        if values.iter().all(|x| *x == 0.0) {
            return error(
                400,
                3,
                "Dense vectors must contain at least one non-zero value",
            );
        }
        let metadata = match v.get("metadata") {
            Some(m) => match check_metadata(m) {
                Ok(m) => m,
                Err(e) => return error(400, 3, &e),
            },
            None => Map::new(),
        };
        parsed.push((id.to_string(), values, metadata));
    }
    let n = parsed.len();
    let mut all = s.namespaces.lock().unwrap();
    let space = all.entry(ns).or_default();
    for (id, values, metadata) in parsed {
        space.insert(id, (values, metadata));
    }
    json(200, json!({ "upsertedCount": n }))
}

fn filter_matches(filter: &Map<String, Value>, meta: &Map<String, Value>) -> Result<bool, String> {
    for (k, cond) in filter {
        if k == "$and" {
            let parts = cond.as_array().ok_or("$and takes an array")?;
            for p in parts {
                if !filter_matches(p.as_object().ok_or("$and items are objects")?, meta)? {
                    return Ok(false);
                }
            }
            continue;
        }
        let ops = cond
            .as_object()
            .ok_or_else(|| format!("filter for `{k}` must be an operator object"))?;
        for (op, val) in ops {
            let actual = meta.get(k);
            let hit = match op.as_str() {
                "$eq" => actual.is_some_and(|a| json_eq(a, val)),
                "$ne" => !actual.is_some_and(|a| json_eq(a, val)),
                _ => return Err(format!("unsupported operator {op}")),
            };
            if !hit {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

async fn query(State(s): State<Arc<Pinecone>>, h: HeaderMap, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, 3, &e),
    };
    if let Some(r) = s.core.record("POST", "/query", &body) {
        return r;
    }
    if let Some(r) = check_headers(&h) {
        return r;
    }
    let allowed = [
        "namespace",
        "vector",
        "topK",
        "filter",
        "includeMetadata",
        "includeValues",
        "id",
        "sparseVector",
    ];
    if let Some(k) = body
        .as_object()
        .and_then(|o| o.keys().find(|k| !allowed.contains(&k.as_str())))
    {
        return error(400, 3, &format!("unknown field `{k}`"));
    }
    let Some(top_k) = body.get("topK").and_then(Value::as_u64) else {
        return error(400, 3, "missing field `topK`");
    };
    if !(1..=10_000).contains(&top_k) {
        return error(400, 3, "topK must be between 1 and 10000");
    }
    let Some(vector) = body.get("vector").and_then(floats) else {
        return error(400, 3, "vector must be an array of numbers");
    };
    if vector.len() != s.dimension {
        return error(
            400,
            3,
            &format!(
                "Vector dimension {} does not match the dimension of the index {}",
                vector.len(),
                s.dimension
            ),
        );
    }
    let include_metadata = match body.get("includeMetadata") {
        Some(Value::Bool(b)) => *b,
        None => false,
        _ => return error(400, 3, "includeMetadata must be a boolean"),
    };
    let filter = match body.get("filter") {
        Some(Value::Object(f)) => Some(f.clone()),
        None => None,
        _ => return error(400, 3, "filter must be an object"),
    };
    let ns = body
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let all = s.namespaces.lock().unwrap();
    let mut scored = Vec::new();
    if let Some(space) = all.get(&ns) {
        for (id, (values, meta)) in space {
            if let Some(f) = &filter {
                match filter_matches(f, meta) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(e) => return error(400, 3, &e),
                }
            }
            scored.push((cosine(values, &vector), id.clone(), meta.clone()));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(top_k as usize);
    let matches: Vec<Value> = scored
        .into_iter()
        .map(|(score, id, meta)| {
            let mut m = json!({ "id": id, "score": score, "values": [] });
            if include_metadata {
                m["metadata"] = Value::Object(meta);
            }
            m
        })
        .collect();
    json(
        200,
        json!({ "results": [], "matches": matches, "namespace": ns, "usage": { "readUnits": 5 } }),
    )
}

async fn delete(State(s): State<Arc<Pinecone>>, h: HeaderMap, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, 3, &e),
    };
    if let Some(r) = s.core.record("POST", "/vectors/delete", &body) {
        return r;
    }
    if let Some(r) = check_headers(&h) {
        return r;
    }
    let ns = body
        .get("namespace")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some(ids) = body.get("ids").and_then(Value::as_array) else {
        return error(400, 3, "one of ids, deleteAll or filter is required");
    };
    if ids.len() > 1000 || ids.iter().any(|i| !i.is_string()) {
        return error(400, 3, "ids must be at most 1000 strings");
    }
    let mut all = s.namespaces.lock().unwrap();
    match all.get_mut(&ns) {
        Some(space) => {
            for id in ids {
                space.remove(id.as_str().unwrap_or_default());
            }
            json(200, json!({}))
        }
        None => error(404, 5, "Namespace not found"),
    }
}

async fn fetch(State(s): State<Arc<Pinecone>>, h: HeaderMap, RawQuery(q): RawQuery) -> Response {
    if let Some(r) = s.core.record("GET", "/vectors/fetch", &json!(q)) {
        return r;
    }
    if let Some(r) = check_headers(&h) {
        return r;
    }
    let mut ids = Vec::new();
    let mut ns = String::new();
    for pair in q.unwrap_or_default().split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = urldecode(v);
        match k {
            "ids" => ids.push(v),
            "namespace" => ns = v,
            _ => return error(400, 3, &format!("unknown query parameter {k}")),
        }
    }
    if ids.is_empty() {
        return error(400, 3, "ids is required");
    }
    let all = s.namespaces.lock().unwrap();
    let mut vectors = Map::new();
    if let Some(space) = all.get(&ns) {
        for id in ids {
            if let Some((values, meta)) = space.get(&id) {
                vectors.insert(
                    id.clone(),
                    json!({ "id": id, "values": values, "metadata": meta }),
                );
            }
        }
    }
    json(
        200,
        json!({ "vectors": vectors, "namespace": ns, "usage": { "readUnits": 1 } }),
    )
}

fn urldecode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                out.push(u8::from_str_radix(hex, 16).unwrap_or(b'?'));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
