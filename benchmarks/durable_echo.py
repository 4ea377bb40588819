"""The second baseline of the Telegram benchmark: the service with a one-line dialogue.

    python -m benchmarks.durable_echo   (configured like ``python -m bot serve``)

This is the real service (``python -m bot serve``) with every dialogue turn replaced by
"send the text back".  Everything else is the production path: updates taken by long
polling, committed to the inbox before the offset moves (de-duplicated on update_id),
handled in batches, the reply queued in the outbox in the same transaction, then
claimed, sent under the rate limiter and settled.  Beside the bare echo bot (which
stores nothing) it prices durability; the full service beside it prices the dialogue.
"""

from __future__ import annotations

import sys
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import __main__ as cli
from bot import workers
from bot.conversations.turn import Services
from bot.dialogue import Lookups
from bot.notices import queue_message
from core.channel import InboundEvent, OutboundMessage


async def echo_turn(
    session: AsyncSession,
    services: Services,
    event: InboundEvent,
    now: datetime,
    lookups: Lookups | None = None,
) -> None:
    reply = OutboundMessage(event.text or "?")
    await queue_message(session, now, event.channel, event.chat, reply)


if __name__ == "__main__":
    workers.handle_event = echo_turn  # type: ignore[attr-defined]
    sys.exit(cli.main(["serve"]))
