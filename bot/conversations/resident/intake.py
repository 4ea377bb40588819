"""What a resident's message says about the request being filed: building, place, phone,
description (and the classifier's reading of it), photos."""

from __future__ import annotations

import functools
import re

from sqlalchemy import select

from bot.conversations.resident.draft import ResidentState, Suggestion
from bot.conversations.turn import Turn
from bot.parsing import (
    AddressKey,
    address_keys,
    find_location,
    find_phone,
    leftover_description,
    match_buildings,
    normalize,
    normalize_phone,
)
from core import norm_rules
from core.channel import EventKind
from core.model import Category, Location, LocationKind
from core.storage.tables import Building

ResidentTurn = Turn[ResidentState]

_FIRE = re.compile(r"пожар|дым|горит(?! свет)|задымл|fire|smoke")
#: Water coming from the flat above: the advice is for the one being flooded.
_FROM_ABOVE = re.compile(
    r"сверху|с потолка|по потолку|заливают|топят"
    r"|from above|ceiling|upstairs|(?:flat|apartment) above"
)
#: Water escaping: a leak, a burst, a flood (a cold radiator is none of these).
_LEAK = re.compile(
    r"теч|тек|капа|капл|хлещ|прорв|залив|\bтоп(?:ят|ит|или|ило)|ль[её]т|вода на полу"
    r"|leak|burst|flood|dripping|pouring"
)

#: Common areas that belong to one entrance: in a building of several, asked which.
PER_ENTRANCE_AREAS = frozenset({LocationKind.ELEVATOR, LocationKind.STAIRWELL})
#: Places a technician finds only with their entrance: those areas and a floor.
ENTRANCE_PLACES = PER_ENTRANCE_AREAS | {LocationKind.FLOOR}

#: Where ``buildings`` keeps its answer in the session's ``info``.
_BUILDINGS = "resident.buildings"


async def buildings(turn: ResidentTurn) -> tuple[list[AddressKey], dict[int, Building]]:
    """Every building and its address keys, read once per transaction (an inbox batch
    handles many first messages in one).  Dialogues never change buildings, so neither
    a flush before the read (a flush per turn is costly) nor a fresh read is needed."""
    known: tuple[list[AddressKey], dict[int, Building]] | None = turn.session.info.get(_BUILDINGS)
    if known is None:
        with turn.session.no_autoflush:
            rows = await turn.session.scalars(select(Building).order_by(Building.id))
            by_id = {b.id: b for b in rows}
        keys = [k for b in by_id.values() for k in _address_keys(b.id, b.address, b.aliases)]
        known = turn.session.info[_BUILDINGS] = (keys, by_id)
    return known


@functools.lru_cache(maxsize=4096)
def _address_keys(building_id: int, address: str, aliases: str) -> tuple[AddressKey, ...]:
    """``address_keys``, remembered: the same building gives the same keys until edited
    (an edited address or alias is a new cache entry)."""
    return tuple(address_keys(building_id, address, aliases))


async def absorb(turn: ResidentTurn, *, everything: bool) -> None:
    """Keep everything the message says: photos, building, place, phone, description."""
    draft = turn.state.draft
    ev = turn.event
    add_photos(turn, ev.photos, quiet=True)
    text = turn.text
    if ev.kind is EventKind.CONTACT:
        draft.phone = normalize_phone(ev.payload)
        return
    if not text or not everything:
        return
    keys, by_id = await buildings(turn)
    matches = match_buildings(text, keys)
    if matches and draft.building_id is None and clear_winner(matches):
        draft.building_id = matches[0][0]
    building = by_id.get(draft.building_id or 0)
    location = find_location(text)
    if location is not None and draft.location is None and valid(location, building):
        if location.kind in ENTRANCE_PLACES and location.entrance is None:
            draft.location_kind = location.kind.value  # which entrance is asked next
            floor = location.number if location.kind is LocationKind.FLOOR else location.floor
            draft.location_floor = floor
        else:
            draft.location = location.encode()
    phone = find_phone(text)
    if phone:
        draft.phone = phone
    leftover = leftover_description(text, keys)
    if len(leftover) >= 5 and draft.description is None:
        set_description(turn, text)


def located(kind: LocationKind, entrance: int | None, floor: int | None) -> Location:
    """A place of ``kind`` in that entrance and on that floor (a floor's number is its floor)."""
    if kind is LocationKind.FLOOR:
        return Location(kind, floor, entrance)
    return Location(kind, None, entrance, floor)


def clear_winner(matches: list[tuple[int, float]]) -> bool:
    top = matches[0][1]
    return top >= 85 and (len(matches) == 1 or top - matches[1][1] >= 10)


def valid(location: Location, building: Building | None) -> bool:
    """Whether the building has such a flat, entrance and floor."""
    if building is None:
        return True
    floor = location.number if location.kind is LocationKind.FLOOR else location.floor
    entrance = location.number if location.kind is LocationKind.ENTRANCE else location.entrance
    checks = [
        (entrance, building.entrances),
        (floor, max(building.floors, 1)),
        (
            location.number if location.kind is LocationKind.APARTMENT else None,
            building.apartments or 10_000,
        ),
    ]
    return all(value is None or 1 <= value <= top for value, top in checks)


def add_photos(turn: ResidentTurn, photos: tuple[str, ...], quiet: bool = False) -> None:
    if not photos:
        return
    have = turn.state.draft.photos
    limit = turn.services.settings.max_photos_per_request
    for sha in photos:
        if sha in have:
            continue
        if len(have) >= limit:
            turn.say("too_many_photos", limit=limit)
            break
        have.append(sha)
    if not quiet:
        turn.say("photo_added", count=len(have))


def set_description(turn: ResidentTurn, text: str) -> None:
    draft = turn.state.draft
    draft.description = text[: turn.services.settings.max_text_chars]
    if norm_rules.smells_of_gas(text) and not draft.emergency:
        # Call 104 first, whether or not a classifier is configured.
        draft.emergency = True
        turn.say("advice_gas", first=True)
    classifier = turn.services.classifier
    if classifier is None:
        return
    result = classifier.classify(text)
    draft.suggest = Suggestion(
        result.category, result.confidence, result.emergency, [(c, p) for c, p in result.top]
    )
    if result.emergency and not draft.emergency:
        draft.emergency = True
        turn.say(_advice_key(result.hazard, result.category, text), first=True)


#: Advice by the kind of hazard the classifier found (a burst radiator is a flood, a cold
#: building is not).
_HAZARD_ADVICE = {
    "gas": "advice_gas",
    "fire": "advice_fire",
    "electric": "advice_electricity",
    "flood": "advice_water",
    "sewage": "advice_sewage",
    "lift": "advice_elevator",
}


def _advice_key(hazard: str | None, category: str, text: str) -> str:
    low = normalize(text)
    if hazard is not None:
        key = _HAZARD_ADVICE.get(hazard, "advice_generic")
        # Flooded from above, the advice is the one for whoever is below.
        return "advice_flooded" if key == "advice_water" and _FROM_ABOVE.search(low) else key
    if category == Category.GAS.value:
        return "advice_gas"
    if _FIRE.search(low):
        return "advice_fire"
    if category in ("water", "sewerage", "heating"):
        if not _LEAK.search(low):
            return "advice_generic"
        return "advice_flooded" if _FROM_ABOVE.search(low) else "advice_water"
    return {
        "electricity": "advice_electricity",
        "elevator": "advice_elevator",
    }.get(category, "advice_generic")
