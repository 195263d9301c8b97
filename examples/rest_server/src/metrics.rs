//! Prometheus metrics (section 11.2) on `/metrics`: request counts by method, route template and
//! status, and generation latency.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};

/// The registry and its instruments.
pub struct Metrics {
    registry: Registry,
    /// `api_requests_total{method,endpoint,status}`; `endpoint` is the route template
    /// (`/api/v1/content/{id}`), never the raw path, so ids do not explode cardinality.
    pub requests: IntCounterVec,
    /// `content_generation_duration_seconds{content_type}`.
    pub generation: HistogramVec,
}

impl Metrics {
    /// Creates and registers the instruments.
    pub fn new() -> prometheus::Result<Self> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "api_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "endpoint", "status"],
        )?;
        let generation = HistogramVec::new(
            HistogramOpts::new(
                "content_generation_duration_seconds",
                "Time to generate and store content",
            )
            .buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0]),
            &["content_type"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(generation.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            generation,
        })
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        // Encoding only fails on I/O errors of the writer, which a Vec does not have.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    }
}

/// Middleware counting every request.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_string();
    let endpoint = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let resp = next.run(req).await;
    state
        .metrics
        .requests
        .with_label_values(&[&method, &endpoint, resp.status().as_str()])
        .inc();
    resp
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
