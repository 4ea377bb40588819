"""The built-in web chat channel: messages to a chat are rows the page long-polls for."""

from __future__ import annotations

import asyncio
import contextlib

from core.channel import Capabilities, Delivered, OutboundMessage
from core.ports import Mailbox, MailboxMessage

#: The page shows a message as it is: the defaults, which no messenger's limits narrow.
WEB_CAPABILITIES = Capabilities()


class WebChannel:
    """Delivers into the web chat mailbox and wakes the page's long polls."""

    name = "web"
    capabilities = WEB_CAPABILITIES

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self._changed = asyncio.Condition()

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        message_id = await self.mailbox.put(chat, message.to_json())
        async with self._changed:
            self._changed.notify_all()
        return Delivered(str(message_id))

    async def messages(self, chat: str, after: int, wait: float) -> list[MailboxMessage]:
        """Messages to ``chat`` with id > ``after``; waits up to ``wait`` s for the first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            rows = await self.mailbox.after(chat, after, 200)
            remaining = deadline - loop.time()
            if rows or remaining <= 0:
                return rows
            # Woken by a send in this process; re-checked every second for other processes.
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 1.0))
