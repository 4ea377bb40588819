"""The two workers around the database: inbox -> dialogues, and outbox -> channels."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from bot import replies, texts, windows
from bot.conversations.turn import Services
from bot.dialogue import Lookups, event_language, handle_event, look_up, press_answer
from bot.notices import group_targets, queue_message
from core.channel import (
    Capabilities,
    Channel,
    Delivered,
    DeliveryError,
    InboundEvent,
    OutboundMessage,
    screened,
)
from core.choices import as_is
from core.model import Role
from core.storage import queues
from core.storage.database import Database
from core.storage.deliveries import mark_unreachable, record_receipt
from core.storage.tables import Identity, InboxItem, Person
from core.text_safety import without_controls

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
#: Tries of an inbound event before it is quarantined (the INBOX_MAX_ATTEMPTS setting).
INBOX_MAX_ATTEMPTS = 3
ALBUM_GRACE = timedelta(seconds=1)
#: At most this many inbox events share a transaction, for at most about this long (s).
MAX_BATCH = 100
BATCH_BUDGET = 0.02
#: The budget when no acknowledgement waits on the inbox's commits (a channel polling for
#: its updates): fewer, longer transactions handle more updates a second; with a webhook
#: longer commits would delay the acknowledgements, so there the budget stays short.
POLLING_BATCH_BUDGET = 0.05
#: Where acknowledgements wait on the inbox's commits, a batch writes its turns' changes
#: every this many turns: one arriving mid-batch then waits for a few turns' writes, not
#: the whole batch's.  It makes turns slower, so not by long polling, where nobody
#: waits: 0 there, written once at the end.
FLUSH_EVERY = 6
#: How long a claimed outbox message is another worker's; a crash mid-send frees it then.
CLAIM_LEASE = timedelta(seconds=60)
#: Seconds between tries to record sent messages while the database is unreachable.
SETTLE_RETRY = 0.5
#: At most this many messages (each to a different chat) are sent at once.
SEND_BATCH = 100
#: How soon to look again when a channel's overall rate limit is used up (s).
ROOM_WAIT = 0.05


def _held_for(channel: Channel | None, chat: str) -> float:
    """Seconds until the channel's rate limits allow a message to this chat (0 = now)."""
    ready_in = getattr(channel, "ready_in", None)
    return float(ready_in(chat)) if callable(ready_in) else 0.0


def _room(channel: Channel | None) -> int:
    """How many more messages the channel's overall rate limit takes now."""
    room = getattr(channel, "room", None)
    return int(room()) if callable(room) else SEND_BATCH


async def _album_parts(session: AsyncSession, item: InboxItem) -> list[InboxItem]:
    """The other pending parts of the album this event belongs to."""
    if not item.media_group:
        return []
    rows = await session.scalars(
        select(InboxItem)
        .where(
            InboxItem.channel == item.channel,
            InboxItem.chat == item.chat,
            InboxItem.processed_at.is_(None),
            InboxItem.media_group == item.media_group,
            InboxItem.id != item.id,
        )
        .order_by(InboxItem.id)
    )
    return list(rows)


def _read(item: InboxItem) -> InboundEvent:
    """The stored event, as fit for the dialogues as the channel's edge makes it: the
    last line for a body that reached the inbox around the edge's checks."""
    event, problem = screened(InboundEvent.from_json(item.event))
    if problem is not None:
        log.warning("inbox %s: %s; answered as unsupported", item.id, problem)
    return event


async def _load_items(session: AsyncSession, ids: list[int]) -> list[InboxItem]:
    """Bring these inbox rows into the session, current, in one query (the session holds
    its objects weakly: keep the list while they are used)."""
    rows = await session.scalars(
        select(InboxItem).where(InboxItem.id.in_(ids)).execution_options(populate_existing=True)
    )
    return list(rows)


def _error_text(exc: Exception) -> str:
    """What to store and show of a failure (an error may quote the text that caused it)."""
    return without_controls(f"{type(exc).__name__}: {exc}")[:500]


async def language_of(session: AsyncSession, channel: str, chat: str, fallback: str) -> str:
    """The language of the person who has this private chat, else ``fallback``."""
    language = await session.scalar(
        select(Person.language)
        .join(Identity, Identity.person_id == Person.id)
        .where(Identity.channel == channel, Identity.chat == chat)
        .limit(1)
    )
    return language if language in texts.LANGUAGES else fallback


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
    ``batch_budget`` seconds.
    """

    def __init__(
        self,
        db: Database,
        services: Services,
        clock: Clock,
        max_attempts: int = INBOX_MAX_ATTEMPTS,
    ) -> None:
        self.db = db
        self.services = services
        self.clock = clock
        self.max_attempts = max_attempts
        self.wake = asyncio.Event()
        self.after_commit: Callable[[], None] = lambda: None
        self.batch_budget = BATCH_BUDGET
        self.flush_every = FLUSH_EVERY
        #: Seconds a dialogue turn takes, lately (a moving average).
        self.turn_time = BATCH_BUDGET / 4

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
                group = item.media_group
                if group:
                    newest = max(i.received_at for i in items if i.media_group == group)
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

    async def _process_batch(self, ids: list[int]) -> int:
        """Handle a prefix of ``ids`` in one transaction; return how many were taken."""
        if len(ids) == 1:
            await self.process(ids[0])
            return 1
        done = 0
        loop = asyncio.get_running_loop()
        # About as many as fit in the time budget, going by the recent turns.
        size = min(MAX_BATCH, max(2, int(self.batch_budget / self.turn_time) + 1))
        try:
            async with self.db.transaction() as session:
                started = loop.time()
                batch = ids[:size]
                loaded = []
                lookups = None
                if self.db.sqlite:
                    # One process holds SQLite's write lock now: read the batch, and who
                    # and where its events concern, at once.
                    loaded = await _load_items(session, batch)
                    events = [screened(InboundEvent.from_json(i.event))[0] for i in loaded]
                    lookups = await look_up(session, events, self.clock())
                    await replies.preload(session, events)
                for item_id in batch:
                    await self._handle(session, item_id, lookups)
                    done += 1
                    spent = loop.time() - started
                    if spent > self.batch_budget:
                        break
                    if self.flush_every and done % self.flush_every == 0:
                        await session.flush()
                    if self.db.waiting:
                        break
                del loaded
            self.turn_time = max(0.9 * self.turn_time + 0.1 * spent / done, 1e-4)
        except Exception:
            log.info("inbox batch of %s failed; one event per transaction now", done + 1)
            for item_id in ids[: done + 1]:
                await self.process(item_id)
            return done + 1
        self.after_commit()
        return done

    async def _handle(
        self, session: AsyncSession, item_id: int, lookups: Lookups | None = None
    ) -> None:
        """Handle one event; ``lookups`` (SQLite batches) covers it and means its row was
        read in this transaction."""
        item = await queues.claim_inbox(
            session, item_id, postgres=not self.db.sqlite, preloaded=lookups is not None
        )
        if item is None:
            return
        now = self.clock()
        event = _read(item)
        parts = await _album_parts(session, item)
        for part in parts:
            part.processed_at = now
        if parts:
            event = _merge_album(event, [_read(p) for p in parts])
        await handle_event(session, self.services, event, now, lookups)
        item.processed_at = now

    async def process(self, item_id: int) -> None:
        """Handle one event in its own transaction, retrying; after ``max_attempts``
        failures it is quarantined, so it holds up nothing (its chat's later events
        neither): whatever an event holds, the queue goes on."""
        error: Exception = RuntimeError("concurrent changes every time")
        for _ in range(self.max_attempts):
            try:
                async with self.db.transaction() as session:
                    await self._handle(session, item_id)
                self.after_commit()
                return
            except StaleDataError:
                log.info("inbox %s: concurrent change, retrying", item_id)
            except Exception as exc:
                log.exception("inbox %s failed", item_id)
                error = exc
                if await self._count_failure(item_id, exc):
                    break
        await self._quarantine(item_id, error)

    async def _count_failure(self, item_id: int, exc: Exception) -> bool:
        """Record a failed attempt; True when no more are due (or the event is done)."""
        async with self.db.transaction() as session:
            item = await session.get(InboxItem, item_id)
            if item is None or item.processed_at is not None:
                return True
            item.attempts += 1
            item.error = _error_text(exc)
            return item.attempts >= self.max_attempts

    async def _quarantine(self, item_id: int, exc: Exception) -> None:
        """Set the event aside for good and tell its sender; were the apology itself
        to fail, the event is set aside without it."""
        try:
            await self._set_aside(item_id, exc, apologise=True)
        except Exception:
            log.exception("inbox %s: no apology could be queued", item_id)
            await self._set_aside(item_id, exc, apologise=False)

    async def _set_aside(self, item_id: int, exc: Exception, *, apologise: bool) -> None:
        async with self.db.transaction() as session:
            item = await session.get(InboxItem, item_id)
            if item is None or item.processed_at is not None:
                return
            now = self.clock()
            item.processed_at = now
            item.quarantined = True
            item.error = _error_text(exc)
            if apologise:
                await self._apologise(session, item, now)
        log.error("inbox %s quarantined: %s", item_id, item.error)
        self.after_commit()

    async def _apologise(self, session: AsyncSession, item: InboxItem, now: datetime) -> None:
        """Tell the sender, in their language, that this message could not be handled
        (and stop a pressed button's spinner, which the failed turn owed)."""
        try:
            event: InboundEvent | None = InboundEvent.from_json(item.event)
        except (KeyError, ValueError, TypeError, AttributeError):
            event = None
        if event is not None:
            answer = press_answer(self.services, event)
            if answer is not None:
                await queue_message(session, now, item.channel, item.chat, answer)
        language = await language_of(
            session, item.channel, item.chat, event_language(event) if event else texts.DEFAULT
        )
        apology = OutboundMessage(texts.t(language, "error"))
        await queue_message(session, now, item.channel, item.chat, apology)

    async def run(self, poll: float = 1.0) -> None:
        while True:
            try:
                await self.drain()
            except Exception:
                log.exception("inbox worker error")
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), poll)


def simpler_forms(message: OutboundMessage, photo_note: str) -> list[OutboundMessage]:
    """What to send, in turn, when a channel refuses a message as it is: without its
    pictures (``photo_note`` in their place), then as plain text (no buttons, no
    keyboards, nothing a channel may refuse in a text)."""
    forms = []
    if message.photos:
        text = f"{message.text}\n\n{photo_note}" if message.text else photo_note
        forms.append(replace(message, photos=(), text=text))
    last = forms[-1] if forms else message
    plain = replace(
        last,
        text=without_controls(last.text),
        buttons=(),
        request_contact=False,
        request_location=False,
    )
    if plain != last:
        forms.append(plain)
    return forms


@dataclass(frozen=True, slots=True)
class Progress:
    """How many parts of a message split for its channel went out, and to which chat:
    kept in the outbox row when a later part fails, so the retry sends only the rest."""

    parts: int = 0
    to: list[str] | None = None

    @classmethod
    def of(cls, item: queues.Due) -> Progress:
        sent = item.body.get("parts_sent")
        if not isinstance(sent, dict):
            return cls()
        return cls(int(sent.get("parts", 0)), list(sent.get("to") or []))

    def body(self, item: queues.Due) -> dict[str, Any] | None:
        """The row's body recording this progress; None when it has nothing new."""
        if self == Progress.of(item):
            return None
        return item.body | {"parts_sent": {"parts": self.parts, "to": self.to}}


class OutboxWorker:
    """Sends queued messages through their channels, retrying with backoff."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        clock: Clock,
        max_attempts: int = 8,
        *,
        linked_first: bool = False,
    ) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock
        self.max_attempts = max_attempts
        #: Outside a channel's window, the person's other messenger before the channel's
        #: own fallback (WINDOW_FALLBACK=linked).
        self.linked_first = linked_first
        self.wake = asyncio.Event()
        self.next_wait: float | None = None

    async def drain(self) -> int:
        """Send what is due, in order per chat, to many chats at once; a chat the
        channel's rate limit holds back waits while other chats go on.

        Each round takes the head of every chat's queue (never a chat's second message
        before its first is settled), claims them in one transaction, sends them
        concurrently and records every outcome in one more.  Returns how many
        deliveries were attempted."""
        attempted = 0
        self.next_wait = None
        while True:
            heads = await queues.due_outbox(self.db, self.clock(), SEND_BATCH)
            ready = self._ready(heads)
            if not ready:
                return attempted
            claimed = await queues.claim_outbox(
                self.db, [i.id for i in ready], self.clock(), CLAIM_LEASE
            )
            batch = [i for i in ready if i.id in claimed]
            if not batch:
                return attempted  # another worker has them
            attempted += len(batch)
            await self._send_batch(batch)

    def _ready(self, heads: list[queues.Due]) -> list[queues.Due]:
        """The messages the channels' rate limits let go now (and when to look again)."""
        room: dict[str, int] = {}
        ready = []
        for item in heads:
            if item.answer:
                ready.append(item)  # a press's answer is not a chat message: no limit holds it
                continue
            channel = self.channels.get(item.channel)
            wait = _held_for(channel, item.chat)
            if wait > 0:
                self.next_wait = min(wait, self.next_wait or wait)
                continue
            if item.channel not in room:
                room[item.channel] = _room(channel)
            if room[item.channel] <= 0:
                self.next_wait = min(ROOM_WAIT, self.next_wait or ROOM_WAIT)
                continue
            room[item.channel] -= 1
            ready.append(item)
        return ready

    async def _send_batch(self, batch: list[queues.Due]) -> None:
        """Send a round concurrently and record each message as soon as its send returns,
        together with those that returned while the previous ones were being recorded (one
        commit for all of them): a crash then repeats only the sends in flight or awaiting
        that commit, not every message of the round that already went."""
        refs = await queues.card_refs(self.db, batch)
        waiting = {asyncio.create_task(self._attempt(i, refs.get(i.id, ""))) for i in batch}
        try:
            while waiting:
                done, waiting = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                await self._record([task.result() for task in done])
        finally:
            if waiting:
                # Stopping, or recording failed: no send is left running unwatched, and
                # what already went out is recorded, or it would be sent again.
                for task in waiting:
                    task.cancel()
                finished = await asyncio.gather(*waiting, return_exceptions=True)
                went = [outcome for outcome in finished if isinstance(outcome, queues.Settled)]
                await asyncio.shield(
                    queues.settle_outbox(self.db, went, self.clock(), self.max_attempts)
                )

    async def _record(self, outcomes: list[queues.Settled]) -> None:
        recording = asyncio.ensure_future(self._settle(outcomes))
        try:
            await asyncio.shield(recording)
        except asyncio.CancelledError:
            await recording  # the messages are out: unrecorded, they would go again
            raise
        for outcome in outcomes:
            if outcome.unreachable:
                await self._tell_dispatchers_unreachable(outcome.item.channel, outcome.item.chat)

    async def _settle(self, outcomes: list[queues.Settled]) -> None:
        """Record outcomes of sends.  The messages are out: if the database is away
        for a moment (a restart, a fail-over), recording them is retried while their
        claim holds, or each would be sent again when it ends."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + CLAIM_LEASE.total_seconds() / 2
        while True:
            try:
                await queues.settle_outbox(self.db, outcomes, self.clock(), self.max_attempts)
                return
            except (OSError, DBAPIError) as exc:
                if loop.time() > give_up:
                    raise
                log.warning(
                    "outbox: recording %d deliveries failed, retrying: %s", len(outcomes), exc
                )
                await asyncio.sleep(SETTLE_RETRY)

    async def _attempt(self, item: queues.Due, edit_of: str) -> queues.Settled:
        """Send one claimed message; how it went, to be recorded with the others."""
        channel = self.channels.get(item.channel)
        if channel is None:
            return queues.Settled(item, error=f"channel {item.channel} is off")
        message = OutboundMessage.from_json(item.body)
        backoff = timedelta(seconds=min(2 ** (item.attempts + 1), 300))
        sent = Progress.of(item)
        try:
            target = await self._route(item, message)
            if target.closed_hours is not None:
                error = texts.t(texts.DEFAULT, "outside_window", hours=target.closed_hours)
                log.warning("outbox %s to %s/%s: %s", item.id, item.channel, item.chat, error)
                return queues.Settled(item, error=error)
            if target.fallback:
                outside = getattr(channel, "send_outside_window")  # noqa: B009 - optional
                delivered = await outside(item.chat, message)
                return queues.Settled(item, delivery_id=delivered.delivery_id)
            to = self.channels[target.channel]
            addressed = (target.channel, target.chat) == (item.channel, item.chat)
            parts = await self._laid_out(target, message, to.capabilities)
            editable = (
                addressed
                and len(parts) == 1
                and bool(message.edit_key)
                and to.capabilities.editable_messages
            )
            where = [target.channel, target.chat]
            done = sent.parts if sent.to == where else 0
            delivered = Delivered()
            for part in parts[done:]:
                delivered = await self._deliver(
                    to, target, part, edit_of if editable else "", item.id
                )
                done += 1
                sent = Progress(done, where)
        except DeliveryError as exc:
            body = sent.body(item)
            if exc.permanent:
                log.warning(
                    "outbox %s to %s/%s failed for good: %s", item.id, item.channel, item.chat, exc
                )
                return queues.Settled(item, error=str(exc), unreachable=True, body=body)
            if exc.refused:  # in every form: dead-lettered now, the chat's queue goes on
                log.error("outbox %s to %s/%s refused: %s", item.id, item.channel, item.chat, exc)
                return queues.Settled(item, error=str(exc), body=body)
            delay = timedelta(seconds=exc.retry_after) if exc.retry_after else backoff
            return queues.Settled(item, error=str(exc), retry_in=delay, body=body)
        except Exception as exc:
            log.exception("outbox %s: unexpected error", item.id)
            return queues.Settled(item, error=repr(exc), retry_in=backoff, body=sent.body(item))
        return queues.Settled(
            item,
            delivery_id=delivered.delivery_id,
            edit_key=message.edit_key if editable else "",
        )

    async def _route(self, item: queues.Due, message: OutboundMessage) -> windows.Route:
        """Where the message goes (see :mod:`bot.windows`); a press's answer and a
        channel without a window: as addressed."""
        if message.answer_to or self.channels[item.channel].capabilities.window_hours is None:
            return windows.Route(item.channel, item.chat)
        async with self.db.reading() as session:
            return await windows.route(
                session,
                self.channels,
                item.channel,
                item.chat,
                self.clock(),
                linked_first=self.linked_first,
            )

    async def _laid_out(
        self, target: windows.Route, message: OutboundMessage, capabilities: Capabilities
    ) -> tuple[OutboundMessage, ...]:
        """The message as the channel can show it, in one or more parts; a menu shown
        as text is remembered (committed) before any part is sent, so the reply to it
        is recognised however soon it comes."""
        if as_is(message, capabilities):
            return (message,)
        async with self.db.transaction() as session:
            lang = await language_of(session, target.channel, target.chat, texts.DEFAULT)
            rendered = await replies.laid_out(
                session, target.channel, target.chat, message, capabilities, lang, self.clock()
            )
        return rendered.parts

    async def _deliver(
        self,
        channel: Channel,
        target: windows.Route,
        message: OutboundMessage,
        edit_of: str,
        item_id: int,
    ) -> Delivered:
        """Send the message; one the channel refuses as it is goes in the simpler forms
        it may take (see :func:`simpler_forms`), the refusal raised if none is taken."""
        try:
            return await channel.send(target.chat, message, edit_of=edit_of)
        except DeliveryError as exc:
            if not exc.refused or message.answer_to:
                raise
            refusal = exc
        note = ""
        if message.photos:
            async with self.db.reading() as session:
                language = await language_of(session, target.channel, target.chat, texts.DEFAULT)
            note = texts.t(language, "photo_not_shown")
        for form in simpler_forms(message, note):
            try:
                delivered = await channel.send(target.chat, form, edit_of=edit_of)
            except DeliveryError as exc:
                if not exc.refused:
                    raise
                continue
            log.warning(
                "outbox %s to %s/%s sent in a simpler form: %s",
                item_id,
                target.channel,
                target.chat,
                refusal,
            )
            return delivered
        raise refusal

    async def receipt(self, channel: str, delivery_id: str, status: str, at: datetime) -> bool:
        """A messenger's report on a sent message, kept on its row."""
        return await record_receipt(self.db, channel, delivery_id, status, at)

    async def unreachable(self, channel: str, chat: str) -> None:
        """A person left the channel (unsubscribed): nothing goes there any more until
        they write again, and the dispatchers hear of a technician's leaving."""
        if await mark_unreachable(self.db, channel, chat):
            await self._tell_dispatchers_unreachable(channel, chat)

    async def _tell_dispatchers_unreachable(self, channel: str, chat: str) -> None:
        """A technician who blocked the bot gets no jobs: the dispatchers must know."""
        async with self.db.transaction() as session:
            rows = await session.execute(
                select(Person)
                .join(Identity, Identity.person_id == Person.id)
                .where(Identity.channel == channel, Identity.chat == chat)
            )
            for (person,) in rows.all():
                if person.role != Role.TECHNICIAN.value:
                    continue
                text = texts.t(
                    texts.DEFAULT, "staff_unreachable", name=person.name, channel=channel
                )
                for group_channel, group in await group_targets(session):
                    if (group_channel, group) != (channel, chat):
                        await queue_message(
                            session, self.clock(), group_channel, group, OutboundMessage(text)
                        )
        self.wake.set()

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
