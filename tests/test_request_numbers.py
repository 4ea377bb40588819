"""Request numbers on both engines: distinct and consecutive however many file at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select, text

from core.model import Category, Role, Urgency
from core.services import NewRequest, file_request
from core.sla import SlaPolicy
from core.storage.database import Database
from core.storage.migrate import upgrade
from core.storage.tables import UTC_TIME, Building, Person, Request

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
NO_NORMS = SlaPolicy({}, UTC)


async def _residents(db: Database, count: int) -> tuple[int, list[int]]:
    async with db.transaction() as session:
        building = Building(code="L5", address="Ленина 5")
        session.add(building)
        residents = [
            Person(name=f"resident {n}", role=Role.RESIDENT.value, created_at=NOW)
            for n in range(count)
        ]
        session.add_all(residents)
        await session.flush()
        return building.id, [r.id for r in residents]


_BUILDING = (
    "INSERT INTO buildings (code, address, city, complex, entrances, floors, apartments,"
    " aliases) VALUES ('L5', 'Ленина 5', '', '', 1, 1, 0, '')"
)
_BEFORE_THE_UPGRADE = (
    "INSERT INTO persons (name, role, phone, trade, language, active, home_location,"
    " created_at) VALUES ('resident', 'resident', '', '', 'ru', true, '', :now)",
    *(
        "INSERT INTO requests (number, building_id, location, category, urgency, description,"
        " status, reporter_id, contact_phone, rating_comment, suggested_category,"
        " suggested_emergency, label_confirmed, created_at, updated_at, version)"
        f" SELECT {number}, b.id, 'apt 1', 'water', 'normal', '', 'new', p.id, '', '', '',"
        " false, false, :now, :now, 1 FROM buildings b, persons p"
        for number in (1001, 1007)
    ),
)
_IDS = "SELECT b.id, p.id FROM buildings b, persons p"


async def _file(db: Database, building_id: int, resident_id: int) -> int:
    async with db.transaction() as session:
        reporter = await session.get(Person, resident_id)
        assert reporter is not None
        new = NewRequest(building_id, "apt 12", Category.WATER, Urgency.NORMAL, "течёт кран")
        outcome = await file_request(session, NOW, reporter, new, NO_NORMS)
        return outcome.request.number


async def test_residents_filing_at_once_through_two_processes_all_get_numbers(
    db: Database,
) -> None:
    """Two ``Database`` objects stand for two processes: 30 residents file at once, every
    request is filed, and the numbers are 1001..1030, each once."""
    building_id, residents = await _residents(db, 30)
    other = Database(db.url)
    try:
        filings = [
            _file(db if n % 2 else other, building_id, resident)
            for n, resident in enumerate(residents)
        ]
        results = await asyncio.gather(*filings, return_exceptions=True)
    finally:
        await other.close()
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert sorted(results) == list(range(1001, 1031))  # type: ignore[type-var]
    async with db.reading() as session:
        stored = await session.scalars(select(Request.number).order_by(Request.number))
        assert list(stored) == list(range(1001, 1031))


async def test_numbers_go_on_after_those_filed_before_the_upgrade(database_url: str) -> None:
    """The sequence / counter starts after the highest number already filed."""
    await asyncio.to_thread(upgrade, database_url, "0005")
    db = Database(database_url)
    try:
        # Written as SQL: the models have columns that schema 0005 does not have yet.
        async with db.transaction() as session:
            await session.execute(text(_BUILDING))
            for statement in _BEFORE_THE_UPGRADE:
                typed = text(statement).bindparams(bindparam("now", NOW, type_=UTC_TIME))
                await session.execute(typed)
            building_id, resident = (await session.execute(text(_IDS))).one()
        await asyncio.to_thread(upgrade, database_url)
        assert await _file(db, building_id, resident) == 1008
        assert await _file(db, building_id, resident) == 1009
        async with db.reading() as session:
            assert await session.scalar(select(func.count()).select_from(Request)) == 4
    finally:
        await db.close()
