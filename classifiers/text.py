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


_WORD = re.compile(r"[а-я]{5,}|[a-z]{5,}")
_ALPHABETS = ("абвгдежзийклмнопрстуфхцчшщъыьэюя", "abcdefghijklmnopqrstuvwxyz")


def _one_edit(word: str) -> set[str]:
    """Words one letter dropped, doubled-in or swapped away.  Not one letter replaced:
    that turns real words into other real words (залипает -> заливает, сорвали -> сорвало)."""
    alphabet = _ALPHABETS[0] if "а" <= word[0] <= "я" else _ALPHABETS[1]
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b for a, b in splits for c in alphabet}
    return out


def fix_typos(normalized: str, common: dict[str, float]) -> str:
    """Replace each word of five letters or more that is not among ``common`` words by the
    most common of them one edit away (:func:`_one_edit`; ``common`` maps a word to its
    rarity, lower is more common), so that rules keyed on exact stems still read
    «пахет газом» as «пахнет газом»."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in common:
            return word
        # the last letter carries the grammar: гарит is not гари
        near = [w for w in _one_edit(word) if w in common and w[-1] == word[-1]]
        return min(near, key=lambda w: (common[w], w)) if near else word

    return _WORD.sub(fix, normalized)
