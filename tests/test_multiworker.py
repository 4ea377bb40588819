"""Two service processes on one PostgreSQL: every event handled once, every message sent once."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import select

from core.storage.tables import InboxItem, WebMessage
from tests.support.harness import FakeClock, make_harness
from tests.support.postgres import reset_database


async def test_two_workers_share_the_queues(postgres_url: str, tmp_path, clock: FakeClock) -> None:
    await reset_database(postgres_url)
    async with (
        make_harness(postgres_url, tmp_path / "a", clock) as one,
        make_harness(postgres_url, tmp_path / "b", clock) as two,
    ):
        chats = [f"guest-{n}" for n in range(8)]
        for round_ in range(3):
            for chat in chats:
                text = "/help" if round_ else "привет"
                response = await one.post({"chat": chat, "user": chat, "text": text})
                assert response.status == 202

        async def drain(h) -> None:  # type: ignore[no-untyped-def]
            for _ in range(20):
                handled = await h.app.inbox.drain()
                sent = await h.app.outbox.drain()
                if not handled and not sent:
                    return
                await asyncio.sleep(0)

        await asyncio.gather(drain(one), drain(two))
        await asyncio.gather(drain(one), drain(two))

        async with one.app.db.reading() as session:
            pending = await session.scalars(
                select(InboxItem).where(InboxItem.processed_at.is_(None))
            )
            assert list(pending) == []
            errors = await session.scalars(select(InboxItem).where(InboxItem.attempts > 0))
            assert list(errors) == []
            rows = list(await session.scalars(select(WebMessage).order_by(WebMessage.id)))
        per_chat = Counter(row.chat for row in rows)
        # Each chat: a greeting for the first message, then help twice: 3 messages, no more.
        assert per_chat == dict.fromkeys(chats, 3), per_chat
        for chat in chats:
            texts = [row.body["text"] for row in rows if row.chat == chat]
            assert "Здравствуйте" in texts[0]
            assert all("Как подать заявку" in t for t in texts[1:])
