//! The router and how to start a server: state from config, layers (metrics, gzip, tracing).

use crate::auth::{MemoryRefreshTokens, RedisRefreshTokens, RefreshTokens, TokenSigner};
use crate::metrics::{self, Metrics};
use crate::ratelimit::{LocalLimiter, RateLimiter, RedisLimiter};
use crate::routes::{analytics, auth, content, publish, workspaces};
use crate::state::{AppState, ServerConfig};
use crate::{health, openapi};
use axum::routing::{get, post};
use axum::Router;
use contentos_core::{ContentOs, Error, Result};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Builds the shared state: Redis-backed limiter and refresh tokens when `redis_url` is set,
/// in-process ones otherwise.
pub async fn state(os: ContentOs, config: ServerConfig) -> Result<AppState> {
    let signer = Arc::new(TokenSigner::new(&config.jwt_secret));
    let metrics = Arc::new(Metrics::new().map_err(|e| Error::Internal {
        message: format!("metrics registry: {e}"),
    })?);
    let (redis, refresh, limiter): (
        Option<redis::Client>,
        Arc<dyn RefreshTokens>,
        Arc<dyn RateLimiter>,
    ) = match &config.redis_url {
        Some(url) => {
            let client = redis::Client::open(url.as_str()).map_err(|_| {
                Error::configuration("CONTENTOS_REDIS_URL is not a valid Redis URL")
            })?;
            let refresh = RedisRefreshTokens::connect(client.clone(), &config.redis_prefix).await?;
            let limiter = RedisLimiter::connect(
                client.clone(),
                &config.redis_prefix,
                config.requests_per_minute,
            )
            .await?;
            (Some(client), Arc::new(refresh), Arc::new(limiter))
        }
        None => (
            None,
            Arc::new(MemoryRefreshTokens::default()),
            Arc::new(LocalLimiter::new(config.requests_per_minute)),
        ),
    };
    Ok(AppState {
        os,
        config: Arc::new(config),
        signer,
        refresh,
        limiter,
        metrics,
        redis,
    })
}

/// The router with every endpoint and layer.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .route("/metrics", get(metrics::metrics))
        .route("/openapi.json", get(openapi::openapi_json))
        .route("/api/auth/register", post(auth::register))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/refresh", post(auth::refresh))
        .route("/api/auth/logout", post(auth::logout))
        .route(
            "/api/v1/workspaces",
            get(workspaces::list).post(workspaces::create),
        )
        .route("/api/v1/content/generate", post(content::generate))
        .route("/api/v1/content/transform", post(content::transform))
        .route("/api/v1/content/personalize", post(content::personalize))
        .route("/api/v1/content/{id}", get(content::get_content))
        .route("/api/v1/publish/schedule", post(publish::schedule))
        .route("/api/v1/publish/now", post(publish::publish_now))
        .route("/api/v1/analytics/performance", get(analytics::performance))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves on `listener` (bind `127.0.0.1:0` for a free port) until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
