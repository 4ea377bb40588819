"""Read models for rendering: a request with its building, people and photos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from core.lifecycle import Actor, actors_for
from core.model import Location, LocationKind, Role
from core.storage.tables import (
    Building,
    Person,
    Request,
    RequestEvent,
    RequestPhoto,
    RequestReporter,
)


@dataclass(slots=True)
class RequestView:
    request: Request
    building: Building
    reporter: Person
    assignee: Person | None
    #: Everyone who reported it: the author (``request.reporter_id``) and co-reporters.
    reporter_ids: frozenset[int]
    resident_photos: list[str]
    report_photos: list[str]
    #: The escalation ladder's steps told so far: (title, the names of the people told).
    escalations: list[tuple[str, str]]

    @property
    def reporter_count(self) -> int:
        return len(self.reporter_ids)

    def actors(self, person: Person) -> frozenset[Actor]:
        """How ``person`` relates to this request (which buttons they may be shown)."""
        r = self.request
        return actors_for(
            Role(person.role),
            person_id=person.id,
            assignee_id=r.assignee_id,
            author_id=r.reporter_id,
            reporter_ids=self.reporter_ids,
        )


async def load_view(session: AsyncSession, request: Request) -> RequestView:
    building = await session.get(Building, request.building_id)
    reporter = await session.get(Person, request.reporter_id)
    assert building is not None and reporter is not None
    assignee = await session.get(Person, request.assignee_id) if request.assignee_id else None
    reporters = await session.scalars(
        select(RequestReporter.person_id).where(RequestReporter.request_id == request.id)
    )
    photos = (
        await session.execute(
            select(RequestPhoto.media_sha, RequestPhoto.kind)
            .where(RequestPhoto.request_id == request.id)
            .order_by(RequestPhoto.id)
        )
    ).all()
    escalated = await session.scalars(
        select(RequestEvent.data)
        .where(RequestEvent.request_id == request.id, RequestEvent.action == "escalated")
        .order_by(RequestEvent.id)
    )
    return RequestView(
        request,
        building,
        reporter,
        assignee,
        frozenset(reporters) | {request.reporter_id},
        [sha for sha, kind in photos if kind == "resident"],
        [sha for sha, kind in photos if kind == "report"],
        [(str(d.get("title", "")), str(d.get("names", ""))) for d in escalated],
    )


def format_time(lang: str, moment: datetime | None, tz: tzinfo) -> str:
    if moment is None:
        return texts.t(lang, "no_deadline")
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")


def format_location(lang: str, raw: str, category: str = "") -> str:
    """The place as written inside a sentence: "квартира 12 (подъезд 1, этаж 3)",
    "подъезд 3, этаж 7", "лифт, подъезд 2".  Next to a request's type, a common area
    named the same ("Лифт, …, лифт") is left out."""
    try:
        location = Location.decode(raw)
    except (ValueError, KeyError):
        return raw
    kind = texts.location_kind(lang, location.kind.value).lower()
    if location.kind is LocationKind.FLOOR:
        entrance, floor = location.entrance, location.number
    elif location.kind is LocationKind.ENTRANCE:
        entrance, floor = location.number, None
    else:
        entrance, floor = location.entrance, location.floor
    where = [
        *([texts.t(lang, "location_in_entrance", entrance=entrance)] if entrance else []),
        *([texts.t(lang, "location_on_floor", floor=floor)] if floor else []),
    ]
    if location.kind is LocationKind.APARTMENT:
        flat = texts.t(lang, "location_number", kind=kind, number=location.number)
        return (
            texts.t(lang, "location_flat_where", flat=flat, where=", ".join(where))
            if where
            else flat
        )
    if location.kind.numbered or (location.kind.value == category and where):
        return ", ".join(where)
    return ", ".join([texts.t(lang, "location_common", kind=kind), *where])


def place(
    lang: str, address: str, raw_location: str, *, to_neighbour: bool, category: str = ""
) -> str:
    """Where a request is.  Told to a neighbour (anyone but its author), the place inside
    the building is left out when it is someone's flat.  Next to the request's type
    (``category``), a common area named the same is left out."""
    if to_neighbour:
        try:
            private = Location.decode(raw_location).kind is LocationKind.APARTMENT
        except (ValueError, KeyError):
            private = True
        if private:
            return address
    location = format_location(lang, raw_location, category)
    return texts.t(lang, "place", address=address, location=location)


def person_name(person: Person | None, lang: str) -> str:
    if person is None:
        return texts.t(lang, "card_unassigned")
    return person.name or texts.t(lang, "someone")
