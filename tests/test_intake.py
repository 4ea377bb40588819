"""The intake port, on both engines: photos kept by content before the inbox row, refusals
and conflicts store nothing, a repeated delivery is stored once and wakes nobody."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from core.channel import EventKind, InboundEvent
from core.intake import InboxIntake
from core.ports import EventConflict, IntakeUnavailable, MediaRefused
from core.storage.database import Database
from core.storage.media import MediaStore
from core.storage.media_library import open_media_library
from core.storage.tables import InboxItem, Media
from tests.support.harness import FakeClock, png


@pytest.fixture
def wakes() -> list[int]:
    return []


@pytest.fixture(params=["files", "database"])
def intake(
    request: pytest.FixtureRequest, db: Database, tmp_path, clock: FakeClock, wakes: list[int]
) -> InboxIntake:
    store = MediaStore(tmp_path / "media", max_bytes=1024 * 1024)
    media = open_media_library(request.param, store, db, clock)
    return InboxIntake(db, media, lambda: wakes.append(1))


def event(clock: FakeClock, event_id: str = "e1", **fields: object) -> InboundEvent:
    base = InboundEvent("test", event_id, "chat-1", "user-1", EventKind.TEXT, clock())
    return replace(base, **fields)  # type: ignore[arg-type]


async def count(db: Database, table: type) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_a_photo_is_kept_by_content_then_the_event(
    intake: InboxIntake, db: Database, clock: FakeClock, wakes: list[int]
) -> None:
    photo = event(clock, kind=EventKind.PHOTO, text="протечка")
    accepted = await intake.accept(photo, [png(1)])
    assert accepted.new and wakes == [1]
    [sha] = accepted.event.photos
    stored = await intake.media.load(sha)
    assert stored is not None and stored[1] == "image/jpeg"
    assert hashlib.sha256(stored[0]).hexdigest() == sha  # content-addressed: the id is the hash
    async with db.reading() as session:
        kept = await session.scalar(
            select(InboxItem.event).where(InboxItem.id == accepted.inbox_id)
        )
    assert kept is not None and kept["photos"] == [sha]


async def test_the_same_photo_twice_is_kept_once(intake: InboxIntake, db: Database, clock) -> None:
    first = await intake.accept(event(clock, "a", kind=EventKind.PHOTO), [png(2)])
    second = await intake.accept(event(clock, "b", kind=EventKind.PHOTO), [png(2)])
    assert first.event.photos == second.event.photos
    assert await count(db, Media) == 1 and await count(db, InboxItem) == 2


async def test_a_repeated_delivery_is_stored_once_and_wakes_nobody(
    intake: InboxIntake, db: Database, clock: FakeClock, wakes: list[int]
) -> None:
    first = await intake.accept(event(clock, text="нет воды"))
    again = await intake.accept(event(clock, text="нет воды"))
    assert (first.new, again.new) == (True, False)
    assert again.inbox_id == first.inbox_id and wakes == [1]
    assert await count(db, InboxItem) == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"<html>not a photo</html>", "not_image"), (png(size=(8, 8)), "too_small")],
)
async def test_a_refused_photo_stores_nothing(
    intake: InboxIntake, db: Database, clock: FakeClock, wakes: list[int], data: bytes, reason: str
) -> None:
    with pytest.raises(MediaRefused) as refused:
        await intake.accept(event(clock, kind=EventKind.PHOTO), [png(3), data])
    assert refused.value.reason == reason
    assert await count(db, Media) == 0 and await count(db, InboxItem) == 0 and not wakes


async def test_exact_refuses_other_content_under_a_stored_id(
    intake: InboxIntake, db: Database, clock: FakeClock
) -> None:
    await intake.accept(event(clock, text="первый"), exact=True)
    assert not (await intake.accept(event(clock, text="первый"), exact=True)).new
    with pytest.raises(EventConflict):
        await intake.accept(event(clock, kind=EventKind.PHOTO), [png(4)], exact=True)
    assert await count(db, InboxItem) == 1 and await count(db, Media) == 0
    # Without ``exact`` a redelivery is recognised by its id alone (messengers' update ids).
    assert not (await intake.accept(event(clock, text="другой"))).new


async def test_database_trouble_is_one_typed_error(
    intake: InboxIntake, db: Database, clock: FakeClock, wakes: list[int]
) -> None:
    intake.db = Database("sqlite+aiosqlite:////nonexistent/dir/x.db")
    try:
        with pytest.raises(IntakeUnavailable):
            await intake.accept(event(clock))
    finally:
        await intake.db.close()
    assert not wakes
