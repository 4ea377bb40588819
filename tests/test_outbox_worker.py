"""The outbox worker's rounds on both engines: many chats at once, each in order, and a
stop in the middle of a round records what already went out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.workers import CLAIM_LEASE, OutboxWorker
from core.channel import Capabilities, Delivered, OutboundMessage
from core.storage.database import Database
from core.storage.tables import OutboxItem
from tests.support.waiting import wait_until

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class StubChannel:
    """Sends at once, except to chats listed in ``hang`` (those never return)."""

    name = "web"
    capabilities = Capabilities()

    def __init__(self, hang: frozenset[str] = frozenset()) -> None:
        self.hang = hang
        self.sent: list[tuple[str, str]] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            if chat in self.hang:
                await asyncio.Event().wait()
            self.sent.append((chat, message.text))
            return Delivered(f"{chat}-{message.text}")
        finally:
            self.in_flight -= 1


async def queue(db: Database, messages: list[tuple[str, str]]) -> None:
    async with db.transaction() as session:
        for chat, text in messages:
            session.add(
                OutboxItem(
                    channel="web",
                    chat=chat,
                    body={"text": text},
                    next_attempt_at=NOW,
                    created_at=NOW,
                )
            )


async def statuses(db: Database) -> dict[str, str]:
    async with db.reading() as session:
        rows = await session.scalars(select(OutboxItem).order_by(OutboxItem.id))
        return {f"{o.chat}:{o.body['text']}": o.status for o in rows}


async def test_many_chats_at_once_each_in_order(db: Database) -> None:
    await queue(db, [(f"c{i % 5}", f"m{i}") for i in range(20)])
    channel = StubChannel()
    worker = OutboxWorker(db, {"web": channel}, lambda: NOW)
    assert await worker.drain() == 20
    assert channel.most_in_flight == 5  # one round: the head of each of the 5 chats
    for chat in (f"c{i}" for i in range(5)):
        texts = [text for c, text in channel.sent if c == chat]
        assert texts == sorted(texts, key=lambda t: int(t[1:]))
    assert set((await statuses(db)).values()) == {"sent"}


async def test_a_stop_mid_round_records_what_went_out(db: Database) -> None:
    await queue(db, [("fast", "one"), ("slow", "two")])
    channel = StubChannel(hang=frozenset({"slow"}))
    worker = OutboxWorker(db, {"web": channel}, lambda: NOW)
    task = asyncio.create_task(worker.drain())
    await wait_until(lambda: channel.sent, what="the fast chat's message to go out")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert channel.sent == [("fast", "one")]
    assert await statuses(db) == {"fast:one": "sent", "slow:two": "pending"}
    # The one cut off is claimed until its lease ends, then sent again (at least once).
    restarted = StubChannel()
    assert await OutboxWorker(db, {"web": restarted}, lambda: NOW).drain() == 0
    after_lease = NOW + CLAIM_LEASE
    assert await OutboxWorker(db, {"web": restarted}, lambda: after_lease).drain() == 1
    assert restarted.sent == [("slow", "two")]
    assert await statuses(db) == {"fast:one": "sent", "slow:two": "sent"}


async def test_each_message_is_recorded_as_it_goes(db: Database) -> None:
    """A message is marked sent as soon as its own send returns, while others of its round
    are still in flight: a process killed then sends again only those in flight."""
    await queue(db, [("fast", "one"), ("slow", "two")])
    channel = StubChannel(hang=frozenset({"slow"}))
    worker = OutboxWorker(db, {"web": channel}, lambda: NOW)
    task = asyncio.create_task(worker.drain())
    try:
        recorded = await wait_until(
            lambda: _status_of(db, "fast:one", "sent"), what="the fast message to be recorded"
        )
        assert recorded and channel.in_flight == 1  # the slow one is still on its way
        assert (await statuses(db))["slow:two"] == "pending"
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def _status_of(db: Database, key: str, wanted: str) -> bool:
    return (await statuses(db)).get(key) == wanted
