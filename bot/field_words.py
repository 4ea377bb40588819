"""The field's words as descriptions are compared: each Russian word in its dictionary
form (pymorphy3), then the synonym group of ``data/synonyms.csv`` it belongs to, so that
«течёт крыша» and «протекает кровля» or «батарея холодная» and «не греет радиатор» meet.
An English word stands for its own dictionary form.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import pymorphy3

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.csv"
_CYRILLIC = re.compile(r"[а-яё]")
_KNOWN_AT_MOST = 20_000


class FieldWords:
    """``core.duplicates.Lexicon``: a word's dictionary form or its synonym group."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        self._morph = pymorphy3.MorphAnalyzer()
        self._known: dict[str, str] = {}
        self._groups = {
            self._lemma(word): f"<{name}>" for name, words in groups.items() for word in words
        }

    def _lemma(self, word: str) -> str:
        if not _CYRILLIC.search(word):
            return word
        lemma: str = self._morph.parse(word)[0].normal_form
        return lemma.replace("ё", "е")

    def canonical(self, word: str) -> str:
        """The word's synonym group, else the first five letters of its dictionary form:
        the cut joins a word with those made from it («домофон», «домофонная»)."""
        known = self._known.get(word)
        if known is None:
            lemma = self._lemma(word)
            known = self._groups.get(lemma, lemma[:5])
            if len(self._known) >= _KNOWN_AT_MOST:
                self._known.clear()  # residents' words are unbounded; memory is not
            self._known[word] = known
        return known


@functools.cache
def load_field_words(path: Path = SYNONYMS) -> FieldWords:
    """Read once a process: the dictionaries take a while to load and never change."""
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return FieldWords({row["group"]: row["words"].split() for row in rows})
