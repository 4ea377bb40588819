"""The database side of the small ports channels use (``core.ports``): a mailbox for
channels whose clients fetch their messages, and people and group chats by channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from core.ports import MailboxMessage, Persona
from core.storage.database import Database
from core.storage.tables import GroupBinding, Identity, Person, WebMessage


class StoredMailbox:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    async def put(self, chat: str, body: dict[str, Any]) -> int:
        async with self.db.transaction() as session:
            row = WebMessage(chat=chat, body=body, created_at=self.clock())
            session.add(row)
            await session.flush()
            return row.id

    async def after(self, chat: str, after: int, limit: int) -> list[MailboxMessage]:
        async with self.db.reading() as session:
            rows = await session.execute(
                select(WebMessage.id, WebMessage.body, WebMessage.created_at)
                .where(WebMessage.chat == chat, WebMessage.id > after)
                .order_by(WebMessage.id)
                .limit(limit)
            )
            return [MailboxMessage(*row) for row in rows.all()]


class StoredDirectory:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def personas(self, channel: str) -> list[Persona]:
        async with self.db.reading() as session:
            rows = await session.execute(
                select(Identity.external_id, Person.name, Person.role, Person.trade)
                .join(Person, Person.id == Identity.person_id)
                .where(Identity.channel == channel, Person.code.is_not(None))
                .order_by(Identity.external_id)
            )
            return [Persona(*row) for row in rows.all()]

    async def dispatch_group(self, channel: str) -> str | None:
        async with self.db.reading() as session:
            return await session.scalar(
                select(GroupBinding.chat).where(
                    GroupBinding.channel == channel, GroupBinding.purpose == "dispatch"
                )
            )

    async def move_group(self, channel: str, old: str, new: str) -> bool:
        async with self.db.transaction() as session:
            result = await session.execute(
                update(GroupBinding)
                .where(GroupBinding.channel == channel, GroupBinding.chat == old)
                .values(chat=new)
            )
        return bool(getattr(result, "rowcount", 0))
