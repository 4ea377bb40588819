"""What the app hands every channel adapter: the one way in, and the few reads and writes
an adapter needs besides (its media, its mailbox, its groups and people).

Protocols only: core implements them (``core.intake``, ``core.storage.channel_data``)
and adapters use them, so no adapter touches storage itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from core.channel import InboundEvent


class Accepted(NamedTuple):
    """An inbound event in the inbox: its row, and whether this delivery stored it."""

    inbox_id: int
    new: bool
    #: The event as stored: its ``photos`` name the media kept for it.
    event: InboundEvent


#: Photos with a side under this many pixels show nothing of a problem (and are the size
#: of tracking pixels); photos whose sides differ more than this many times are refused,
#: as messengers refuse to show them.
PHOTO_MIN_SIDE = 32
PHOTO_MAX_RATIO = 20


class MediaRefused(ValueError):
    """A photo was refused at intake and nothing was stored; ``reason`` is one of "empty",
    "too_large", "not_image", "too_many_pixels", "too_small", "bad_shape"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class IntakeUnavailable(Exception):
    """The database or the media store failed: nothing may be acknowledged; the sender
    should deliver the event again later."""


class EventConflict(Exception):
    """An event under the same id was stored before with other content (a reused
    idempotency key): nothing was stored."""


class UnstorableEvent(ValueError):
    """The event's channel, id or chat cannot be a key of the inbox (a NUL, a lone
    surrogate, a control character, too long): the edge should have refused it."""


class Intake(Protocol):
    """The one way into the service for every channel."""

    @property
    def max_photo_bytes(self) -> int:
        """The largest raw photo :meth:`accept` takes (larger: ``MediaRefused("too_large")``)."""
        ...

    async def accept(
        self, event: InboundEvent, media: Sequence[bytes] = (), *, exact: bool = False
    ) -> Accepted:
        """Check and keep each raw photo (content-addressed, off the event loop), then the
        inbox row, once per channel and event id; wakes the inbox worker when new.

        ``exact``: an event stored before under this id must have the same content, or
        :class:`EventConflict` is raised.  Raises :class:`MediaRefused`,
        :class:`UnstorableEvent` or :class:`IntakeUnavailable`; then nothing is stored.
        """
        ...


class MediaReader(Protocol):
    async def load(self, sha: str) -> tuple[bytes, str] | None:
        """The bytes and MIME type of a kept photo; ``None`` if there is none."""
        ...


class MailboxMessage(NamedTuple):
    id: int
    body: dict[str, Any]
    created_at: datetime


class Mailbox(Protocol):
    """Messages kept for channels whose clients fetch them (a page polling for its chat)."""

    async def put(self, chat: str, body: dict[str, Any]) -> int:
        """Keep one message for ``chat``; its id, increasing."""
        ...

    async def after(self, chat: str, after: int, limit: int) -> list[MailboxMessage]:
        """Messages of ``chat`` with an id above ``after``, oldest first."""
        ...


class Persona(NamedTuple):
    external_id: str
    name: str
    role: str
    trade: str


class Directory(Protocol):
    """People and group chats as a channel knows them."""

    async def personas(self, channel: str) -> list[Persona]:
        """Imported people (staff, demo residents) with an identity in ``channel``."""
        ...

    async def dispatch_group(self, channel: str) -> str | None:
        """The chat bound as the dispatchers' group in ``channel``, if any."""
        ...

    async def move_group(self, channel: str, old: str, new: str) -> bool:
        """A group chat got a new id: its binding follows; True when one was bound."""
        ...


class Deliveries(Protocol):
    """What a messenger reports after a send."""

    async def receipt(self, channel: str, delivery_id: str, status: str, at: datetime) -> bool:
        """The sent message with this delivery id was "delivered", "seen" or "failed" on
        the person's device; False when no sent message has that id."""
        ...

    async def unreachable(self, channel: str, chat: str) -> None:
        """The person left the chat (unsubscribed): nothing goes there until they write."""
        ...
