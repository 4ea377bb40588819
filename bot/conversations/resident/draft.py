"""What the resident's dialogue keeps: the request being filed, the question asked, and a
question about an existing request awaiting a typed answer."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.conversations.state import (
    AskingState,
    Unreadable,
    items,
    mapping,
    member,
    optional,
    value,
)
from core.model import Category, Urgency

#: Problems urgent by default even when nothing in the words says emergency.
_DEFAULT_URGENT = {Category.ELEVATOR, Category.ROOF_FACADE, Category.DOORS_INTERCOM}
_CATEGORIES = frozenset(c.value for c in Category)


class Step(enum.StrEnum):
    """The question the dialogue is asking; the values are on the wire (``Answer.step``)."""

    BUILDING = "building"
    LOCATION = "location"
    LOCATION_NUMBER = "location_number"
    DESCRIPTION = "description"
    CATEGORY = "category"
    PHOTOS = "photos"
    PHONE = "phone"
    CONFIRM = "confirm"
    INCIDENT = "incident"
    DUPLICATE = "duplicate"
    EDIT = "edit"


class FollowUp(enum.StrEnum):
    """What a resident was asked about one of their requests."""

    COMMENT = "comment"
    REOPEN = "reopen"
    CANCEL = "cancel"


@dataclass(slots=True)
class Suggestion:
    """The classifier's reading of the description."""

    category: str
    confidence: float
    emergency: bool
    top: list[tuple[str, float]]

    @classmethod
    def read(cls, raw: Mapping[str, Any]) -> Suggestion:
        top = []
        for pair in value(raw, "top", list, []):
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise Unreadable("top")
            top.append((_category(pair[0]), value({"p": pair[1]}, "p", float, 0.0)))
        return cls(
            _category(raw.get("category")),
            value(raw, "confidence", float, 0.0),
            value(raw, "emergency", bool, False),
            top,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "confidence": self.confidence,
            "emergency": self.emergency,
            "top": [[c, p] for c, p in self.top],
        }


def _category(raw: object) -> str:
    if not isinstance(raw, str) or raw not in _CATEGORIES:
        raise Unreadable("category")
    return raw


@dataclass(slots=True)
class Draft:
    """The request being filed: only what the resident has said so far."""

    building_id: int | None = None
    #: ``Location.encode()`` of the place, once known.
    location: str | None = None
    #: The numbered kind (apartment, entrance) whose number is being asked.
    location_kind: str | None = None
    #: The floor already named while the entrance of that floor (or of its lift or
    #: stairwell) is asked.
    location_floor: int | None = None
    description: str | None = None
    suggest: Suggestion | None = None
    #: The classifier or the rules found an emergency in the words (the resident cannot
    #: take it back).
    emergency: bool = False
    #: The resident marked it an emergency at the summary (and may take the mark back).
    resident_emergency: bool = False
    category: str | None = None
    #: The resident turned the guess down (or asked to edit): show every type.
    all_categories: bool = False
    photos: list[str] = field(default_factory=list)
    photos_done: bool = False
    phone: str = ""
    phone_done: bool = False
    #: Outages and open requests for the same problem were looked up once.
    shared_checked: bool = False
    incident_id: int | None = None
    duplicate_ids: list[int] = field(default_factory=list)
    #: The resident's answers declining those (``core.offers``): the request filed from
    #: this draft is what they meant instead.
    declined_offers: list[int] = field(default_factory=list)

    @property
    def urgency(self) -> Urgency:
        """What the words make of it; the resident's own mark goes to filing apart, as theirs."""
        if self.emergency:
            return Urgency.EMERGENCY
        if self.category is not None and Category(self.category) in _DEFAULT_URGENT:
            return Urgency.URGENT
        return Urgency.NORMAL

    @classmethod
    def read(cls, raw: Mapping[str, Any]) -> Draft:
        suggest = mapping(raw, "suggest")
        category = raw.get("category")
        return cls(
            building_id=optional(raw, "building_id", int),
            location=optional(raw, "location", str),
            location_kind=optional(raw, "location_kind", str),
            location_floor=optional(raw, "location_floor", int),
            description=optional(raw, "description", str),
            suggest=Suggestion.read(suggest) if suggest else None,
            emergency=value(raw, "emergency", bool, False),
            resident_emergency=value(raw, "resident_emergency", bool, False),
            category=None if category is None else _category(category),
            all_categories=value(raw, "all_categories", bool, False),
            photos=items(raw, "photos", str),
            photos_done=value(raw, "photos_done", bool, False),
            phone=value(raw, "phone", str, ""),
            phone_done=value(raw, "phone_done", bool, False),
            shared_checked=value(raw, "shared_checked", bool, False),
            incident_id=optional(raw, "incident_id", int),
            duplicate_ids=items(raw, "duplicate_ids", int),
            declined_offers=items(raw, "declined_offers", int),
        )

    def to_json(self) -> dict[str, Any]:
        saved: dict[str, Any] = {}
        for key, known in (
            ("building_id", self.building_id),
            ("location", self.location),
            ("location_kind", self.location_kind),
            ("location_floor", self.location_floor),
            ("description", self.description),
            ("category", self.category),
            ("incident_id", self.incident_id),
        ):
            if known is not None:
                saved[key] = known
        for key, flag in (
            ("emergency", self.emergency),
            ("resident_emergency", self.resident_emergency),
            ("all_categories", self.all_categories),
            ("photos_done", self.photos_done),
            ("phone_done", self.phone_done),
            ("shared_checked", self.shared_checked),
        ):
            if flag:
                saved[key] = True
        if self.suggest is not None:
            saved["suggest"] = self.suggest.to_json()
        if self.photos:
            saved["photos"] = list(self.photos)
        if self.phone:
            saved["phone"] = self.phone
        if self.duplicate_ids:
            saved["duplicate_ids"] = list(self.duplicate_ids)
        if self.declined_offers:
            saved["declined_offers"] = list(self.declined_offers)
        return saved


@dataclass(slots=True)
class ResidentState(AskingState[FollowUp]):
    QUESTIONS = FollowUp

    step: Step | None = None
    draft: Draft = field(default_factory=Draft)

    def read(self, raw: Mapping[str, Any]) -> None:
        AskingState.read(self, raw)
        self.step = member(raw, "step", Step)
        draft = mapping(raw, "draft")
        self.draft = Draft.read(draft) if draft else Draft()

    def to_json(self) -> dict[str, Any]:
        saved = AskingState.to_json(self)
        if self.step is not None:
            saved["step"] = self.step.value
        saved["draft"] = self.draft.to_json()
        return saved

    def restart(self) -> None:
        """Forget the request being filed and any question asked."""
        self.step = None
        self.pending = None
        self.draft = Draft()
