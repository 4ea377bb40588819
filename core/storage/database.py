"""Engine and transactions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

#: How long a statement waits for another process's write lock (seconds).
BUSY_TIMEOUT = 30
#: Execution option naming the statement that starts a SQLite transaction.
SQLITE_BEGIN = "sqlite_begin"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(
    url: str, *, pool_size: int | None = None, max_overflow: int | None = None
) -> AsyncEngine:
    """Create an async engine.

    SQLite gets WAL, foreign keys and a busy timeout, and starts its transactions
    itself (SQLAlchemy's documented recipe for the pysqlite / aiosqlite drivers): the
    driver's own transaction handling is off, and every transaction begins with
    ``BEGIN IMMEDIATE``, taking the write lock at its start.  A transaction that reads
    first and writes later would otherwise fail when another connection committed in
    between.  Connections whose ``sqlite_begin`` execution option is empty (the
    readers') start no transaction: each statement reads the latest commit, no lock.

    PostgreSQL gets a connection pool of ``pool_size`` (+ ``max_overflow``), or
    SQLAlchemy's defaults.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        pool: dict[str, int] = {}
        if pool_size is not None:
            pool["pool_size"] = pool_size
        if max_overflow is not None:
            pool["max_overflow"] = max_overflow
        return create_async_engine(url, pool_pre_ping=True, **pool)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # Every transaction ends in its own COMMIT or ROLLBACK: the pool's reset on return
    # would be one more round trip through the driver's thread, for nothing.
    engine = create_async_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT}, pool_reset_on_return=None
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the "begin" listener below starts transactions
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Connection) -> None:
        begin = conn.get_execution_options().get(SQLITE_BEGIN, "BEGIN IMMEDIATE")
        if begin:
            conn.exec_driver_sql(begin)

    return engine


class Database:
    """Owns the engine; hands out one session per unit of work.

    SQLite allows one writer at a time: writing transactions take the write lock at
    their start (``BEGIN IMMEDIATE``, which also shuts out other processes' writers
    until they commit), and within this process they take turns through one
    ``asyncio.Lock`` first, so they queue on the event loop in arrival order rather
    than in SQLite's busy handler, and each holds a pooled connection only while it
    writes.  Reads take a snapshot and wait for no one.  PostgreSQL needs no lock.
    """

    def __init__(
        self, url: str, *, pool_size: int | None = None, max_overflow: int | None = None
    ) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.sqlite = is_sqlite(url)
        self._readers = async_sessionmaker(
            self.engine.execution_options(**{SQLITE_BEGIN: ""}) if self.sqlite else self.engine,
            expire_on_commit=False,
        )
        self._writer = asyncio.Lock() if self.sqlite else None
        self._waiting = 0

    @property
    def waiting(self) -> int:
        """Transactions waiting for their turn to write (SQLite): a long unit of work, such
        as a batch of inbox events, ends early when someone waits."""
        return self._waiting

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        if self._writer is None:
            async with self.sessions() as session, session.begin():
                yield session
            return
        self._waiting += 1
        try:
            await self._writer.acquire()
        finally:
            self._waiting -= 1
        try:
            async with self.sessions() as session, session.begin():
                yield session
        finally:
            self._writer.release()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only."""
        async with self._readers() as session:
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
