//! LLM providers and the wrappers that compose around them.
