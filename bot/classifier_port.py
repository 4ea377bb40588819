"""Adapts the trained model of the ``classifiers`` package to the core's port."""

from __future__ import annotations

import logging

from core.classification import Classification, TextClassifier
from core.model import Category

log = logging.getLogger(__name__)
_KNOWN = {c.value for c in Category}


class TrainedClassifier:
    def __init__(self, model: object) -> None:
        self._model = model

    def classify(self, text: str) -> Classification:
        p = self._model.predict(text)  # type: ignore[attr-defined]
        category = p.category if p.category in _KNOWN else Category.OTHER.value
        top = tuple((c, float(s)) for c, s in p.top if c in _KNOWN)
        hazard = p.hazard if isinstance(p.hazard, str) else None
        return Classification(category, float(p.confidence), bool(p.emergency), top, hazard)


def load_classifier(path: str) -> TextClassifier | None:
    """The shipped model (or the one at ``path``); None, logged, when it cannot be loaded:
    the dialogue then asks the problem type with buttons."""
    try:
        from classifiers.api import load_model

        return TrainedClassifier(load_model(path or None))
    except Exception as exc:
        log.warning("classifier not available (%s); problem types will be asked", exc)
        return None
