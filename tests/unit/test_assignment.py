"""The assignment policy: matrix, shifts, absences, load, emergencies, reassignment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from core.assignment import (
    Absence,
    Choice,
    NobodyReason,
    Responsibility,
    Roster,
    Shift,
    choose,
    on_shift,
    parse_minute,
    shift_problems,
)

MSK = ZoneInfo("Europe/Moscow")
TUESDAY_10 = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
TUESDAY_23 = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
PLUMBER, HANDYMAN, ELECTRICIAN, NIGHT = 1, 2, 3, 4
BUILDING, OTHER_BUILDING = 10, 11


def day_shifts(tech: int) -> list[Shift]:
    return [Shift(tech, 8 * 60, 17 * 60, weekday=d) for d in range(5)]


def roster(**kw: object) -> Roster:
    base: dict[str, object] = {
        "technicians": {PLUMBER, HANDYMAN, ELECTRICIAN, NIGHT},
        "matrix": [
            Responsibility(PLUMBER, "water", None, 0),
            Responsibility(HANDYMAN, "water", None, 1),
            Responsibility(ELECTRICIAN, "electricity", None, 0),
            Responsibility(HANDYMAN, "electricity", OTHER_BUILDING, 0),
            Responsibility(HANDYMAN, "*", None, 5),
        ],
        "shifts": [
            *day_shifts(PLUMBER),
            *day_shifts(HANDYMAN),
            *day_shifts(ELECTRICIAN),
            Shift(NIGHT, 17 * 60, 24 * 60, weekday=1, duty=True),
        ],
        "absences": [],
        "load": {},
    }
    base.update(kw)
    return Roster(**base)  # type: ignore[arg-type]


def pick(r: Roster, category: str = "water", **kw: object) -> Choice:
    args: dict[str, object] = {
        "building_id": BUILDING,
        "category": category,
        "emergency": False,
        "now": TUESDAY_10,
        "tz": MSK,
    }
    args.update(kw)
    return choose(r, **args)  # type: ignore[arg-type]


def test_matrix_order() -> None:
    assert pick(roster()) == Choice(PLUMBER)
    assert pick(roster(), "electricity") == Choice(ELECTRICIAN)


def test_building_rows_come_before_all_building_rows() -> None:
    assert pick(roster(), "electricity", building_id=OTHER_BUILDING) == Choice(HANDYMAN)


def test_wildcard_category() -> None:
    assert pick(roster(), "pests") == Choice(HANDYMAN)


def test_nobody_responsible() -> None:
    r = roster(matrix=[Responsibility(PLUMBER, "water")])
    assert pick(r, "billing") == Choice(None, NobodyReason.NO_MATRIX)


def test_inactive_technicians_are_skipped() -> None:
    assert pick(roster(technicians={HANDYMAN})) == Choice(HANDYMAN)


def test_absence_passes_to_the_next() -> None:
    away = [Absence(PLUMBER, date(2026, 11, 20), date(2026, 11, 30), "vacation")]
    assert pick(roster(absences=away)) == Choice(HANDYMAN)
    over = [Absence(PLUMBER, date(2026, 11, 1), date(2026, 11, 23), "sick")]
    assert pick(roster(absences=over)) == Choice(PLUMBER)  # back since Tuesday


def test_everybody_away() -> None:
    away = [Absence(t, date(2026, 11, 24), date(2026, 11, 24), "day_off") for t in (1, 2)]
    assert pick(roster(absences=away)) == Choice(None, NobodyReason.ALL_ABSENT)


def test_load_cap_passes_to_the_next_and_then_nobody() -> None:
    assert pick(roster(load={PLUMBER: 3}), max_open=3) == Choice(HANDYMAN)
    busy = roster(load={PLUMBER: 3, HANDYMAN: 5})
    assert pick(busy, max_open=3) == Choice(None, NobodyReason.ALL_BUSY)
    assert pick(busy) == Choice(PLUMBER)  # no cap


def test_reassignment_skips_those_who_declined() -> None:
    assert pick(roster(), exclude={PLUMBER}) == Choice(HANDYMAN)
    assert pick(roster(), exclude={PLUMBER, HANDYMAN}) == Choice(None, NobodyReason.ALL_EXCLUDED)


def test_normal_requests_are_assigned_off_shift() -> None:
    assert pick(roster(), now=TUESDAY_23) == Choice(PLUMBER)


def test_emergency_goes_to_a_responsible_technician_on_shift() -> None:
    assert pick(roster(), emergency=True) == Choice(PLUMBER)
    # A free one is preferred to a busy one among those on shift.
    assert pick(roster(load={PLUMBER: 2}), emergency=True) == Choice(HANDYMAN)


def test_emergency_at_night_goes_to_the_duty_technician() -> None:
    assert pick(roster(), emergency=True, now=TUESDAY_23) == Choice(NIGHT, on_duty=True)
    no_duty = roster(shifts=day_shifts(PLUMBER))
    assert pick(no_duty, emergency=True, now=TUESDAY_23) == Choice(None, NobodyReason.NONE_ON_DUTY)


def test_dated_overrides_replace_the_weekly_pattern() -> None:
    shifts = [*day_shifts(PLUMBER), Shift(PLUMBER, 0, 0, on=date(2026, 11, 24), off=True)]
    assert not on_shift(shifts, PLUMBER, TUESDAY_10.astimezone(MSK))
    assert pick(roster(shifts=shifts), emergency=True) == Choice(None, NobodyReason.NONE_ON_DUTY)
    late = [*day_shifts(PLUMBER), Shift(PLUMBER, 20 * 60, 24 * 60, on=date(2026, 11, 24))]
    assert on_shift(late, PLUMBER, TUESDAY_23.astimezone(MSK))
    assert not on_shift(late, PLUMBER, TUESDAY_10.astimezone(MSK))


def test_shift_validation() -> None:
    good = Shift(1, 480, 1020, weekday=0)
    assert shift_problems([(2, good), (3, Shift(1, 1020, 1440, weekday=0))]) == []
    assert shift_problems([(2, Shift(1, 1020, 480, weekday=0))]) == [(2, None)]
    assert shift_problems([(2, good), (3, Shift(1, 960, 1200, weekday=0))]) == [(3, 2)]
    assert shift_problems([(2, good), (3, Shift(2, 960, 1200, weekday=0))]) == []


def test_parse_minute() -> None:
    assert parse_minute("08:30") == 510 and parse_minute("24:00") == 1440
    for bad in ("8", "25:00", "8:00", "ab:cd"):
        try:
            parse_minute(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
