"""Retention: finished inbox and outbox rows and web chat messages older than
``RETENTION_DAYS`` are deleted in bounded batches; pending and failed rows, requests and
their history stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from core.storage import queues
from core.storage.database import Database
from core.storage.tables import InboxItem, OutboxItem, Request, RequestEvent, WebMessage
from tests.support.harness import Harness, file_request

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BEFORE = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)  # NOW less 90 days
OLD = datetime(2026, 3, 3, 11, 59, tzinfo=UTC)
RECENT = datetime(2026, 3, 3, 12, 1, tzinfo=UTC)


def inbox(
    tag: str, processed: datetime | None, error: str = "", *, quarantined: bool = False
) -> InboxItem:
    return InboxItem(
        channel="web",
        event_id=tag,
        chat="c",
        event={},
        received_at=OLD,
        processed_at=processed,
        error=error,
        quarantined=quarantined,
    )


def outbox(tag: str, status: str, created: datetime) -> OutboxItem:
    return OutboxItem(
        channel="web",
        chat=tag,
        body={"text": tag},
        status=status,
        next_attempt_at=created,
        created_at=created,
    )


async def test_only_old_finished_rows_are_deleted(db: Database) -> None:
    async with db.transaction() as session:
        session.add_all(
            [
                inbox("old-done", OLD),
                inbox("old-pending", None),
                inbox("old-quarantined", OLD, error="ValueError: x", quarantined=True),
                inbox("old-retried", OLD, error="ValueError: once, then handled"),
                inbox("recent-done", RECENT),
                outbox("old-sent", "sent", OLD),
                outbox("old-dead", "failed", OLD),
                outbox("old-pending", "pending", OLD),
                outbox("recent-sent", "sent", RECENT),
                WebMessage(chat="old", body={}, created_at=OLD),
                WebMessage(chat="recent", body={}, created_at=RECENT),
            ]
        )
    assert await queues.prune_inbox(db, BEFORE, 100) == 2
    assert await queues.prune_outbox(db, BEFORE, 100) == 2
    assert await queues.prune_web_messages(db, BEFORE, 100) == 1
    async with db.reading() as session:
        assert set(await session.scalars(select(InboxItem.event_id))) == {
            "old-pending",
            "old-quarantined",
            "recent-done",
        }
        assert set(await session.scalars(select(OutboxItem.chat))) == {
            "old-pending",
            "recent-sent",
        }
        assert list(await session.scalars(select(WebMessage.chat))) == ["recent"]


async def test_each_batch_deletes_at_most_the_limit_oldest_first(db: Database) -> None:
    async with db.transaction() as session:
        session.add_all(WebMessage(chat=f"m{i}", body={}, created_at=OLD) for i in range(7))
    assert await queues.prune_web_messages(db, BEFORE, 3) == 3
    async with db.reading() as session:
        left = list(await session.scalars(select(WebMessage.chat).order_by(WebMessage.id)))
    assert left == ["m3", "m4", "m5", "m6"]
    assert await queues.prune_web_messages(db, BEFORE, 3) == 3
    assert await queues.prune_web_messages(db, BEFORE, 3) == 1
    assert await queues.prune_web_messages(db, BEFORE, 3) == 0


async def counts(h: Harness) -> dict[str, int]:
    async with h.app.db.reading() as session:
        return {
            table.__name__: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (InboxItem, OutboxItem, WebMessage, Request, RequestEvent)
        }


async def test_the_sweep_keeps_requests_and_their_history(any_harness: Harness) -> None:
    h = any_harness
    assert h.app.sweeper is not None
    assert h.app.settings.retention_days == 90
    filed_at = h.clock.now
    await file_request(h)
    before = await counts(h)
    assert min(before.values()) > 0, before
    await h.app.sweeper.sweep_retention(filed_at + timedelta(days=89))
    assert await counts(h) == before
    await h.app.sweeper.sweep_retention(filed_at + timedelta(days=91))
    after = await counts(h)
    assert after == {**before, "InboxItem": 0, "OutboxItem": 0, "WebMessage": 0}
