//! Shared helpers for the ContentOS criterion benchmarks.
//!
//! The benchmarks themselves live beside this file as `[[bench]]` targets; figures and how to
//! reproduce them are in `docs/benchmarks.md`.
