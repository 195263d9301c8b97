//! Cloning an [`Error`] for every waiter of a deduplicated call.
//!
//! Why: [`Error`] is not `Clone` (it is the crate-wide type and some future variant may hold a
//! source), but when 1,000 identical requests share one upstream call, each of them must get the
//! same typed error back, with its fields (retry-after, status, request id) intact.

use crate::Error;

/// A field-for-field copy of `e`.
pub(crate) fn clone_error(e: &Error) -> Error {
    match e {
        Error::Validation { field, rule } => Error::Validation {
            field: field.clone(),
            rule: rule.clone(),
        },
        Error::NotFound { entity, id } => Error::NotFound {
            entity,
            id: id.clone(),
        },
        Error::PermissionDenied { action, reason } => Error::PermissionDenied {
            action: action.clone(),
            reason: reason.clone(),
        },
        Error::Conflict { message } => Error::Conflict {
            message: message.clone(),
        },
        Error::RateLimited {
            service,
            retry_after,
        } => Error::RateLimited {
            service: service.clone(),
            retry_after: *retry_after,
        },
        Error::QuotaExceeded { service, message } => Error::QuotaExceeded {
            service: service.clone(),
            message: message.clone(),
        },
        Error::Unavailable { service, message } => Error::Unavailable {
            service: service.clone(),
            message: message.clone(),
        },
        Error::Unauthorized { service, message } => Error::Unauthorized {
            service: service.clone(),
            message: message.clone(),
        },
        Error::NeedsReauth { platform, message } => Error::NeedsReauth {
            platform: platform.clone(),
            message: message.clone(),
        },
        Error::Rejected {
            service,
            code,
            message,
        } => Error::Rejected {
            service: service.clone(),
            code: code.clone(),
            message: message.clone(),
        },
        Error::Transient {
            service,
            status,
            request_id,
            message,
        } => Error::Transient {
            service: service.clone(),
            status: *status,
            request_id: request_id.clone(),
            message: message.clone(),
        },
        Error::Unconfirmed { platform, message } => Error::Unconfirmed {
            platform: platform.clone(),
            message: message.clone(),
        },
        Error::Protocol { service, message } => Error::Protocol {
            service: service.clone(),
            message: message.clone(),
        },
        Error::Timeout { operation, after } => Error::Timeout {
            operation: operation.clone(),
            after: *after,
        },
        Error::Configuration { message } => Error::Configuration {
            message: message.clone(),
        },
        Error::NotSupported { feature } => Error::NotSupported {
            feature: feature.clone(),
        },
        Error::Storage { message } => Error::Storage {
            message: message.clone(),
        },
        Error::Crypto { message } => Error::Crypto {
            message: message.clone(),
        },
        Error::Internal { message } => Error::Internal {
            message: message.clone(),
        },
    }
}
