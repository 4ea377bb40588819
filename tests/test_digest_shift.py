"""The morning digest helps a shift: late and nearly late by number, yesterday's share on
time and median reaction times, jobs awaiting the resident, repeated requests per
building, active outages and who is on duty today."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from core.lifecycle import Action
from tests.support.harness import FakeClock, Harness, make_harness
from tests.test_sweeps import GROUP, act, file_direct, msk, sweep, texts_of


@pytest.fixture
async def day(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/day.db", tmp_path, clock, auto_assign=True
    ) as h:
        await sweep(h)  # Tuesday's digest, out of the way
        await h.skip(GROUP)
        yield h


async def at(h: Harness, hour: int, minute: int = 0) -> None:
    h.clock.now = msk(24, hour, minute).astimezone(UTC)


async def test_the_digest_tells_the_shift_what_it_needs(day: Harness) -> None:
    h = day
    await at(h, 10)
    flood = await file_direct(h, "water", "emergency")  # 30 minutes
    leak = await file_direct(h, "water", "normal")  # 5 working days
    await at(h, 10, 6)
    await act(h, flood.id, "tech-1", Action.ACCEPT)
    await at(h, 10, 10)
    await act(h, leak.id, "tech-1", Action.ACCEPT)
    await at(h, 10, 20)
    await act(h, leak.id, "tech-1", Action.START)
    await act(h, flood.id, "tech-1", Action.START)
    await act(h, leak.id, "tech-1", Action.DONE, reason="заменена прокладка")
    await at(h, 11)
    await act(h, flood.id, "tech-1", Action.DONE, reason="заменён участок")  # after 10:30
    lift = await file_direct(h, "elevator", "urgent")  # due Wednesday 11:00
    await h.say(
        "disp-1", "/outage Садовая 12 плановое отключение холодной воды до 26.11 20:00", chat=GROUP
    )
    await h.skip(GROUP)

    await sweep(h, msk(25, 8).astimezone(UTC))
    digest = [t for t in await texts_of(h, GROUP, digests=True) if t.startswith("☀️")]
    assert len(digest) == 1
    text = digest[0]
    assert f"Срок истекает в ближайшие 4 ч: №{lift.number}" in text
    assert "Вчера выполнено в срок: 50% (1 из 2)" in text
    assert "от подачи до принятия 8 мин, до прибытия техника 20 мин" in text
    assert f"Ждут подтверждения жителя: №{flood.number}, №{leak.number}" in text
    assert "• ул. Ленина, д. 5 — Водоснабжение: 2" in text
    assert "плановое отключение холодной воды" in text and "Действующие отключения" in text
    assert "Дежурные сегодня:\n• Сергей Иванов, +79001110001: 00:00-08:00, 17:00-24:00" in text


async def test_a_quiet_day_says_only_what_there_is(day: Harness) -> None:
    h = day
    await sweep(h, h.clock.now + timedelta(days=4))  # Saturday: tech-1 on duty all day
    digest = [t for t in await texts_of(h, GROUP, digests=True) if t.startswith("☀️")]
    assert len(digest) == 1
    assert "в срок" not in digest[0] and "Медиана" not in digest[0]
    assert "Повторяющиеся" not in digest[0] and "отключения" not in digest[0]
    assert "Сергей Иванов, +79001110001: 00:00-24:00" in digest[0]


async def test_nearly_late_is_the_settings_window(tmp_path: Path, clock: FakeClock) -> None:
    """DIGEST_NEARLY_LATE_HOURS=2: a lift due three hours after the digest is not listed."""
    database = f"sqlite+aiosqlite:///{tmp_path}/near.db"
    async with make_harness(
        database, tmp_path, clock, auto_assign=True, digest_nearly_late_hours=2
    ) as h:
        await sweep(h)
        await h.skip(GROUP)
        await at(h, 11)
        await file_direct(h, "elevator", "urgent")  # due Wednesday 11:00
        await h.skip(GROUP)
        await sweep(h, msk(25, 8).astimezone(UTC))
        digest = [t for t in await texts_of(h, GROUP, digests=True) if t.startswith("☀️")]
        assert len(digest) == 1
        assert "Срок истекает" not in digest[0]
