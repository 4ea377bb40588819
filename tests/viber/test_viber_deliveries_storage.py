"""Receipts on sent messages and chats lost for good, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.storage.database import Database
from core.storage.deliveries import mark_unreachable, record_receipt
from core.storage.tables import Identity, OutboxItem, Person

T0 = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


async def sent(db: Database, delivery_id: str, channel: str = "viber") -> int:
    async with db.transaction() as session:
        row = OutboxItem(
            channel=channel,
            chat="u1=",
            body={"text": "x"},
            status="sent",
            delivery_id=delivery_id,
            next_attempt_at=T0,
            created_at=T0,
            sent_at=T0,
        )
        session.add(row)
        await session.flush()
        return row.id


async def receipt_of(db: Database, row_id: int) -> tuple[str, datetime | None]:
    async with db.reading() as session:
        row = await session.get(OutboxItem, row_id)
        assert row is not None
        return row.receipt, row.receipt_at


async def test_receipts_are_kept_on_the_sent_row_and_never_go_back(db: Database) -> None:
    row = await sent(db, "5000000000001")
    other = await sent(db, "5000000000001", channel="telegram")
    assert await receipt_of(db, row) == ("", None)
    assert await record_receipt(db, "viber", "5000000000001", "delivered", T0)
    assert await record_receipt(db, "viber", "5000000000001", "seen", T0 + timedelta(minutes=1))
    # A late "delivered" after "seen" changes nothing.
    assert not await record_receipt(db, "viber", "5000000000001", "delivered", T0)
    assert await receipt_of(db, row) == ("seen", T0 + timedelta(minutes=1))
    assert await receipt_of(db, other) == ("", None)


async def test_a_failure_on_the_device_is_kept(db: Database) -> None:
    row = await sent(db, "77")
    assert await record_receipt(db, "viber", "77", "failed", T0)
    assert await receipt_of(db, row) == ("failed", T0)


async def test_a_receipt_for_an_unknown_message_records_nothing(db: Database) -> None:
    await sent(db, "77")
    assert not await record_receipt(db, "viber", "78", "seen", T0)


async def test_an_unsubscribed_chat_is_marked_unreachable(db: Database) -> None:
    async with db.transaction() as session:
        person = Person(name="Иван", role="technician", created_at=T0)
        session.add(person)
        await session.flush()
        for channel, chat in (("viber", "u1="), ("viber", "u2="), ("web", "u1=")):
            session.add(
                Identity(
                    person_id=person.id,
                    channel=channel,
                    external_id=chat,
                    chat=chat,
                    last_seen_at=T0,
                )
            )
    assert await mark_unreachable(db, "viber", "u1=") == 1
    assert await mark_unreachable(db, "viber", "u1=") == 0
    async with db.reading() as session:
        rows = (
            await session.execute(
                select(Identity.channel, Identity.chat, Identity.unreachable).order_by(
                    Identity.channel, Identity.chat
                )
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("viber", "u1=", True),
        ("viber", "u2=", False),
        ("web", "u1=", False),
    ]
