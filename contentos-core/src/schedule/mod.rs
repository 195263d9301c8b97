//! Durable publish queue and workers.
