"""Who gets a job: responsibility matrix, duty shifts, absences and current load.

A pure function (:func:`choose`) over plain data; no storage and no clock: the
caller passes ``now`` and everything it loaded.  The rules:

* Candidates are the technicians the responsibility matrix names for the building
  and category, in the matrix's order (rows for the exact building first, then
  rows for all buildings; ``*`` matches any category).  Inactive technicians and
  those who already declined the job are left out.
* Absent technicians (vacation, sick leave, day off covering today) are left out.
* An emergency goes to a candidate on shift *now*; when no candidate is on shift,
  to whoever is on a duty shift now (the on-call roster covers everything).
* Other requests go to the first candidate (in matrix order) with fewer than
  ``max_open`` open jobs; being off shift at night does not matter for them.
* Otherwise nobody fits, and :class:`Choice` says why.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo

ANY = "*"
MINUTES_PER_DAY = 24 * 60


class NobodyReason(enum.StrEnum):
    NO_MATRIX = "no_matrix"  # nobody is responsible for this building and category
    ALL_EXCLUDED = "all_excluded"  # everyone responsible already declined
    ALL_ABSENT = "all_absent"  # everyone responsible is away today
    NONE_ON_DUTY = "none_on_duty"  # emergency: nobody on shift now
    ALL_BUSY = "all_busy"  # everyone has too many open jobs


@dataclass(frozen=True, slots=True)
class Responsibility:
    technician_id: int
    category: str = ANY
    building_id: int | None = None  # None: every building
    position: int = 0


@dataclass(frozen=True, slots=True)
class Shift:
    """A working window: weekly (``weekday`` 0=Monday) or on one date (an override).

    Minutes from local midnight, ``start < end <= 1440``; a night shift is two rows.
    Dated rows replace the weekly pattern of that technician for that date; a dated
    row with ``off=True`` means a day without work.  ``duty`` marks the on-call
    roster that takes any emergency.
    """

    technician_id: int
    start: int
    end: int
    weekday: int | None = None
    on: date | None = None
    off: bool = False
    duty: bool = False

    def covers(self, minute: int) -> bool:
        return not self.off and self.start <= minute < self.end


@dataclass(frozen=True, slots=True)
class Absence:
    technician_id: int
    first: date
    last: date
    kind: str = "vacation"  # vacation | sick | day_off

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class Roster:
    """Everything the choice depends on, loaded by the caller."""

    technicians: Collection[int]  # active technicians
    matrix: Sequence[Responsibility] = ()
    shifts: Sequence[Shift] = ()
    absences: Sequence[Absence] = ()
    load: Mapping[int, int] = field(default_factory=dict)  # open jobs per technician


@dataclass(frozen=True, slots=True)
class Choice:
    technician_id: int | None
    reason: NobodyReason | None = None
    on_duty: bool = False  # chosen from the on-call roster, not the matrix

    @property
    def found(self) -> bool:
        return self.technician_id is not None


def candidates(roster: Roster, building_id: int, category: str) -> list[int]:
    """Matrix candidates in order: this building's rows first, then all-building rows."""

    def rank(r: Responsibility) -> tuple[int, int, int]:
        return (r.building_id is None, r.category == ANY, r.position)

    rows = [
        r
        for r in roster.matrix
        if r.building_id in (building_id, None) and r.category in (category, ANY)
    ]
    ordered = [r.technician_id for r in sorted(rows, key=rank)]
    return [t for t in dict.fromkeys(ordered) if t in roster.technicians]


def shifts_on(shifts: Iterable[Shift], technician_id: int, day: date) -> list[Shift]:
    """The technician's shifts that apply on ``day`` (dated overrides win)."""
    own = [s for s in shifts if s.technician_id == technician_id]
    dated = [s for s in own if s.on == day]
    if dated:
        return dated
    return [s for s in own if s.on is None and s.weekday == day.weekday()]


def on_shift(shifts: Iterable[Shift], technician_id: int, local: datetime) -> bool:
    minute = local.hour * 60 + local.minute
    return any(s.covers(minute) for s in shifts_on(shifts, technician_id, local.date()))


def at_work(shifts: Iterable[Shift], technician_id: int, local: datetime) -> bool:
    """On a working shift now: an on-call (duty) shift is for emergencies only."""
    minute = local.hour * 60 + local.minute
    own = shifts_on(shifts, technician_id, local.date())
    return any(s.covers(minute) and not s.duty for s in own)


def on_duty(shifts: Iterable[Shift], local: datetime) -> list[int]:
    """Technicians on an on-call (duty) shift now."""
    shifts = list(shifts)
    minute = local.hour * 60 + local.minute
    people = dict.fromkeys(s.technician_id for s in shifts if s.duty)
    return [
        t
        for t in people
        if any(s.duty and s.covers(minute) for s in shifts_on(shifts, t, local.date()))
    ]


def absent(absences: Iterable[Absence], technician_id: int, day: date) -> bool:
    return any(a.technician_id == technician_id and a.covers(day) for a in absences)


def choose(
    roster: Roster,
    *,
    building_id: int,
    category: str,
    emergency: bool,
    now: datetime,
    tz: tzinfo,
    exclude: Collection[int] = (),
    max_open: int | None = None,
) -> Choice:
    """Pick the technician for a job, or say why nobody fits."""
    local = now.astimezone(tz)
    today = local.date()
    responsible = candidates(roster, building_id, category)
    present = [t for t in responsible if t not in exclude and not absent(roster.absences, t, today)]
    if emergency:
        here = [t for t in present if on_shift(roster.shifts, t, local)]
        if here:
            return Choice(min(here, key=lambda t: (roster.load.get(t, 0) > 0, here.index(t))))
        duty = [
            t
            for t in on_duty(roster.shifts, local)
            if t in roster.technicians
            and t not in exclude
            and not absent(roster.absences, t, today)
        ]
        if duty:
            return Choice(min(duty, key=lambda t: roster.load.get(t, 0)), on_duty=True)
        if not responsible:
            return Choice(None, NobodyReason.NO_MATRIX)
        return Choice(None, NobodyReason.NONE_ON_DUTY)
    if not responsible:
        return Choice(None, NobodyReason.NO_MATRIX)
    if not [t for t in responsible if t not in exclude]:
        return Choice(None, NobodyReason.ALL_EXCLUDED)
    if not present:
        return Choice(None, NobodyReason.ALL_ABSENT)
    for technician in present:
        if max_open is None or roster.load.get(technician, 0) < max_open:
            return Choice(technician)
    return Choice(None, NobodyReason.ALL_BUSY)


# -- validation of what an admin loads ----------------------------------------


def parse_minute(raw: str) -> int:
    """``HH:MM`` (``24:00`` allowed as an end) -> minutes from midnight."""
    raw = raw.strip()
    if raw == "24:00":
        return MINUTES_PER_DAY
    try:
        moment = time.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"bad time {raw!r} (use HH:MM)") from None
    if len(raw) != 5:
        raise ValueError(f"bad time {raw!r} (use HH:MM)")
    return moment.hour * 60 + moment.minute


def shift_problems(shifts: Sequence[tuple[int, Shift]]) -> list[tuple[int, int | None]]:
    """Shifts ending before they start, as (line, None), and shifts overlapping an earlier
    one, as (line, the earlier one's line); items are (line, shift)."""
    problems: list[tuple[int, int | None]] = []
    for line, shift in shifts:
        if not 0 <= shift.start < shift.end <= MINUTES_PER_DAY and not shift.off:
            problems.append((line, None))
    for index, (line, shift) in enumerate(shifts):
        for other_line, other in shifts[:index]:
            same_day = (shift.on is not None and shift.on == other.on) or (
                shift.on is None and other.on is None and shift.weekday == other.weekday
            )
            if (
                same_day
                and shift.technician_id == other.technician_id
                and not shift.off
                and not other.off
                and shift.start < other.end
                and other.start < shift.end
            ):
                problems.append((line, other_line))
    return problems
