"""Fixtures: the fake Bot API server, and the service wired to it in either mode."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.harness import FakeClock
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.harness import TgHarness, make_tg_harness


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture(params=["polling", "webhook"])
async def tg(
    request: pytest.FixtureRequest, tmp_path, fake: FakeTelegram
) -> AsyncIterator[TgHarness]:
    """The service on SQLite with demo data, Telegram on, in each inbound mode."""
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    async with make_tg_harness(url, tmp_path, FakeClock(), fake, request.param) as h:
        yield h


@pytest.fixture
async def tg_webhook(tmp_path, fake: FakeTelegram) -> AsyncIterator[TgHarness]:
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    async with make_tg_harness(url, tmp_path, FakeClock(), fake, "webhook") as h:
        yield h
