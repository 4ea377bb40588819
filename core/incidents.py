"""Mass incidents and duplicate requests: one outage, one request, everyone told.

A resident describing a problem that is already open in the same building (same
category, a compatible place and alike words: ``core.duplicates``) is offered to join
that request as a co-reporter; dispatchers can declare an incident so that residents
asking about it get the answer at once, and everyone who asked is told when it is
resolved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.duplicates import Lexicon, in_entrance, same_problem
from core.model import Category, Location, Role, Status, Urgency
from core.services import (
    GROUP,
    NewRequest,
    Notice,
    Outcome,
    Refused,
    file_request,
    load_request,
    reporter_ids,
)
from core.sla import SlaPolicy
from core.storage.tables import (
    Incident,
    IncidentReporter,
    Person,
    Request,
    RequestEvent,
    RequestPhoto,
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


def _as_written(text: str) -> str:
    return text


async def open_duplicates(
    session: AsyncSession,
    building_id: int,
    category: Category,
    location: str,
    description: str,
    lexicon: Lexicon,
    *,
    plain: Callable[[str], str] = _as_written,
    entrances: int | None = None,
) -> list[Request]:
    """Open requests that are likely the same problem, newest first.  ``plain`` takes out
    of a description what is no part of a problem: the building's own address, a phone.
    ``entrances``: how many the building has; in a house of one, a place of no entrance
    is in that one, so its lift is the lift of every report."""
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

    def placed(raw: str) -> str:
        return in_entrance(raw, 1) if entrances == 1 else raw

    location = placed(location)
    entrance = entrance_of(location)
    if category in PER_ENTRANCE and entrance is not None:
        rows = [r for r in rows if entrance_of(placed(r.location)) in (entrance, None)]
    mine = plain(description)
    return [
        r
        for r in rows
        if same_problem(location, mine, placed(r.location), plain(r.description), lexicon)
    ]


async def join_request(
    session: AsyncSession,
    now: datetime,
    person: Person,
    request_id: int,
    note: str = "",
    photos: Sequence[str] = (),
    location: str = "",
) -> Outcome:
    """Add a resident as a co-reporter: they follow the request (its status notices) and
    their own words, photos and place reach the staff, never the other reporters."""
    request = await load_request(session, request_id, None)
    if not Status(request.status).is_open:
        raise Refused("wrong_status")
    if person.id in await reporter_ids(session, request.id):
        raise Refused("already_reported")
    session.add(RequestReporter(request_id=request.id, person_id=person.id))
    shas = list(dict.fromkeys(photos))
    for sha in shas:
        session.add(
            RequestPhoto(request_id=request.id, media_sha=sha, kind="resident", created_at=now)
        )
    session.add(
        RequestEvent(
            request_id=request.id,
            person_id=person.id,
            action="joined",
            comment=note,
            data={"photos": shas, "location": location},
            created_at=now,
        )
    )
    await session.flush()
    return Outcome(
        request,
        [
            Notice("joined", request.id, person.id),
            Notice("card", request.id, GROUP, {"event": "joined", "text": note}),
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
    #: "planned" or "unplanned" for an outage told to every resident; "" answers only
    #: those who ask.
    kind: str = ""
    starts_at: datetime | None = None


async def declare(
    session: AsyncSession, now: datetime, person: Person, new: NewIncident
) -> Incident:
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    if new.until is not None and (new.until <= now or new.until <= (new.starts_at or now)):
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
        kind=new.kind,
        starts_at=new.starts_at,
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
    """A dispatcher marks the incident resolved; see :func:`end`."""
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    incident = await session.get(Incident, incident_id)
    if incident is None:
        raise Refused("not_found")
    if incident.status != "active":
        raise Refused("wrong_status")
    return incident, await end(session, now, incident)


async def end(session: AsyncSession, now: datetime, incident: Incident) -> list[int]:
    """Mark the incident resolved; return everyone to tell: those who asked about it (or
    were told of the outage) and the reporters of the open requests for the same problem."""
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
    return list(dict.fromkeys(people))


async def outages_over(session: AsyncSession, now: datetime) -> list[Incident]:
    """Declared outages whose announced period is over (their end is announced)."""
    rows = await session.scalars(
        select(Incident)
        .where(
            Incident.status == "active",
            Incident.kind != "",
            Incident.until.is_not(None),
            Incident.until <= now,
        )
        .order_by(Incident.id)
        .with_for_update(skip_locked=True)  # another process ending them skips them
    )
    return list(rows)


async def residents_of(session: AsyncSession, building_id: int, entrance: int | None) -> list[int]:
    """Every resident known in a building: those who live there by their profile and
    those who filed or joined a request there.  With an entrance, those known to live in
    another entrance are left out (a flat's entrance is often unknown: they are told)."""
    homes = await session.execute(
        select(Person.id, Person.home_location).where(
            Person.role == Role.RESIDENT.value,
            Person.active.is_(True),
            Person.home_building_id == building_id,
        )
    )
    reported = await session.execute(
        select(Person.id, Request.location)
        .join(RequestReporter, RequestReporter.person_id == Person.id)
        .join(Request, Request.id == RequestReporter.request_id)
        .where(
            Request.building_id == building_id,
            Person.role == Role.RESIDENT.value,
            Person.active.is_(True),
        )
    )
    places: dict[int, set[int | None]] = {}
    for person_id, location in [*homes.all(), *reported.all()]:
        places.setdefault(person_id, set()).add(entrance_of(location or ""))
    if entrance is None:
        return sorted(places)
    return sorted(p for p, known in places.items() if entrance in known or None in known)


async def merge(
    session: AsyncSession, now: datetime, person: Person, target_id: int, source_id: int
) -> Outcome:
    """A dispatcher merges a duplicate (source) into a request (target): the source's
    reporters join the target and the source is closed with a note."""
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    if target_id == source_id:
        raise Refused("same_request")
    target = await load_request(session, target_id, None)
    source = await load_request(session, source_id, None)
    if not Status(target.status).is_open or not Status(source.status).is_open:
        raise Refused("wrong_status")
    if target.building_id != source.building_id:
        raise Refused("other_building")
    already = set(await reporter_ids(session, target.id))
    moved = [p for p in await reporter_ids(session, source.id) if p not in already]
    for person_id in moved:
        session.add(RequestReporter(request_id=target.id, person_id=person_id))
    before = source.status
    source.status = Status.CLOSED.value
    source.closed_at = source.updated_at = target.updated_at = now
    data = {"into": target.number, "source": source.number}
    for request, action in ((source, "merged_into"), (target, "merged_from")):
        session.add(
            RequestEvent(
                request_id=request.id,
                person_id=person.id,
                action=action,
                from_status=before if request is source else "",
                to_status=Status.CLOSED.value if request is source else "",
                data=data,
                created_at=now,
            )
        )
    await session.flush()
    notices = [Notice("merged", target.id, p, data) for p in await reporter_ids(session, source.id)]
    notices += [
        Notice("card", source.id, GROUP, {"event": "merged_into", **data}),
        Notice("card", target.id, GROUP, {"event": "merged_from", **data}),
    ]
    return Outcome(target, notices)


async def split(
    session: AsyncSession,
    now: datetime,
    person: Person,
    request_id: int,
    reporter_id: int,
    sla: SlaPolicy,
) -> Outcome:
    """A dispatcher splits a co-reporter off into a request of their own."""
    if person.role not in (Role.DISPATCHER.value, Role.ADMIN.value):
        raise Refused("not_allowed")
    request = await load_request(session, request_id, None)
    if not Status(request.status).is_open:
        raise Refused("wrong_status")
    if reporter_id == request.reporter_id or reporter_id not in await reporter_ids(
        session, request.id
    ):
        raise Refused("not_a_co_reporter")
    reporter = await session.get(Person, reporter_id)
    if reporter is None:
        raise Refused("not_found")
    link = await session.get(RequestReporter, (request.id, reporter_id))
    if link is not None:
        await session.delete(link)
    own_words, own_place = await _own_report(session, request, reporter_id)
    outcome = await file_request(
        session,
        now,
        reporter,
        NewRequest(
            building_id=request.building_id,
            location=own_place or _home_in(reporter, request),
            category=Category(request.category),
            urgency=Urgency(request.urgency),
            description=own_words or request.description,
        ),
        sla,
    )
    data = {"into": outcome.request.number, "source": request.number}
    session.add(
        RequestEvent(
            request_id=request.id,
            person_id=person.id,
            action="split",
            data=data,
            created_at=now,
        )
    )
    request.updated_at = now
    await session.flush()
    outcome.notices.append(Notice("card", request.id, GROUP, {"event": "split", **data}))
    return outcome


async def _own_report(session: AsyncSession, request: Request, person_id: int) -> tuple[str, str]:
    """What a co-reporter said about the problem and where: the words and place they
    joined with, or those of their own request merged into this one ("" where unknown).
    A request split off for them carries these, never the author's words or flat."""
    joined = await session.scalar(
        select(RequestEvent)
        .where(
            RequestEvent.request_id == request.id,
            RequestEvent.person_id == person_id,
            RequestEvent.action == "joined",
        )
        .order_by(RequestEvent.id.desc())
        .limit(1)
    )
    if joined is not None:
        return joined.comment, str(joined.data.get("location") or "")
    merged = await session.execute(
        select(Request, RequestEvent.data)
        .join(RequestEvent, RequestEvent.request_id == Request.id)
        .where(Request.reporter_id == person_id, RequestEvent.action == "merged_into")
        .order_by(RequestEvent.id.desc())
    )
    for source, data in merged.all():
        if data.get("into") == request.number:
            return source.description, source.location
    return "", ""


def _home_in(person: Person, request: Request) -> str:
    """Where a co-reporter lives in the request's building; the request's own place only
    when neither their report nor their profile says where they are."""
    if person.home_building_id == request.building_id and person.home_location:
        return person.home_location
    return request.location
