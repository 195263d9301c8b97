//! `GET /health` (section 11.4): one check per dependency, 200 `healthy` when every configured
//! dependency answers, 503 `degraded` otherwise.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

fn check(result: Result<(), String>, started: Instant) -> Value {
    let ms = started.elapsed().as_millis() as u64;
    match result {
        Ok(()) => json!({"status": "ok", "latencyMs": ms}),
        Err(e) => json!({"status": "error", "latencyMs": ms, "message": e}),
    }
}

async fn database(state: &AppState) -> Value {
    let t = Instant::now();
    let r = match tokio::time::timeout(CHECK_TIMEOUT, state.os.store().ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.kind().as_str().to_string()),
        Err(_) => Err("timeout".to_string()),
    };
    check(r, t)
}

async fn redis_check(state: &AppState) -> Value {
    let Some(client) = &state.redis else {
        return json!({"status": "disabled"});
    };
    let t = Instant::now();
    let ping = async {
        let mut c = client
            .get_multiplexed_async_connection()
            .await
            .map_err(|_| "connect failed".to_string())?;
        redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .map(|_| ())
            .map_err(|_| "ping failed".to_string())
    };
    let r = match tokio::time::timeout(CHECK_TIMEOUT, ping).await {
        Ok(r) => r,
        Err(_) => Err("timeout".to_string()),
    };
    check(r, t)
}

fn llm(state: &AppState) -> Value {
    match state.os.llm() {
        Some(p) => json!({"status": "ok", "provider": p.name()}),
        None => json!({"status": "error", "message": "no LLM provider configured"}),
    }
}

/// `GET /health`.
#[utoipa::path(get, path = "/health", tag = "ops",
    responses((status = 200, description = "All dependencies healthy"),
              (status = 503, description = "At least one dependency failing")))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let (db, rd) = tokio::join!(database(&state), redis_check(&state));
    let checks = json!({"database": db, "redis": rd, "llm": llm(&state)});
    let healthy = checks
        .as_object()
        .map(|m| m.values().all(|c| c["status"] != "error"))
        .unwrap_or(false);
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if healthy { "healthy" } else { "degraded" },
            "checks": checks,
            "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        })),
    )
}
