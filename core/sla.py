"""Deadlines from a norms table: category x urgency -> time allowed.

Emergency clocks run around the clock; deadlines counted in working days skip
Saturdays, Sundays and the given holidays.  The norms themselves (with their
sources) live in ``data/norms.csv``; this module only does the arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

ANY = "*"


@dataclass(frozen=True, slots=True)
class Norm:
    hours: float | None = None
    working_days: int | None = None


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    norms: Mapping[tuple[str, str], Norm]
    timezone: tzinfo
    holidays: frozenset[date] = frozenset()

    def norm(self, category: str, urgency: str) -> Norm | None:
        return self.norms.get((category, urgency)) or self.norms.get((ANY, urgency))

    def deadline(self, category: str, urgency: str, filed_at: datetime) -> datetime | None:
        norm = self.norm(category, urgency)
        if norm is None:
            return None
        if norm.hours is not None:
            return filed_at + timedelta(hours=norm.hours)
        if norm.working_days is not None:
            return self._add_working_days(filed_at, norm.working_days)
        return None

    def _add_working_days(self, start: datetime, days: int) -> datetime:
        local = start.astimezone(self.timezone)
        day = local.date()
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        end = datetime.combine(day, local.time(), tzinfo=self.timezone)
        return end.astimezone(start.tzinfo)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays


def parse_norms(rows: Iterable[Mapping[str, str]]) -> dict[tuple[str, str], Norm]:
    """Build the norms mapping from CSV rows; raise ValueError naming the bad row."""
    norms: dict[tuple[str, str], Norm] = {}
    for number, row in enumerate(rows, start=2):
        try:
            hours = float(row["hours"]) if row.get("hours") else None
            days = int(row["working_days"]) if row.get("working_days") else None
        except ValueError as exc:
            raise ValueError(f"norms row {number}: {exc}") from exc
        if (hours is None) == (days is None):
            raise ValueError(f"norms row {number}: give exactly one of hours or working_days")
        if hours is not None and not (math.isfinite(hours) and 0 < hours <= 24 * 366):
            raise ValueError(f"norms row {number}: hours must be a positive number")
        if days is not None and not 1 <= days <= 366:
            raise ValueError(f"norms row {number}: working_days must be 1..366")
        norms[(row["category"], row["urgency"])] = Norm(hours, days)
    return norms
