//! `contentos_core::Error` → a Swift `Error` enum with the structured fields of the common
//! kinds; every case carries `code` (the SDK's `ErrorKind` string) where it is not implied.

use contentos_core::Error;

/// Errors thrown by every ContentOS call from Swift.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ContentOsError {
    /// Input broke a rule: `field` names the input, `rule` what it must satisfy.
    #[error("{message}")]
    Validation {
        /// The offending input.
        field: String,
        /// The rule it broke.
        rule: String,
        /// Human-readable message.
        message: String,
    },
    /// The entity does not exist (or is not visible).
    #[error("{message}")]
    NotFound {
        /// Entity kind (`"content"`, …).
        entity: String,
        /// Its id.
        id: String,
        /// Human-readable message.
        message: String,
    },
    /// The actor lacks the permission.
    #[error("{message}")]
    PermissionDenied {
        /// Human-readable message.
        message: String,
    },
    /// A service rate-limited the call; retry after `retry_after_seconds` when known.
    #[error("{message}")]
    RateLimited {
        /// The service.
        service: String,
        /// Seconds to wait, when the service said.
        retry_after_seconds: Option<f64>,
        /// Human-readable message.
        message: String,
    },
    /// Credentials were refused.
    #[error("{message}")]
    Unauthorized {
        /// The service.
        service: String,
        /// Human-readable message.
        message: String,
    },
    /// The account's credentials were refused for good: the owner must reconnect it.
    #[error("{message}")]
    NeedsReauth {
        /// The platform (`"bluesky"`, …).
        platform: String,
        /// Human-readable message.
        message: String,
    },
    /// A publish may or may not have gone through: check the platform before retrying.
    #[error("{message}")]
    Unconfirmed {
        /// The platform.
        platform: String,
        /// Human-readable message.
        message: String,
    },
    /// Any other kind: `code` is the `ErrorKind` string (`"unavailable"`, `"transient"`, …).
    #[error("{message}")]
    Other {
        /// The error kind.
        code: String,
        /// Human-readable message.
        message: String,
    },
}

impl From<Error> for ContentOsError {
    fn from(err: Error) -> Self {
        let message = err.to_string();
        match err {
            Error::Validation { field, rule } => ContentOsError::Validation {
                field,
                rule,
                message,
            },
            Error::NotFound { entity, id } => ContentOsError::NotFound {
                entity: entity.to_string(),
                id,
                message,
            },
            Error::PermissionDenied { .. } => ContentOsError::PermissionDenied { message },
            Error::RateLimited {
                service,
                retry_after,
                ..
            } => ContentOsError::RateLimited {
                service: service.to_string(),
                retry_after_seconds: retry_after.map(|d| d.as_secs_f64()),
                message,
            },
            Error::Unauthorized { service, .. } => ContentOsError::Unauthorized {
                service: service.to_string(),
                message,
            },
            Error::NeedsReauth { platform, .. } => {
                ContentOsError::NeedsReauth { platform, message }
            }
            Error::Unconfirmed { platform, .. } => {
                ContentOsError::Unconfirmed { platform, message }
            }
            other => ContentOsError::Other {
                code: other.kind().as_str().to_string(),
                message,
            },
        }
    }
}

/// Shorthand for binding results.
pub type Result<T> = std::result::Result<T, ContentOsError>;
