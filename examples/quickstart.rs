//! Quickstart: placeholder until the facade lands.
fn main() {}
