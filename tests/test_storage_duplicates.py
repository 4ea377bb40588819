"""Duplicate offers read from storage on both engines: a house's entrance count places a
report that names no entrance."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.field_words import load_field_words
from core.incidents import open_duplicates
from core.model import Category
from core.storage.database import Database
from core.storage.tables import Building, Person, Request

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def _open_lift_request(db: Database, entrances: int, location: str) -> int:
    """A building of ``entrances`` entrances with one open lift request at ``location``."""
    async with db.transaction() as session:
        building = Building(code="M7", address="Мира 7", entrances=entrances, floors=9)
        author = Person(name="A", role="resident", created_at=NOW)
        session.add_all([building, author])
        await session.flush()
        session.add(
            Request(
                number=1001,
                building_id=building.id,
                location=location,
                category=Category.ELEVATOR.value,
                urgency="normal",
                description="лифт не работает",
                status="new",
                reporter_id=author.id,
                created_at=NOW,
                updated_at=NOW,
            )
        )
        return building.id


async def _offered(db: Database, building_id: int, location: str, entrances: int | None) -> bool:
    async with db.transaction() as session:
        found = await open_duplicates(
            session,
            building_id,
            Category.ELEVATOR,
            location,
            "лифт стоит",
            load_field_words(),
            entrances=entrances,
        )
        return bool(found)


@pytest.mark.parametrize("open_at", ["elevator", "elevator;entrance:1"])
async def test_one_entrance_house_offers_its_lift_of_unnamed_entrance(
    db: Database, open_at: str
) -> None:
    building_id = await _open_lift_request(db, 1, open_at)
    assert await _offered(db, building_id, "elevator", entrances=1)
    # A flat whose words name the lift: the house's only lift.
    assert await _offered(db, building_id, "apartment:5", entrances=1)
    # Told nothing of the house, a lift of an unnamed entrance may be another entrance's.
    assert not await _offered(db, building_id, "elevator", entrances=None)
    assert not await _offered(db, building_id, "apartment:5", entrances=None)


async def test_house_of_several_entrances_keeps_an_unnamed_entrance_unknown(db: Database) -> None:
    building_id = await _open_lift_request(db, 3, "elevator;entrance:1")
    assert not await _offered(db, building_id, "elevator", entrances=3)
    assert await _offered(db, building_id, "elevator;entrance:1", entrances=3)
    assert not await _offered(db, building_id, "elevator;entrance:2", entrances=3)
