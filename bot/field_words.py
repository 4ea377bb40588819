"""The field's words as descriptions are compared: each Russian word in its dictionary
form (pymorphy3), then the synonym group of ``data/synonyms.csv`` it belongs to, so that
«течёт крыша» and «протекает кровля» or «батарея холодная» and «не греет радиатор» meet.
An English word stands for its own dictionary form.  A word names a thing when its group
says so, else when it is a Russian noun («розетка», «качели»; «засор», «грязь» belong to
groups of states).
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

    def __init__(self, groups: dict[str, list[str]], kinds: dict[str, str] | None = None) -> None:
        """``groups``: each group's words by its name; ``kinds``: each group's kind by its
        name ("thing", "state" or "scene"; a group not named there is a state)."""
        self._morph = pymorphy3.MorphAnalyzer()
        self._known: dict[str, str] = {}
        self._nouns: dict[str, bool] = {}
        self._groups = {
            self._lemma(word): f"<{name}>" for name, words in groups.items() for word in words
        }
        self._kinds = {f"<{name}>": kind for name, kind in (kinds or {}).items()}

    def _lemma(self, word: str) -> str:
        if not _CYRILLIC.search(word):
            return word
        lemma: str = self._morph.parse(word)[0].normal_form
        return lemma.replace("ё", "е")

    def names_thing(self, word: str) -> bool:
        group = self.canonical(word)
        if group.startswith("<"):
            return self._kinds.get(group) == "thing"
        noun = self._nouns.get(word)
        if noun is None:
            noun = bool(_CYRILLIC.search(word)) and self._morph.parse(word)[0].tag.POS == "NOUN"
            if len(self._nouns) >= _KNOWN_AT_MOST:
                self._nouns.clear()
            self._nouns[word] = noun
        return noun

    def sets_scene(self, word: str) -> bool:
        return self._kinds.get(self.canonical(word)) == "scene"

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
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return FieldWords(
        {row["group"]: row["words"].split() for row in rows},
        {row["group"]: row["kind"] for row in rows},
    )
