//! A Qdrant server: collections, points upsert/retrieve/query/delete, with Qdrant's id rules
//! (UUID or unsigned integer), fixed vector size per collection and its error bodies.

use super::{cosine, floats, json, parse_body, serve, Core};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{post, put};
use axum::Router;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const API_KEY: &str = "qd-test-key-456";

pub struct Collection {
    pub size: usize,
    pub points: HashMap<String, (Vec<f32>, Map<String, Value>)>,
}

pub struct Qdrant {
    pub core: Core,
    pub collections: Mutex<HashMap<String, Collection>>,
}

pub async fn start() -> (Arc<Qdrant>, String) {
    let state = Arc::new(Qdrant {
        core: Core::default(),
        collections: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route("/collections/{c}", put(create))
        .route("/collections/{c}/points", put(upsert).post(retrieve))
        .route("/collections/{c}/points/query", post(query))
        .route("/collections/{c}/points/delete", post(delete))
        .with_state(state.clone());
    (state, serve(app).await)
}

fn ok(result: Value) -> Response {
    json(
        200,
        json!({ "result": result, "status": "ok", "time": 0.000_42 }),
    )
}

fn error(status: u16, message: &str) -> Response {
    json(
        status,
        json!({ "status": { "error": message }, "time": 0.0 }),
    )
}

fn not_found(c: &str) -> Response {
    error(404, &format!("Not found: Collection `{c}` doesn't exist!"))
}

fn pre(s: &Qdrant, method: &str, path: &str, h: &HeaderMap, body: &Value) -> Option<Response> {
    if let Some(r) = s.core.record(method, path, body) {
        return Some(r);
    }
    if h.get("api-key").and_then(|v| v.to_str().ok()) != Some(API_KEY) {
        return Some(json(
            401,
            json!({ "status": { "error": "Must provide an API key or an Authorization bearer token" } }),
        ));
    }
    None
}

/// Qdrant accepts an unsigned integer or a UUID string as a point id.
fn point_id(v: &Value) -> Result<String, String> {
    match v {
        Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        Value::String(s) => uuid::Uuid::parse_str(s)
            .map(|u| u.to_string())
            .map_err(|_| format!("Format error in JSON body: value {s} is not a valid point ID, valid values are either an unsigned integer or a UUID")),
        other => Err(format!("Format error in JSON body: invalid point ID {other}")),
    }
}

async fn create(
    State(s): State<Arc<Qdrant>>,
    Path(c): Path<String>,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, &format!("Format error in JSON body: {e}")),
    };
    if let Some(r) = pre(&s, "PUT", &format!("/collections/{c}"), &h, &body) {
        return r;
    }
    let size = body.pointer("/vectors/size").and_then(Value::as_u64);
    let distance = body.pointer("/vectors/distance").and_then(Value::as_str);
    let (Some(size), Some(distance)) = (size, distance) else {
        return error(
            400,
            "Format error in JSON body: missing field `vectors.size` or `vectors.distance`",
        );
    };
    if !["Cosine", "Dot", "Euclid", "Manhattan"].contains(&distance) || size == 0 {
        return error(400, "Format error in JSON body: bad vectors params");
    }
    let mut all = s.collections.lock().unwrap();
    if all.contains_key(&c) {
        return error(
            409,
            &format!("Wrong input: Collection `{c}` already exists!"),
        );
    }
    all.insert(
        c,
        Collection {
            size: size as usize,
            points: HashMap::new(),
        },
    );
    ok(json!(true))
}

async fn upsert(
    State(s): State<Arc<Qdrant>>,
    Path(c): Path<String>,
    RawQuery(q): RawQuery,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, &format!("Format error in JSON body: {e}")),
    };
    if let Some(r) = pre(&s, "PUT", &format!("/collections/{c}/points"), &h, &body) {
        return r;
    }
    if q.as_deref() != Some("wait=true") {
        return error(
            400,
            "test server expects ?wait=true so writes are visible to the next read",
        );
    }
    let Some(points) = body.get("points").and_then(Value::as_array) else {
        return error(400, "Format error in JSON body: missing field `points`");
    };
    let mut all = s.collections.lock().unwrap();
    let Some(coll) = all.get_mut(&c) else {
        return not_found(&c);
    };
    let mut parsed = Vec::new();
    for p in points {
        let id = match p.get("id").map(point_id) {
            Some(Ok(id)) => id,
            Some(Err(e)) => return error(400, &e),
            None => return error(400, "Format error in JSON body: missing field `id`"),
        };
        let Some(vector) = p.get("vector").and_then(floats) else {
            return error(
                400,
                "Format error in JSON body: `vector` must be an array of numbers",
            );
        };
        if vector.len() != coll.size {
            return error(
                400,
                &format!(
                    "Wrong input: Vector dimension error: expected dim: {}, got {}",
                    coll.size,
                    vector.len()
                ),
            );
        }
        let payload = match p.get("payload") {
            Some(Value::Object(m)) => m.clone(),
            None | Some(Value::Null) => Map::new(),
            _ => return error(400, "Format error in JSON body: payload must be an object"),
        };
        parsed.push((id, vector, payload));
    }
    for (id, v, p) in parsed {
        coll.points.insert(id, (v, p));
    }
    ok(json!({ "operation_id": 1, "status": "completed" }))
}

async fn retrieve(
    State(s): State<Arc<Qdrant>>,
    Path(c): Path<String>,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, &format!("Format error in JSON body: {e}")),
    };
    if let Some(r) = pre(&s, "POST", &format!("/collections/{c}/points"), &h, &body) {
        return r;
    }
    let Some(ids) = body.get("ids").and_then(Value::as_array) else {
        return error(400, "Format error in JSON body: missing field `ids`");
    };
    let all = s.collections.lock().unwrap();
    let Some(coll) = all.get(&c) else {
        return not_found(&c);
    };
    let with_payload = body
        .get("with_payload")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut out = Vec::new();
    for id in ids {
        let id = match point_id(id) {
            Ok(id) => id,
            Err(e) => return error(400, &e),
        };
        if let Some((_, payload)) = coll.points.get(&id) {
            let mut p = json!({ "id": id });
            if with_payload {
                p["payload"] = Value::Object(payload.clone());
            }
            out.push(p);
        }
    }
    ok(Value::Array(out))
}

fn matches_filter(filter: &Value, payload: &Map<String, Value>) -> Result<bool, String> {
    let obj = filter.as_object().ok_or("filter must be an object")?;
    for (clause, conds) in obj {
        let conds = conds.as_array().ok_or("filter clauses take arrays")?;
        let results: Vec<bool> = conds
            .iter()
            .map(|c| {
                let key = c
                    .get("key")
                    .and_then(Value::as_str)
                    .ok_or("condition needs `key`")?;
                let value = c
                    .pointer("/match/value")
                    .ok_or("only match.value conditions are supported by this test server")?;
                if value.is_f64() {
                    return Err(
                        "Format error in JSON body: match value must be keyword, integer or bool",
                    );
                }
                Ok(payload.get(key) == Some(value))
            })
            .collect::<Result<_, &str>>()?;
        let ok = match clause.as_str() {
            "must" => results.iter().all(|b| *b),
            "should" => results.iter().any(|b| *b),
            "must_not" => !results.iter().any(|b| *b),
            other => return Err(format!("unknown filter clause {other}")),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn query(
    State(s): State<Arc<Qdrant>>,
    Path(c): Path<String>,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, &format!("Format error in JSON body: {e}")),
    };
    if let Some(r) = pre(
        &s,
        "POST",
        &format!("/collections/{c}/points/query"),
        &h,
        &body,
    ) {
        return r;
    }
    let Some(vector) = body.get("query").and_then(floats) else {
        return error(400, "Format error in JSON body: `query` must be a vector");
    };
    let Some(limit) = body.get("limit").and_then(Value::as_u64) else {
        return error(400, "Format error in JSON body: `limit` must be an integer");
    };
    let all = s.collections.lock().unwrap();
    let Some(coll) = all.get(&c) else {
        return not_found(&c);
    };
    if vector.len() != coll.size {
        return error(
            400,
            &format!(
                "Wrong input: Vector dimension error: expected dim: {}, got {}",
                coll.size,
                vector.len()
            ),
        );
    }
    let with_payload = body
        .get("with_payload")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut scored = Vec::new();
    for (id, (v, payload)) in &coll.points {
        if let Some(f) = body.get("filter") {
            match matches_filter(f, payload) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => return error(400, &e),
            }
        }
        scored.push((cosine(v, &vector), id.clone(), payload.clone()));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(limit as usize);
    let points: Vec<Value> = scored
        .into_iter()
        .map(|(score, id, payload)| {
            let mut p = json!({ "id": id, "version": 1, "score": score });
            if with_payload {
                p["payload"] = Value::Object(payload);
            }
            p
        })
        .collect();
    ok(json!({ "points": points }))
}

async fn delete(
    State(s): State<Arc<Qdrant>>,
    Path(c): Path<String>,
    h: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(e) => return error(400, &format!("Format error in JSON body: {e}")),
    };
    if let Some(r) = pre(
        &s,
        "POST",
        &format!("/collections/{c}/points/delete"),
        &h,
        &body,
    ) {
        return r;
    }
    let Some(points) = body.get("points").and_then(Value::as_array) else {
        return error(
            400,
            "Format error in JSON body: missing field `points` or `filter`",
        );
    };
    let mut all = s.collections.lock().unwrap();
    let Some(coll) = all.get_mut(&c) else {
        return not_found(&c);
    };
    for p in points {
        match point_id(p) {
            Ok(id) => {
                coll.points.remove(&id);
            }
            Err(e) => return error(400, &e),
        }
    }
    ok(json!({ "operation_id": 2, "status": "completed" }))
}
