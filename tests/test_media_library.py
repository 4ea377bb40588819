"""The media library on both engines: files or a database table behind one interface, and
photos served by every service process around one database when they live in the table."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.storage.database import Database
from core.storage.media import MediaRejected, MediaStore
from core.storage.media_library import MEDIA_STORES, MediaLibrary, open_media_library
from core.storage.tables import Media, MediaBlob
from tests.support.harness import PNG, FakeClock, make_harness, png


def library(kind: str, db: Database, root: Path, clock: FakeClock) -> MediaLibrary:
    return open_media_library(kind, MediaStore(root, max_bytes=64 * 1024), db, clock)


async def count(db: Database, table: type[Media] | type[MediaBlob]) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("kind", list(MEDIA_STORES))
async def test_saves_once_by_content_and_loads_back(
    kind: str, db: Database, tmp_path: Path, clock: FakeClock
) -> None:
    media = library(kind, db, tmp_path / "media", clock)
    stored = await media.save(PNG)
    kept = media.prepare(PNG)  # what is kept: the upload re-encoded
    assert stored == (hashlib.sha256(kept).hexdigest(), "image/jpeg", len(kept))
    assert await media.save(PNG) == stored
    assert await media.load(stored.sha) == (kept, "image/jpeg")
    other = await media.save(png(7))
    assert other.sha != stored.sha and await count(db, Media) == 2
    assert (await media.load(other.sha) or (b"", ""))[0] == media.prepare(png(7))
    stored_files = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    if kind == "database":
        assert await count(db, MediaBlob) == 2 and stored_files == []
    else:
        assert await count(db, MediaBlob) == 0 and len(stored_files) == 2


@pytest.mark.parametrize("kind", list(MEDIA_STORES))
async def test_refuses_what_is_not_an_image_and_stores_nothing(
    kind: str, db: Database, tmp_path: Path, clock: FakeClock
) -> None:
    media = library(kind, db, tmp_path / "media", clock)
    too_large = b"\xff\xd8\xff" + bytes(64 * 1024)
    for data, reason in ((b"", "empty"), (b"%PDF-1.7\n", "not_image"), (too_large, "too_large")):
        with pytest.raises(MediaRejected) as refused:
            await media.save(data)
        assert refused.value.reason == reason
    assert await count(db, Media) == 0 and await count(db, MediaBlob) == 0
    for sha in ("0" * 64, "../" * 21 + "x", "A" * 64, ""):
        assert await media.load(sha) is None


async def test_a_database_photo_is_served_by_another_machine(
    database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    """Two services with separate media folders (two machines) around one database."""
    async with (
        make_harness(database_url, tmp_path / "a", clock, media_store="database") as one,
        make_harness(database_url, tmp_path / "b", clock, media_store="database") as two,
    ):
        question = (await one.say("res-1", "Ленина 5, кв 12 — течёт кран на кухне"))[-1]
        question = (await one.press("res-1", question.button("Водоснабжение")))[-1]
        assert "фото" in question.text.lower()
        question = (await one.photo("res-1"))[-1]
        question = (await one.press("res-1", question.button("Готово")))[-1]
        summary = (await one.press("res-1", question.button("Пропустить")))[-1]
        assert len(summary.photos) == 1
        served = await two.client.get(summary.photos[0])  # signed by one, served by two
        assert served.status == 200, await served.text()
        assert served.headers["Content-Type"] == "image/jpeg"
        assert await served.read() == one.app.media.prepare(PNG)
        for machine in ("a", "b"):  # nothing written to either machine's media folder
            assert not any(p.is_file() for p in (tmp_path / machine / "media").rglob("*"))
