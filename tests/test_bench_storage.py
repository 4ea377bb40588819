"""The Telegram benchmark starts each phase on an empty database, on either engine."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from benchmarks.telegram_bench import Storage
from core.storage.database import is_sqlite


async def _tables(url: str) -> list[str]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()


async def test_a_phase_does_not_see_the_previous_phases_data(database_url: str, tmp_path):
    store = Storage(None if is_sqlite(database_url) else database_url)
    for phase in ("first", "second"):
        (tmp_path / phase).mkdir()
    first = await store.fresh(tmp_path / "first")
    engine = create_async_engine(first, poolclass=NullPool)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE inbox (id INTEGER PRIMARY KEY)"))
    finally:
        await engine.dispose()
    assert await _tables(first) == ["inbox"]

    second = await store.fresh(tmp_path / "second")

    assert await _tables(second) == []
