"""ContentOS exceptions.

Every error raised by the SDK is a :class:`ContentOSError` subclass chosen by the Rust
``ErrorKind``; each carries ``.kind`` (``"validation"``, ``"rate_limited"``, ...) and the
structured fields of that kind (``field``/``rule``, ``retry_after``, ``code``, ...).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "ContentOSError",
    "ValidationError",
    "NotFoundError",
    "PermissionDeniedError",
    "ConflictError",
    "RateLimitError",
    "QuotaExceededError",
    "UnavailableError",
    "UnauthorizedError",
    "NeedsReauthError",
    "RejectedError",
    "TransientError",
    "UnconfirmedPublishError",
    "ProtocolError",
    "OperationTimeoutError",
    "ConfigurationError",
    "NotSupportedError",
    "StorageError",
    "CryptoError",
    "InternalError",
    "from_native",
]


class ContentOSError(Exception):
    """Base class of every ContentOS error."""

    kind: str = "internal"

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields: Dict[str, Any] = dict(fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, self.fields))


def _rebuild(cls: Type[ContentOSError], message: str, fields: Dict[str, Any]) -> ContentOSError:
    return cls(message, **fields)


class ValidationError(ContentOSError):
    """An input broke a rule; ``field`` names the input and ``rule`` the rule."""

    kind = "validation"
    field: str
    rule: str


class NotFoundError(ContentOSError):
    """The ``entity`` with ``id`` does not exist (or is not visible to the caller)."""

    kind = "not_found"
    entity: str
    id: str


class PermissionDeniedError(ContentOSError):
    """The actor may not perform ``action``; ``reason`` says why."""

    kind = "permission_denied"
    action: str
    reason: str


class ConflictError(ContentOSError):
    """The change conflicts with the current state."""

    kind = "conflict"


class RateLimitError(ContentOSError):
    """``service`` rate-limited the call; retry after ``retry_after`` seconds when known."""

    kind = "rate_limited"
    service: str
    retry_after: Optional[float]


class QuotaExceededError(ContentOSError):
    """A quota of ``service`` is exhausted."""

    kind = "quota_exceeded"
    service: str


class UnavailableError(ContentOSError):
    """A dependency (``service``) is down."""

    kind = "unavailable"
    service: str


class UnauthorizedError(ContentOSError):
    """``service`` refused the credentials."""

    kind = "unauthorized"
    service: str


class NeedsReauthError(ContentOSError):
    """The account on ``platform`` must be connected again."""

    kind = "needs_reauth"
    platform: str


class RejectedError(ContentOSError):
    """``service`` refused the content; ``code`` is its own error code when given."""

    kind = "rejected"
    service: str
    code: Optional[str]


class TransientError(ContentOSError):
    """A temporary failure of ``service`` (HTTP ``status`` when there was one); retry."""

    kind = "transient"
    service: str
    status: Optional[int]


class UnconfirmedPublishError(ContentOSError):
    """A publish to ``platform`` may or may not have happened; check before retrying."""

    kind = "unconfirmed"
    platform: str


class ProtocolError(ContentOSError):
    """``service`` answered something the SDK does not understand."""

    kind = "protocol"
    service: str


class OperationTimeoutError(ContentOSError):
    """``operation`` timed out after ``after`` seconds (does not shadow the builtin)."""

    kind = "timeout"
    operation: str
    after: float


class ConfigurationError(ContentOSError):
    """The SDK is misconfigured (missing key, bad URL, ...)."""

    kind = "configuration"


class NotSupportedError(ContentOSError):
    """``feature`` is not available."""

    kind = "not_supported"
    feature: str


class StorageError(ContentOSError):
    """The database failed."""

    kind = "storage"


class CryptoError(ContentOSError):
    """Sealing or opening a secret failed."""

    kind = "crypto"


class InternalError(ContentOSError):
    """A bug in ContentOS."""

    kind = "internal"


_BY_KIND: Dict[str, Type[ContentOSError]] = {
    cls.kind: cls
    for cls in (
        ValidationError,
        NotFoundError,
        PermissionDeniedError,
        ConflictError,
        RateLimitError,
        QuotaExceededError,
        UnavailableError,
        UnauthorizedError,
        NeedsReauthError,
        RejectedError,
        TransientError,
        UnconfirmedPublishError,
        ProtocolError,
        OperationTimeoutError,
        ConfigurationError,
        NotSupportedError,
        StorageError,
        CryptoError,
        InternalError,
    )
}


def from_native(kind: str, message: str, fields: Dict[str, Any]) -> ContentOSError:
    """Builds the exception for an SDK error (called by the native module)."""
    return _BY_KIND.get(kind, InternalError)(message, **fields)
