import os
from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple, Union, overload

import numpy as np
import numpy.typing as npt

from . import errors as errors
from ._native import BlueskyPublisher as BlueskyPublisher
from ._native import ContentOS as ContentOS
from ._native import GenerateStream as GenerateStream
from ._native import MastodonPublisher as MastodonPublisher
from ._native import Model as Model
from ._native import __version__ as __version__
from .errors import ConfigurationError as ConfigurationError
from .errors import ConflictError as ConflictError
from .errors import ContentOSError as ContentOSError
from .errors import CryptoError as CryptoError
from .errors import InternalError as InternalError
from .errors import NeedsReauthError as NeedsReauthError
from .errors import NotFoundError as NotFoundError
from .errors import NotSupportedError as NotSupportedError
from .errors import OperationTimeoutError as OperationTimeoutError
from .errors import PermissionDeniedError as PermissionDeniedError
from .errors import ProtocolError as ProtocolError
from .errors import QuotaExceededError as QuotaExceededError
from .errors import RateLimitError as RateLimitError
from .errors import RejectedError as RejectedError
from .errors import StorageError as StorageError
from .errors import TransientError as TransientError
from .errors import UnauthorizedError as UnauthorizedError
from .errors import UnavailableError as UnavailableError
from .errors import UnconfirmedPublishError as UnconfirmedPublishError
from .errors import ValidationError as ValidationError
from .errors import from_native as from_native

__all__ = [
    "score_posts",
    "features",
    "feature_names",
    "load_model",
    "Model",
    "ContentOS",
    "GenerateStream",
    "BlueskyPublisher",
    "MastodonPublisher",
    "errors",
    "__version__",
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

Texts = Union[Sequence[str], Any]
_Scores = npt.NDArray[np.float64]
_Factors = List[List[Dict[str, Any]]]
_ModelArg = Union[None, str, os.PathLike[str], Model]

def load_model(path: Union[str, os.PathLike[str]]) -> Model: ...
@overload
def score_posts(
    texts: Texts,
    platform: str = ...,
    posted_at: Any = ...,
    model: _ModelArg = ...,
    explain: Literal[False] = ...,
    progress: Any = ...,
    *,
    timezone: Optional[str] = ...,
    chunk_size: int = ...,
) -> _Scores: ...
@overload
def score_posts(
    texts: Texts,
    platform: str = ...,
    posted_at: Any = ...,
    model: _ModelArg = ...,
    *,
    explain: Literal[True],
    progress: Any = ...,
    timezone: Optional[str] = ...,
    chunk_size: int = ...,
) -> Tuple[_Scores, _Factors]: ...
def features(
    texts: Texts, platform: str = "twitter", posted_at: Any = None, *, timezone: Optional[str] = None
) -> Dict[str, npt.NDArray[np.float64]]: ...
def feature_names() -> List[str]: ...
