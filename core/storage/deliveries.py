"""What messengers report after a send: receipts on sent messages, and chats lost for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from core.storage.database import Database
from core.storage.tables import Identity, OutboxItem

#: Which receipts a new one may replace: a message once seen stays seen, whatever order
#: the reports arrive in; a failure on the device comes instead of the others.
_REPLACES = {"delivered": ("",), "seen": ("", "delivered"), "failed": ("",)}


async def record_receipt(
    db: Database, channel: str, delivery_id: str, status: str, at: datetime
) -> bool:
    """Keep ``status`` on the sent message with this delivery id; False when no sent
    message has it (a part of a longer message, or a row already pruned) or it already
    has a later report."""
    if status not in _REPLACES or not delivery_id:
        raise ValueError(f"unknown receipt {status!r}")
    async with db.transaction() as session:
        result = await session.execute(
            update(OutboxItem)
            .where(
                OutboxItem.channel == channel,
                OutboxItem.delivery_id == delivery_id,
                OutboxItem.receipt.in_(_REPLACES[status]),
            )
            .values(receipt=status, receipt_at=at)
        )
    return bool(getattr(result, "rowcount", 0))


async def mark_unreachable(db: Database, channel: str, chat: str) -> int:
    """The chat left the channel (the person unsubscribed): its identities are marked
    unreachable until the person writes again.  How many were marked."""
    async with db.transaction() as session:
        result = await session.execute(
            update(Identity)
            .where(
                Identity.channel == channel,
                Identity.chat == chat,
                Identity.unreachable.is_(False),
            )
            .values(unreachable=True)
        )
    return int(getattr(result, "rowcount", 0) or 0)
