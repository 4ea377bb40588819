"""Text normalisation shared by training and prediction."""

from __future__ import annotations

import re

_PHONE = re.compile(
    r"(?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b|\b\d{3}-\d{2}-\d{2}\b"
)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
# Latin letters that look like Cyrillic ones, used inside Cyrillic words by some keyboards.
_HOMOGLYPHS = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у"})
_MIXED_WORD = re.compile(r"\b(?=\w*[а-я])(?=\w*[a-z])\w+\b")


def _fix_mixed(match: re.Match[str]) -> str:
    return match.group(0).translate(_HOMOGLYPHS)


def normalize(text: str) -> str:
    """Lower-case, unify ё/е, mask phone numbers and digits, collapse whitespace."""
    text = text.lower().replace("ё", "е").replace("\u00a0", " ")
    text = _MIXED_WORD.sub(_fix_mixed, text)
    text = _PHONE.sub(" тел ", text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def has_content(text: str) -> bool:
    """True when the text contains at least one letter."""
    return any(ch.isalpha() for ch in text)
