"""The two workers around the database: inbox -> dialogues, and outbox -> channels."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from bot import texts
from bot.conversations.turn import Services
from bot.dialogue import event_language, handle_event
from bot.notices import group_targets, queue_message
from core.channel import Channel, DeliveryError, InboundEvent, OutboundMessage
from core.model import Role
from core.storage import queues
from core.storage.database import Database
from core.storage.tables import Identity, InboxItem, MessageRef, OutboxItem, Person

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_INBOX_ATTEMPTS = 3
ALBUM_GRACE = timedelta(seconds=1)
#: At most this many inbox events share a transaction, for at most about this long (s).
MAX_BATCH = 50
BATCH_BUDGET = 0.01
#: How long a claimed outbox message is another worker's; a crash mid-send frees it then.
CLAIM_LEASE = timedelta(seconds=60)


async def _album_parts(
    session: AsyncSession, item: InboxItem, event: InboundEvent
) -> list[InboxItem]:
    """The other pending parts of the album this event belongs to."""
    if not event.media_group:
        return []
    rows = await session.scalars(
        select(InboxItem)
        .where(
            InboxItem.channel == item.channel,
            InboxItem.chat == item.chat,
            InboxItem.processed_at.is_(None),
            InboxItem.id != item.id,
        )
        .order_by(InboxItem.id)
    )
    return [r for r in rows if r.event.get("media_group") == event.media_group]


async def _load_items(session: AsyncSession, ids: list[int]) -> list[InboxItem]:
    """Bring these inbox rows into the session, current, in one query (the session holds
    its objects weakly: keep the list while they are used)."""
    rows = await session.scalars(
        select(InboxItem).where(InboxItem.id.in_(ids)).execution_options(populate_existing=True)
    )
    return list(rows)


def _merge_album(first: InboundEvent, rest: list[InboundEvent]) -> InboundEvent:
    photos = list(first.photos)
    for part in rest:
        photos.extend(p for p in part.photos if p not in photos)
    caption = first.text or next((p.text for p in rest if p.text), "")
    return replace(first, photos=tuple(photos), text=caption)


class InboxWorker:
    """Processes committed inbound events in order, several to a transaction.

    A batch of events (in id order, so each chat's in order) shares one transaction:
    all of them are handled or none.  If anything in a batch fails, it is rolled back
    and its events are handled again one per transaction, so one bad event cannot sink
    the others.  A batch ends early when another writer waits for the database (the
    webhook acknowledging an update must not wait for a long batch) or after
    ``BATCH_BUDGET`` seconds.
    """

    def __init__(self, db: Database, services: Services, clock: Clock) -> None:
        self.db = db
        self.services = services
        self.clock = clock
        self.wake = asyncio.Event()
        self.after_commit: Callable[[], None] = lambda: None

    async def drain(self) -> int:
        """Process everything pending now; return how many events were handled.

        The parts of an album (one media group) are handled as one event once the
        last part is ``ALBUM_GRACE`` old; meanwhile that chat waits, others go on.
        """
        count = 0
        while True:
            items = await queues.pending_inbox(self.db, 100)
            held: set[tuple[str, str]] = set()
            ready: list[int] = []
            for item in items:
                key = (item.channel, item.chat)
                if key in held:
                    continue
                group = item.event.get("media_group", "")
                if group:
                    newest = max(
                        i.received_at for i in items if i.event.get("media_group") == group
                    )
                    if self.clock() - newest < ALBUM_GRACE:
                        held.add(key)
                        continue
                    # An album merges its parts: it goes alone, and the chat's later
                    # events wait for the next round (the parts it took are gone then).
                    held.add(key)
                ready.append(item.id)
            if not ready:
                return count
            while ready:
                handled = await self._process_batch(ready)
                ready = ready[handled:]
                count += handled
                await asyncio.sleep(0)  # let the webhook and the outbox in

    async def _process_batch(self, ids: list[int]) -> int:
        """Handle a prefix of ``ids`` in one transaction; return how many were taken."""
        if len(ids) == 1:
            await self.process(ids[0])
            return 1
        done = 0
        loop = asyncio.get_running_loop()
        try:
            async with self.db.transaction() as session:
                started = loop.time()
                batch = ids[:MAX_BATCH]
                loaded = []
                if self.db.sqlite:
                    # One process holds SQLite's write lock now: read the batch at once.
                    loaded = await _load_items(session, batch)
                for item_id in batch:
                    await self._handle(session, item_id, preloaded=self.db.sqlite)
                    done += 1
                    if self.db.waiting or loop.time() - started > BATCH_BUDGET:
                        break
                del loaded
        except Exception:
            log.info("inbox batch of %s failed; one event per transaction now", done + 1)
            for item_id in ids[: done + 1]:
                await self.process(item_id)
            return done + 1
        self.after_commit()
        return done

    async def _handle(self, session: AsyncSession, item_id: int, preloaded: bool = False) -> None:
        item = await queues.claim_inbox(
            session, item_id, postgres=not self.db.sqlite, preloaded=preloaded
        )
        if item is None:
            return
        now = self.clock()
        event = InboundEvent.from_json(item.event)
        parts = await _album_parts(session, item, event)
        for part in parts:
            part.processed_at = now
        if parts:
            event = _merge_album(event, [InboundEvent.from_json(p.event) for p in parts])
        await handle_event(session, self.services, event, now)
        item.processed_at = now

    async def process(self, item_id: int) -> None:
        """Handle one event in its own transaction, retrying and recording failures."""
        for _ in range(MAX_INBOX_ATTEMPTS):
            try:
                async with self.db.transaction() as session:
                    await self._handle(session, item_id)
                self.after_commit()
                return
            except StaleDataError:
                log.info("inbox %s: concurrent change, retrying", item_id)
            except Exception as exc:
                log.exception("inbox %s failed", item_id)
                if await self._record_failure(item_id, exc):
                    return
        await self._record_failure(item_id, RuntimeError("gave up"), final=True)

    async def _record_failure(self, item_id: int, exc: Exception, final: bool = False) -> bool:
        """Count a failed attempt; after the last one apologise and move on."""
        async with self.db.transaction() as session:
            item = await session.get(InboxItem, item_id)
            if item is None or item.processed_at is not None:
                return True
            item.attempts += 1
            item.error = f"{type(exc).__name__}: {exc}"[:500]
            if final or item.attempts >= MAX_INBOX_ATTEMPTS:
                now = self.clock()
                item.processed_at = now
                event = InboundEvent.from_json(item.event)
                apology = OutboundMessage(texts.t(event_language(event), "error"))
                await queue_message(session, now, event.channel, event.chat, apology)
                self.after_commit()
                return True
        return False

    async def run(self, poll: float = 1.0) -> None:
        while True:
            try:
                await self.drain()
            except Exception:
                log.exception("inbox worker error")
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), poll)


class OutboxWorker:
    """Sends queued messages through their channels, retrying with backoff."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        clock: Clock,
        max_attempts: int = 8,
    ) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock
        self.max_attempts = max_attempts
        self.wake = asyncio.Event()
        self.next_wait: float | None = None

    async def drain(self) -> int:
        """Send what is due, in order per chat; a chat the channel's rate limit holds back
        waits while other chats go on.  Returns how many deliveries were attempted."""
        sent = 0
        self.next_wait = None
        while True:
            items = await queues.due_outbox(self.db, self.clock(), 100)
            progressed = False
            blocked: set[tuple[str, str]] = set()
            for item in items:
                key = (item.channel, item.chat)
                if key in blocked:
                    continue
                wait = self._held_for(item)
                if wait > 0:
                    blocked.add(key)
                    self.next_wait = min(wait, self.next_wait or wait)
                    continue
                progressed = True  # sent, rescheduled or dead-lettered: either way it moved
                sent += 1
                if not await self.deliver(item):
                    blocked.add(key)
            if not progressed:
                return sent

    def _held_for(self, item: OutboxItem) -> float:
        """Seconds until the channel's rate limits allow a message to this chat (0 = now)."""
        ready_in = getattr(self.channels.get(item.channel), "ready_in", None)
        return float(ready_in(item.chat)) if callable(ready_in) else 0.0

    async def deliver(self, item: OutboxItem) -> bool:
        if not await queues.claim_outbox(self.db, item, self.clock(), CLAIM_LEASE):
            return False  # another worker has it
        channel = self.channels.get(item.channel)
        if channel is None:
            await queues.mark_failed(
                self.db, item, f"channel {item.channel} is off", unreachable=False
            )
            return False
        message = OutboundMessage.from_json(item.body)
        edit_of = ""
        if message.edit_key and channel.capabilities.editable_messages:
            edit_of = await self._ref(item.channel, item.chat, message.edit_key)
        try:
            delivered = await channel.send(item.chat, message, edit_of=edit_of)
        except DeliveryError as exc:
            if exc.permanent:
                log.warning(
                    "outbox %s to %s/%s failed for good: %s", item.id, item.channel, item.chat, exc
                )
                await queues.mark_failed(self.db, item, str(exc), unreachable=True)
                await self._tell_dispatchers_unreachable(item)
                return False
            delay = timedelta(seconds=exc.retry_after or min(2 ** (item.attempts + 1), 300))
            await queues.mark_retry(self.db, item, str(exc), self.clock(), delay, self.max_attempts)
            return False
        except Exception as exc:
            log.exception("outbox %s: unexpected error", item.id)
            delay = timedelta(seconds=min(2 ** (item.attempts + 1), 300))
            await queues.mark_retry(
                self.db, item, repr(exc), self.clock(), delay, self.max_attempts
            )
            return False
        await queues.mark_sent(self.db, item.id, delivered.delivery_id, self.clock())
        if message.edit_key and channel.capabilities.editable_messages and delivered.delivery_id:
            await self._save_ref(item.channel, item.chat, message.edit_key, delivered.delivery_id)
        return True

    async def _tell_dispatchers_unreachable(self, item: OutboxItem) -> None:
        """A technician who blocked the bot gets no jobs: the dispatchers must know."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(Person)
                .join(Identity, Identity.person_id == Person.id)
                .where(Identity.channel == item.channel, Identity.chat == item.chat)
            )
            for (person,) in rows.all():
                if person.role != Role.TECHNICIAN.value:
                    continue
                text = texts.t(
                    texts.DEFAULT, "staff_unreachable", name=person.name, channel=item.channel
                )
                for channel, chat in await group_targets(session):
                    if (channel, chat) != (item.channel, item.chat):
                        await queue_message(
                            session, self.clock(), channel, chat, OutboundMessage(text)
                        )
        self.wake.set()

    async def _ref(self, channel: str, chat: str, key: str) -> str:
        async with self.db.reading() as session:
            ref = await session.scalar(
                select(MessageRef.delivery_id).where(
                    MessageRef.channel == channel,
                    MessageRef.chat == chat,
                    MessageRef.edit_key == key,
                )
            )
        return ref or ""

    async def _save_ref(self, channel: str, chat: str, key: str, delivery_id: str) -> None:
        async with self.db.transaction() as session:
            ref = await session.scalar(
                select(MessageRef).where(
                    MessageRef.channel == channel,
                    MessageRef.chat == chat,
                    MessageRef.edit_key == key,
                )
            )
            if ref is None:
                session.add(
                    MessageRef(channel=channel, chat=chat, edit_key=key, delivery_id=delivery_id)
                )
            else:
                ref.delivery_id = delivery_id

    async def run(self, poll: float = 0.5) -> None:
        while True:
            try:
                await self.drain()
            except Exception:
                log.exception("outbox worker error")
            self.wake.clear()
            timeout = min(poll, max(self.next_wait or poll, 0.01))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout)
