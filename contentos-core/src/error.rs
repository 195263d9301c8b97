//! One error type for the whole engine.
//!
//! Why one enum: every binding (Python, Node, Swift) maps errors to its own exception classes,
//! and a REST server maps them to status codes. Both need a *stable*, finite set of kinds with
//! structured fields (the field that failed validation, how long to wait after a rate limit, the
//! platform's own error code) rather than strings to parse. [`Error::kind`] is that contract.
//!
//! Secrets never appear here: constructors take messages that callers have already redacted, and
//! the HTTP layers strip tokens before building an error.

use std::time::Duration;

/// Result alias used throughout ContentOS.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in ContentOS, with the structured fields a caller needs to react.
///
/// Match on [`Error::kind`] when you only need the category (bindings, HTTP status mapping);
/// match on the variant when you need the fields.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input broke a rule. `field` names the input (`"input"`, `"variations"`, `"parts[2].text"`),
    /// `rule` says what was expected (`"length 10..=5000 characters"`).
    #[error("invalid {field}: {rule}")]
    Validation {
        /// The input that failed, as the caller named it.
        field: String,
        /// The rule it broke, phrased so a user can fix the input.
        rule: String,
    },

    /// The entity does not exist (or is not visible to the caller).
    #[error("{entity} {id} not found")]
    NotFound {
        /// The kind of entity (`"workspace"`, `"content"`, …).
        entity: &'static str,
        /// The id that was looked up.
        id: String,
    },

    /// The actor may not do this: not a member of the workspace, or the role lacks the permission.
    #[error("permission denied: {action} ({reason})")]
    PermissionDenied {
        /// The action that was refused (`"write"`, `"manage_members"`, …).
        action: String,
        /// Why, without leaking other workspaces' data.
        reason: String,
    },

    /// The write conflicts with existing state (duplicate key, illegal status transition, …).
    #[error("conflict: {message}")]
    Conflict {
        /// What conflicted.
        message: String,
    },

    /// An upstream (LLM provider, platform, or this SDK's own limiter) asked us to slow down.
    #[error("rate limited by {service}{}", retry_after.map(|d| format!(", retry after {}s", d.as_secs_f64())).unwrap_or_default())]
    RateLimited {
        /// Who limited us (`"openai"`, `"x"`, `"api"`).
        service: String,
        /// How long to wait before retrying, when the service said so.
        retry_after: Option<Duration>,
    },

    /// A usage quota (per-workspace tier quota, provider `insufficient_quota`, platform daily cap)
    /// is exhausted. Unlike [`Error::RateLimited`], waiting a few seconds does not help.
    #[error("quota exceeded for {service}: {message}")]
    QuotaExceeded {
        /// The quota's owner (`"workspace"`, `"openai"`, `"threads"`).
        service: String,
        /// What was exhausted.
        message: String,
    },

    /// A dependency is down or every fallback was exhausted.
    #[error("{service} unavailable: {message}")]
    Unavailable {
        /// The dependency (`"llm"`, `"postgres"`, `"bluesky"`).
        service: String,
        /// What failed, redacted.
        message: String,
    },

    /// Credentials were refused (bad API key, expired or revoked token) and refreshing did not help.
    #[error("authentication failed for {service}: {message}")]
    Unauthorized {
        /// Who refused (`"openai"`, `"linkedin"`, …).
        service: String,
        /// The provider's reason, redacted.
        message: String,
    },

    /// A social account must be reconnected by its owner before it can publish again.
    #[error("account needs re-authorization on {platform}: {message}")]
    NeedsReauth {
        /// Platform name.
        platform: String,
        /// The platform's reason.
        message: String,
    },

    /// The platform or provider refused permanently; retrying the same request will fail again.
    #[error("{service} rejected the request{}: {message}", code.as_ref().map(|c| format!(" (code {c})")).unwrap_or_default())]
    Rejected {
        /// Platform or provider name.
        service: String,
        /// The service's own error code or subcode, when it gave one.
        code: Option<String>,
        /// The service's message.
        message: String,
    },

    /// A temporary failure (5xx, connection reset, timeout before the request was sent) that is
    /// safe to retry.
    #[error("transient failure at {service}{}: {message}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
    Transient {
        /// Platform or provider name.
        service: String,
        /// HTTP status, when there was one.
        status: Option<u16>,
        /// Provider request id, for support tickets.
        request_id: Option<String>,
        /// What happened.
        message: String,
    },

    /// A create call whose outcome is unknown (timeout after the request was sent). The post may
    /// or may not exist on the platform; it is never retried blindly.
    #[error("publish to {platform} unconfirmed: {message}")]
    Unconfirmed {
        /// Platform name.
        platform: String,
        /// What is known.
        message: String,
    },

    /// The upstream answered with something this SDK cannot interpret (malformed JSON, missing
    /// field). Not retried: the same bytes would come back.
    #[error("unexpected response from {service}: {message}")]
    Protocol {
        /// Platform or provider name.
        service: String,
        /// What was wrong with the response.
        message: String,
    },

    /// An operation took longer than its configured limit.
    #[error("{operation} timed out after {}ms", after.as_millis())]
    Timeout {
        /// What timed out (`"connect"`, `"stream idle"`, …).
        operation: String,
        /// The limit that was hit.
        after: Duration,
    },

    /// The SDK or an adapter is misconfigured (missing key, stale API version such as LinkedIn's
    /// 426 `NONEXISTENT_VERSION`). A human must change configuration.
    #[error("configuration error: {message}")]
    Configuration {
        /// What to change.
        message: String,
    },

    /// The capability is not built in this version; the docs list what is supported.
    #[error("not supported: {feature}")]
    NotSupported {
        /// The missing capability.
        feature: String,
    },

    /// The Store failed (I/O, SQL, migration).
    #[error("storage error: {message}")]
    Storage {
        /// What failed.
        message: String,
    },

    /// Encrypting or decrypting a secret failed (wrong key, tampered ciphertext).
    #[error("crypto error: {message}")]
    Crypto {
        /// What failed, never including key or plaintext material.
        message: String,
    },

    /// A bug or an invariant violation inside ContentOS.
    #[error("internal error: {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
}

/// The stable category of an [`Error`]: what bindings map to exception classes and what a REST
/// server maps to a status code. Adding a kind is a breaking change; adding a variant that maps
/// to an existing kind is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// See [`Error::Validation`].
    Validation,
    /// See [`Error::NotFound`].
    NotFound,
    /// See [`Error::PermissionDenied`].
    PermissionDenied,
    /// See [`Error::Conflict`].
    Conflict,
    /// See [`Error::RateLimited`].
    RateLimited,
    /// See [`Error::QuotaExceeded`].
    QuotaExceeded,
    /// See [`Error::Unavailable`].
    Unavailable,
    /// See [`Error::Unauthorized`].
    Unauthorized,
    /// See [`Error::NeedsReauth`].
    NeedsReauth,
    /// See [`Error::Rejected`].
    Rejected,
    /// See [`Error::Transient`].
    Transient,
    /// See [`Error::Unconfirmed`].
    Unconfirmed,
    /// See [`Error::Protocol`].
    Protocol,
    /// See [`Error::Timeout`].
    Timeout,
    /// See [`Error::Configuration`].
    Configuration,
    /// See [`Error::NotSupported`].
    NotSupported,
    /// See [`Error::Storage`].
    Storage,
    /// See [`Error::Crypto`].
    Crypto,
    /// See [`Error::Internal`].
    Internal,
}

impl ErrorKind {
    /// The kind as a stable snake_case string (`"rate_limited"`), used as the `code` of Node
    /// errors and the `error` field of REST responses.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::NotFound => "not_found",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::QuotaExceeded => "quota_exceeded",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::NeedsReauth => "needs_reauth",
            ErrorKind::Rejected => "rejected",
            ErrorKind::Transient => "transient",
            ErrorKind::Unconfirmed => "unconfirmed",
            ErrorKind::Protocol => "protocol",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Configuration => "configuration",
            ErrorKind::NotSupported => "not_supported",
            ErrorKind::Storage => "storage",
            ErrorKind::Crypto => "crypto",
            ErrorKind::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The stable category of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Validation { .. } => ErrorKind::Validation,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::PermissionDenied { .. } => ErrorKind::PermissionDenied,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::QuotaExceeded { .. } => ErrorKind::QuotaExceeded,
            Error::Unavailable { .. } => ErrorKind::Unavailable,
            Error::Unauthorized { .. } => ErrorKind::Unauthorized,
            Error::NeedsReauth { .. } => ErrorKind::NeedsReauth,
            Error::Rejected { .. } => ErrorKind::Rejected,
            Error::Transient { .. } => ErrorKind::Transient,
            Error::Unconfirmed { .. } => ErrorKind::Unconfirmed,
            Error::Protocol { .. } => ErrorKind::Protocol,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Configuration { .. } => ErrorKind::Configuration,
            Error::NotSupported { .. } => ErrorKind::NotSupported,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Crypto { .. } => ErrorKind::Crypto,
            Error::Internal { .. } => ErrorKind::Internal,
        }
    }

    /// True when retrying the same call later may succeed (rate limits, transient failures,
    /// timeouts, unavailability). Never true for [`Error::Unconfirmed`]: an ambiguous create must
    /// be reconciled, not retried.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. }
                | Error::Transient { .. }
                | Error::Timeout { .. }
                | Error::Unavailable { .. }
        )
    }

    /// The wait the upstream asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Shorthand for [`Error::Validation`].
    pub fn validation(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// Shorthand for [`Error::NotFound`].
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::Storage`].
    pub fn storage(message: impl Into<String>) -> Self {
        Error::Storage {
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::Internal`].
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::NotSupported`].
    pub fn not_supported(feature: impl Into<String>) -> Self {
        Error::NotSupported {
            feature: feature.into(),
        }
    }

    /// Shorthand for [`Error::Configuration`].
    pub fn configuration(message: impl Into<String>) -> Self {
        Error::Configuration {
            message: message.into(),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => Error::NotFound {
                entity: "row",
                id: String::new(),
            },
            sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict {
                message: db.message().to_string(),
            },
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => Error::Conflict {
                message: format!("referenced entity missing: {}", db.message()),
            },
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                Error::Unavailable {
                    service: "store".into(),
                    message: e.to_string(),
                }
            }
            _ => Error::Storage {
                message: e.to_string(),
            },
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Error::Storage {
            message: format!("migration failed: {e}"),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Internal {
            message: format!("serialization: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stable_strings() {
        let e = Error::validation("input", "length 10..=5000 characters");
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.kind().as_str(), "validation");
        assert_eq!(e.to_string(), "invalid input: length 10..=5000 characters");
    }

    #[test]
    fn rate_limit_carries_retry_after() {
        let e = Error::RateLimited {
            service: "x".into(),
            retry_after: Some(Duration::from_secs(7)),
        };
        assert!(e.is_retryable());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert!(e.to_string().contains("retry after 7s"));
    }

    #[test]
    fn unconfirmed_is_never_retryable() {
        let e = Error::Unconfirmed {
            platform: "x".into(),
            message: "timeout after send".into(),
        };
        assert!(!e.is_retryable());
        assert_eq!(e.kind(), ErrorKind::Unconfirmed);
    }
}
