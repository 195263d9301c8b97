//! `contentos-rest`: runs the REST example server.
//!
//! Environment: `CONTENTOS_DATABASE_URL` (default `sqlite://contentos.db`), `CONTENTOS_JWT_SECRET`
//! (≥ 32 bytes; required), `CONTENTOS_REDIS_URL` (optional), `CONTENTOS_BIND` (default
//! `127.0.0.1:8080`), `CONTENTOS_INSECURE_COOKIES=1` for plain-HTTP development,
//! `CONTENTOS_RATE_LIMIT_PER_MINUTE` (default 100; raise it for load tests), plus the LLM
//! variables of `contentos_core::llm::from_env` (`OPENAI_API_KEY`, `CONTENTOS_LLM_BASE_URL`, …).

use contentos_core::ContentOs;
use contentos_rest::{serve, state, ServerConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let secret = std::env::var("CONTENTOS_JWT_SECRET").unwrap_or_default();
    if secret.len() < 32 {
        return Err("set CONTENTOS_JWT_SECRET to at least 32 random bytes".into());
    }
    let db =
        std::env::var("CONTENTOS_DATABASE_URL").unwrap_or_else(|_| "sqlite://contentos.db".into());
    let os = ContentOs::builder()
        .url(&db)
        .llm_opt(contentos_core::llm::from_env()?)
        .execute()
        .await?;
    let mut config = ServerConfig::new(secret.into_bytes());
    config.redis_url = std::env::var("CONTENTOS_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    config.secure_cookies = std::env::var("CONTENTOS_INSECURE_COOKIES").as_deref() != Ok("1");
    if let Some(n) = std::env::var("CONTENTOS_RATE_LIMIT_PER_MINUTE")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
    {
        config.requests_per_minute = n;
    }
    let bind = std::env::var("CONTENTOS_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    tracing::info!(addr = %listener.local_addr()?, "contentos-rest listening");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve(listener, state(os, config).await?, shutdown).await?;
    Ok(())
}
