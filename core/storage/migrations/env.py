"""Alembic environment: runs migrations over the service's async engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from core.storage.database import create_engine
from core.storage.tables import Base, on_engine

config = context.config
target_metadata = Base.metadata
#: The advisory lock key that serialises migrations on PostgreSQL: the service's other
#: advisory keys are ``hashtext`` values, 32-bit, and this one is beyond their range.
MIGRATION_LOCK = int.from_bytes(b"migrate!")


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=on_engine(connection.dialect.name),
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Processes starting together migrate one after the other; the others then
            # find the schema at head.  Held until this transaction ends.
            connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
