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


class EmergencyClaim(enum.StrEnum):
    """Whose word an emergency rests on, when it is not the classifier's or the rules'."""

    #: The classifier or the rules found the emergency, or nobody claimed one.
    NONE = ""
    #: The resident alone called it an emergency; no dispatcher has ruled on it yet.
    RESIDENT = "resident"
    #: The resident alone called it an emergency, and a dispatcher has since set the
    #: urgency (kept the emergency or changed it).
    REVIEWED = "reviewed"


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
    and floor together as ``"entrance:3;floor:7"``.  An apartment or a common area may
    also carry the entrance and floor the resident named (``"apartment:12;entrance:1;floor:3"``,
    ``"elevator;entrance:2"``): the technician finds the flat, and a lift or a stairwell
    belongs to one entrance.
    """

    kind: LocationKind
    number: int | None = None
    entrance: int | None = None
    floor: int | None = None

    def encode(self) -> str:
        if self.kind is LocationKind.FLOOR and self.entrance is not None:
            return f"entrance:{self.entrance};floor:{self.number}"
        head = f"{self.kind.value}:{self.number}" if self.kind.numbered else self.kind.value
        if self.kind in (LocationKind.ENTRANCE, LocationKind.FLOOR):
            return head
        extra = [f"entrance:{self.entrance}"] if self.entrance is not None else []
        extra += [f"floor:{self.floor}"] if self.floor is not None else []
        return ";".join([head, *extra])

    @classmethod
    def decode(cls, raw: str) -> Location:
        parts = dict(_split_part(p) for p in raw.split(";") if p)
        if len(parts) != len([p for p in raw.split(";") if p]):
            raise ValueError(f"a part twice: {raw!r}")
        entrance, floor = parts.pop("entrance", None), parts.pop("floor", None)
        if not parts:
            if floor is not None and entrance is not None:
                return cls(LocationKind.FLOOR, floor, entrance)
            if floor is not None:
                return cls(LocationKind.FLOOR, floor)
            return cls(LocationKind.ENTRANCE, entrance)
        ((kind, number),) = parts.items()
        location_kind = LocationKind(kind)
        if location_kind.numbered and number is None:
            raise ValueError(f"no number: {raw!r}")
        return cls(location_kind, number, entrance, floor)


def _split_part(part: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"([a-z]+)(?::(\d{1,5}))?", part)
    if match is None:
        raise ValueError(f"bad location part: {part!r}")
    kind = match.group(1)
    LocationKind(kind)  # validates
    return kind, int(match.group(2)) if match.group(2) else None
