"""Mass incidents and duplicate requests: one outage, one request, everyone told.

A resident describing a problem that is already open in the same building (same
category, same entrance where the entrance matters) is offered to join that
request as a co-reporter; dispatchers can declare an incident so that residents
asking about it get the answer at once, and everyone who asked is told when it is
resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.model import Category, Location, Role, Status
from core.services import GROUP, Notice, Outcome, Refused, load_request, reporter_ids
from core.storage.tables import (
    Incident,
    IncidentReporter,
    Person,
    Request,
    RequestEvent,
    RequestReporter,
)

#: Categories whose problems belong to one entrance rather than the whole building.
PER_ENTRANCE = frozenset({Category.ELEVATOR, Category.DOORS_INTERCOM, Category.CLEANING})
#: Categories that are a single flat's business, never a shared outage.
PRIVATE = frozenset({Category.BILLING, Category.OTHER})


def entrance_of(location: str) -> int | None:
    try:
        decoded = Location.decode(location)
    except (ValueError, KeyError):
        return None
    if decoded.entrance is not None:
        return decoded.entrance
    return decoded.number if decoded.kind.value == "entrance" else None


async def open_duplicates(
    session: AsyncSession, building_id: int, category: Category, location: str
) -> list[Request]:
    """Open requests that are likely the same problem, newest first."""
    if category in PRIVATE:
        return []
    rows = list(
        await session.scalars(
            select(Request)
            .where(
                Request.building_id == building_id,
                Request.category == category.value,
                Request.status.in_([s.value for s in Status if s.is_open and s is not Status.DONE]),
            )
            .order_by(Request.created_at.desc())
            .limit(5)
        )
    )
    entrance = entrance_of(location)
    if category in PER_ENTRANCE and entrance is not None:
        rows = [r for r in rows if entrance_of(r.location) in (entrance, None)]
    return rows


async def join_request(
    session: AsyncSession, now: datetime, person: Person, request_id: int
) -> Outcome:
    """Add a resident as a co-reporter: they get every update from now on."""
    request = await load_request(session, request_id, None)
    if not Status(request.status).is_open:
        raise Refused("wrong_status")
    if person.id in await reporter_ids(session, request.id):
        raise Refused("already_reported")
    session.add(RequestReporter(request_id=request.id, person_id=person.id))
    session.add(
        RequestEvent(
            request_id=request.id,
            person_id=person.id,
            action="joined",
            data={},
            created_at=now,
        )
    )
    await session.flush()
    return Outcome(
        request,
        [
            Notice("joined", request.id, person.id),
            Notice("card", request.id, GROUP, {"event": "joined"}),
        ],
    )


async def active_incident(
    session: AsyncSession, building_id: int, category: str, location: str, now: datetime
) -> Incident | None:
    rows = await session.scalars(
        select(Incident)
        .where(
            Incident.building_id == building_id,
            Incident.category == category,
            Incident.status == "active",
            or_(Incident.until.is_(None), Incident.until > now),
        )
        .order_by(Incident.id.desc())
    )
    entrance = entrance_of(location)
    for incident in rows:
        if incident.entrance is None or entrance is None or incident.entrance == entrance:
            return incident
    return None


@dataclass(frozen=True, slots=True)
class NewIncident:
    building_id: int
    category: Category
    description: str
    until: datetime | None = None
    entrance: int | None = None
    request_id: int | None = None


async def declare(
    session: AsyncSession, now: datetime, person: Person, new: NewIncident
) -> Incident:
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    if new.until is not None and new.until <= now:
        raise Refused("bad_date")
    incident = Incident(
        building_id=new.building_id,
        category=new.category.value,
        entrance=new.entrance,
        description=new.description,
        until=new.until,
        request_id=new.request_id,
        created_by=person.id,
        created_at=now,
    )
    session.add(incident)
    await session.flush()
    return incident


async def subscribe(session: AsyncSession, incident: Incident, person: Person) -> bool:
    """Remember that this resident asked; False if they already had."""
    existing = await session.get(IncidentReporter, (incident.id, person.id))
    if existing is not None:
        return False
    session.add(IncidentReporter(incident_id=incident.id, person_id=person.id))
    await session.flush()
    return True


async def resolve(
    session: AsyncSession, now: datetime, person: Person, incident_id: int
) -> tuple[Incident, list[int]]:
    """Mark the incident resolved; return everyone to tell: those who asked about it and
    the reporters of the open requests for the same problem."""
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    incident = await session.get(Incident, incident_id)
    if incident is None:
        raise Refused("not_found")
    if incident.status != "active":
        raise Refused("wrong_status")
    incident.status = "resolved"
    incident.resolved_at = now
    people = list(
        await session.scalars(
            select(IncidentReporter.person_id).where(IncidentReporter.incident_id == incident.id)
        )
    )
    related = await session.scalars(
        select(RequestReporter.person_id)
        .join(Request, Request.id == RequestReporter.request_id)
        .where(
            Request.building_id == incident.building_id,
            Request.category == incident.category,
            or_(
                Request.id == incident.request_id,
                Request.status.in_([s.value for s in Status if s.is_open]),
            ),
        )
    )
    people.extend(related)
    await session.flush()
    return incident, list(dict.fromkeys(people))
