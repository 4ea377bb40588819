"""The one way in (:class:`core.ports.Intake`): photos checked, re-encoded and kept by
content, then the inbox row, then the inbox worker woken."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from core.channel import InboundEvent
from core.ports import Accepted, EventConflict, IntakeUnavailable, MediaRefused, UnstorableEvent
from core.storage import queues
from core.storage.database import Database
from core.storage.media import MediaRejected, described
from core.storage.media_library import MediaLibrary
from core.storage.tables import InboxItem

#: What a second delivery under one event id must repeat when ``exact`` is asked for.
_SAME_CONTENT = ("chat", "user", "kind", "text", "payload", "photos")


class InboxIntake:
    def __init__(self, db: Database, media: MediaLibrary, wake: Callable[[], None]) -> None:
        self.db = db
        self.media = media
        self.wake = wake

    @property
    def max_photo_bytes(self) -> int:
        return self.media.max_bytes

    async def accept(
        self, event: InboundEvent, media: Sequence[bytes] = (), *, exact: bool = False
    ) -> Accepted:
        photos: list[bytes] = []
        for raw in media:
            try:
                photos.append(await asyncio.to_thread(self.media.prepare, raw))
            except MediaRejected as exc:
                raise MediaRefused(exc.reason) from None
        if photos:
            event = replace(event, photos=event.photos + tuple(described(p).sha for p in photos))
        try:
            if exact:
                _check_same(event, await self._stored(event))
            for photo in photos:
                await self.media.keep(photo)
            inbox_id, new = await queues.accept_inbound(self.db, event)
            if exact and not new:
                _check_same(event, await self._stored(event))
        except (UnstorableEvent, EventConflict):
            raise
        except Exception as exc:  # the driver's and the file system's errors alike
            raise IntakeUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if new:
            self.wake()
        return Accepted(inbox_id, new, event)

    async def _stored(self, event: InboundEvent) -> dict[str, Any] | None:
        async with self.db.reading() as session:
            return await session.scalar(
                select(InboxItem.event).where(
                    InboxItem.channel == event.channel, InboxItem.event_id == event.event_id
                )
            )


def _check_same(event: InboundEvent, earlier: dict[str, Any] | None) -> None:
    if earlier is None:
        return
    now = event.to_json()
    if any(earlier.get(name) != now[name] for name in _SAME_CONTENT):
        raise EventConflict(f"event {event.event_id} was stored before with other content")
