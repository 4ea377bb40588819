"""The emergency's stage clocks, reminder back-off and ladder choice: pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.escalation import Step, ladder_for
from core.lifecycle import Stage
from core.reminders import backoff
from core.sla import DEFAULT_BACKOFF_CAP
from core.stages import clocks, next_clock

T0 = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_backoff_doubles_then_holds_at_the_cap() -> None:
    first = timedelta(minutes=15)
    # Steps begin at 0, 15, 45, 105, 225 minutes, then every 4 hours.
    starts = [0, 15, 45, 105, 225, 465, 705]
    for step, minute in enumerate(starts):
        assert backoff(minute * MIN, first) == step, minute
        if minute:
            assert backoff(minute * MIN - timedelta(seconds=1), first) == step - 1, minute
    assert backoff(-MIN, first) == -1


@given(st.integers(min_value=0, max_value=60 * 24 * 400))
def test_backoff_never_goes_back_and_caps_the_messages_per_day(minutes: int) -> None:
    first = timedelta(minutes=15)
    late = minutes * MIN
    assert backoff(late, first) <= backoff(late + MIN, first)
    day_later = backoff(late + timedelta(days=1), first) - backoff(late, first)
    assert day_later <= timedelta(days=1) / first  # never worse than every interval
    if late >= timedelta(hours=4):
        assert day_later <= timedelta(days=1) // DEFAULT_BACKOFF_CAP + 1


def test_stage_clocks() -> None:
    half_hour = T0 + timedelta(minutes=30)
    repair = T0 + timedelta(days=3)
    # The norms give the localisation time: restoration has no clock of its own.
    assert clocks(T0, half_hour, repair) == {
        Stage.ARRIVED: half_hour,
        Stage.LOCALISED: half_hour,
        Stage.REPAIRED: repair,
    }
    # A later deadline (supply back within a day) is the restoration's clock.
    day = T0 + timedelta(days=1)
    assert clocks(T0, day, repair)[Stage.RESTORED] == day
    assert next_clock("", T0, day, repair) == next_clock("accepted", T0, day, repair)
    assert next_clock("accepted", T0, day, repair).stage is Stage.ARRIVED  # type: ignore[union-attr]
    assert next_clock("arrived", T0, day, repair).stage is Stage.LOCALISED  # type: ignore[union-attr]
    assert next_clock("localised", T0, day, repair).stage is Stage.RESTORED  # type: ignore[union-attr]
    assert next_clock("localised", T0, None, repair).stage is Stage.REPAIRED  # type: ignore[union-attr]
    assert next_clock("repaired", T0, day, repair) is None
    # A row without a repair time (the gas service repairs): nothing after localisation.
    assert Stage.REPAIRED not in clocks(T0, half_hour, None)
    assert next_clock("localised", T0, half_hour, None) is None


@pytest.mark.parametrize(
    ("building", "area", "titles"),
    [(1, "", ["own"]), (2, "ЖК", ["area 0", "area 30"]), (3, "Другой", ["all"])],
)
def test_the_most_specific_ladder_is_climbed(building: int, area: str, titles: list[str]) -> None:
    steps = [
        Step(None, "", 0, "all", 7),
        Step(None, "ЖК", 30, "area 30", 8),
        Step(None, "ЖК", 0, "area 0", None),
        Step(1, "", 10, "own", 9),
    ]
    assert [s.title for s in ladder_for(steps, building, area)] == titles
