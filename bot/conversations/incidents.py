"""Dispatchers declare and resolve building-wide outages ("аварии по дому")."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from bot import texts
from bot.buttons import DECLARE_INCIDENT
from bot.conversations.turn import Turn
from bot.notices import person_targets, queue_message
from bot.parsing import address_keys, match_buildings, parse_date
from bot.views import format_time
from core import incidents
from core.channel import Button, OutboundMessage
from core.model import Category
from core.payloads import RequestAction
from core.services import Refused, reporter_ids
from core.storage.tables import Building, Incident, Person, Request

DECLARE = DECLARE_INCIDENT  # on a request card: declare an outage from this request
RESOLVE = "ir"  # on an outage message: resolved (the id is the incident's, version 0)

_UNTIL = re.compile(r"\s*(?:до|until)\s+((?:\d{1,2}[./]\d{1,2}\s+)?\d{1,2}[:.]\d{2})\s*$", re.I)


def resolve_button(lang: str, incident: Incident) -> Button:
    return Button(texts.t(lang, "btn_resolve"), RequestAction(RESOLVE, incident.id, 0).encode())


async def describe(turn: Turn[Any], incident: Incident) -> dict[str, object]:
    """The values every text about an incident uses."""
    building = await turn.session.get(Building, incident.building_id)
    lang = turn.lang
    return {
        "id": incident.id,
        "category": texts.category(lang, incident.category),
        "address": building.address if building else "",
        "entrance": texts.t(lang, "incident_entrance", entrance=incident.entrance)
        if incident.entrance
        else "",
        "description": public_description(lang, incident),
        "until": texts.t(
            lang, "incident_until", until=format_time(lang, incident.until, turn.services.tz)
        )
        if incident.until
        else "",
    }


def public_description(lang: str, incident: Incident) -> str:
    """What residents are told the outage is: the dispatcher's words, or its type when it
    was declared from a resident's request (whose words are that resident's own)."""
    return incident.description or texts.category(lang, incident.category)


async def _announce(turn: Turn[Any], incident: Incident) -> None:
    values = await describe(turn, incident)
    turn.say_text(
        texts.t(turn.lang, "incident_declared", **values),
        [[resolve_button(turn.lang, incident)]],
    )


async def declare_from_request(turn: Turn[Any], request: Request) -> None:
    category = Category(request.category)
    entrance = (
        incidents.entrance_of(request.location) if category in incidents.PER_ENTRANCE else None
    )
    try:
        incident = await incidents.declare(
            turn.session,
            turn.now,
            turn.person,
            incidents.NewIncident(request.building_id, category, "", None, entrance, request.id),
        )
    except Refused as exc:
        turn.refused(exc, request.status)
        return
    await _announce(turn, incident)


def _parse_until(text: str, turn: Turn[Any]) -> tuple[str, datetime | None]:
    match = _UNTIL.search(text)
    if match is None:
        return text, None
    raw = match.group(1).replace(".", ":", 1) if ":" not in match.group(1) else match.group(1)
    rest = text[: match.start()].rstrip(" ,;")
    if re.fullmatch(r"\d{1,2}[:.]\d{2}", raw):
        hour, minute = (int(x) for x in re.split(r"[:.]", raw))
        if hour > 23 or minute > 59:
            return rest, None
        local = turn.now.astimezone(turn.services.tz)
        moment = datetime.combine(local.date(), time(hour, minute), tzinfo=turn.services.tz)
        if moment <= turn.now:
            moment += timedelta(days=1)
        return rest, moment
    return rest, parse_date(raw, turn.now, turn.services.tz)


async def declare_from_text(turn: Turn[Any], text: str) -> None:
    """`/incident Ленина 5 нет горячей воды, плановые работы до 18:00`."""
    if not text.strip():
        turn.say("incident_usage")
        return
    buildings = {b.id: b for b in await turn.session.scalars(select(Building))}
    keys = [k for b in buildings.values() for k in address_keys(b.id, b.address, b.aliases)]
    matches = match_buildings(text, keys)
    if not matches or matches[0][1] < 85:
        turn.say("incident_no_building")
        return
    description, until = _parse_until(text, turn)
    category = Category.OTHER
    if turn.services.classifier is not None:
        category = Category(turn.services.classifier.classify(description).category)
    try:
        incident = await incidents.declare(
            turn.session,
            turn.now,
            turn.person,
            incidents.NewIncident(matches[0][0], category, description.strip(), until),
        )
    except Refused as exc:
        turn.refused(exc)
        return
    await _announce(turn, incident)


async def list_active(turn: Turn[Any]) -> None:
    rows = list(
        await turn.session.scalars(
            select(Incident).where(Incident.status == "active").order_by(Incident.id)
        )
    )
    if not rows:
        turn.say("incidents_empty")
        return
    lines = [texts.t(turn.lang, "incidents_list")]
    keyboard = []
    for incident in rows:
        lines.append(texts.t(turn.lang, "incident_line", **await describe(turn, incident)))
        keyboard.append([resolve_button(turn.lang, incident)])
    turn.say_text("\n".join(lines), keyboard)


async def resolve(turn: Turn[Any], incident_id: int) -> None:
    try:
        incident, people = await incidents.resolve(turn.session, turn.now, turn.person, incident_id)
    except Refused as exc:
        turn.say(
            "stale" if exc.reason in ("wrong_status", "not_found") else f"refused_{exc.reason}"
        )
        return
    building = await turn.session.get(Building, incident.building_id)
    address = building.address if building else ""
    for person_id in people:
        person = await turn.session.get(Person, person_id)
        lang = person.language if person else texts.DEFAULT
        for channel, chat in await person_targets(turn.session, person_id):
            text = texts.t(
                lang,
                "n_incident_resolved",
                description=public_description(lang, incident),
                address=address,
            )
            await queue_message(turn.session, turn.now, channel, chat, OutboundMessage(text))
    turn.say(
        "incident_resolved_group",
        id=incident.id,
        description=public_description(turn.lang, incident),
        address=address,
        count=len(people),
    )


SPLIT = "sp"  # on the split picker: the co-reporter to split off (person id as argument)


async def merge_command(turn: Turn[Any], arg: str) -> None:
    """`/merge 1001 1002`: request 1002 joins 1001."""
    numbers = re.findall(r"\d{1,9}", arg)
    if len(numbers) != 2:
        turn.say("merge_usage")
        return
    target, source = [
        await turn.session.scalar(select(Request).where(Request.number == int(n))) for n in numbers
    ]
    if target is None or source is None:
        turn.say("not_found")
        return
    outcome = await turn.perform(
        incidents.merge(turn.session, turn.now, turn.person, target.id, source.id),
        source.status,
    )
    if outcome is not None:
        turn.say("merged_ok", source=source.number, into=target.number)


async def split_picker(turn: Turn[Any], arg: str) -> None:
    """`/split 1001`: buttons for each co-reporter (everyone but the first reporter)."""
    number = arg.strip().lstrip("№#")
    request = (
        await turn.session.scalar(select(Request).where(Request.number == int(number)))
        if number.isdigit() and len(number) <= 9
        else None
    )
    if request is None:
        turn.say("split_usage" if not number else "not_found")
        return
    others = [p for p in await reporter_ids(turn.session, request.id) if p != request.reporter_id]
    if not others:
        turn.say("split_none", number=request.number)
        return
    keyboard = []
    for person_id in others:
        person = await turn.session.get(Person, person_id)
        label = (person.name if person and person.name else f"#{person_id}")[:40]
        payload = RequestAction(SPLIT, request.id, request.version, str(person_id)).encode()
        keyboard.append([Button(label, payload)])
    turn.say("split_pick", buttons=keyboard, number=request.number)


async def split(turn: Turn[Any], request: Request, arg: str) -> None:
    if not arg.isdigit():
        turn.say("stale")
        return
    await turn.perform(
        incidents.split(
            turn.session, turn.now, turn.person, request.id, int(arg), turn.services.sla
        ),
        request.status,
    )
