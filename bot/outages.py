"""Outages told to residents: every resident known in the building hears of a planned or
unplanned outage in their messenger, and of its end.

Messages go through the outbox like any notice, so each channel's limits and windows
apply; those told are remembered with the incident, so its end reaches them too.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.notices import group_targets, person_targets, queue_message
from bot.views import format_time
from core import incidents
from core.channel import OutboundMessage
from core.storage.tables import Building, Incident, Person


def public_description(lang: str, incident: Incident) -> str:
    """What residents are told the outage is: the dispatcher's words, or its type when it
    was declared from a resident's request (whose words are that resident's own)."""
    return incident.description or texts.category(lang, incident.category)


async def announce(session: AsyncSession, now: datetime, tz: tzinfo, incident: Incident) -> int:
    """Tell every resident known in the outage's building (or entrance); how many were."""
    building = await session.get(Building, incident.building_id)
    by_language = _outage_texts(incident, building, tz)
    told = 0
    for person_id in await incidents.residents_of(session, incident.building_id, incident.entrance):
        person = await session.get(Person, person_id)
        targets = await person_targets(session, person_id)
        if person is None or not targets:
            continue
        text = by_language.get(person.language, by_language[texts.DEFAULT])
        for channel, chat in targets:
            await queue_message(session, now, channel, chat, OutboundMessage(text))
        await incidents.subscribe(session, incident, person)
        told += 1
    return told


def _outage_texts(incident: Incident, building: Building | None, tz: tzinfo) -> dict[str, str]:
    return {
        lang: texts.t(
            lang,
            f"n_outage_{incident.kind}",
            description=public_description(lang, incident),
            address=building.address if building else "",
            entrance=texts.t(lang, "incident_entrance", entrance=incident.entrance)
            if incident.entrance
            else "",
            start=format_time(lang, incident.starts_at or incident.created_at, tz),
            until=format_time(lang, incident.until, tz),
        )
        for lang in texts.LANGUAGES
    }


async def announce_end(
    session: AsyncSession, now: datetime, incident: Incident, people: list[int]
) -> str:
    """Tell everyone who asked about the incident or was told of it that it is over;
    returns the building's address."""
    building = await session.get(Building, incident.building_id)
    address = building.address if building else ""
    for person_id in people:
        person = await session.get(Person, person_id)
        lang = person.language if person else texts.DEFAULT
        text = texts.t(
            lang,
            "n_incident_resolved",
            description=public_description(lang, incident),
            address=address,
        )
        for channel, chat in await person_targets(session, person_id):
            await queue_message(session, now, channel, chat, OutboundMessage(text))
    return address


async def end_those_over(session: AsyncSession, now: datetime) -> int:
    """Outages whose announced period is over end by themselves: everyone is told, and
    the group sees it."""
    ended = 0
    for incident in await incidents.outages_over(session, now):
        people = await incidents.end(session, now, incident)
        address = await announce_end(session, now, incident, people)
        text = texts.t(
            texts.DEFAULT,
            "outage_over_group",
            id=incident.id,
            description=public_description(texts.DEFAULT, incident),
            address=address,
            count=len(people),
        )
        for channel, chat in await group_targets(session):
            await queue_message(session, now, channel, chat, OutboundMessage(text))
        ended += 1
    return ended
