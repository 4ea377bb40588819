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

_cache: dict[Path, ClassifierModel] = {}
_lock = threading.Lock()


def load_model(path: str | None = None) -> ClassifierModel:
    """Load (and cache) a model; ``None`` means the model shipped with the package."""
    resolved = Path(path).resolve() if path is not None else DEFAULT_MODEL_PATH
    with _lock:
        model = _cache.get(resolved)
        if model is None:
            model = load(resolved)
            _cache[resolved] = model
        return model
