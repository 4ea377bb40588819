"""What every dialogue keeps between turns, typed, and its JSON form in ``conversations.state``.

Each role's dialogue extends :class:`DialogueState` with its own fields.  The JSON keeps
the shape the dialogues have always stored (omitting what is at its default), so a state
saved before a deploy resumes after it.  A stored state that cannot be read is not an
error of the turn: :meth:`DialogueState.load` keeps what it can (the language) and says
so, and the dialogue starts again.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Self, TypeVar

from bot import texts

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


class Unreadable(ValueError):
    """A stored state (or a part of it) that this code cannot read."""


def _checked(found: object, key: str, kind: type[T]) -> T:
    if kind is float and isinstance(found, int) and not isinstance(found, bool):
        found = float(found)
    if not isinstance(found, kind) or (kind is not bool and isinstance(found, bool)):
        raise Unreadable(key)
    return found


def value(raw: Mapping[str, Any], key: str, kind: type[T], default: T) -> T:
    """``raw[key]`` if it is a ``kind`` (an int is a float too, a bool is no int), else
    :class:`Unreadable`; ``default`` when the key is absent or null."""
    found = raw.get(key)
    return default if found is None else _checked(found, key, kind)


def optional(raw: Mapping[str, Any], key: str, kind: type[T]) -> T | None:
    """``raw[key]`` if it is a ``kind``, None when absent or null, else :class:`Unreadable`."""
    found = raw.get(key)
    return None if found is None else _checked(found, key, kind)


def items(raw: Mapping[str, Any], key: str, kind: type[T]) -> list[T]:
    """A list of ``kind`` (a fresh one: the turn changes it, the stored one must not)."""
    return [_checked(v, key, kind) for v in value(raw, key, list, [])]


def mapping(raw: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    """``raw[key]`` if it is an object, None when absent or null, else :class:`Unreadable`."""
    found = raw.get(key)
    if found is None:
        return None
    if not isinstance(found, Mapping):
        raise Unreadable(key)
    return found


def member(raw: Mapping[str, Any], key: str, kind: type[E]) -> E | None:
    """An enum member by its stored value; None when absent."""
    found = optional(raw, key, str)
    if found is None:
        return None
    try:
        return kind(found)
    except ValueError:
        raise Unreadable(key) from None


@dataclass(slots=True)
class DialogueState:
    """The language a person chose here and whether they were greeted."""

    lang: str = ""
    greeted: bool = False

    @classmethod
    def load(cls, raw: object) -> tuple[Self, bool]:
        """The state stored as ``raw``, and whether it was read whole.  An unreadable one
        keeps only its language (to apologise in it) and the greeting already given."""
        if not raw:
            return cls(), True
        if not isinstance(raw, Mapping):
            return cls(), False
        try:
            return cls.from_json(raw), True
        except Unreadable:
            pass
        lang = raw.get("lang")
        if not isinstance(lang, str) or lang not in texts.LANGUAGES:
            lang = ""
        return cls(lang=lang, greeted=raw.get("greeted") is True), False

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Self:
        state = cls()
        state.read(raw)
        return state

    def read(self, raw: Mapping[str, Any]) -> None:
        """Take this class's fields from ``raw`` (subclasses read theirs after these)."""
        lang = value(raw, "lang", str, "")
        if lang and lang not in texts.LANGUAGES:
            raise Unreadable("lang")
        self.lang = lang
        self.greeted = value(raw, "greeted", bool, False)

    def to_json(self) -> dict[str, Any]:
        saved: dict[str, Any] = {}
        if self.lang:
            saved["lang"] = self.lang
        if self.greeted:
            saved["greeted"] = True
        return saved


@dataclass(slots=True)
class Pending(Generic[E]):
    """A question a person was asked about one request, awaiting their typed answer."""

    op: E
    request_id: int
    #: A technician's report collects photos and text over several messages.
    photos: list[str] = field(default_factory=list)
    text: str = ""

    @classmethod
    def read(cls, raw: Mapping[str, Any], ops: type[E]) -> Pending[E] | None:
        found = mapping(raw, "pending")
        if not found:
            return None
        op = member(found, "op", ops)
        request_id = optional(found, "rid", int)
        if op is None or request_id is None:
            raise Unreadable("pending")
        return cls(op, request_id, items(found, "photos", str), value(found, "text", str, ""))

    def to_json(self) -> dict[str, Any]:
        saved: dict[str, Any] = {"op": self.op.value, "rid": self.request_id}
        if self.photos:
            saved["photos"] = list(self.photos)
        if self.text:
            saved["text"] = self.text
        return saved


@dataclass(slots=True)
class AskingState(DialogueState, Generic[E]):
    """A dialogue that may wait for a typed answer to a question about one request."""

    #: The questions the role asks (each role's subclass names its enum).
    QUESTIONS: ClassVar[type[Any]]

    pending: Pending[E] | None = None

    def read(self, raw: Mapping[str, Any]) -> None:
        DialogueState.read(self, raw)
        self.pending = Pending.read(raw, self.QUESTIONS)

    def to_json(self) -> dict[str, Any]:
        saved = DialogueState.to_json(self)
        if self.pending is not None:
            saved["pending"] = self.pending.to_json()
        return saved
