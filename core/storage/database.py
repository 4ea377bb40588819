"""Engine and transactions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

T = TypeVar("T")
log = logging.getLogger(__name__)

#: How long a statement waits for another process's write lock (seconds).
BUSY_TIMEOUT = 30
#: How often (at most, in seconds) the write-ahead log is copied back into the database
#: file, by a thread of its own.  SQLite's automatic checkpoint would run inside the
#: commit that fills the log, on the event loop: a stall of several milliseconds every
#: few hundred commits (measured: commit p50 0.41 ms, p999 5.7 ms, max 8.5 ms).
CHECKPOINT_EVERY = 1.0


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


class SqliteConnection(aiosqlite.Connection):
    """An aiosqlite connection that can run its calls on the event loop's own thread.

    aiosqlite hands every call (cursor, execute, fetch, close) to a helper thread and
    back, several hand-offs per statement; each costs far more than the statement on a
    small local database.  Inside a writing transaction that already holds SQLite's
    write lock (``BEGIN IMMEDIATE``) no statement can wait for another connection, so
    those calls run inline, the commit included (it does no checkpoint: the Checkpointer
    does those in a thread).  Anything that may wait (taking the lock, reads outside a
    writing transaction) still goes through the thread, so the event loop never sleeps
    in SQLite's busy handler.
    """

    inline = False

    async def _execute(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.inline and self._connection is not None:
            return fn(*args, **kwargs)
        result: T = await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]
        return result

    async def begin_immediate(self) -> None:
        """Start a transaction holding the write lock; wait for it off the loop if taken."""
        assert self._connection is not None
        if not _try_begin_immediate(self._connection):
            await super()._execute(  # type: ignore[no-untyped-call]
                self._connection.execute, "BEGIN IMMEDIATE"
            )


def _try_begin_immediate(conn: sqlite3.Connection) -> bool:
    """``BEGIN IMMEDIATE`` without waiting: False when another connection holds the lock."""
    conn.execute("PRAGMA busy_timeout=0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
    return True


def _sqlite_creator(path: str) -> Callable[[], Any]:
    async def connect() -> SqliteConnection:
        def connector() -> sqlite3.Connection:
            return sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)

        connection = SqliteConnection(connector, 64)
        await connection
        return connection

    return connect


def _sqlite_file(url: str) -> str | None:
    """The database file of a plain SQLite URL (the connections are ours to tune)."""
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:" and not parsed.query:
        return parsed.database
    return None


def create_engine(url: str) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        options: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT}}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        path = _sqlite_file(url)
        if path is not None:
            options = {"async_creator": _sqlite_creator(path)}
        engine = create_async_engine(url, **options)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            if path is not None:
                cursor.execute("PRAGMA wal_autocheckpoint=0")  # the Checkpointer's job
            cursor.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True)


class Checkpointer:
    """Copies SQLite's write-ahead log back into the database file in a thread, at most
    every ``CHECKPOINT_EVERY`` seconds after a commit.  Passive: it never waits for, nor
    holds up, the readers and the writer."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.last = time.monotonic()
        self.task: asyncio.Task[None] | None = None

    def after_commit(self) -> None:
        now = time.monotonic()
        if now - self.last < CHECKPOINT_EVERY or (self.task is not None and not self.task.done()):
            return
        self.last = now
        self.task = asyncio.get_running_loop().create_task(asyncio.to_thread(self._run))
        self.task.add_done_callback(_log_failure)

    def _run(self) -> None:
        with contextlib.closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)) as conn:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    async def close(self) -> None:
        if self.task is not None:
            with contextlib.suppress(Exception):
                await self.task


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("SQLite checkpoint failed: %s", task.exception())


class WriteTurns:
    """Whose turn it is to write (SQLite, within this process): first come, first served,
    except that urgent writers (an update being acknowledged) go before everyone else
    who waits: an acknowledgement waits for the transaction in progress, never for a
    queue of workers' transactions."""

    def __init__(self) -> None:
        self.busy = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._others: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return len(self._urgent) + len(self._others)

    async def acquire(self, urgent: bool) -> None:
        if not self.busy:
            self.busy = True
            return
        turn = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._others
        queue.append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # the turn came as the wait was cancelled: pass it on
            else:
                queue.remove(turn)
            raise

    def release(self) -> None:
        for queue in (self._urgent, self._others):
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)
                    return
        self.busy = False


class Database:
    """Owns the engine; hands out one session per unit of work.

    SQLite allows one writer at a time and fails a deferred transaction that
    read a snapshot older than the last commit, so within one process writing
    transactions take turns through a lock, and each takes SQLite's write lock
    at its start (``BEGIN IMMEDIATE``), which also shuts out other processes'
    writers until it commits.  PostgreSQL needs no such lock.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.sqlite = is_sqlite(url)
        self._turns = WriteTurns()
        path = _sqlite_file(url) if self.sqlite else None
        self.checkpointer = Checkpointer(path) if path is not None else None

    @property
    def waiting(self) -> int:
        """Transactions waiting for the write lock (SQLite): a long unit of work, such as
        a batch of inbox events, ends early when someone waits."""
        return self._turns.waiting

    @asynccontextmanager
    async def transaction(self, *, urgent: bool = False) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error.
        ``urgent``: someone is waiting for it (SQLite: it writes before the others)."""
        if self.sqlite:
            await self._turns.acquire(urgent)
            try:
                async with self._transaction() as session:
                    yield session
            finally:
                self._turns.release()
            if self.checkpointer is not None:
                self.checkpointer.after_commit()
        else:
            async with self.sessions() as session, session.begin():
                yield session

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """SQLite: holding the write lock from the start, statements (and the commit)
        run inline."""
        raw = None
        try:
            async with self.sessions() as session, session.begin():
                raw = await _driver_connection(session)
                if raw is None:
                    yield session
                    return
                await raw.begin_immediate()
                raw.inline = True
                yield session
                await session.flush()
        finally:
            if raw is not None:
                raw.inline = False

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only."""
        async with self.sessions() as session:
            yield session

    async def close(self) -> None:
        if self.checkpointer is not None:
            await self.checkpointer.close()
        await self.engine.dispose()


async def _driver_connection(session: AsyncSession) -> SqliteConnection | None:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    return driver if isinstance(driver, SqliteConnection) else None
