"""Deadlines from a norms table: category x urgency -> time allowed, on a work calendar.

Two clocks exist.  *Around the clock* (emergencies, and the hour norms of
ПП РФ №416 п.13 that the emergency service keeps day and night) simply adds hours.
The *work calendar* (weekends, holidays, working hours such as 08:00-17:00 in the
service time zone) counts only working time: it is used for working-day norms,
for reaction times of non-emergency requests and for reminder intervals.

A third clock serves norms bound to a daily window (ПП РФ №416 п.13: a blocked
garbage chute within 2 hours, but only between 08:00 and 23:00): every day
counts, only the window's hours do.

The norms themselves (with their sources) live in ``data/norms.csv``; a row is
keyed by category, urgency and an optional *problem* (see ``core.norm_rules``,
which reads the problem from the resident's words).  A company overrides rows
with its own CSV (``NORMS_FILE``).  This module only does the arithmetic; it
reads no files and knows no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from types import MappingProxyType

ANY = "*"
#: (category, urgency, problem); problem "" is the category's generic row.
NormKey = tuple[str, str, str]

#: How long an assigned technician has to accept, by urgency.
DEFAULT_REACTION_MINUTES = {"emergency": 5, "urgent": 30, "normal": 120}
#: The first interval of the reminders after the deadline: emergencies 15 minutes
#: around the clock, the others 2 working hours; the intervals then double.
DEFAULT_OVERDUE_MINUTES: Mapping[str, int] = MappingProxyType(
    {"emergency": 15, "urgent": 120, "normal": 120}
)
#: The longest interval the reminders back off to.
DEFAULT_BACKOFF_CAP = timedelta(hours=4)


@dataclass(frozen=True, slots=True)
class Norm:
    hours: float | None = None
    working_days: int | None = None
    #: Minutes the technician has to accept; None: the urgency's default.
    reaction_minutes: int | None = None
    #: Hour norms count around the clock unless the row says the work calendar.
    around_the_clock: bool = True
    #: Hours count only inside this daily window (every day of the week).
    window: tuple[time, time] | None = None
    #: After localising an accident, the time allowed to repair it (ПП 416 п.13).
    repair_hours: float | None = None
    #: The clause the row rests on (the README's table of deadlines).
    source: str = ""


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days and hours in one time zone; everything else is off time."""

    timezone: tzinfo
    holidays: frozenset[date] = frozenset()
    start: time = time(8, 0)
    end: time = time(17, 0)
    weekdays: frozenset[int] = frozenset(range(5))
    #: Weekend days made working by a transfer (перенос рабочего дня).
    extra_working_days: frozenset[date] = frozenset()
    #: Pre-holiday days, one hour shorter (ТК РФ ст.95).
    short_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def _window(self, day: date) -> tuple[datetime, datetime]:
        closes = datetime.combine(day, self.end, tzinfo=self.timezone)
        if day in self.short_days:
            closes -= timedelta(hours=1)
        return datetime.combine(day, self.start, tzinfo=self.timezone), closes

    def is_working_time(self, moment: datetime) -> bool:
        local = moment.astimezone(self.timezone)
        if not self.is_working_day(local.date()):
            return False
        opens, closes = self._window(local.date())
        return opens <= local < closes

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """``start`` plus ``amount`` of working time (off time does not count)."""
        if amount <= timedelta(0):
            return start
        local = start.astimezone(self.timezone)
        day = local.date()
        remaining = amount
        for _ in range(3660):  # ten years of days: a bound, never reached in practice
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin = max(opens, local)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(start.tzinfo)
                    remaining -= available
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), tzinfo=self.timezone)
        raise ValueError("the work calendar has no working time")

    def between(self, first: datetime, second: datetime) -> timedelta:
        """Working time from ``first`` to ``second`` (zero when second is earlier)."""
        if second <= first:
            return timedelta(0)
        total = timedelta(0)
        day = first.astimezone(self.timezone).date()
        last = second.astimezone(self.timezone).date()
        while day <= last:
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin, finish = max(opens, first), min(closes, second)
                if begin < finish:
                    total += finish - begin
            day += timedelta(days=1)
        return total


def _add_in_window(
    start: datetime, hours: float, window: tuple[time, time], zone: tzinfo
) -> datetime:
    """``start`` plus ``hours`` counted only inside the daily ``window``."""
    calendar = WorkCalendar(zone, start=window[0], end=window[1], weekdays=frozenset(range(7)))
    return calendar.add(start, timedelta(hours=hours))


@dataclass(frozen=True, slots=True)
class CalendarDays:
    """The production calendar as the holidays file gives it."""

    holidays: frozenset[date] = frozenset()
    #: Saturdays or Sundays worked by a transfer.
    working: frozenset[date] = frozenset()
    #: Pre-holiday days, one hour shorter.
    short: frozenset[date] = frozenset()
    #: Years whose decree was not yet published: their rows are a forecast.
    provisional: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    norms: Mapping[NormKey, Norm]
    timezone: tzinfo
    #: Plain holidays; ``days`` adds the rest of a production calendar.
    holidays: frozenset[date] = frozenset()
    work_start: time = time(8, 0)
    work_end: time = time(17, 0)
    days: CalendarDays = CalendarDays()
    #: The reminders' first interval after the deadline, by urgency, and their longest.
    overdue_minutes: Mapping[str, int] = field(default_factory=lambda: DEFAULT_OVERDUE_MINUTES)
    backoff_cap: timedelta = DEFAULT_BACKOFF_CAP

    @property
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(
            self.timezone,
            self.holidays | self.days.holidays,
            self.work_start,
            self.work_end,
            extra_working_days=self.days.working,
            short_days=self.days.short,
        )

    def norm(self, category: str, urgency: str, problem: str = "") -> Norm | None:
        key = self.norm_key(category, urgency, problem)
        return None if key is None else self.norms[key]

    def norm_key(self, category: str, urgency: str, problem: str = "") -> NormKey | None:
        """The row for a problem, else the category's, else the urgency's default."""
        keys = [(category, urgency, ""), (ANY, urgency, "")]
        if problem:
            keys[:0] = [(category, urgency, problem), (ANY, urgency, problem)]
        return next((key for key in keys if key in self.norms), None)

    def around_the_clock(self, category: str, urgency: str) -> bool:
        """Whether this request's clocks ignore the work calendar."""
        if urgency == "emergency":
            return True
        norm = self.norm(category, urgency)
        return norm is not None and norm.working_days is None and norm.around_the_clock

    def deadline(
        self, category: str, urgency: str, filed_at: datetime, problem: str = ""
    ) -> datetime | None:
        norm = self.norm(category, urgency, problem)
        if norm is None:
            return None
        if norm.hours is not None:
            if norm.window is not None:
                return _add_in_window(filed_at, norm.hours, norm.window, self.timezone)
            if norm.around_the_clock or urgency == "emergency":
                return filed_at + timedelta(hours=norm.hours)
            return self.calendar.add(filed_at, timedelta(hours=norm.hours))
        if norm.working_days is not None:
            return self._add_working_days(filed_at, norm.working_days)
        return None

    def elapse(self, category: str, urgency: str, start: datetime, amount: timedelta) -> datetime:
        """``start`` plus ``amount`` on this request's clock."""
        if self.around_the_clock(category, urgency):
            return start + amount
        return self.calendar.add(start, amount)

    def elapsed(self, category: str, urgency: str, first: datetime, second: datetime) -> timedelta:
        """Time from ``first`` to ``second`` on this request's clock."""
        if self.around_the_clock(category, urgency):
            return max(second - first, timedelta(0))
        return self.calendar.between(first, second)

    def reaction(self, category: str, urgency: str) -> timedelta:
        """Time an assigned technician has to accept."""
        norm = self.norm(category, urgency)
        if norm is not None and norm.reaction_minutes is not None:
            return timedelta(minutes=norm.reaction_minutes)
        return timedelta(minutes=DEFAULT_REACTION_MINUTES.get(urgency, 120))

    def overdue_interval(self, urgency: str) -> timedelta:
        return timedelta(minutes=self.overdue_minutes.get(urgency, self.overdue_minutes["normal"]))

    def repair_deadline(
        self, category: str, urgency: str, filed_at: datetime, problem: str = ""
    ) -> datetime | None:
        """When an accident must be repaired, for rows that give a repair time."""
        norm = self.norm(category, urgency, problem)
        if norm is None or norm.repair_hours is None:
            return None
        return filed_at + timedelta(hours=norm.repair_hours)

    def _add_working_days(self, start: datetime, days: int) -> datetime:
        local = start.astimezone(self.timezone)
        day = local.date()
        remaining = days
        calendar = self.calendar
        while remaining > 0:
            day += timedelta(days=1)
            if calendar.is_working_day(day):
                remaining -= 1
        end = datetime.combine(day, local.time(), tzinfo=self.timezone)
        return end.astimezone(start.tzinfo)

    def is_working_day(self, day: date) -> bool:
        return self.calendar.is_working_day(day)


def parse_norms(rows: Iterable[Mapping[str, str]]) -> dict[NormKey, Norm]:
    """Build the norms mapping from CSV rows; raise ValueError naming the bad row.

    Columns: optional problem, category, urgency, hours | working_days, optional
    reaction_minutes, optional clock (``24x7``, the default for hours, or
    ``work``), optional window (``08:00-23:00``: hours count only then, every
    day), optional repair_hours, source.
    """
    norms: dict[NormKey, Norm] = {}
    for number, row in enumerate(rows, start=2):
        try:
            hours = _number(row, "hours")
            days = int(row["working_days"]) if row.get("working_days") else None
            reaction = int(row["reaction_minutes"]) if row.get("reaction_minutes") else None
            repair = _number(row, "repair_hours")
            window = parse_hours(row["window"]) if row.get("window") else None
        except (ValueError, KeyError) as exc:
            raise ValueError(f"norms row {number}: {exc}") from exc
        if not row.get("category") or row.get("urgency") not in ("emergency", "urgent", "normal"):
            raise ValueError(
                f"norms row {number}: category and urgency (emergency, urgent, normal) are required"
            )
        if (hours is None) == (days is None):
            raise ValueError(f"norms row {number}: give exactly one of hours or working_days")
        for value in (hours, repair):
            if value is not None and not (math.isfinite(value) and 0 < value <= 24 * 366):
                raise ValueError(f"norms row {number}: hours must be a positive number")
        if days is not None and not 1 <= days <= 366:
            raise ValueError(f"norms row {number}: working_days must be 1..366")
        if reaction is not None and not 1 <= reaction <= 60 * 24 * 31:
            raise ValueError(f"norms row {number}: reaction_minutes must be 1..44640")
        clock = (row.get("clock") or "24x7").strip()
        if clock not in ("24x7", "work"):
            raise ValueError(f"norms row {number}: clock must be 24x7 or work")
        if window is not None and days is not None:
            raise ValueError(f"norms row {number}: a window applies to hours only")
        key = (row["category"], row["urgency"], (row.get("problem") or "").strip())
        norms[key] = Norm(
            hours, days, reaction, clock == "24x7", window, repair, (row.get("source") or "")
        )
    return norms


def _number(row: Mapping[str, str], column: str) -> float | None:
    raw = row.get(column)
    return float(raw) if raw else None


_DAY_KINDS = ("holiday", "working", "short")


def parse_calendar(rows: Iterable[Mapping[str, str]]) -> CalendarDays:
    """The production calendar from ``date,name[,kind][,provisional]`` rows.

    ``kind``: ``holiday`` (the default, so a plain ``date,name`` file still
    loads), ``working`` (a weekend day worked by a transfer) or ``short`` (a
    pre-holiday day, one hour shorter).  ``provisional`` marks a year whose
    decree is not yet published.  ValueError names the bad row.
    """
    found: dict[str, set[date]] = {kind: set() for kind in _DAY_KINDS}
    provisional: set[int] = set()
    for number, row in enumerate(rows, start=2):
        raw = (row.get("date") or "").strip()
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"holidays row {number}: bad date {raw!r} (use YYYY-MM-DD)") from None
        kind = (row.get("kind") or "holiday").strip()
        if kind not in found:
            raise ValueError(f"holidays row {number}: kind must be one of {', '.join(_DAY_KINDS)}")
        if any(day in days for days in found.values()):
            raise ValueError(f"holidays row {number}: {raw} is listed twice")
        found[kind].add(day)
        if (row.get("provisional") or "").strip().lower() in ("yes", "1", "true"):
            provisional.add(day.year)
    return CalendarDays(
        frozenset(found["holiday"]),
        frozenset(found["working"]),
        frozenset(found["short"]),
        frozenset(provisional),
    )


def parse_hours(raw: str) -> tuple[time, time]:
    """Working hours like ``08:00-17:00``; ValueError when malformed or empty."""
    try:
        first, second = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError:
        raise ValueError(f"working hours must look like 08:00-17:00, got {raw!r}") from None
    if second <= first:
        raise ValueError(f"working hours end before they start: {raw!r}")
    return first, second
