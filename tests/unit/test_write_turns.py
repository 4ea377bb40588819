"""SQLite's writers take turns: first come, first served, acknowledgements first."""

from __future__ import annotations

import asyncio

import pytest

from core.storage.database import WriteTurns


async def _writer(turns: WriteTurns, name: str, order: list[str], urgent: bool = False) -> None:
    await turns.acquire(urgent)
    order.append(name)
    await asyncio.sleep(0)
    turns.release()


async def test_urgent_writers_go_before_those_already_waiting() -> None:
    turns = WriteTurns()
    order: list[str] = []
    await turns.acquire(urgent=False)  # a worker's transaction in progress
    tasks = [
        asyncio.create_task(_writer(turns, "outbox", order)),
        asyncio.create_task(_writer(turns, "inbox", order)),
    ]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(_writer(turns, "ack", order, urgent=True)))
    await asyncio.sleep(0)
    assert turns.waiting == 3
    turns.release()
    await asyncio.gather(*tasks)
    assert order == ["ack", "outbox", "inbox"]
    assert turns.waiting == 0 and not turns.busy


async def test_a_cancelled_wait_neither_keeps_nor_loses_the_turn() -> None:
    turns = WriteTurns()
    order: list[str] = []
    await turns.acquire(urgent=False)
    gone = asyncio.create_task(turns.acquire(urgent=True))
    later = asyncio.create_task(_writer(turns, "later", order))
    await asyncio.sleep(0)
    gone.cancel()  # cancelled while waiting: it leaves the queue
    with pytest.raises(asyncio.CancelledError):
        await gone
    turns.release()
    await later
    assert order == ["later"] and not turns.busy
    # Granted and cancelled in the same instant: the turn passes on, not lost.
    await turns.acquire(urgent=False)
    granted = asyncio.create_task(turns.acquire(urgent=False))
    after = asyncio.create_task(_writer(turns, "after", order))
    await asyncio.sleep(0)
    turns.release()  # the turn goes to ``granted`` ...
    granted.cancel()  # ... which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await granted
    await asyncio.wait_for(after, 5)  # a lost turn would leave it waiting for ever
    assert order == ["later", "after"] and not turns.busy
