"""Storage on both engines: migrations, inbox de-duplication, outbox order, concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from core.channel import EventKind, InboundEvent
from core.storage import queues
from core.storage.database import Database
from core.storage.migrate import upgrade
from core.storage.tables import (
    Base,
    Conversation,
    InboxItem,
    MessageRef,
    OutboxItem,
    on_engine,
)

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def event(event_id: str, chat: str = "c1") -> InboundEvent:
    return InboundEvent("web", event_id, chat, chat, EventKind.TEXT, NOW, text="hi")


async def test_migrations_match_the_models(db: Database) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(
            connection, opts={"include_object": on_engine(connection.dialect.name)}
        )
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        assert await connection.run_sync(diff) == []
    # Migrating again is a no-op.
    await asyncio.to_thread(upgrade, db.url)


async def test_inbox_deduplicates_on_channel_and_event_id(db: Database) -> None:
    first = await queues.accept_inbound(db, event("e1"))
    again = await queues.accept_inbound(db, event("e1"))
    other = await queues.accept_inbound(db, event("e2"))
    assert first == (first[0], True)
    assert again == (first[0], False)
    assert other[1] and other[0] != first[0]
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(InboxItem)) == 2
        item = await session.get(InboxItem, first[0])
        assert item is not None and item.received_at == NOW  # aware UTC round trip
        assert InboundEvent.from_json(item.event) == event("e1")


async def test_outbox_never_overtakes_within_a_chat(db: Database) -> None:
    async with db.transaction() as session:
        for chat, delay in (("a", 60), ("a", 0), ("b", 0)):
            session.add(
                OutboxItem(
                    channel="web",
                    chat=chat,
                    body={"text": chat},
                    next_attempt_at=NOW + timedelta(seconds=delay),
                    created_at=NOW,
                )
            )
    due = await queues.due_outbox(db, NOW, 10)
    assert [item.chat for item in due] == ["b"]  # a's second waits behind a's first
    due = await queues.due_outbox(db, NOW + timedelta(seconds=61), 10)
    assert [item.chat for item in due] == ["a", "b"]
    first = due[0]
    retry = queues.Settled(first, error="boom", retry_in=timedelta(seconds=5))
    await queues.settle_outbox(db, [retry], NOW, 2)
    async with db.reading() as session:
        row = await session.get(OutboxItem, first.id)
        assert row is not None and row.attempts == 1 and row.status == "pending"
    due = await queues.due_outbox(db, NOW + timedelta(seconds=66), 10)
    (retried,) = [d for d in due if d.id == first.id]
    assert retried.attempts == 1
    retry = queues.Settled(retried, error="boom", retry_in=timedelta(seconds=5))
    await queues.settle_outbox(db, [retry], NOW, 2)
    async with db.reading() as session:
        dead = await session.get(OutboxItem, first.id)
        assert dead is not None and dead.status == "failed" and dead.last_error == "boom"


async def test_the_due_query_walks_the_pending_rows_in_order(db: Database) -> None:
    """However long the queue, a round reads the pending rows in id order and stops at
    its size: no sort of everything due (SQLite's plan; PostgreSQL plans by statistics,
    and the semantics are the tests around this one)."""
    if not db.sqlite:
        pytest.skip("the plan asserted is SQLite's")
    compiled = queues.due_query(NOW, 100).compile(dialect=db.engine.dialect)
    async with db.reading() as session:
        connection = await session.connection()
        plan = await connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}", tuple(None for _ in compiled.positiontup or ())
        )
        steps = " / ".join(str(row[-1]) for row in plan)
    assert "USING INDEX ix_outbox_pending (status=?)" in steps
    assert "ix_outbox_heads (status=? AND channel=? AND chat=? AND id<?)" in steps
    assert "TEMP B-TREE" not in steps


async def test_a_press_answer_never_waits_behind_chat_messages(db: Database) -> None:
    async with db.transaction() as session:
        for body, delay in (({"text": "held"}, 60), ({"text": "", "answer_to": "cb"}, 0)):
            session.add(
                OutboxItem(
                    channel="telegram",
                    chat="a",
                    body=body,
                    next_attempt_at=NOW + timedelta(seconds=delay),
                    created_at=NOW,
                )
            )
    due = await queues.due_outbox(db, NOW, 10)
    assert [item.body.get("answer_to") for item in due] == ["cb"]


async def test_claims_are_exclusive_and_outcomes_settle_in_one_go(db: Database) -> None:
    async with db.transaction() as session:
        for chat in ("a", "b", "c"):
            session.add(
                OutboxItem(
                    channel="web",
                    chat=chat,
                    body={"text": chat, "edit_key": "card"},
                    next_attempt_at=NOW,
                    created_at=NOW,
                )
            )
    a, b, c = await queues.due_outbox(db, NOW, 10)
    lease = timedelta(seconds=60)
    assert await queues.claim_outbox(db, [a.id, b.id, c.id], NOW, lease) == {a.id, b.id, c.id}
    assert await queues.claim_outbox(db, [a.id, b.id], NOW, lease) == set()  # taken
    await queues.settle_outbox(
        db,
        [
            queues.Settled(a, delivery_id="7", edit_key="card"),
            queues.Settled(b, error="gone", unreachable=True),
            queues.Settled(c, error="later", retry_in=timedelta(seconds=5)),
        ],
        NOW,
        8,
    )
    async with db.reading() as session:
        rows = {o.chat: o for o in await session.scalars(select(OutboxItem))}
        refs = list(await session.scalars(select(MessageRef)))
    assert (rows["a"].status, rows["a"].delivery_id, rows["a"].attempts) == ("sent", "7", 1)
    assert (rows["b"].status, rows["b"].last_error) == ("failed", "gone")
    assert rows["c"].status == "pending" and rows["c"].next_attempt_at == NOW + timedelta(seconds=5)
    assert [(r.chat, r.edit_key, r.delivery_id) for r in refs] == [("a", "card", "7")]


async def test_conversation_state_uses_optimistic_concurrency(db: Database) -> None:
    async with db.transaction() as session:
        session.add(Conversation(channel="web", chat="c", user_ref="u", state={}, updated_at=NOW))
    async with db.sessions() as one, db.sessions() as two:
        b = await two.scalar(select(Conversation))
        await two.commit()  # a copy read before the other change (SQLite: one writer at once)
        a = await one.scalar(select(Conversation))
        assert a is not None and b is not None
        a.state = {"step": "building"}
        await one.commit()
        b.state = {"step": "location"}
        with pytest.raises(StaleDataError):
            await two.commit()
    async with db.reading() as session:
        saved = await session.scalar(select(Conversation))
        assert saved is not None and saved.state == {"step": "building"} and saved.version == 2


async def test_events_arriving_together_are_committed_together(db: Database) -> None:
    events = [event(f"g{n % 7}", chat=f"c{n % 3}") for n in range(21)]
    results = await asyncio.gather(*(queues.accept_inbound(db, e) for e in events))
    by_event: dict[str, set[int]] = {}
    for e, (item_id, _) in zip(events, results, strict=True):
        by_event.setdefault(e.event_id, set()).add(item_id)
    assert all(len(ids) == 1 for ids in by_event.values())  # one row per event id
    assert sum(new for _, new in results) == 7
    # Ids follow arrival (the worker handles a chat's events in id order).
    firsts = [item_id for item_id, new in results if new]
    assert firsts == sorted(firsts)
    async with db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(InboxItem)) == 7


async def test_upgrade_marks_the_press_answers_already_queued(database_url: str) -> None:
    """Migration 0004: a press answer queued before it still goes out ahead of the chat."""
    await asyncio.to_thread(upgrade, database_url, "0003")
    db = Database(database_url)
    try:
        async with db.engine.begin() as connection:
            for n, body in enumerate(('{"text": "", "answer_to": "cb-1"}', '{"text": "hi"}')):
                await connection.execute(
                    text(
                        "INSERT INTO outbox (channel, chat, body, status, attempts,"
                        " next_attempt_at, last_error, delivery_id, created_at)"
                        " VALUES ('telegram', '7', :body, 'pending', 0, :at, '', '', :at)"
                    ),
                    {"body": body, "at": NOW + timedelta(seconds=n)},
                )
        await asyncio.to_thread(upgrade, database_url)
        async with db.reading() as session:
            rows = (await session.scalars(select(OutboxItem).order_by(OutboxItem.id))).all()
        assert [row.answer for row in rows] == [True, False]
    finally:
        await db.close()
