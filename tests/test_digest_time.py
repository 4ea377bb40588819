"""The morning digest waits for ``DIGEST_TIME``: none at a start, the first at the next
``DIGEST_TIME``, one a day.  The expected moments are written out in UTC (Moscow is UTC+3
all year); the fake clock starts on Tuesday 2026-11-24 at 07:00 UTC (10:00 in Moscow)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.scheduler import Sweeper
from tests.support.harness import FakeClock, Harness, make_harness

GROUP = "dispatch"


@pytest.fixture
async def h(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with make_harness(f"sqlite+aiosqlite:///{tmp_path}/d.db", tmp_path, clock) as harness:
        yield harness


async def digests_at(h: Harness, at: datetime, sweeper: Sweeper | None = None) -> int:
    """Sweep at ``at`` and deliver; how many digests the group got."""
    h.clock.now = at
    sweeper = sweeper or h.app.sweeper
    assert sweeper is not None
    await sweeper.run_once(at)
    await h.settle()
    return sum("Сводка" in m.text for m in await h.read(GROUP))


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def test_a_new_install_waits_for_the_next_morning(h: Harness) -> None:
    assert h.clock.now == utc(24, 7)  # 10:00 in Moscow, after the day's 08:00
    assert await digests_at(h, utc(24, 7)) == 0
    assert await digests_at(h, utc(24, 20)) == 0
    assert await digests_at(h, utc(25, 4, 59)) == 0  # 07:59 in Moscow
    assert await digests_at(h, utc(25, 5, 0)) == 1  # 08:00
    assert await digests_at(h, utc(25, 5, 1)) == 0
    assert await digests_at(h, utc(25, 12)) == 0
    assert await digests_at(h, utc(26, 5, 0) + timedelta(seconds=30)) == 1


async def test_a_start_after_the_time_sends_nothing_that_day(h: Harness) -> None:
    assert await digests_at(h, utc(25, 4)) == 0
    h.clock.now = utc(25, 6)  # the service restarts at 09:00 in Moscow: no digest yet
    restarted = Sweeper(h.app.db, h.app.services, h.clock, h.app.outbox.wake.set)
    assert await digests_at(h, utc(25, 6), restarted) == 0
    assert await digests_at(h, utc(26, 5), restarted) == 1


@pytest.mark.parametrize(
    ("digest_time", "first"),
    [("21:30", utc(24, 18, 30)), ("00:00", utc(24, 21, 0)), ("09:59", utc(25, 6, 59))],
)
async def test_the_first_digest_comes_at_the_next_digest_time(
    tmp_path: Path, clock: FakeClock, digest_time: str, first: datetime
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/d.db"
    async with make_harness(url, tmp_path, clock, digest_time=digest_time) as h:
        assert await digests_at(h, first - timedelta(minutes=1)) == 0
        assert await digests_at(h, first) == 1
        assert await digests_at(h, first + timedelta(hours=23, minutes=59)) == 0
        assert await digests_at(h, first + timedelta(days=1)) == 1
