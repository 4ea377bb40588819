"""Deadlines from the norms table: hours, working days, holidays, fallbacks."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.sla import (
    ANY,
    Norm,
    SlaPolicy,
    WorkCalendar,
    parse_calendar,
    parse_hours,
    parse_norms,
)

MSK = ZoneInfo("Europe/Moscow")
NORMS_CSV = Path(__file__).resolve().parents[2] / "data" / "norms.csv"

# 2026-11-24 is a Tuesday; 2026-11-27 a Friday; 2026-11-28/29 the weekend.
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=MSK)
FRIDAY_15 = datetime(2026, 11, 27, 15, 0, tzinfo=MSK)
SATURDAY_12 = datetime(2026, 11, 28, 12, 0, tzinfo=MSK)


def policy(holidays: set[date] = frozenset()) -> SlaPolicy:
    norms = {
        ("water", "emergency", ""): Norm(hours=0.5),
        ("sewerage", "urgent", ""): Norm(hours=2),
        (ANY, "emergency", ""): Norm(hours=3),
        (ANY, "normal", ""): Norm(working_days=5),
        ("billing", "normal", ""): Norm(working_days=1),
    }
    return SlaPolicy(norms, MSK, frozenset(holidays))


def test_hours_norm() -> None:
    assert policy().deadline("water", "emergency", TUESDAY_10) == TUESDAY_10 + timedelta(minutes=30)
    assert policy().deadline("sewerage", "urgent", TUESDAY_10) == TUESDAY_10 + timedelta(hours=2)


def test_hours_norms_run_around_the_clock_and_through_weekends() -> None:
    late_friday = datetime(2026, 11, 27, 23, 45, tzinfo=MSK)
    assert policy().deadline("water", "emergency", late_friday) == datetime(
        2026, 11, 28, 0, 15, tzinfo=MSK
    )


def test_fallback_to_any_category() -> None:
    assert policy().deadline("gas", "emergency", TUESDAY_10) == TUESDAY_10 + timedelta(hours=3)
    assert policy().norm("heating", "normal") == Norm(working_days=5)


def test_specific_row_beats_fallback() -> None:
    assert policy().norm("water", "emergency") == Norm(hours=0.5)
    assert policy().deadline("billing", "normal", TUESDAY_10) == TUESDAY_10 + timedelta(days=1)


def test_no_norm_no_deadline() -> None:
    assert policy().norm("water", "urgent") is None
    assert policy().deadline("water", "urgent", TUESDAY_10) is None
    assert SlaPolicy({}, MSK).deadline("water", "normal", TUESDAY_10) is None


def test_norm_with_neither_value_gives_no_deadline() -> None:
    assert SlaPolicy({("x", "normal", ""): Norm()}, MSK).deadline("x", "normal", TUESDAY_10) is None


def test_working_days_within_a_week() -> None:
    monday = datetime(2026, 11, 23, 9, 30, tzinfo=MSK)
    assert policy().deadline("x", "normal", monday) == datetime(2026, 11, 30, 9, 30, tzinfo=MSK)


def test_working_days_skip_the_weekend() -> None:
    # Tuesday + 5 working days = next Tuesday, same time.
    assert policy().deadline("x", "normal", TUESDAY_10) == datetime(2026, 12, 1, 10, 0, tzinfo=MSK)
    # Friday + 1 working day = Monday.
    assert policy().deadline("billing", "normal", FRIDAY_15) == datetime(
        2026, 11, 30, 15, 0, tzinfo=MSK
    )


def test_filed_on_a_weekend_counts_from_monday() -> None:
    assert policy().deadline("billing", "normal", SATURDAY_12) == datetime(
        2026, 11, 30, 12, 0, tzinfo=MSK
    )
    assert policy().deadline("x", "normal", SATURDAY_12) == datetime(2026, 12, 4, 12, 0, tzinfo=MSK)


def test_working_days_skip_holidays() -> None:
    holidays = {date(2026, 11, 25), date(2026, 11, 26)}  # Wednesday, Thursday
    assert policy(holidays).deadline("x", "normal", TUESDAY_10) == datetime(
        2026, 12, 3, 10, 0, tzinfo=MSK
    )
    assert policy(holidays).deadline("billing", "normal", TUESDAY_10) == datetime(
        2026, 11, 27, 10, 0, tzinfo=MSK
    )


def test_new_year_holidays() -> None:
    holidays = {date(2027, 1, d) for d in range(1, 9)}
    filed = datetime(2026, 12, 31, 16, 0, tzinfo=MSK)  # Thursday
    # Working days: Mon 11, Tue 12, Wed 13, Thu 14, Fri 15 January.
    assert policy(holidays).deadline("x", "normal", filed) == datetime(
        2027, 1, 15, 16, 0, tzinfo=MSK
    )


def test_is_working_day() -> None:
    p = policy({date(2026, 11, 4)})
    assert p.is_working_day(date(2026, 11, 24))
    assert not p.is_working_day(date(2026, 11, 28))
    assert not p.is_working_day(date(2026, 11, 29))
    assert not p.is_working_day(date(2026, 11, 4))


def test_working_days_are_counted_in_the_service_time_zone() -> None:
    # Friday 22:30 UTC is already Saturday 01:30 in Moscow: counting starts Monday.
    filed = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)
    deadline = policy().deadline("billing", "normal", filed)
    assert deadline == datetime(2026, 11, 30, 1, 30, tzinfo=MSK)
    assert deadline.tzinfo is UTC  # returned in the caller's time zone


# -- parse_norms --------------------------------------------------------------


def row(category: str, urgency: str, hours: str = "", working_days: str = "") -> dict[str, str]:
    return {"category": category, "urgency": urgency, "hours": hours, "working_days": working_days}


def test_parse_norms() -> None:
    norms = parse_norms(
        [row("water", "emergency", hours="0.5"), row("*", "normal", working_days="5")]
    )
    assert norms == {
        ("water", "emergency", ""): Norm(hours=0.5),
        ("*", "normal", ""): Norm(working_days=5),
    }


def test_parse_norms_empty() -> None:
    assert parse_norms([]) == {}


@pytest.mark.parametrize(
    ("bad", "line"),
    [
        (row("water", "urgent", hours="two"), 3),
        (row("water", "urgent", working_days="1.5"), 3),
        (row("water", "urgent"), 3),
        (row("water", "urgent", hours="2", working_days="1"), 3),
    ],
)
def test_parse_norms_errors_name_the_row(bad: dict[str, str], line: int) -> None:
    with pytest.raises(ValueError, match=rf"^norms row {line}: "):
        parse_norms([row("water", "emergency", hours="0.5"), bad])


@pytest.mark.parametrize(
    "bad",
    [
        row("water", "urgent", hours="nan"),
        row("water", "urgent", hours="inf"),
        row("water", "urgent", hours="-2"),
        row("water", "urgent", working_days="-3"),
    ],
    ids=["hours-nan", "hours-inf", "hours-negative", "days-negative"],
)
def test_parse_norms_rejects_impossible_durations(bad: dict[str, str]) -> None:
    """A nonsense norm must fail at load time, naming the row, not at the first request."""
    with pytest.raises(ValueError, match=r"^norms row 2: "):
        parse_norms([bad])


# -- the real norms table -----------------------------------------------------


@pytest.fixture(scope="module")
def real_policy() -> SlaPolicy:
    with NORMS_CSV.open(encoding="utf-8", newline="") as handle:
        return SlaPolicy(parse_norms(csv.DictReader(handle)), MSK)


@pytest.mark.parametrize(
    ("category", "urgency", "allowed"),
    [
        ("water", "emergency", timedelta(minutes=30)),
        ("sewerage", "emergency", timedelta(minutes=30)),
        ("heating", "emergency", timedelta(minutes=30)),
        ("electricity", "emergency", timedelta(minutes=30)),
        ("gas", "emergency", timedelta(minutes=30)),
        ("elevator", "emergency", timedelta(minutes=30)),
        ("territory", "emergency", timedelta(hours=2)),  # falls back to "*"
        ("sewerage", "urgent", timedelta(hours=2)),
        ("waste", "urgent", timedelta(hours=24)),  # falls back to "*"
        ("elevator", "urgent", timedelta(hours=24)),
        ("roof_facade", "urgent", timedelta(hours=24)),
        ("doors_intercom", "urgent", timedelta(hours=24)),
        ("pests", "urgent", timedelta(hours=24)),  # falls back to "*"
    ],
)
def test_real_norms_in_hours(
    real_policy: SlaPolicy, category: str, urgency: str, allowed: timedelta
) -> None:
    filed = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert real_policy.deadline(category, urgency, filed) == filed + allowed


@pytest.mark.parametrize("category", ["water", "cleaning", "territory", "other"])
def test_real_norms_normal_is_five_working_days(real_policy: SlaPolicy, category: str) -> None:
    filed = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # Friday 15:00 in Moscow
    deadline = real_policy.deadline(category, "normal", filed)
    assert deadline == datetime(2026, 12, 4, 15, 0, tzinfo=MSK)


def test_real_norms_cover_every_urgency(real_policy: SlaPolicy) -> None:
    from core.model import Category, Urgency

    for category in Category:
        for urgency in Urgency:
            assert real_policy.norm(category.value, urgency.value) is not None


# -- the work calendar ----------------------------------------------------------

CAL = WorkCalendar(MSK, frozenset({date(2026, 11, 25)}), time(8), time(17))


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=MSK)


def test_working_time_inside_a_day() -> None:
    assert CAL.add(at(24, 10), timedelta(hours=2)) == at(24, 12)
    assert CAL.is_working_time(at(24, 8)) and not CAL.is_working_time(at(24, 17))


def test_working_time_runs_over_the_night_holidays_and_weekend() -> None:
    # Tuesday 16:00 + 2 h: one hour on Tuesday, Wednesday is a holiday, Thursday 09:00.
    assert CAL.add(at(24, 16), timedelta(hours=2)) == at(26, 9)
    # Friday 16:30 + 2 h: 30 min on Friday, then Monday 09:30.
    assert CAL.add(at(27, 16, 30), timedelta(hours=2)) == at(30, 9, 30)
    # Filed on Saturday: counting starts Monday 08:00.
    assert CAL.add(at(28, 12), timedelta(hours=2)) == at(30, 10)


def test_working_time_between() -> None:
    assert CAL.between(at(24, 16), at(26, 9)) == timedelta(hours=2)
    assert CAL.between(at(27, 16, 30), at(30, 9, 30)) == timedelta(hours=2)
    assert CAL.between(at(26, 9), at(24, 16)) == timedelta(0)


def test_sla_clocks() -> None:
    p = SlaPolicy(
        {
            ("water", "emergency", ""): Norm(hours=0.5),
            (ANY, "normal", ""): Norm(working_days=5),
            ("pests", "urgent", ""): Norm(hours=4, around_the_clock=False, reaction_minutes=60),
        },
        MSK,
        frozenset({date(2026, 11, 25)}),
    )
    assert p.around_the_clock("water", "emergency")
    assert not p.around_the_clock("water", "normal")
    # 4 working hours from Tuesday 15:00: 2 h on Tuesday, Thursday 10:00.
    assert p.deadline("pests", "urgent", at(24, 15)) == at(26, 10)
    assert p.reaction("pests", "urgent") == timedelta(minutes=60)
    assert p.reaction("water", "emergency") == timedelta(minutes=5)
    assert p.reaction("x", "normal") == timedelta(hours=2)
    # Acceptance of a normal request filed on Tuesday evening: Thursday 10:00.
    assert p.elapse("x", "normal", at(24, 19), timedelta(hours=2)) == at(26, 10)
    assert p.elapse("water", "emergency", at(24, 23), timedelta(minutes=15)) == at(24, 23, 15)


def test_parse_holidays_and_hours() -> None:
    assert parse_calendar([{"date": "2026-11-04"}]).holidays == frozenset({date(2026, 11, 4)})
    with pytest.raises(ValueError, match=r"^holidays row 3: bad date '04.11.2026'"):
        parse_calendar([{"date": "2026-11-04"}, {"date": "04.11.2026"}])
    assert parse_hours("08:00-17:00") == (time(8), time(17))
    for bad in ("17:00-08:00", "8-17", "", "08:00"):
        with pytest.raises(ValueError):
            parse_hours(bad)


def test_parse_norms_reaction_and_clock() -> None:
    norms = parse_norms(
        [
            {
                "category": "x",
                "urgency": "urgent",
                "hours": "4",
                "reaction_minutes": "20",
                "clock": "work",
            },
        ]
    )
    assert norms[("x", "urgent", "")] == Norm(4, None, 20, False)
    with pytest.raises(ValueError, match="clock must be"):
        parse_norms([{"category": "x", "urgency": "urgent", "hours": "4", "clock": "sometimes"}])
