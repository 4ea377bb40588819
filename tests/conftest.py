"""Shared fixtures: database URLs for both engines, a clock, the service harness."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from core.storage.database import Database
from core.storage.migrate import upgrade
from tests.support.harness import FakeClock, Harness, make_harness
from tests.support.postgres import reset_database

# The transcripts written before automatic assignment show a dispatcher assigning by
# hand; tests that show automatic assignment switch it on explicitly. The environment
# also reaches services started as subprocesses (tests/support/live.py).
os.environ.setdefault("AUTO_ASSIGN", "0")

pytest_plugins = ["tests.support.postgres", "tests.support.live"]


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/test.db"
    url = request.getfixturevalue("postgres_url")
    await reset_database(url)
    return url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A migrated, empty database on each engine."""
    await asyncio.to_thread(upgrade, database_url)
    database = Database(database_url)
    yield database
    await database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def harness(tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The whole service on SQLite with demo data, driven through the web chat API."""
    async with make_harness(f"sqlite+aiosqlite:///{tmp_path}/svc.db", tmp_path, clock) as h:
        yield h


@pytest.fixture
async def any_harness(database_url: str, tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The service harness on each storage engine (SQLite and PostgreSQL)."""
    async with make_harness(database_url, tmp_path, clock) as h:
        yield h


@pytest.fixture
async def h5(tmp_path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The service harness with the classifier switched off (types chosen by buttons)."""
    async with make_harness(f"sqlite+aiosqlite:///{tmp_path}/h5.db", tmp_path, clock) as h:
        yield h
