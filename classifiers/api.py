"""Python API for the bot.

>>> from classifiers.api import load_model
>>> model = load_model()
>>> model.predict("пахнет газом в подъезде").emergency
True
"""

from __future__ import annotations

import threading
from pathlib import Path

from classifiers.model import ClassifierModel, ModelLoadError, Prediction, load

__all__ = ["DEFAULT_MODEL_PATH", "ClassifierModel", "ModelLoadError", "Prediction", "load_model"]

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "model" / "classifier.skops"

_cache: dict[tuple[Path, int, int], ClassifierModel] = {}
_lock = threading.Lock()


def load_model(path: str | None = None) -> ClassifierModel:
    """Load (and cache) a model; ``None`` means the model shipped with the package.

    The cache is keyed by path, modification time and size, so a retrained file
    is picked up on the next call.  Raises :class:`ModelLoadError` for missing,
    damaged or foreign files.
    """
    resolved = Path(path).resolve() if path is not None else DEFAULT_MODEL_PATH
    try:
        st = resolved.stat()
    except OSError:
        raise ModelLoadError(f"{resolved}: model file not found") from None
    key = (resolved, st.st_mtime_ns, st.st_size)
    with _lock:
        model = _cache.get(key)
        if model is None:
            model = load(resolved)
            _cache[key] = model
        return model
