"""No inbound message stops the queue, on either engine: a body the edge should have
refused, one no code can read, and the migration that adds the inbox's columns."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import JSON, Integer, String, column, insert, select, table

from bot import texts
from core.channel import EventKind, InboundEvent
from core.storage import queues
from core.storage.database import Database
from core.storage.migrate import upgrade
from core.storage.tables import UTC_TIME, InboxItem
from tests.support.harness import FakeClock, Harness, file_request, make_harness

GROUP = "dispatch"


def event(
    event_id: str, chat: str, kind: EventKind, clock: FakeClock, text: str = "", payload: str = ""
) -> InboundEvent:
    return InboundEvent("web", event_id, chat, chat, kind, clock(), text=text, payload=payload)


async def test_the_attack_stops_no_one(any_harness: Harness) -> None:
    """A NUL button and a lone surrogate stored around the edge's checks: each sender
    is answered politely, and everyone else, and they themselves, go on as usual."""
    h = any_harness
    await queues.accept_inbound(
        h.app.db, event("atk-1", "e", EventKind.BUTTON, h.clock, payload="\x00")
    )
    await queues.accept_inbound(
        h.app.db,
        event("atk-2", "res-2", EventKind.TEXT, h.clock, text="Садовая 12, кв 45 a\ud800b"),
    )
    greeting = await h.say("res-1", "Здравствуйте")
    assert "Здравствуйте" in greeting[0].text, [m.text for m in greeting]
    unsupported = texts.t("ru", "unsupported")
    assert (await h.read("e"))[-1].text == unsupported
    assert (await h.read("res-2"))[-1].text == unsupported
    # Not stuck: the same resident files a request as anyone does.
    filed = await file_request(h, "res-2", "Садовая 12, кв 45 — течёт кран на кухне")
    assert "принята" in filed.confirmation
    async with h.app.db.reading() as session:
        pending = await session.scalar(select(InboxItem.id).where(InboxItem.processed_at.is_(None)))
        quarantined = await session.scalar(select(InboxItem.id).where(InboxItem.quarantined))
    assert pending is None and quarantined is None  # answered, not set aside


async def test_keys_that_cannot_be_stored_are_refused_alone(db: Database) -> None:
    """Events acknowledged together are committed together: one whose chat cannot be a
    key must not take the others' commit down with it."""
    clock = FakeClock()
    results = await asyncio.gather(
        queues.accept_inbound(db, event("1", "ok", EventKind.TEXT, clock, text="a")),
        queues.accept_inbound(db, event("2", "c\x00", EventKind.TEXT, clock, text="b")),
        queues.accept_inbound(db, event("3", "c\ud800", EventKind.TEXT, clock, text="c")),
        queues.accept_inbound(db, event("4", "c" * 65, EventKind.TEXT, clock, text="d")),
        queues.accept_inbound(db, event("5", "ok", EventKind.TEXT, clock, text="e")),
        return_exceptions=True,
    )
    stored, nul, surrogate, long, later = results
    assert all(isinstance(r, queues.UnstorableEvent) for r in (nul, surrogate, long)), results
    assert stored == (1, True) and later == (2, True)
    assert [p.chat for p in await queues.pending_inbox(db, 10)] == ["ok", "ok"]


async def test_a_row_that_always_fails_is_quarantined(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    async with make_harness(database_url, tmp_path, clock, inbox_max_attempts=2) as h:
        # A body no version of the code can read, ahead of the same chat's next message.
        async with h.app.db.transaction() as session:
            session.add(
                InboxItem(
                    channel="web",
                    event_id="unreadable",
                    chat="res-1",
                    event={"kind": "hologram", "text": "\x00"},
                    received_at=clock(),
                )
            )
        replies = await h.say("res-1", "Здравствуйте")
        assert replies[0].text == texts.t("ru", "error")
        assert "Здравствуйте" in replies[1].text, [m.text for m in replies]
        async with h.app.db.reading() as session:
            row = await session.scalar(select(InboxItem).where(InboxItem.event_id == "unreadable"))
        assert row is not None and row.quarantined and row.processed_at is not None
        assert row.attempts == 2 and row.error.startswith("KeyError")
        # The dispatchers see it.
        failed = (await h.say("disp-1", "/failed", chat=GROUP))[-1].text
        assert texts.t("ru", "failed_inbox_list") in failed
        assert f"#{row.id} web/res-1: KeyError" in failed


async def test_the_migration_backfills_around_unreadable_bodies(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url, "0005")
    db = Database(database_url)
    bodies: dict[str, object] = {
        "album": {"text": "", "media_group": "g1"},
        "nul": {"text": "a\x00b", "media_group": "g\x002"},
        "surrogate": {"text": "a\ud800b", "media_group": "g3"},
        "not an object": ["media_group"],
        "done": {"media_group": "old"},
    }
    # The inbox as revision 0005 has it.
    inbox = table(
        "inbox",
        column("channel", String),
        column("event_id", String),
        column("chat", String),
        column("event", JSON),
        column("received_at", UTC_TIME),
        column("processed_at", UTC_TIME),
        column("attempts", Integer),
        column("error", String),
    )
    start = FakeClock()()
    try:
        async with db.transaction() as session:
            await session.execute(
                insert(inbox),
                [
                    {
                        "channel": "web",
                        "event_id": name,
                        "chat": "c",
                        "event": body,
                        "received_at": start + timedelta(seconds=i),
                        "processed_at": start if name == "done" else None,
                        "attempts": 3 if name == "done" else 0,
                        "error": "",
                    }
                    for i, (name, body) in enumerate(bodies.items())
                ],
            )
    finally:
        await db.close()
    await asyncio.to_thread(upgrade, database_url)
    db = Database(database_url)
    try:
        async with db.reading() as session:
            rows = await session.execute(
                select(InboxItem.event_id, InboxItem.media_group, InboxItem.quarantined)
            )
            found = {name: (group, quarantined) for name, group, quarantined in rows}
        assert found == {
            "album": ("g1", False),
            "nul": ("g2", False),
            "surrogate": ("g3", False),
            "not an object": ("", False),
            "done": ("", True),  # processed: the album id is not needed; it was given up
        }
        pending = await queues.pending_inbox(db, 10)
        assert [p.media_group for p in pending] == ["g1", "g2", "g3", ""]
    finally:
        await db.close()
