"""The port through which conversations ask a text classifier.

The trained model lives in the top-level ``classifiers`` package; the bot adapts
it to this protocol, so that dialogues never depend on how classification works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Classification:
    category: str
    confidence: float
    emergency: bool
    top: tuple[tuple[str, float], ...] = ()
    #: what the emergency is (gas, fire, electric, flood, sewage, lift, heating, structure,
    #: outdoor), so its advice can match it; None when unknown or not an emergency
    hazard: str | None = None


class TextClassifier(Protocol):
    def classify(self, text: str) -> Classification:  # pragma: no cover - protocol
        ...
