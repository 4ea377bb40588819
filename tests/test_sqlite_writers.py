"""SQLite: this process's writers take turns in arrival order; readers wait for none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.channel import EventKind, InboundEvent
from core.storage import queues
from core.storage.database import Database
from core.storage.migrate import upgrade
from core.storage.tables import InboxItem

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path}/writers.db"
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    yield db
    await db.close()


async def _until(condition: Callable[[], bool], tries: int = 1000) -> None:
    """Bounded: at most ``tries`` short sleeps."""
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("not reached in time")


async def test_an_acknowledgement_waits_for_the_write_in_progress_and_is_counted(
    sqlite_db: Database,
) -> None:
    """A long unit of work sees that someone waits (``waiting``) and can end early; the
    waiting insert commits as soon as the lock is released."""
    arrived = InboundEvent("web", "e1", "c1", "c1", EventKind.TEXT, NOW, text="hi")
    async with sqlite_db.transaction() as session:
        session.add(InboxItem(channel="web", event_id="e0", chat="c0", event={}, received_at=NOW))
        await session.flush()
        ack = asyncio.create_task(queues.accept_inbound(sqlite_db, arrived))
        await _until(lambda: sqlite_db.waiting == 1)
        assert not ack.done()
    _, new = await asyncio.wait_for(ack, 10)
    assert new and sqlite_db.waiting == 0
    async with sqlite_db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(InboxItem)) == 2


async def test_readers_do_not_wait_for_a_writer(sqlite_db: Database) -> None:
    async with sqlite_db.transaction() as session:
        session.add(InboxItem(channel="web", event_id="e0", chat="c0", event={}, received_at=NOW))
        await session.flush()

        async def count() -> int | None:
            async with sqlite_db.reading() as reader:
                return await reader.scalar(select(func.count()).select_from(InboxItem))

        # The write is not committed yet: the reader sees the last commit, at once.
        assert await asyncio.wait_for(count(), 5) == 0
