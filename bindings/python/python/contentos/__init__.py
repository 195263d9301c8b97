"""ContentOS for Python: engagement scoring, the content pipeline client and publishers.

Quick start::

    import contentos
    scores = contentos.score_posts(["Ship it! 🚀", "Read our guide: https://x.io"])
"""

from __future__ import annotations

import datetime as _dt
import os as _os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as _np

from . import errors
from ._native import (
    BlueskyPublisher,
    ContentOS,
    GenerateStream,
    MastodonPublisher,
    Model,
    __version__,
)
from ._native import feature_schema as _feature_schema
from ._native import features as _features
from ._native import score_posts as _score_posts
from .errors import *  # noqa: F401,F403

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
] + list(errors.__all__)

Texts = Union[Sequence[str], Any]
"""A list of str, a NumPy array of str/object, or a pandas Series."""

_models: Dict[Tuple[str, float], Model] = {}


def load_model(path: Union[str, "_os.PathLike[str]"]) -> Model:
    """Loads an XGBoost JSON model (saved by Python xgboost); cached per path and mtime."""
    p = _os.fspath(path)
    key = (_os.path.abspath(p), _os.path.getmtime(p))
    model = _models.get(key)
    if model is None:
        model = Model.load(p)
        _models[key] = model
    return model


def _texts(texts: Texts) -> List[str]:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of str, not a single str")
    if hasattr(texts, "tolist"):  # NumPy arrays, pandas Series / Index
        texts = texts.tolist()
    elif not isinstance(texts, list):
        texts = list(texts)
    return texts


def _epoch(value: Any) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, str):
        value = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, _np.datetime64):
        if _np.isnat(value):
            return None
        return float(value.astype("datetime64[ms]").astype("int64")) / 1000.0
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.timestamp()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return _epoch(value.to_pydatetime())
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"posted_at: cannot interpret {type(value).__name__} as a time")


def _posted_at(posted_at: Any, n: int) -> Union[None, float, List[Optional[float]]]:
    if posted_at is None:
        return None
    if isinstance(posted_at, (str, _dt.datetime, _np.datetime64)) or hasattr(posted_at, "to_pydatetime"):
        return _epoch(posted_at)  # one instant for every post
    if isinstance(posted_at, _np.ndarray) and _np.issubdtype(posted_at.dtype, _np.datetime64):
        ms = posted_at.astype("datetime64[ms]")
        return [None if _np.isnat(v) else float(v.astype("int64")) / 1000.0 for v in ms]
    return [_epoch(v) for v in posted_at]


def _progress(progress: Any) -> Optional[Callable[[int, int], Any]]:
    """A ``(done, total)`` callable, or a tqdm-like bar (``.update(n)``) driven by increments."""
    if progress is None or callable(progress):
        return progress
    if hasattr(progress, "update"):
        bar = progress
        seen = [0]

        def update(done: int, total: int) -> None:
            if getattr(bar, "total", None) is None:
                bar.total = total
            bar.update(done - seen[0])
            seen[0] = done

        return update
    raise TypeError("progress must be a callable(done, total) or have an update(n) method")


def score_posts(
    texts: Texts,
    platform: str = "twitter",
    posted_at: Any = None,
    model: Union[None, str, "_os.PathLike[str]", Model] = None,
    explain: bool = False,
    progress: Any = None,
    *,
    timezone: Optional[str] = None,
    chunk_size: int = 16384,
) -> Any:
    """Predicted engagement (0-100) per post as a float64 NumPy array.

    ``texts``: list, NumPy array or pandas Series of str. ``posted_at``: one time for all posts
    or one per post (datetime, ISO string, numpy datetime64; naive means UTC; None = now).
    ``model``: path of an XGBoost JSON model or a :class:`Model` (default: built-in).
    ``explain=True`` returns ``(scores, factors)`` with the top factors per post.
    ``progress(done, total)`` is called after each chunk (``chunk_size`` posts); a tqdm bar
    (anything with ``update(n)``) can be passed directly. The GIL is released while scoring and
    large batches use all cores.
    """
    items = _texts(texts)
    if model is not None and not isinstance(model, Model):
        model = load_model(model)
    scores, factors = _score_posts(
        items,
        platform,
        _posted_at(posted_at, len(items)),
        timezone,
        model,
        explain,
        _progress(progress),
        chunk_size,
    )
    if explain:
        return scores, factors
    return scores


def features(
    texts: Texts,
    platform: str = "twitter",
    posted_at: Any = None,
    *,
    timezone: Optional[str] = None,
) -> Dict[str, Any]:
    """Feature columns (schema ``contentos-features/1``) as ``{name: float64 array}``;
    ``pandas.DataFrame(contentos.features(texts))`` gives one row per post."""
    items = _texts(texts)
    return _features(items, platform, _posted_at(posted_at, len(items)), timezone)


def feature_names() -> List[str]:
    """Feature names in model order."""
    return [name for name, _ in _feature_schema()[1]]
