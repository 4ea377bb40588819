"""Where media bytes live: files under a directory, or a content-addressed table.

The rest of the code keeps and loads photos through :class:`MediaLibrary` only: an
upload is prepared (checked and re-encoded by :class:`~core.storage.media.MediaStore`),
kept once under the sha256 of the prepared bytes, and loaded back by that sha256.  Each
backend also records the ``media`` row (type, size) that links and deliveries rely on.

* ``files``: one file per sha256 under ``MEDIA_DIR``; the processes of one machine share it.
* ``database``: the bytes in the ``media_blobs`` table, so every machine around one
  PostgreSQL serves the same photos without a shared file system.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.storage.database import Database
from core.storage.media import MediaRejected, MediaStore, StoredMedia, described, is_media_id
from core.storage.tables import Media, MediaBlob

MEDIA_STORES = ("files", "database")


class MediaLibrary(Protocol):
    """Keep prepared photos once by content, load them back by sha256."""

    @property
    def max_bytes(self) -> int: ...

    def prepare(self, data: bytes) -> bytes:
        """The upload as it will be kept, or ``MediaRejected``; CPU-bound: off the loop."""
        ...

    async def keep(self, photo: bytes) -> StoredMedia:
        """Keep prepared bytes (idempotent) and record their ``media`` row."""
        ...

    async def keep_in(self, session: AsyncSession, photo: bytes) -> StoredMedia:
        """:meth:`keep` with the row written in the caller's transaction (on SQLite a
        second transaction would wait for the caller's to end)."""
        ...

    async def save(self, data: bytes) -> StoredMedia:
        """Prepare (off the event loop) and keep an upload."""
        ...

    async def load(self, sha: str) -> tuple[bytes, str] | None:
        """The bytes and MIME type of a kept photo; ``None`` if there is none."""
        ...


def _insert_ignoring_duplicates(session: AsyncSession, table: Any, values: dict[str, Any]) -> Any:
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table).values(values).on_conflict_do_nothing(index_elements=["sha256"])


class _Library(ABC):
    def __init__(self, store: MediaStore, db: Database, clock: Callable[[], datetime]) -> None:
        self.store, self.db, self.clock = store, db, clock

    @property
    def max_bytes(self) -> int:
        return self.store.max_bytes

    def prepare(self, data: bytes) -> bytes:
        return self.store.prepare(data)

    @abstractmethod
    async def _put(self, photo: bytes) -> StoredMedia:
        """Keep the bytes where they live outside the database, if anywhere."""

    @abstractmethod
    async def _record(self, session: AsyncSession, stored: StoredMedia, photo: bytes) -> None:
        """Write the photo's rows."""

    @abstractmethod
    async def load(self, sha: str) -> tuple[bytes, str] | None: ...

    async def keep(self, photo: bytes) -> StoredMedia:
        stored = await self._put(photo)
        async with self.db.transaction() as session:
            await self._record(session, stored, photo)
        return stored

    async def keep_in(self, session: AsyncSession, photo: bytes) -> StoredMedia:
        stored = await self._put(photo)
        await self._record(session, stored, photo)
        return stored

    async def save(self, data: bytes) -> StoredMedia:
        return await self.keep(await asyncio.to_thread(self.prepare, data))

    def _row(self, session: AsyncSession, stored: StoredMedia) -> Any:
        values = {
            "sha256": stored.sha,
            "mime": stored.mime,
            "size": stored.size,
            "created_at": self.clock(),
        }
        return _insert_ignoring_duplicates(session, Media, values)


class FileMedia(_Library):
    """Bytes in files under the media directory, the ``media`` row in the database."""

    async def _put(self, photo: bytes) -> StoredMedia:
        return await asyncio.to_thread(self.store.store, photo)

    async def _record(self, session: AsyncSession, stored: StoredMedia, photo: bytes) -> None:
        await session.execute(self._row(session, stored))

    async def load(self, sha: str) -> tuple[bytes, str] | None:
        if not is_media_id(sha):
            return None
        async with self.db.reading() as session:
            mime = await session.scalar(select(Media.mime).where(Media.sha256 == sha))
        if mime is None:
            return None
        try:
            data = await asyncio.to_thread(self.store.read, sha)
        except (OSError, MediaRejected):
            return None
        return data, mime


class DatabaseMedia(_Library):
    """Bytes in the ``media_blobs`` table, written in the transaction of their ``media`` row."""

    async def _put(self, photo: bytes) -> StoredMedia:
        return described(photo)

    async def _record(self, session: AsyncSession, stored: StoredMedia, photo: bytes) -> None:
        await session.execute(self._row(session, stored))
        blob = {"sha256": stored.sha, "data": photo}
        await session.execute(_insert_ignoring_duplicates(session, MediaBlob, blob))

    async def load(self, sha: str) -> tuple[bytes, str] | None:
        if not is_media_id(sha):
            return None
        async with self.db.reading() as session:
            row = (
                await session.execute(
                    select(MediaBlob.data, Media.mime)
                    .join(Media, Media.sha256 == MediaBlob.sha256)
                    .where(MediaBlob.sha256 == sha)
                )
            ).first()
        return None if row is None else (bytes(row[0]), str(row[1]))


def open_media_library(
    kind: str, store: MediaStore, db: Database, clock: Callable[[], datetime]
) -> MediaLibrary:
    """The library ``MEDIA_STORE`` names (``files`` or ``database``)."""
    if kind == "database":
        return DatabaseMedia(store, db, clock)
    if kind == "files":
        return FileMedia(store, db, clock)
    raise ValueError(f"unknown media store {kind!r}; use one of {', '.join(MEDIA_STORES)}")
