"""Linking on both engines: a resident's whole record moves once, and a code links once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core import linking
from core.storage.database import Database
from core.storage.tables import (
    Building,
    DuplicateOffer,
    Identity,
    Incident,
    IncidentReporter,
    LinkCode,
    Person,
    Request,
    RequestEvent,
    RequestReporter,
)

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def _people(db: Database) -> tuple[int, int, int, int]:
    """Resident A (one identity) and resident B (two identities), who both reported
    the same request (B as its author) and asked about the same incident; B once
    declined the request offered as a duplicate."""
    async with db.transaction() as session:
        building = Building(code="L5", address="Ленина 5")
        a = Person(name="A", role="resident", created_at=NOW, phone="+7900")
        b = Person(name="B", role="resident", created_at=NOW, phone="+7911")
        session.add_all([building, a, b])
        await session.flush()
        session.add_all(
            [
                Identity(
                    person_id=a.id, channel="web", external_id="a", chat="a", last_seen_at=NOW
                ),
                Identity(
                    person_id=b.id, channel="web", external_id="b", chat="b", last_seen_at=NOW
                ),
                Identity(
                    person_id=b.id, channel="tg", external_id="b2", chat="b2", last_seen_at=NOW
                ),
            ]
        )
        request = Request(
            number=1001,
            building_id=building.id,
            location="apt:12",
            category="water",
            urgency="normal",
            description="течёт",
            status="new",
            reporter_id=b.id,
            created_at=NOW,
            updated_at=NOW,
        )
        incident = Incident(
            building_id=building.id, category="water", description="нет воды", created_at=NOW
        )
        session.add_all([request, incident])
        await session.flush()
        session.add_all(
            [
                RequestReporter(request_id=request.id, person_id=b.id),
                RequestReporter(request_id=request.id, person_id=a.id),
                RequestEvent(
                    request_id=request.id, person_id=b.id, action="created", created_at=NOW
                ),
                IncidentReporter(incident_id=incident.id, person_id=a.id),
                IncidentReporter(incident_id=incident.id, person_id=b.id),
                DuplicateOffer(
                    request_id=request.id,
                    person_id=b.id,
                    category="water",
                    answer="declined",
                    created_at=NOW,
                ),
            ]
        )
        return a.id, b.id, request.id, incident.id


async def test_linking_moves_a_residents_record_once(db: Database) -> None:
    a, b, request_id, incident_id = await _people(db)
    async with db.transaction() as session:
        person = await session.get(Person, a)
        assert person is not None
        code, expires = await linking.issue_code(session, person, NOW)
    assert expires == NOW + timedelta(minutes=10)
    async with db.transaction() as session:
        identity = await session.scalar(select(Identity).where(Identity.external_id == "b"))
        assert identity is not None
        outcome = await linking.redeem(session, identity, linking.shown(code), NOW)
        assert outcome.result is linking.Linked.LINKED
    async with db.reading() as session:
        assert await session.get(Person, b) is None
        owners = set(await session.scalars(select(Identity.person_id)))
        reporters = list(
            await session.execute(select(RequestReporter.request_id, RequestReporter.person_id))
        )
        asked = list(
            await session.execute(select(IncidentReporter.incident_id, IncidentReporter.person_id))
        )
        request = await session.get(Request, request_id)
        events = set(await session.scalars(select(RequestEvent.person_id)))
        used = await session.scalar(select(LinkCode.used_at))
        answered = list(await session.scalars(select(DuplicateOffer.person_id)))
    assert owners == {a}
    assert [tuple(r) for r in reporters] == [(request_id, a)]
    assert [tuple(r) for r in asked] == [(incident_id, a)]
    assert request is not None and request.reporter_id == a
    assert events == {a} and used == NOW
    # B's answers are A's now, not deleted with B.
    assert answered == [a]


async def test_a_code_links_one_of_two_identities_sending_it_at_once(db: Database) -> None:
    a, _, _, _ = await _people(db)
    async with db.transaction() as session:
        others = [Person(name=f"C{i}", role="resident", created_at=NOW) for i in range(2)]
        session.add_all(others)
        await session.flush()
        session.add_all(
            Identity(
                person_id=p.id, channel="web", external_id=p.name, chat=p.name, last_seen_at=NOW
            )
            for p in others
        )
        person = await session.get(Person, a)
        assert person is not None
        code, _ = await linking.issue_code(session, person, NOW)

    async def send(external_id: str) -> linking.Linked:
        async with db.transaction() as session:
            identity = await session.scalar(
                select(Identity).where(Identity.external_id == external_id)
            )
            assert identity is not None
            return (await linking.redeem(session, identity, code, NOW)).result

    results = await asyncio.wait_for(asyncio.gather(send("C0"), send("C1")), timeout=30)
    assert sorted(r.value for r in results) == ["bad_code", "linked"]
