"""A narrow channel for tests: 3 buttons of 20 characters, no edits, no lists, no
contact or location requests, a 24-hour window, typed replies; it records what it is sent and fails
any send that is not within its limits, so every message the service shows on it is
proven to fit.  Events from it go straight into the inbox (it has no adapter)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from bot.app import App
from core.channel import Capabilities, Delivered, EventKind, InboundEvent, OutboundMessage
from core.choices import fits
from core.storage import queues
from tests.support.harness import settle

NAME = "narrow"
NARROW = Capabilities(
    max_buttons=3,
    max_button_text=20,
    max_text=1024,
    albums=False,
    window_hours=24,
    typed_choices=True,
)


@dataclass
class NarrowChannel:
    name: str = NAME
    capabilities: Capabilities = NARROW
    sent: dict[str, list[OutboundMessage]] = field(default_factory=dict)
    cursors: dict[str, int] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=itertools.count)

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        assert not edit_of, "a channel without edits was asked to edit"
        assert not message.as_list, "a channel without lists was sent a list"
        assert fits(message, self.capabilities) or message.answer_to, message
        self.sent.setdefault(chat, []).append(message)
        return Delivered(f"n{next(self.ids)}")

    def read(self, chat: str) -> list[OutboundMessage]:
        """What the chat was sent since the last read."""
        messages = self.sent.get(chat, [])
        start = self.cursors.get(chat, 0)
        self.cursors[chat] = len(messages)
        return messages[start:]


AnyNarrow = TypeVar("AnyNarrow", bound=NarrowChannel)


def plug_in(app: App, channel: AnyNarrow) -> AnyNarrow:
    """Add the narrow channel (or a variant of it) to a built app, next to the web chat."""
    app.channels[NAME] = channel
    app.services.capabilities = {**app.services.capabilities, NAME: channel.capabilities}
    return channel


_events = itertools.count(1)


async def type_in(
    app: App, now: datetime, user: str, text: str, chat: str = "", kind: EventKind = EventKind.TEXT
) -> None:
    """``user`` types ``text`` on the narrow channel; the service handles it to the end."""
    event = InboundEvent(
        channel=NAME,
        event_id=f"n-{next(_events)}",
        chat=chat or user,
        user=user,
        kind=kind,
        received_at=now,
        text=text,
        user_name=user,
    )
    await queues.accept_inbound(app.db, event)
    await settle(app)
