"""Read models for rendering: a request with its building, people and photos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from core.model import Location
from core.storage.tables import Building, Person, Request, RequestPhoto, RequestReporter


@dataclass(slots=True)
class RequestView:
    request: Request
    building: Building
    reporter: Person
    assignee: Person | None
    reporter_count: int
    resident_photos: list[str]
    report_photos: list[str]


async def load_view(session: AsyncSession, request: Request) -> RequestView:
    building = await session.get(Building, request.building_id)
    reporter = await session.get(Person, request.reporter_id)
    assert building is not None and reporter is not None
    assignee = await session.get(Person, request.assignee_id) if request.assignee_id else None
    count = await session.scalar(
        select(func.count()).where(RequestReporter.request_id == request.id)
    )
    photos = (
        await session.execute(
            select(RequestPhoto.media_sha, RequestPhoto.kind)
            .where(RequestPhoto.request_id == request.id)
            .order_by(RequestPhoto.id)
        )
    ).all()
    return RequestView(
        request,
        building,
        reporter,
        assignee,
        int(count or 1),
        [sha for sha, kind in photos if kind == "resident"],
        [sha for sha, kind in photos if kind == "report"],
    )


def format_time(lang: str, moment: datetime | None, tz: tzinfo) -> str:
    if moment is None:
        return texts.t(lang, "no_deadline")
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")


def format_location(lang: str, raw: str) -> str:
    try:
        location = Location.decode(raw)
    except (ValueError, KeyError):
        return raw
    kind = texts.location_kind(lang, location.kind.value)
    if location.entrance is not None:
        return texts.t(
            lang, "location_entrance_floor", entrance=location.entrance, floor=location.number
        )
    if location.number is not None:
        return texts.t(lang, "location_number", kind=kind, number=location.number)
    return texts.t(lang, "location_common", kind=kind)


def person_name(person: Person | None, lang: str) -> str:
    if person is None:
        return texts.t(lang, "card_unassigned")
    return person.name or texts.t(lang, "someone")
