"""Domain vocabulary: roles, statuses, categories, urgencies, locations."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Role(enum.StrEnum):
    RESIDENT = "resident"
    TECHNICIAN = "technician"
    DISPATCHER = "dispatcher"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.RESIDENT


class Status(enum.StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    POSTPONED = "postponed"
    CANNOT_DO = "cannot_do"
    DONE = "done"
    REOPENED = "reopened"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self not in FINAL_STATUSES


FINAL_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.CANCELLED})


class Urgency(enum.StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    NORMAL = "normal"


class Category(enum.StrEnum):
    """Problem types; the slugs are shared with the classifier's taxonomy."""

    WATER = "water"
    SEWERAGE = "sewerage"
    HEATING = "heating"
    ELECTRICITY = "electricity"
    ELEVATOR = "elevator"
    DOORS_INTERCOM = "doors_intercom"
    CLEANING = "cleaning"
    WASTE = "waste"
    TERRITORY = "territory"
    ROOF_FACADE = "roof_facade"
    GAS = "gas"
    PESTS = "pests"
    BILLING = "billing"
    OTHER = "other"


class LocationKind(enum.StrEnum):
    APARTMENT = "apartment"
    ENTRANCE = "entrance"
    FLOOR = "floor"
    BASEMENT = "basement"
    ATTIC = "attic"
    ROOF = "roof"
    YARD = "yard"
    STAIRWELL = "stairwell"
    ELEVATOR = "elevator"
    PARKING = "parking"

    @property
    def numbered(self) -> bool:
        return self in (LocationKind.APARTMENT, LocationKind.ENTRANCE, LocationKind.FLOOR)


COMMON_AREAS = tuple(k for k in LocationKind if not k.numbered)


@dataclass(frozen=True, slots=True)
class Location:
    """A place inside a building: a numbered apartment/entrance/floor or a common area.

    Encoded as ``"apartment:12"``, ``"entrance:3"`` or ``"basement"``; an entrance
    and floor together as ``"entrance:3;floor:7"``.
    """

    kind: LocationKind
    number: int | None = None
    entrance: int | None = None

    def encode(self) -> str:
        if self.kind is LocationKind.FLOOR and self.entrance is not None:
            return f"entrance:{self.entrance};floor:{self.number}"
        if self.kind.numbered:
            return f"{self.kind.value}:{self.number}"
        return self.kind.value

    @classmethod
    def decode(cls, raw: str) -> Location:
        parts = dict(_split_part(p) for p in raw.split(";") if p)
        if "floor" in parts and "entrance" in parts:
            return cls(LocationKind.FLOOR, parts["floor"], parts["entrance"])
        ((kind, number),) = parts.items()
        return cls(LocationKind(kind), number)


def _split_part(part: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"([a-z]+)(?::(\d{1,5}))?", part)
    if match is None:
        raise ValueError(f"bad location part: {part!r}")
    kind = match.group(1)
    LocationKind(kind)  # validates
    return kind, int(match.group(2)) if match.group(2) else None
