//! A production-shaped REST server on the ContentOS SDK: the API of design document section 4
//! with authentication, per-user rate limits, field-level validation errors, health checks,
//! Prometheus metrics, gzip and an OpenAPI document.
//!
//! The server never re-implements workspace permissions: every handler passes the verified
//! user to the SDK as an [`Actor`](contentos_core::access::Actor) and the SDK checks the stored
//! role. See `docs/rest-api.md`.

#![warn(missing_docs)]

pub mod app;
pub mod auth;
pub mod errors;
pub mod health;
pub mod metrics;
pub mod openapi;
pub mod ratelimit;
pub mod routes;
pub mod state;

pub use app::{router, serve, state};
pub use state::{AppState, ServerConfig};
