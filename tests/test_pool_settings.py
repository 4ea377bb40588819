"""DATABASE_POOL_SIZE and DATABASE_MAX_OVERFLOW reach the PostgreSQL engine."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import pytest

from bot.app import open_database
from bot.settings import load_settings
from tests.support.postgres import reset_database


async def test_the_pool_holds_what_the_settings_say(postgres_url: str) -> None:
    await reset_database(postgres_url)
    settings = load_settings(
        database_url=postgres_url, database_pool_size=2, database_max_overflow=1, _env_file=None
    )
    db = open_database(settings)
    try:
        assert db.engine.pool.size() == 2  # type: ignore[attr-defined]
        async with AsyncExitStack() as held:
            for _ in range(3):  # the pool's two and one more
                await held.enter_async_context(db.engine.connect())
            assert db.engine.pool.overflow() == 1  # type: ignore[attr-defined]
            with pytest.raises(TimeoutError):  # a fourth waits for one of them
                await asyncio.wait_for(db.engine.connect().start(), 0.5)
    finally:
        await db.close()
