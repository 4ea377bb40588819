"""Escalation ladders: who is told how long after a job became late.

A ladder is a few steps (duty engineer after 0 minutes, chief engineer after 60,
director after 240...) for one building, for an area (the buildings of a complex) or
for every building.  A request climbs the most specific ladder it has; each step is
told once (the sweep records it like any reminder).  Pure: the caller loads the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Step:
    building_id: int | None  # None: an area's or everyone's ladder
    area: str  # "" with no building: every building
    after_minutes: int
    title: str
    person_id: int | None  # None: whoever is on duty then

    @property
    def after(self) -> timedelta:
        return timedelta(minutes=self.after_minutes)


def ladder_for(steps: Iterable[Step], building_id: int, area: str) -> tuple[Step, ...]:
    """The steps of the most specific ladder for a building in ``area``, in order."""
    steps = list(steps)
    own = [s for s in steps if s.building_id == building_id]
    if not own and area:
        own = [s for s in steps if s.building_id is None and s.area == area]
    if not own:
        own = [s for s in steps if s.building_id is None and not s.area]
    return tuple(sorted(own, key=lambda s: s.after_minutes))
