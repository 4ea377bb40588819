"""The built-in web chat channel: messages to a chat are rows the page long-polls for."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from core.channel import Capabilities, Delivered, OutboundMessage
from core.storage.database import Database
from core.storage.tables import WebMessage

WEB_CAPABILITIES = Capabilities(
    max_buttons=100,
    max_button_text=64,
    max_payload_bytes=64,
    max_text=4096,
    editable_messages=False,
    albums=True,
    contact_request=False,
    location_request=False,
)


class WebChannel:
    """Delivers into the web chat mailbox and wakes the page's long polls."""

    name = "web"
    capabilities = WEB_CAPABILITIES

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self._changed = asyncio.Condition()

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        async with self.db.transaction() as session:
            row = WebMessage(chat=chat, body=message.to_json(), created_at=self.clock())
            session.add(row)
            await session.flush()
            message_id = row.id
        async with self._changed:
            self._changed.notify_all()
        return Delivered(str(message_id))

    async def messages(self, chat: str, after: int, wait: float) -> list[WebMessage]:
        """Messages to ``chat`` with id > ``after``; waits up to ``wait`` s for the first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            async with self.db.reading() as session:
                rows = list(
                    await session.scalars(
                        select(WebMessage)
                        .where(WebMessage.chat == chat, WebMessage.id > after)
                        .order_by(WebMessage.id)
                        .limit(200)
                    )
                )
            remaining = deadline - loop.time()
            if rows or remaining <= 0:
                return rows
            # Woken by a send in this process; re-checked every second for other processes.
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 1.0))
