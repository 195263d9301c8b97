//! The generation pipeline: generate, transform, personalize.
