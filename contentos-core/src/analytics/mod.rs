//! Metrics collection, engagement rates and insights.
