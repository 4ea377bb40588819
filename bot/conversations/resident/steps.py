"""Filing a request, one handler per step: how the step's question is asked, what a
button press answering it does, and what typed input does.  ``HANDLERS`` finds them.

The dialogue asks only for what the draft still lacks (``next_step``), and before the
last questions looks once for an outage or an open request about the same problem.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from sqlalchemy import select

from bot import texts
from bot.buttons import answer
from bot.conversations import incidents as incident_talk
from bot.conversations.resident.draft import Draft, Step
from bot.conversations.resident.intake import (
    ENTRANCE_PLACES,
    PER_ENTRANCE_AREAS,
    ResidentTurn,
    absorb,
    add_photos,
    buildings,
    clear_winner,
    located,
    set_description,
    valid,
)
from bot.parsing import (
    find_location,
    match_buildings,
    normalize,
    normalize_phone,
    without_address,
)
from bot.views import format_location, format_time, place
from core import incidents, offers, services
from core.channel import Button, EventKind, FreeText
from core.model import COMMON_AREAS, Category, Location, LocationKind
from core.storage.tables import Building, Incident, Request, RequestReporter

_YES = {"да", "yes", "верно", "подтвердить", "подтверждаю", "ок", "ok", "ага", "+"}
#: Typed at the summary: the resident calls it an emergency, or takes their mark back.
_MARK = {"авария", "это авария", "emergency", "it's an emergency", "its an emergency"}
_UNMARK = {"не авария", "это не авария", "not an emergency", "no emergency", "not emergency"}
_DONE = {"готово", "done", "нет", "no", "пропустить", "skip", "всё", "все", "хватит", "далее"}
_GREETINGS = {
    "привет",
    "здравствуйте",
    "здравствуй",
    "добрый день",
    "добрый вечер",
    "доброе утро",
    "hello",
    "hi",
    "hey",
    "good morning",
    "good afternoon",
    "ау",
    "алло",
}
#: What editing a field forgets, so that the step asking for it comes again.
_EDIT_DROPS: dict[str, tuple[str, ...]] = {
    "building": ("building_id", "location"),
    "location": ("location",),
    "category": ("category", "all_categories"),
    "description": ("description", "suggest", "category"),
    "photos": ("photos", "photos_done"),
}
_EDIT_FIELDS = ["building", "location", "category", "description", "photos"]
#: The summary's answers that set and take back the resident's own emergency mark.
_MARKED = "emergency"
_UNMARKED = "not_emergency"


# --- moving on ----------------------------------------------------------------


def next_step(turn: ResidentTurn) -> Step:
    """The first thing the draft still lacks."""
    draft = turn.state.draft
    if draft.building_id is None:
        return Step.BUILDING
    if draft.location is None:
        return Step.LOCATION_NUMBER if draft.location_kind else Step.LOCATION
    if draft.description is None:
        return Step.DESCRIPTION
    if draft.category is None:
        return Step.CATEGORY
    if not draft.photos_done:
        return Step.PHOTOS
    if not draft.phone and not draft.phone_done and not turn.person.phone:
        return Step.PHONE
    return Step.CONFIRM


async def continue_filing(turn: ResidentTurn) -> None:
    """Ask the next question (or offer a known outage or request first)."""
    step = next_step(turn)
    draft = turn.state.draft
    if step in (Step.PHOTOS, Step.PHONE, Step.CONFIRM) and not draft.shared_checked:
        draft.shared_checked = True
        if await _already_known(turn):
            return
    await go_to(turn, step)


async def go_to(turn: ResidentTurn, step: Step) -> None:
    turn.state.step = step
    await reask(turn)


async def reask(turn: ResidentTurn) -> None:
    """Ask the question of the current step (again), unless a follow-up question waits."""
    step = turn.state.step
    if step is not None and turn.state.pending is None:
        await HANDLERS[step].ask(turn)


async def new_request_from(turn: ResidentTurn) -> None:
    """A message outside any question starts a new request with what it says."""
    if not turn.event.photos and normalize(turn.text).strip(" .!?,") in _GREETINGS:
        if len(turn.replies) == 0:  # the greeting was not just sent
            turn.say("help")
        return
    turn.state.draft = Draft()
    await absorb(turn, everything=True)
    await continue_filing(turn)


async def take_answer(turn: ResidentTurn, value: str) -> None:
    """A button answering the current step."""
    assert turn.state.step is not None
    await HANDLERS[turn.state.step].answer(turn, value)


async def take_input(turn: ResidentTurn) -> None:
    """Typed text, a photo or a contact while a step is asked."""
    step = turn.state.step
    assert step is not None
    draft = turn.state.draft
    ev = turn.event
    text = turn.text
    if ev.kind is EventKind.PHOTO:
        add_photos(turn, ev.photos, quiet=step is Step.PHOTOS)
        if text and draft.description is None:
            set_description(turn, text)
        if step is Step.PHOTOS:
            await reask(turn)
        else:
            await continue_filing(turn)
        return
    if ev.kind is EventKind.CONTACT:
        phone = normalize_phone(ev.payload)
        if phone:
            draft.phone = phone
        await continue_filing(turn)
        return
    limit = turn.services.settings.max_text_chars
    if len(text) > limit:
        turn.say("too_long", length=len(text), limit=limit)
        return
    await HANDLERS[step].typed(turn, text)


async def _stale(turn: ResidentTurn) -> None:
    turn.say("stale")
    await reask(turn)


async def _use_buttons(turn: ResidentTurn, text: str = "") -> None:
    turn.say("use_buttons")
    await reask(turn)


async def _just_continue(turn: ResidentTurn, value: str = "") -> None:
    await continue_filing(turn)


def _low(text: str) -> str:
    return normalize(text).strip(" .!")


# --- building -----------------------------------------------------------------


async def _ask_building(
    turn: ResidentTurn, again: bool = False, ids: list[int] | None = None
) -> None:
    _, by_id = await buildings(turn)
    choices: list[list[Button]] = []
    home = turn.person.home_building_id
    if ids is None:
        ids = ([home] if home in by_id else []) + [b for b in by_id if b != home]
    for building_id in ids[:8]:
        building = by_id[building_id]
        label = building.address
        if building_id == home and turn.person.home_location:
            label += ", " + format_location(turn.lang, turn.person.home_location)
            choices.append([answer(label, Step.BUILDING, f"h{building_id}")])
        else:
            choices.append([answer(label, Step.BUILDING, str(building_id))])
    turn.say("ask_building_again" if again else "ask_building", buttons=choices)


async def _building_answer(turn: ResidentTurn, value: str) -> None:
    _, by_id = await buildings(turn)
    home = value.startswith("h")
    number = value[1:] if home else value
    building_id = int(number) if number.isdigit() else 0
    if building_id not in by_id:
        await _stale(turn)
        return
    draft = turn.state.draft
    draft.building_id = building_id
    person = turn.person
    at_home = home and building_id == person.home_building_id
    if at_home and person.home_location and draft.location is None:
        draft.location = person.home_location
    await continue_filing(turn)


async def _building_typed(turn: ResidentTurn, text: str) -> None:
    keys, _ = await buildings(turn)
    matches = match_buildings(text, keys)
    if matches and clear_winner(matches):
        await absorb(turn, everything=True)
        turn.state.draft.building_id = matches[0][0]
        await continue_filing(turn)
    else:
        ids = [m[0] for m in matches if m[1] >= 70] or None
        await _ask_building(turn, again=True, ids=ids)


# --- location -----------------------------------------------------------------


async def _building_of(turn: ResidentTurn) -> Building | None:
    return await turn.session.get(Building, turn.state.draft.building_id)


#: The places offered as buttons (a floor is only ever named in words, with its number).
_OFFERED_PLACES = (LocationKind.APARTMENT, LocationKind.ENTRANCE, *COMMON_AREAS)


async def _ask_location(turn: ResidentTurn) -> None:
    building = await _building_of(turn)
    keyboard = [
        answer(texts.location_kind(turn.lang, k.value), Step.LOCATION, k.value)
        for k in _OFFERED_PLACES
    ]
    turn.say(
        "ask_location",
        buttons=[keyboard[i : i + 3] for i in range(0, len(keyboard), 3)],
        address=building.address if building else "",
    )
    turn.replies[-1] = replace(turn.replies[-1], free_text=FreeText.NUMBERS)  # "кв 12"


async def _location_answer(turn: ResidentTurn, value: str) -> None:
    kind = next((k for k in _OFFERED_PLACES if k.value == value), None)
    if kind is None:
        await _stale(turn)
        return
    building = await _building_of(turn)
    several = building is not None and building.entrances > 1
    if kind.numbered or (kind in PER_ENTRANCE_AREAS and several):
        turn.state.draft.location_kind = kind.value
        await go_to(turn, Step.LOCATION_NUMBER)
        return
    turn.state.draft.location = Location(kind).encode()
    await continue_filing(turn)


def _asks_entrance(kind: LocationKind) -> bool:
    return kind is LocationKind.ENTRANCE or kind in ENTRANCE_PLACES


async def _ask_location_number(turn: ResidentTurn) -> None:
    building = await _building_of(turn)
    draft = turn.state.draft
    kind = LocationKind(draft.location_kind or "apartment")
    if kind in ENTRANCE_PLACES and (building is None or building.entrances <= 1):
        _keep_location(draft, located(kind, None, draft.location_floor))
        await continue_filing(turn)
        return
    if _asks_entrance(kind):
        turn.say("ask_entrance", max=building.entrances if building else 1)
    else:
        turn.say("ask_apartment", max=(building.apartments if building else 0) or 9999)


def _typed_location(kind: LocationKind, text: str, floor: int | None) -> Location | None:
    """What the answer to "which flat / entrance" names: a number alone counts as the
    one asked for, and the entrance stays with the lift, stairwell or floor asked about
    (``floor`` is the one already named)."""
    location = find_location(text)
    digits = text.strip().lstrip("№#").strip()
    if location is None and digits.isdigit() and len(digits) <= 5:
        number = int(digits)
        if kind in ENTRANCE_PLACES:
            return located(kind, number, floor)
        return Location(kind, number)
    if location is not None and kind in ENTRANCE_PLACES:
        if location.kind is LocationKind.ENTRANCE:
            return located(kind, location.number, floor)
        if location.kind is LocationKind.FLOOR:
            return located(kind, location.entrance, location.number)
    return location


def _keep_location(draft: Draft, location: Location) -> None:
    draft.location = location.encode()
    draft.location_kind = draft.location_floor = None


async def _location_typed(turn: ResidentTurn, text: str) -> None:
    draft = turn.state.draft
    building = await _building_of(turn)
    kind = LocationKind(draft.location_kind or LocationKind.APARTMENT.value)
    location = _typed_location(kind, text, draft.location_floor)
    if location is None:
        await _use_buttons(turn)
        return
    if not valid(location, building):
        entrance = location.kind is not LocationKind.APARTMENT and _asks_entrance(kind)
        limit = (
            building.entrances
            if entrance and building
            else (building.apartments if building else 0)
        )
        turn.say("bad_entrance" if entrance else "bad_apartment", max=limit)
        return
    _keep_location(draft, location)
    await continue_filing(turn)


# --- description and category -------------------------------------------------


async def _ask_description(turn: ResidentTurn) -> None:
    turn.say("ask_description")


async def _description_typed(turn: ResidentTurn, text: str) -> None:
    if len(text) < 5 or not re.search(r"[^\W\d_]{2,}", text):
        turn.say("description_short")
        return
    set_description(turn, text)
    await continue_filing(turn)


async def _ask_category(turn: ResidentTurn) -> None:
    draft = turn.state.draft
    lang = turn.lang
    suggest = draft.suggest
    order = [c.value for c in Category]
    if suggest:
        ranked = [c for c, _ in suggest.top]
        order = ranked + [c for c in order if c not in ranked]
    threshold = turn.services.settings.classifier_threshold
    # a guess of «other» says nothing about the problem: the resident picks from the list
    if (
        suggest
        and suggest.confidence >= threshold
        and suggest.category != Category.OTHER.value
        and not draft.all_categories
    ):
        guess = suggest.category
        alternatives = [c for c in order if c != guess][:2]
        keyboard = [
            [answer(texts.t(lang, "yes_right"), Step.CATEGORY, guess)],
            [answer(texts.category(lang, c), Step.CATEGORY, c) for c in alternatives],
            [answer(texts.t(lang, "other_type"), Step.CATEGORY, "more")],
        ]
        turn.say("ask_category_guess", buttons=keyboard, category=texts.category(lang, guess))
        return
    keyboard = [
        [answer(texts.category(lang, c), Step.CATEGORY, c) for c in order[i : i + 2]]
        for i in range(0, len(order), 2)
    ]
    turn.say("ask_category", buttons=keyboard)


async def _category_answer(turn: ResidentTurn, value: str) -> None:
    if value == "more":
        turn.state.draft.all_categories = True
        await reask(turn)
        return
    try:
        category = Category(value)
    except ValueError:
        await _stale(turn)
        return
    turn.state.draft.category = category.value
    await continue_filing(turn)


async def _category_typed(turn: ResidentTurn, text: str) -> None:
    draft = turn.state.draft
    low = _low(text)
    if draft.suggest and low in _YES and not draft.all_categories:
        draft.category = draft.suggest.category
        await continue_filing(turn)
        return
    labels = _category_labels(turn.lang)
    best = process.extractOne(low, list(labels), scorer=fuzz.WRatio, score_cutoff=85)
    if best is None:
        await _use_buttons(turn)
        return
    draft.category = labels[best[0]]
    await continue_filing(turn)


@functools.lru_cache(maxsize=16)
def _category_labels(lang: str) -> dict[str, str]:
    """Typed category names (and codes) -> category code, for one language."""
    labels = {normalize(texts.category(lang, c.value)): c.value for c in Category}
    labels.update({c.value: c.value for c in Category})
    return labels


# --- photos and phone ---------------------------------------------------------


async def _ask_photos(turn: ResidentTurn) -> None:
    photos = turn.state.draft.photos
    label = "photos_done" if photos else "skip"
    turn.say(
        "photo_added" if photos else "ask_photos",
        buttons=[[answer(texts.t(turn.lang, label), Step.PHOTOS, "done")]],
        count=len(photos),
    )


async def _photos_answer(turn: ResidentTurn, value: str) -> None:
    turn.state.draft.photos_done = True
    await continue_filing(turn)


async def _photos_typed(turn: ResidentTurn, text: str) -> None:
    if _low(text) not in _DONE:
        await _use_buttons(turn)
        return
    turn.state.draft.photos_done = True
    await continue_filing(turn)


async def _ask_phone(turn: ResidentTurn) -> None:
    turn.say_text(
        texts.t(turn.lang, "ask_phone"),
        [[answer(texts.t(turn.lang, "skip"), Step.PHONE, "skip")]],
        request_contact=True,
    )


async def _phone_answer(turn: ResidentTurn, value: str) -> None:
    turn.state.draft.phone_done = True
    await continue_filing(turn)


async def _phone_typed(turn: ResidentTurn, text: str) -> None:
    draft = turn.state.draft
    phone = normalize_phone(text)
    low = _low(text)
    if phone:
        draft.phone = phone
    elif low in _DONE or low in ("-", "нет"):
        draft.phone_done = True
    else:
        turn.say("bad_phone")
        return
    await continue_filing(turn)


# --- confirmation and edits ---------------------------------------------------


async def _summary(turn: ResidentTurn) -> None:
    draft = turn.state.draft
    lang = turn.lang
    assert draft.location is not None and draft.category is not None
    building = await _building_of(turn)
    keyboard = [
        [
            answer(texts.t(lang, "confirm"), Step.CONFIRM, "yes"),
            answer(texts.t(lang, "edit"), Step.CONFIRM, "edit"),
            answer(texts.t(lang, "cancel"), Step.CONFIRM, "cancel"),
        ]
    ]
    emergency = ""
    if draft.emergency:
        emergency = texts.t(lang, "summary_emergency")
    elif draft.resident_emergency:
        emergency = texts.t(lang, "summary_resident_emergency")
        keyboard.append([answer(texts.t(lang, "unmark_emergency"), Step.CONFIRM, _UNMARKED)])
    else:
        # The classifier misses some emergencies: the resident can say so themselves.
        keyboard.append([answer(texts.t(lang, "mark_emergency"), Step.CONFIRM, _MARKED)])
    turn.say(
        "summary",
        buttons=keyboard,
        photos=draft.photos,
        address=building.address if building else "",
        location=format_location(lang, draft.location),
        category=texts.category(lang, draft.category),
        emergency=emergency,
        description=draft.description,
        photo_count=len(draft.photos),
        phone=draft.phone or turn.person.phone or texts.t(lang, "none"),
    )


async def _confirm_answer(turn: ResidentTurn, value: str) -> None:
    draft = turn.state.draft
    if value == "edit":
        await go_to(turn, Step.EDIT)
    elif value == "cancel":
        turn.state.restart()
        turn.say("cancelled_input")
    elif value == "yes":
        await _file(turn)
    elif value == _MARKED and not (draft.emergency or draft.resident_emergency):
        draft.resident_emergency = True
        turn.say("advice_marked")
        await reask(turn)
    elif value == _UNMARKED and draft.resident_emergency and not draft.emergency:
        # Only the resident's own mark: an emergency found in the words stays (safety).
        draft.resident_emergency = False
        turn.say("emergency_unmarked")
        await reask(turn)
    else:
        await _stale(turn)


async def _confirm_typed(turn: ResidentTurn, text: str) -> None:
    low = _low(text)
    draft = turn.state.draft
    if low in _YES:
        await _file(turn)
    elif low in _MARK and not (draft.emergency or draft.resident_emergency):
        await _confirm_answer(turn, _MARKED)
    elif low in _MARK:  # an emergency already, as the summary says
        await reask(turn)
    elif low in _UNMARK and draft.emergency:
        turn.say("emergency_stays")
        await reask(turn)
    elif low in _UNMARK and draft.resident_emergency:
        await _confirm_answer(turn, _UNMARKED)
    else:
        await _use_buttons(turn)


async def _file(turn: ResidentTurn) -> None:
    draft = turn.state.draft
    assert draft.building_id is not None and draft.location is not None
    assert draft.description is not None and draft.category is not None
    category = Category(draft.category)
    suggest = draft.suggest
    phone = draft.phone or turn.person.phone
    new = services.NewRequest(
        building_id=draft.building_id,
        location=draft.location,
        category=category,
        urgency=draft.urgency,
        description=draft.description,
        photos=tuple(draft.photos),
        contact_phone=phone,
        suggested_category=suggest.category if suggest else "",
        suggested_emergency=suggest.emergency if suggest else False,
        label_confirmed=suggest is not None and suggest.category == category.value,
        resident_emergency=draft.resident_emergency and not draft.emergency,
    )
    outcome = await services.file_request(
        turn.session, turn.now, turn.person, new, turn.services.sla
    )
    await offers.filed(turn.session, turn.person, draft.declined_offers, outcome.request.id)
    await turn.notify(outcome.notices)
    turn.person.home_building_id = new.building_id
    if new.location.startswith("apartment:"):
        turn.person.home_location = new.location
    if phone and not turn.person.phone:
        turn.person.phone = phone
    turn.state.step = None
    turn.state.draft = Draft()


async def _ask_edit(turn: ResidentTurn) -> None:
    def row(fields: list[str]) -> list[Button]:
        return [answer(texts.t(turn.lang, f"field_{f}"), Step.EDIT, f) for f in fields]

    turn.say("ask_edit_field", buttons=[row(_EDIT_FIELDS[:3]), row(_EDIT_FIELDS[3:])])


async def _edit_answer(turn: ResidentTurn, field: str) -> None:
    draft = turn.state.draft
    fresh = Draft()
    for name in _EDIT_DROPS.get(field, ()):
        setattr(draft, name, getattr(fresh, name))
    if field == "category":
        draft.all_categories = True
    await continue_filing(turn)


# --- a known outage or an open request for the same problem -------------------


async def _already_known(turn: ResidentTurn) -> bool:
    """A declared outage answers at once; an open request for the same problem is offered
    to join. Returns True when the dialogue now waits for that answer."""
    draft = turn.state.draft
    building_id, category, location = draft.building_id, draft.category, draft.location
    assert building_id is not None and category is not None and location is not None
    incident = await incidents.active_incident(
        turn.session, building_id, category, location, turn.now
    )
    if incident is not None:
        await incidents.subscribe(turn.session, incident, turn.person)
        draft.incident_id = incident.id
        await go_to(turn, Step.INCIDENT)
        return True
    mine = set(
        await turn.session.scalars(
            select(RequestReporter.request_id).where(RequestReporter.person_id == turn.person.id)
        )
    )
    keys, by_id = await buildings(turn)
    streets = [k for k in keys if k.building_id == building_id]
    building = by_id.get(building_id)
    duplicates = [
        r
        for r in await incidents.open_duplicates(
            turn.session,
            building_id,
            Category(category),
            location,
            draft.description or "",
            turn.services.words,
            plain=functools.partial(without_address, keys=streets),
            entrances=building.entrances if building is not None else None,
        )
        if r.id not in mine
    ]
    if duplicates:
        draft.duplicate_ids = [r.id for r in duplicates[:3]]
        await go_to(turn, Step.DUPLICATE)
        return True
    return False


async def _ask_incident(turn: ResidentTurn) -> None:
    incident = await turn.session.get(Incident, turn.state.draft.incident_id or 0)
    if incident is None:
        await go_to(turn, next_step(turn))
        return
    values = await incident_talk.describe(turn, incident)
    turn.say(
        "incident_known",
        buttons=[[answer(texts.t(turn.lang, "incident_other"), Step.INCIDENT, "file")]],
        description=values["description"],
        address=values["address"],
        until=values["until"],
    )


async def _incident_typed(turn: ResidentTurn, text: str) -> None:
    # The outage answered them; a new message is a new matter.
    await new_request_from(turn)


async def _ask_duplicate(turn: ResidentTurn) -> None:
    lang = turn.lang
    keyboard: list[list[Button]] = []
    first: Request | None = None
    for request_id in turn.state.draft.duplicate_ids:
        request = await turn.session.get(Request, request_id)
        if request is None:
            continue
        first = first or request
        label = texts.t(lang, "dup_join", number=request.number)
        keyboard.append([answer(label, Step.DUPLICATE, str(request.id))])
    keyboard.append([answer(texts.t(lang, "dup_new"), Step.DUPLICATE, "new")])
    if first is None:
        await go_to(turn, next_step(turn))
        return
    # Another resident's request: its number, type, place and time, never their words,
    # name, phone or photos, nor which flat it came from.
    building = await turn.session.get(Building, first.building_id)
    turn.say(
        "ask_duplicate",
        buttons=keyboard,
        number=first.number,
        category=texts.category(lang, first.category),
        place=place(
            lang,
            building.address if building else "",
            first.location,
            to_neighbour=True,
            category=first.category,
        ),
        filed_at=format_time(lang, first.created_at, turn.services.tz),
        status=texts.status(lang, first.status),
    )


async def _duplicate_answer(turn: ResidentTurn, value: str) -> None:
    draft = turn.state.draft
    if value == "new":
        draft.declined_offers = await offers.decline(
            turn.session, turn.now, turn.person, draft.duplicate_ids
        )
        await continue_filing(turn)
        return
    if not value.isdigit() or int(value) not in draft.duplicate_ids:
        await _stale(turn)
        return
    # A join refused (the request closed meanwhile) keeps no answer: nothing was joined.
    joined = await turn.perform(
        offers.accept(
            turn.session,
            turn.now,
            turn.person,
            int(value),
            note=draft.description or "",
            photos=tuple(draft.photos),
            location=draft.location or "",
        )
    )
    if joined is None:
        draft.duplicate_ids = []
        await continue_filing(turn)
        return
    turn.state.step = None
    turn.state.draft = Draft()


# --- the table ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StepHandler:
    """How one step asks its question and takes its answers."""

    ask: Callable[[ResidentTurn], Awaitable[None]]
    #: A button press answering this step (its value from ``Answer(step, value)``).
    answer: Callable[[ResidentTurn, str], Awaitable[None]] = _just_continue
    #: Typed text (photos, contacts and over-long texts are taken before).
    typed: Callable[[ResidentTurn, str], Awaitable[None]] = _use_buttons


HANDLERS: dict[Step, StepHandler] = {
    Step.BUILDING: StepHandler(_ask_building, _building_answer, _building_typed),
    Step.LOCATION: StepHandler(_ask_location, _location_answer, _location_typed),
    Step.LOCATION_NUMBER: StepHandler(_ask_location_number, typed=_location_typed),
    Step.DESCRIPTION: StepHandler(_ask_description, typed=_description_typed),
    Step.CATEGORY: StepHandler(_ask_category, _category_answer, _category_typed),
    Step.PHOTOS: StepHandler(_ask_photos, _photos_answer, _photos_typed),
    Step.PHONE: StepHandler(_ask_phone, _phone_answer, _phone_typed),
    Step.CONFIRM: StepHandler(_summary, _confirm_answer, _confirm_typed),
    Step.INCIDENT: StepHandler(_ask_incident, typed=_incident_typed),
    Step.DUPLICATE: StepHandler(_ask_duplicate, _duplicate_answer),
    Step.EDIT: StepHandler(_ask_edit, _edit_answer),
}
