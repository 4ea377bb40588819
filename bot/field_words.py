"""The field's words as descriptions are compared: each Russian word in its dictionary
form (pymorphy3), then the synonym group of ``data/synonyms.csv`` it belongs to, so that
«течёт крыша» and «протекает кровля» or «батарея холодная» and «не греет радиатор» meet.
An English word stands for its own dictionary form.  A word names a thing when its group
says so, else when it is a Russian noun other than a person's name («розетка», «качели»;
«засор», «грязь» belong to groups of states).  A word states a fault when its group is
one of states, else when it is a Russian verb, participle or predicative («течёт»,
«сломан», «искрит»); denied («не горит», «не открывается») or as a bare «нет», such a
word outside the groups says that a thing does not work, the state of ``FAILURE``.
Russian typed in Latin letters («lift ne edet») is read in Cyrillic first, as the
classifier reads it.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import pymorphy3

from classifiers.text import from_latin

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.csv"
#: The group whose state is "does not work": where a denied word outside the groups falls.
FAILURE = "broken"
_CYRILLIC = re.compile(r"[а-яё]")
_KNOWN_AT_MOST = 20_000
#: Parts of speech that state something of a thing rather than name it or qualify it:
#: verbs, infinitives, participles, gerunds, short adjectives, predicatives and adverbs
#: («темно», «грязно» are tagged adverbs).
_STATING = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND", "ADJS", "PRED", "ADVB"})
#: Grammemes of first names, surnames and patronymics.
_NAMES = ("Name", "Surn", "Patr")
#: Words that alone say a thing is absent: «нет света», «без отопления».
_ABSENT = frozenset({"нет", "без", "no", "without"})


class FieldWords:
    """``core.duplicates.Lexicon``: a word's dictionary form or its synonym group."""

    def __init__(self, groups: dict[str, list[str]], kinds: dict[str, str] | None = None) -> None:
        """``groups``: each group's words by its name; ``kinds``: each group's kind by its
        name ("thing", "state" or "scene"; a group not named there is a state)."""
        self._morph = pymorphy3.MorphAnalyzer()
        self._known: dict[str, str] = {}
        self._roles: dict[str, str] = {}
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
        return self._role(word) == "thing"

    def sets_scene(self, word: str) -> bool:
        return self._kinds.get(self.canonical(word)) == "scene"

    def state(self, word: str, denied: bool) -> str | None:
        group = self.canonical(word)
        if group.startswith("<"):
            return group if self._kinds.get(group, "state") == "state" else None
        if word in _ABSENT:
            return f"<{FAILURE}>"
        if self._role(word) != "state":
            return None
        return f"<{FAILURE}>" if denied else group

    def _role(self, word: str) -> str:
        """What a word outside the groups does by its part of speech: "thing", "state" or
        nothing ("")."""
        role = self._roles.get(word)
        if role is None:
            tag = self._morph.parse(word)[0].tag if _CYRILLIC.search(word) else None
            role = ""
            if tag is not None and tag.POS == "NOUN":
                # A person's name («Иван Петров» signing a message) is nothing broken.
                role = "" if any(g in tag for g in _NAMES) else "thing"
            elif tag is not None and tag.POS in _STATING:
                role = "state"
            if len(self._roles) >= _KNOWN_AT_MOST:
                self._roles.clear()
            self._roles[word] = role
        return role

    def readable(self, text: str) -> str:
        return from_latin(text.lower())

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
