"""Inbox and outbox persistence: the durable ends of the message flow."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.channel import InboundEvent
from core.ports import UnstorableEvent as UnstorableEvent  # raised here, defined by the port
from core.storage.database import Database
from core.storage.tables import Identity, InboxItem, MessageRef, OutboxItem, WebMessage
from core.text_safety import text_problem, without_controls


async def accept_inbound(db: Database, event: InboundEvent) -> tuple[int, bool]:
    """Commit an inbound event to the inbox; return (inbox id, is new).

    A redelivered event (same channel and event id) is recognised and not stored twice.
    Events arriving together are committed together (group commit), so under load an
    acknowledgement waits for one short transaction, not for a queue of them.  An event
    whose keys cannot be stored raises :class:`UnstorableEvent` here, before it could
    fail the insert of the others committed with it.
    """
    problem = _unstorable(event)
    if problem is not None:
        raise UnstorableEvent(problem)
    batcher = _batchers.get(db)
    if batcher is None:
        batcher = _batchers[db] = _InboxBatcher(db)
    return await batcher.submit(event)


def _unstorable(event: InboundEvent) -> str | None:
    """Why the columns the inbox is keyed and ordered by cannot hold this event's keys
    (the body is stored whatever it holds: ``json`` keeps any string escaped)."""
    for name in ("channel", "event_id", "chat"):
        value: str = getattr(event, name)
        problem = text_problem(value)
        if problem is not None:
            return f"{name}: {problem}"
        if len(value) > _chars(name):
            return f"{name}: longer than {_chars(name)} characters"
    return None


def _chars(column: str) -> int:
    """The length of one of the inbox's string columns."""
    kind = InboxItem.__table__.c[column].type
    assert isinstance(kind, String) and kind.length is not None
    return kind.length


#: The longest album id the inbox keeps (a longer one is cut: its parts still meet).
_MEDIA_GROUP_CHARS = _chars("media_group")


class _InboxBatcher:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.pending: list[tuple[InboundEvent, asyncio.Future[tuple[int, bool]]]] = []
        self.task: asyncio.Task[None] | None = None

    async def submit(self, event: InboundEvent) -> tuple[int, bool]:
        future: asyncio.Future[tuple[int, bool]] = asyncio.get_running_loop().create_future()
        self.pending.append((event, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._flush_all())
        return await future

    async def _flush_all(self) -> None:
        while self.pending:
            batch, self.pending = self.pending, []
            try:
                results = await _insert_batch(self.db, [event for event, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)


_batchers: weakref.WeakKeyDictionary[Database, _InboxBatcher] = weakref.WeakKeyDictionary()


#: INSERT ... ON CONFLICT DO NOTHING RETURNING, for SQLite and for PostgreSQL (built once:
#: compiling it costs more than running it).
_STORE_NEW = {
    postgres: insert(InboxItem)
    .on_conflict_do_nothing(index_elements=["channel", "event_id"])
    .returning(InboxItem.channel, InboxItem.event_id, InboxItem.id)
    for postgres, insert in ((False, sqlite_insert), (True, postgres_insert))
}


async def _insert_batch(db: Database, events: list[InboundEvent]) -> list[tuple[int, bool]]:
    async with db.transaction() as session:
        return await _insert_new(session, events, postgres=not db.sqlite)


async def _insert_new(
    session: AsyncSession, events: list[InboundEvent], *, postgres: bool
) -> list[tuple[int, bool]]:
    """Store the events not stored before, in one statement; (inbox id, is new) for each.

    A redelivered event (already stored, or a second copy in this batch) is not stored
    again: the insert skips it on the unique key and its id is looked up instead.
    """
    firsts: dict[tuple[str, str], InboundEvent] = {}
    for event in events:
        firsts.setdefault((event.channel, event.event_id), event)
    values = [
        {
            "channel": e.channel,
            "event_id": e.event_id,
            "chat": e.chat,
            "event": e.to_json(),
            "media_group": without_controls(e.media_group)[:_MEDIA_GROUP_CHARS],
            "received_at": e.received_at,
        }
        for e in firsts.values()
    ]
    connection = await session.connection()
    inserted = await connection.execute(_STORE_NEW[postgres], values)
    fresh = {(channel, event_id): item_id for channel, event_id, item_id in inserted.all()}
    known = dict(fresh)
    for channel in {c for c, e in firsts if (c, e) not in fresh}:
        stored = [e for c, e in firsts if c == channel and (c, e) not in fresh]
        rows = await connection.execute(
            select(InboxItem.event_id, InboxItem.id).where(
                InboxItem.channel == channel, InboxItem.event_id.in_(stored)
            )
        )
        known.update({(channel, event_id): item_id for event_id, item_id in rows.all()})
    results: list[tuple[int, bool]] = []
    for event in events:
        key = (event.channel, event.event_id)
        # The first of the batch's copies of a new event is the new one.
        results.append((known[key], fresh.pop(key, None) is not None))
    return results


class Pending(NamedTuple):
    """What the inbox worker needs to know of a pending event to schedule it."""

    id: int
    channel: str
    chat: str
    received_at: datetime
    media_group: str


async def pending_inbox(db: Database, limit: int) -> list[Pending]:
    """The oldest unprocessed inbox events (without their bodies: those are read in the
    transaction that handles them, so no body is ever read for another's sake)."""
    async with db.reading() as session:
        rows = await session.execute(
            select(
                InboxItem.id,
                InboxItem.channel,
                InboxItem.chat,
                InboxItem.received_at,
                InboxItem.media_group,
            )
            .where(InboxItem.processed_at.is_(None))
            .order_by(InboxItem.id)
            .limit(limit)
        )
        return [Pending(*row) for row in rows.all()]


async def claim_inbox(
    session: AsyncSession, item_id: int, *, postgres: bool, preloaded: bool = False
) -> InboxItem | None:
    """Lock one pending inbox item for processing in this transaction, or None.

    On PostgreSQL several workers may run: an advisory lock per chat keeps one chat's
    events with one worker at a time, and only the chat's earliest pending event is
    taken, so a chat's updates are handled in order.  (SQLite has one process.)
    ``preloaded`` (SQLite only): the row was read in this transaction, which holds the
    write lock, so the session's copy is current.
    """
    item = await session.get(InboxItem, item_id, populate_existing=postgres or not preloaded)
    if item is None or item.processed_at is not None:
        return None
    if not postgres:
        return item
    key = f"inbox:{item.channel}:{item.chat}"
    locked = await session.scalar(select(func.pg_try_advisory_xact_lock(func.hashtext(key))))
    if not locked:
        return None
    item = await session.get(InboxItem, item_id, populate_existing=True, with_for_update=True)
    if item is None or item.processed_at is not None:
        return None
    earlier = await session.scalar(
        select(InboxItem.id)
        .where(
            InboxItem.channel == item.channel,
            InboxItem.chat == item.chat,
            InboxItem.processed_at.is_(None),
            InboxItem.id < item.id,
        )
        .limit(1)
    )
    return None if earlier is not None else item


async def claim_outbox(
    db: Database, ids: Sequence[int], now: datetime, lease: timedelta
) -> set[int]:
    """Take due messages for sending: push their next try past the lease, atomically.

    Only one worker's UPDATE matches a row; if that worker dies mid-send the message is
    due again when the lease ends (delivery is at least once, never lost).  Returns the
    ids this worker now holds."""
    if not ids:
        return set()
    async with db.transaction() as session:
        rows = await session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.id.in_(ids),
                OutboxItem.status == "pending",
                OutboxItem.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + lease)
            .returning(OutboxItem.id)
            .execution_options(synchronize_session=False)
        )
        return {item_id for (item_id,) in rows.all()}


class Due(NamedTuple):
    """A due message, as much of its row as sending and settling it need (plain rows,
    not ORM objects: a round reads up to a hundred)."""

    id: int
    channel: str
    chat: str
    body: dict[str, Any]
    attempts: int
    answer: bool


async def due_outbox(db: Database, now: datetime, limit: int) -> list[Due]:
    """Pending messages that are due, oldest first, never overtaking an earlier one
    still pending for the same chat (per-chat order survives retries).  The answer to
    a button press is not a chat message: it never waits behind the chat's messages."""
    async with db.reading() as session:
        rows = await session.execute(due_query(now, limit))
        return [Due(*row) for row in rows]


def due_query(now: datetime, limit: int) -> Select[tuple[int, str, str, dict[str, Any], int, bool]]:
    """The pending rows are walked in id order (``ix_outbox_pending``) until ``limit``
    are found, each checked for an earlier pending row of its chat (``ix_outbox_heads``):
    a round costs about what it returns, not what is queued."""
    earlier = aliased(OutboxItem)
    behind = (
        select(earlier.id)
        .where(
            earlier.status == "pending",
            earlier.channel == OutboxItem.channel,
            earlier.chat == OutboxItem.chat,
            earlier.id < OutboxItem.id,
        )
        .exists()
    )
    return (
        select(
            OutboxItem.id,
            OutboxItem.channel,
            OutboxItem.chat,
            OutboxItem.body,
            OutboxItem.attempts,
            OutboxItem.answer,
        )
        .where(
            OutboxItem.status == "pending",
            OutboxItem.next_attempt_at <= now,
            or_(OutboxItem.answer, ~behind),
        )
        .order_by(OutboxItem.id)
        .limit(limit)
    )


@dataclass(frozen=True, slots=True)
class Settled:
    """How one delivery attempt ended: ``delivery_id`` set when sent; otherwise an error
    and either a retry delay or, when ``retry_in`` is None, the dead letter."""

    item: Due
    delivery_id: str | None = None
    error: str = ""
    retry_in: timedelta | None = None
    #: The chat refused us for good (blocked the bot): its identity is marked unreachable.
    unreachable: bool = False
    #: A card's ``edit_key``: the delivery id is remembered so later versions edit it.
    edit_key: str = ""
    #: The row's new body (what of a message in parts went out already), when it changed.
    body: dict[str, Any] | None = None


async def settle_outbox(
    db: Database, outcomes: Sequence[Settled], now: datetime, max_attempts: int
) -> None:
    """Record a batch of delivery attempts in one transaction."""
    if not outcomes:
        return
    rows: list[dict[str, object]] = []
    for o in outcomes:
        attempts = o.item.attempts + 1
        if o.delivery_id is not None:
            rows.append(
                {
                    "id": o.item.id,
                    "status": "sent",
                    "sent_at": now,
                    "delivery_id": o.delivery_id,
                    "attempts": attempts,
                }
            )
            continue
        failed = o.retry_in is None or attempts >= max_attempts
        row: dict[str, object] = {
            "id": o.item.id,
            "status": "failed" if failed else "pending",
            "last_error": o.error[:500],
            "attempts": attempts,
        }
        if o.retry_in is not None:
            row["next_attempt_at"] = now + o.retry_in
        if o.body is not None:
            row["body"] = o.body
        rows.append(row)
    # Rows of one shape go together (an executemany needs the same keys in every row).
    shapes: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(row)), []).append(row)
    cards = [o for o in outcomes if o.edit_key and o.delivery_id]
    async with db.transaction() as session:
        for batch in shapes.values():
            await session.execute(update(OutboxItem), batch)
        for o in outcomes:
            if o.unreachable:
                await session.execute(
                    update(Identity)
                    .where(Identity.channel == o.item.channel, Identity.chat == o.item.chat)
                    .values(unreachable=True)
                )
        if cards:
            await _remember_cards(session, cards)


async def _remember_cards(session: AsyncSession, cards: Sequence[Settled]) -> None:
    """Where each card now lives, so its next version edits it in place."""
    refs = await session.scalars(_refs_of([(c.item, c.edit_key) for c in cards]))
    known = {(r.channel, r.chat, r.edit_key): r for r in refs}
    for card in cards:
        key = (card.item.channel, card.item.chat, card.edit_key)
        ref = known.get(key)
        if ref is None:
            known[key] = ref = MessageRef(
                channel=key[0], chat=key[1], edit_key=key[2], delivery_id=card.delivery_id
            )
            session.add(ref)
        else:
            ref.delivery_id = card.delivery_id or ref.delivery_id


async def card_refs(db: Database, items: Sequence[Due]) -> dict[int, str]:
    """The delivered message each card update should edit, by outbox id."""
    keys = {i.id: str(i.body.get("edit_key") or "") for i in items}
    if not any(keys.values()):
        return {}
    async with db.reading() as session:
        rows = await session.scalars(_refs_of([(i, keys[i.id]) for i in items if keys[i.id]]))
        found = {(r.channel, r.chat, r.edit_key): r.delivery_id for r in rows}
    return {
        i.id: found[(i.channel, i.chat, keys[i.id])]
        for i in items
        if keys[i.id] and (i.channel, i.chat, keys[i.id]) in found
    }


def _refs_of(pairs: Sequence[tuple[Due, str]]) -> Select[MessageRef]:
    """The stored refs that may match these (message, edit key) pairs (a superset:
    the caller matches exactly), by the (channel, chat, edit_key) unique index."""
    return select(MessageRef).where(
        MessageRef.channel.in_({i.channel for i, _ in pairs}),
        MessageRef.chat.in_({i.chat for i, _ in pairs}),
        MessageRef.edit_key.in_({k for _, k in pairs}),
    )


# -- retention ---------------------------------------------------------------------------


async def prune_inbox(db: Database, before: datetime, limit: int) -> int:
    """Delete up to ``limit`` inbox rows handled before ``before``, oldest first.  A row
    still pending, or a quarantined one (kept for the dispatchers to look into), stays."""
    return await _delete_oldest(
        db, InboxItem, limit, InboxItem.processed_at < before, ~InboxItem.quarantined
    )


async def prune_outbox(db: Database, before: datetime, limit: int) -> int:
    """Delete up to ``limit`` delivered or dead outbox rows queued before ``before``;
    a pending row stays whatever its age."""
    return await _delete_oldest(
        db,
        OutboxItem,
        limit,
        OutboxItem.status.in_(("sent", "failed")),
        OutboxItem.created_at < before,
    )


async def prune_web_messages(db: Database, before: datetime, limit: int) -> int:
    """Delete up to ``limit`` web chat messages sent before ``before``."""
    return await _delete_oldest(db, WebMessage, limit, WebMessage.created_at < before)


async def _delete_oldest(
    db: Database,
    table: type[InboxItem] | type[OutboxItem] | type[WebMessage],
    limit: int,
    *where: ColumnElement[bool],
) -> int:
    """One short transaction: old rows lie at the start of the id order, so the walk stops
    after ``limit`` of them."""
    oldest = select(table.id).where(*where).order_by(table.id).limit(limit)
    async with db.transaction() as session:
        result: Any = await session.execute(
            delete(table).where(table.id.in_(oldest)),
            execution_options={"synchronize_session": False},
        )
    return int(result.rowcount)
