"""The resident's dialogue: file a request asking only for what is missing, then follow it."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select

from bot import texts
from bot.buttons import (
    ACTION_OPS,
    CANCEL_OP,
    CONFIRM_OP,
    RATE,
    REOPEN_OP,
    RESIDENT_COMMENT,
    answer,
    request_button,
)
from bot.conversations import incidents as incident_talk
from bot.conversations.common import (
    parse_command,
    request_by_number,
    request_summary,
    say_unsupported,
)
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
from bot.views import format_location, format_time, place
from core import incidents, services
from core.channel import Button, EventKind, FreeText
from core.lifecycle import Action, Right, refusal
from core.model import COMMON_AREAS, Category, Location, LocationKind, Status, Urgency
from core.payloads import Answer, BadPayload, RequestAction, decode
from core.storage.tables import Building, Incident, Request, RequestReporter

STEPS = ("building", "location", "description", "category", "photos", "phone", "confirm")
_DEFAULT_URGENT = {Category.ELEVATOR, Category.ROOF_FACADE, Category.DOORS_INTERCOM}
_YES = {"да", "yes", "верно", "подтвердить", "подтверждаю", "ок", "ok", "ага", "+"}
_DONE = {"готово", "done", "нет", "no", "пропустить", "skip", "всё", "все", "хватит", "далее"}
_FIRE = re.compile(r"пожар|дым|горит(?! свет)|задымл|fire|smoke")


async def handle(turn: Turn) -> None:
    ev = turn.event
    state = turn.state
    first_contact = not state.get("greeted")
    if first_contact:
        state["greeted"] = True
        turn.say("greeting", buttons=[[answer("English", "lang", "en")]])
    is_start = ev.kind is EventKind.START or (
        ev.kind is EventKind.TEXT and turn.text.lower().startswith("/start")
    )
    if is_start:
        state.pop("step", None)
        state.pop("pending", None)
        state["draft"] = {}
        await _start_payload(turn)
        if _draft(turn):
            await _continue(turn)
        elif not first_contact:
            turn.say("help")
        return
    if ev.kind is EventKind.BUTTON:
        await _button(turn)
        return
    if ev.kind not in (EventKind.TEXT, EventKind.PHOTO, EventKind.CONTACT):
        say_unsupported(turn)
        await _reask(turn)
        return
    command = parse_command(turn.text) if ev.kind is EventKind.TEXT else None
    if command is not None and await _command(turn, command.name, command.arg):
        return
    if state.get("pending"):
        await _pending(turn)
        return
    if state.get("step"):
        await _step_input(turn)
        return
    await _new_request_from(turn)


# --- commands ----------------------------------------------------------------


async def _command(turn: Turn, name: str, arg: str) -> bool:
    state = turn.state
    if name == "start":
        return False
    if name == "help":
        turn.say("help")
    elif name == "cancel":
        if state.get("step") or state.get("pending"):
            state.pop("step", None)
            state.pop("pending", None)
            state["draft"] = {}
            turn.say("cancelled_input")
        else:
            turn.say("nothing_to_cancel")
    elif name == "lang":
        _set_lang(turn, "en" if turn.lang == "ru" else "ru")
    elif name == "my":
        await _my_requests(turn)
    elif name == "new":
        state.pop("pending", None)
        state["draft"] = {}
        await _continue(turn)
    elif name == "status":
        request = await request_by_number(turn, arg)
        if request is None or not await _is_reporter(turn, request):
            turn.say("not_found")
        else:
            await request_summary(turn, request)
    else:
        turn.say("unknown_command")
    if name not in ("new",) and state.get("step"):
        await _reask(turn)
    return True


def _set_lang(turn: Turn, lang: str) -> None:
    turn.state["lang"] = lang
    turn.person.language = lang
    turn.say("lang_set")


async def _start_payload(turn: Turn) -> None:
    """Deep links from a QR code on the entrance: "b-<building code>[-<location>]"."""
    payload = turn.event.payload or turn.text.removeprefix("/start").strip()
    match = re.fullmatch(r"b-([A-Za-z0-9_]{1,32})(?:-([a-z]+)(\d{1,4})?)?", payload)
    if not match:
        return
    building = await turn.session.scalar(select(Building).where(Building.code == match.group(1)))
    if building is None:
        return
    draft = turn.state.setdefault("draft", {})
    draft["building_id"] = building.id
    if match.group(2):
        try:
            kind = LocationKind(match.group(2))
            number = int(match.group(3)) if match.group(3) else None
            if kind.numbered == (number is not None):
                draft["location"] = Location(kind, number).encode()
        except ValueError:
            pass


async def _my_requests(turn: Turn) -> None:
    rows = await turn.session.scalars(
        select(Request)
        .join(RequestReporter, RequestReporter.request_id == Request.id)
        .where(
            RequestReporter.person_id == turn.person.id,
            Request.status.in_([s.value for s in Status if s.is_open]),
        )
        .order_by(Request.created_at.desc())
        .limit(10)
    )
    requests = list(rows)
    if not requests:
        turn.say("my_requests_empty")
        return
    lines = [texts.t(turn.lang, "my_requests")]
    keyboard: list[list[Button]] = []
    for r in requests:
        building = await turn.session.get(Building, r.building_id)
        lines.append(
            texts.t(
                turn.lang,
                "request_line",
                number=r.number,
                category=texts.category(turn.lang, r.category),
                address=building.address if building else "",
                status=texts.status(turn.lang, r.status),
                deadline=format_time(turn.lang, r.deadline, turn.services.tz),
            )
        )
        row = [request_button(turn.lang, "add_comment_btn", r, RESIDENT_COMMENT, number=r.number)]
        _, actors = await services.roles(turn.session, turn.person, r)
        if refusal(Action.CANCEL, Status(r.status), actors) is None:
            row.append(
                request_button(turn.lang, "cancel_request_btn", r, CANCEL_OP, number=r.number)
            )
        keyboard.append(row)
    turn.say_text("\n".join(lines), keyboard)


async def _is_reporter(turn: Turn, request: Request) -> bool:
    return turn.person.id in await services.reporter_ids(turn.session, request.id)


# --- buttons -----------------------------------------------------------------


async def _button(turn: Turn) -> None:
    try:
        payload = decode(turn.event.payload)
    except BadPayload:
        turn.say("stale")
        return
    if isinstance(payload, Answer):
        if payload.step == "lang" and payload.value in texts.LANGUAGES:
            _set_lang(turn, payload.value)
            await _reask(turn)
            return
        if payload.step != turn.state.get("step") or turn.state.get("pending"):
            turn.say("stale")
            await _reask(turn)
            return
        await _answer(turn, payload.value)
        return
    await _request_button(turn, payload)


#: What each button a resident may hold asks to do, checked against the lifecycle
#: before anything is asked or changed.
_BUTTON_RIGHTS: dict[str, Action | Right] = {
    RESIDENT_COMMENT: Right.COMMENT,
    RATE: Right.RATE,
    CANCEL_OP: Action.CANCEL,
    CONFIRM_OP: Action.CONFIRM,
    REOPEN_OP: Action.REOPEN,
}


async def _request_button(turn: Turn, action: RequestAction) -> None:
    what = _BUTTON_RIGHTS.get(action.op)
    request = await turn.session.get(Request, action.request_id)
    if what is None or request is None:
        turn.say("stale")
        return
    _, actors = await services.roles(turn.session, turn.person, request)
    refused = refusal(what, Status(request.status), actors)
    if refused is not None:
        turn.refused(services.Refused(refused), request.status)
        return
    if action.op == RATE:
        stars = int(action.arg) if action.arg.isdigit() else 0
        rated = services.rate(turn.session, turn.now, turn.person, request.id, stars)
        if await turn.perform(rated, request.status) is not None:
            turn.say("thanks_rating", stars="★" * stars)
        return
    # Commenting is fine whatever happened since; acting on the request needs its version.
    if action.op != RESIDENT_COMMENT and request.version != action.version:
        turn.say("stale")
        return
    if action.op == RESIDENT_COMMENT:
        turn.state["pending"] = {"op": "comment", "rid": request.id}
        turn.say("ask_comment", number=request.number)
    elif action.op == REOPEN_OP:
        turn.state["pending"] = {"op": "reopen", "rid": request.id}
        turn.say("ask_reopen_reason", number=request.number)
    elif action.op == CANCEL_OP:
        turn.state["pending"] = {"op": "cancel", "rid": request.id}
        turn.say("ask_cancel_reason", number=request.number)
    else:
        await _transition(turn, request, Action.CONFIRM, version=action.version)


async def _transition(
    turn: Turn, request: Request, action: Action, *, reason: str = "", version: int | None = None
) -> bool:
    outcome = await turn.perform(
        services.transition(
            turn.session, turn.now, turn.person, request.id, version, action, reason=reason
        ),
        request.status,
    )
    return outcome is not None


async def _pending(turn: Turn) -> None:
    pending = turn.state["pending"]
    request = await turn.session.get(Request, int(pending["rid"]))
    if request is None:
        turn.state.pop("pending")
        turn.say("not_found")
        return
    if turn.event.kind is EventKind.CONTACT:
        turn.say("use_buttons")
        return
    op = pending["op"]
    if op == "comment":
        turn.state.pop("pending")
        added = await turn.perform(
            services.comment(
                turn.session, turn.now, turn.person, request.id, turn.text, turn.event.photos
            ),
            request.status,
        )
        if added is not None:
            turn.say("comment_added", number=request.number)
        return
    if not turn.text:
        turn.say("description_short")
        return
    turn.state.pop("pending")
    if op == "reopen" and await _transition(turn, request, Action.REOPEN, reason=turn.text):
        turn.say("reopened_ok", number=request.number)
    elif op == "cancel" and await _transition(turn, request, Action.CANCEL, reason=turn.text):
        turn.say("request_cancelled", number=request.number)


# --- filing a request --------------------------------------------------------


def _draft(turn: Turn) -> dict[str, Any]:
    draft: dict[str, Any] = turn.state.setdefault("draft", {})
    return draft


async def _keys(turn: Turn) -> tuple[list[AddressKey], dict[int, Building]]:
    """Every building and its address keys, read once per transaction (an inbox batch
    handles many first messages in one).  Dialogues never change buildings, so neither
    a flush before the read (a flush per turn is costly) nor a fresh read is needed."""
    known: tuple[list[AddressKey], dict[int, Building]] | None = turn.session.info.get(_BUILDINGS)
    if known is None:
        with turn.session.no_autoflush:
            rows = await turn.session.scalars(select(Building).order_by(Building.id))
            buildings = {b.id: b for b in rows}
        keys = [k for b in buildings.values() for k in _address_keys(b.id, b.address, b.aliases)]
        known = turn.session.info[_BUILDINGS] = (keys, buildings)
    return known


#: Where ``_keys`` keeps its answer in the session's ``info``.
_BUILDINGS = "resident.buildings"


@functools.lru_cache(maxsize=4096)
def _address_keys(building_id: int, address: str, aliases: str) -> tuple[AddressKey, ...]:
    """``address_keys``, remembered: the same building gives the same keys until edited
    (an edited address or alias is a new cache entry)."""
    return tuple(address_keys(building_id, address, aliases))


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


async def _new_request_from(turn: Turn) -> None:
    if not turn.event.photos and normalize(turn.text).strip(" .!?,") in _GREETINGS:
        if len(turn.replies) == 0:  # the greeting was not just sent
            turn.say("help")
        return
    turn.state["draft"] = {}
    await _absorb(turn, everything=True)
    await _continue(turn)


async def _absorb(turn: Turn, *, everything: bool) -> None:
    """Keep everything the message says: photos, building, place, phone, description."""
    draft = _draft(turn)
    ev = turn.event
    _add_photos(turn, ev.photos, quiet=True)
    text = turn.text
    if ev.kind is EventKind.CONTACT:
        draft["phone"] = normalize_phone(ev.payload)
        return
    if not text or not everything:
        return
    keys, buildings = await _keys(turn)
    matches = match_buildings(text, keys)
    if matches and "building_id" not in draft and _clear_winner(matches):
        draft["building_id"] = matches[0][0]
    building = buildings.get(draft.get("building_id", 0))
    location = find_location(text)
    if location is not None and "location" not in draft and _valid(location, building):
        draft["location"] = location.encode()
    phone = find_phone(text)
    if phone:
        draft["phone"] = phone
    leftover = leftover_description(text, keys)
    if len(leftover) >= 5 and "description" not in draft:
        await _set_description(turn, text)


def _clear_winner(matches: list[tuple[int, float]]) -> bool:
    top = matches[0][1]
    return top >= 85 and (len(matches) == 1 or top - matches[1][1] >= 10)


def _valid(location: Location, building: Building | None) -> bool:
    if building is None or location.number is None:
        return True
    if location.kind is LocationKind.APARTMENT:
        return 1 <= location.number <= (building.apartments or 10_000)
    if location.kind is LocationKind.ENTRANCE:
        return 1 <= location.number <= building.entrances
    if location.entrance is not None and not 1 <= location.entrance <= building.entrances:
        return False
    return 1 <= location.number <= max(building.floors, 1)


def _add_photos(turn: Turn, photos: tuple[str, ...], quiet: bool = False) -> None:
    if not photos:
        return
    draft = _draft(turn)
    have: list[str] = draft.setdefault("photos", [])
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


async def _set_description(turn: Turn, text: str) -> None:
    draft = _draft(turn)
    draft["description"] = text[: turn.services.settings.max_text_chars]
    classifier = turn.services.classifier
    if classifier is None:
        return
    result = classifier.classify(text)
    draft["suggest"] = {
        "category": result.category,
        "confidence": result.confidence,
        "emergency": result.emergency,
        "top": [[c, p] for c, p in result.top],
    }
    if result.emergency and not draft.get("emergency"):
        draft["emergency"] = True
        turn.say(_advice_key(result.category, text), first=True)


def _advice_key(category: str, text: str) -> str:
    if category == Category.GAS.value:
        return "advice_gas"
    if _FIRE.search(normalize(text)):
        return "advice_fire"
    return {
        "water": "advice_water",
        "sewerage": "advice_water",
        "heating": "advice_water",
        "electricity": "advice_electricity",
        "elevator": "advice_elevator",
    }.get(category, "advice_generic")


def _next_step(turn: Turn) -> str:
    draft = _draft(turn)
    if "building_id" not in draft:
        return "building"
    if "location" not in draft:
        return "location"
    if "description" not in draft:
        return "description"
    if "category" not in draft:
        return "category"
    if not draft.get("photos_done"):
        return "photos"
    if not draft.get("phone") and not draft.get("phone_done") and not turn.person.phone:
        return "phone"
    return "confirm"


async def _continue(turn: Turn) -> None:
    step = _next_step(turn)
    draft = _draft(turn)
    if step in ("photos", "phone", "confirm") and not draft.get("shared_checked"):
        draft["shared_checked"] = True
        if await _already_known(turn):
            return
    turn.state["step"] = step
    await _reask(turn)


async def _already_known(turn: Turn) -> bool:
    """A declared outage answers at once; an open request for the same problem is offered
    to join. Returns True when the dialogue now waits for that answer."""
    draft = _draft(turn)
    building_id, category, location = draft["building_id"], draft["category"], draft["location"]
    incident = await incidents.active_incident(
        turn.session, building_id, category, location, turn.now
    )
    if incident is not None:
        await incidents.subscribe(turn.session, incident, turn.person)
        draft["incident_id"] = incident.id
        turn.state["step"] = "incident"
        await _reask(turn)
        return True
    mine = set(
        await turn.session.scalars(
            select(RequestReporter.request_id).where(RequestReporter.person_id == turn.person.id)
        )
    )
    duplicates = [
        r
        for r in await incidents.open_duplicates(
            turn.session, building_id, Category(category), location
        )
        if r.id not in mine
    ]
    if duplicates:
        draft["duplicate_ids"] = [r.id for r in duplicates[:3]]
        turn.state["step"] = "duplicate"
        await _reask(turn)
        return True
    return False


async def _ask_known(turn: Turn, step: str) -> None:
    draft = _draft(turn)
    lang = turn.lang
    if step == "incident":
        incident = await turn.session.get(Incident, draft.get("incident_id", 0))
        if incident is None:
            turn.state["step"] = _next_step(turn)
            await _reask(turn)
            return
        values = await incident_talk.describe(turn, incident)
        turn.say(
            "incident_known",
            buttons=[[answer(texts.t(lang, "incident_other"), "incident", "file")]],
            description=values["description"],
            address=values["address"],
            until=values["until"],
        )
        return
    keyboard: list[list[Button]] = []
    first: Request | None = None
    for request_id in draft.get("duplicate_ids", []):
        request = await turn.session.get(Request, request_id)
        if request is None:
            continue
        first = first or request
        keyboard.append(
            [answer(texts.t(lang, "dup_join", number=request.number), "duplicate", str(request.id))]
        )
    keyboard.append([answer(texts.t(lang, "dup_new"), "duplicate", "new")])
    if first is None:
        turn.state["step"] = _next_step(turn)
        await _reask(turn)
        return
    # Another resident's request: its number, type, place and time, never their words,
    # name, phone or photos, nor which flat it came from.
    building = await turn.session.get(Building, first.building_id)
    turn.say(
        "ask_duplicate",
        buttons=keyboard,
        number=first.number,
        category=texts.category(lang, first.category),
        place=place(lang, building.address if building else "", first.location, to_neighbour=True),
        filed_at=format_time(lang, first.created_at, turn.services.tz),
        status=texts.status(lang, first.status),
    )


async def _join(turn: Turn, value: str) -> None:
    draft = _draft(turn)
    if not value.isdigit() or int(value) not in draft.get("duplicate_ids", []):
        turn.say("stale")
        await _reask(turn)
        return
    joined = await turn.perform(
        incidents.join_request(
            turn.session,
            turn.now,
            turn.person,
            int(value),
            note=str(draft.get("description", "")),
            photos=tuple(draft.get("photos", [])),
            location=str(draft.get("location", "")),
        )
    )
    if joined is None:
        draft.pop("duplicate_ids", None)
        await _continue(turn)
        return
    turn.state.pop("step", None)
    turn.state["draft"] = {}


async def _reask(turn: Turn) -> None:
    """Ask the question of the current step (again)."""
    step = turn.state.get("step")
    pending = turn.state.get("pending")
    if pending:
        return
    draft = _draft(turn)
    lang = turn.lang
    if step == "building":
        await _ask_building(turn)
    elif step == "location":
        building = await turn.session.get(Building, draft["building_id"])
        kinds = [LocationKind.APARTMENT, LocationKind.ENTRANCE, *COMMON_AREAS]
        keyboard = [answer(texts.location_kind(lang, k.value), "location", k.value) for k in kinds]
        turn.say(
            "ask_location",
            buttons=[keyboard[i : i + 3] for i in range(0, len(keyboard), 3)],
            address=building.address if building else "",
        )
        turn.replies[-1] = replace(turn.replies[-1], free_text=FreeText.NUMBERS)  # "кв 12"
    elif step == "location_number":
        building = await turn.session.get(Building, draft["building_id"])
        kind = draft.get("location_kind", "apartment")
        if kind == LocationKind.ENTRANCE.value:
            turn.say("ask_entrance", max=building.entrances if building else 1)
        else:
            turn.say("ask_apartment", max=(building.apartments if building else 0) or 9999)
    elif step == "description":
        turn.say("ask_description")
    elif step == "category":
        _ask_category(turn)
    elif step == "photos":
        label = "photos_done" if draft.get("photos") else "skip"
        turn.say(
            "ask_photos" if not draft.get("photos") else "photo_added",
            buttons=[[answer(texts.t(lang, label), "photos", "done")]],
            count=len(draft.get("photos", [])),
        )
    elif step == "phone":
        turn.say_text(
            texts.t(lang, "ask_phone"),
            [[answer(texts.t(lang, "skip"), "phone", "skip")]],
            request_contact=True,
        )
    elif step == "confirm":
        await _summary(turn)
    elif step in ("incident", "duplicate"):
        await _ask_known(turn, step)
    elif step == "edit":
        fields = ["building", "location", "category", "description", "photos"]
        turn.say(
            "ask_edit_field",
            buttons=[
                [answer(texts.t(lang, f"field_{f}"), "edit", f) for f in fields[:3]],
                [answer(texts.t(lang, f"field_{f}"), "edit", f) for f in fields[3:]],
            ],
        )


async def _ask_building(turn: Turn, again: bool = False, ids: list[int] | None = None) -> None:
    _, buildings = await _keys(turn)
    choices: list[list[Button]] = []
    home = turn.person.home_building_id
    if ids is None:
        ids = ([home] if home in buildings else []) + [b for b in buildings if b != home]
    for building_id in ids[:8]:
        building = buildings[building_id]
        label = building.address
        if building_id == home and turn.person.home_location:
            label += ", " + format_location(turn.lang, turn.person.home_location)
            choices.append([answer(label, "building", f"h{building_id}")])
        else:
            choices.append([answer(label, "building", str(building_id))])
    turn.say("ask_building_again" if again else "ask_building", buttons=choices)


def _ask_category(turn: Turn) -> None:
    draft = _draft(turn)
    lang = turn.lang
    suggest = draft.get("suggest")
    order = [c.value for c in Category]
    if suggest:
        ranked = [c for c, _ in suggest["top"]]
        order = ranked + [c for c in order if c not in ranked]
    if (
        suggest
        and suggest["confidence"] >= turn.services.settings.classifier_threshold
        and not draft.get("all_categories")
    ):
        guess = suggest["category"]
        alternatives = [c for c in order if c != guess][:2]
        keyboard = [
            [answer(texts.t(lang, "yes_right"), "category", guess)],
            [answer(texts.category(lang, c), "category", c) for c in alternatives],
            [answer(texts.t(lang, "other_type"), "category", "more")],
        ]
        turn.say("ask_category_guess", buttons=keyboard, category=texts.category(lang, guess))
        return
    keyboard = [
        [answer(texts.category(lang, c), "category", c) for c in order[i : i + 2]]
        for i in range(0, len(order), 2)
    ]
    turn.say("ask_category", buttons=keyboard)


async def _summary(turn: Turn) -> None:
    draft = _draft(turn)
    lang = turn.lang
    building = await turn.session.get(Building, draft["building_id"])
    turn.say(
        "summary",
        buttons=[
            [
                answer(texts.t(lang, "confirm"), "confirm", "yes"),
                answer(texts.t(lang, "edit"), "confirm", "edit"),
                answer(texts.t(lang, "cancel"), "confirm", "cancel"),
            ]
        ],
        photos=draft.get("photos", []),
        address=building.address if building else "",
        location=format_location(lang, draft["location"]),
        category=texts.category(lang, draft["category"]),
        emergency=texts.t(lang, "summary_emergency") if draft.get("emergency") else "",
        description=draft["description"],
        photo_count=len(draft.get("photos", [])),
        phone=draft.get("phone") or turn.person.phone or texts.t(lang, "none"),
    )


async def _answer(turn: Turn, value: str) -> None:
    """A button answering the current step."""
    draft = _draft(turn)
    step = turn.state["step"]
    if step == "building":
        _, buildings = await _keys(turn)
        home = value.startswith("h")
        building_id = (
            int(value[1:]) if home and value[1:].isdigit() else int(value) if value.isdigit() else 0
        )
        if building_id not in buildings:
            turn.say("stale")
            await _reask(turn)
            return
        draft["building_id"] = building_id
        if home and turn.person.home_location and building_id == turn.person.home_building_id:
            draft.setdefault("location", turn.person.home_location)
    elif step == "location":
        try:
            kind = LocationKind(value)
        except ValueError:
            turn.say("stale")
            await _reask(turn)
            return
        if kind.numbered:
            draft["location_kind"] = kind.value
            turn.state["step"] = "location_number"
            await _reask(turn)
            return
        draft["location"] = Location(kind).encode()
    elif step == "category":
        if value == "more":
            draft["all_categories"] = True
            await _reask(turn)
            return
        try:
            category = Category(value)
        except ValueError:
            turn.say("stale")
            await _reask(turn)
            return
        draft["category"] = category.value
    elif step == "photos":
        draft["photos_done"] = True
    elif step == "phone":
        draft["phone_done"] = True
    elif step == "duplicate" and value != "new":
        await _join(turn, value)
        return
    elif step == "confirm":
        await _confirm_answer(turn, value)
        return
    elif step == "edit":
        _edit(turn, value)
    await _continue(turn)


def _edit(turn: Turn, field: str) -> None:
    draft = _draft(turn)
    drop = {
        "building": ("building_id", "location"),
        "location": ("location",),
        "category": ("category", "all_categories"),
        "description": ("description", "suggest", "category"),
        "photos": ("photos", "photos_done"),
    }.get(field, ())
    for key in drop:
        draft.pop(key, None)
    if field == "category":
        draft["all_categories"] = True


async def _confirm_answer(turn: Turn, value: str) -> None:
    if value == "edit":
        turn.state["step"] = "edit"
        await _reask(turn)
    elif value == "cancel":
        turn.state.pop("step", None)
        turn.state["draft"] = {}
        turn.say("cancelled_input")
    elif value == "yes":
        await _file(turn)
    else:
        turn.say("stale")
        await _reask(turn)


async def _file(turn: Turn) -> None:
    draft = _draft(turn)
    category = Category(draft["category"])
    if draft.get("emergency"):
        urgency = Urgency.EMERGENCY
    else:
        urgency = Urgency.URGENT if category in _DEFAULT_URGENT else Urgency.NORMAL
    suggest = draft.get("suggest") or {}
    phone = draft.get("phone") or turn.person.phone
    new = services.NewRequest(
        building_id=int(draft["building_id"]),
        location=str(draft["location"]),
        category=category,
        urgency=urgency,
        description=str(draft["description"]),
        photos=tuple(draft.get("photos", [])),
        contact_phone=phone,
        suggested_category=str(suggest.get("category", "")),
        suggested_emergency=bool(suggest.get("emergency", False)),
        label_confirmed=bool(suggest) and suggest.get("category") == category.value,
    )
    outcome = await services.file_request(
        turn.session, turn.now, turn.person, new, turn.services.sla
    )
    await turn.notify(outcome.notices)
    turn.person.home_building_id = new.building_id
    if new.location.startswith("apartment:"):
        turn.person.home_location = new.location
    if phone and not turn.person.phone:
        turn.person.phone = phone
    turn.state.pop("step", None)
    turn.state["draft"] = {}


async def _step_input(turn: Turn) -> None:
    """Typed text, a photo or a contact while a step is asked."""
    draft = _draft(turn)
    step = turn.state["step"]
    ev = turn.event
    text = turn.text
    low = normalize(text).strip(" .!")
    if ev.kind is EventKind.PHOTO:
        _add_photos(turn, ev.photos, quiet=step == "photos")
        if text and "description" not in draft:
            await _set_description(turn, text)
        if step == "photos":
            await _reask(turn)
        else:
            await _continue(turn)
        return
    if ev.kind is EventKind.CONTACT:
        phone = normalize_phone(ev.payload)
        if phone:
            draft["phone"] = phone
        await _continue(turn)
        return
    if len(text) > turn.services.settings.max_text_chars:
        turn.say("too_long", length=len(text), limit=turn.services.settings.max_text_chars)
        return
    if step == "incident":
        # The outage answered them; a new message is a new matter.
        await _new_request_from(turn)
        return
    if step == "building":
        keys, _ = await _keys(turn)
        matches = match_buildings(text, keys)
        if matches and _clear_winner(matches):
            await _absorb(turn, everything=True)
            draft["building_id"] = matches[0][0]
            await _continue(turn)
        else:
            ids = [m[0] for m in matches if m[1] >= 70] or None
            await _ask_building(turn, again=True, ids=ids)
        return
    if step in ("location", "location_number"):
        await _location_input(turn, text)
        return
    if step == "description":
        if len(text) < 5 or not re.search(r"[^\W\d_]{2,}", text):
            turn.say("description_short")
            return
        await _set_description(turn, text)
        await _continue(turn)
        return
    if step == "category":
        await _category_input(turn, text)
        return
    if step == "photos":
        if low in _DONE:
            draft["photos_done"] = True
            await _continue(turn)
        else:
            turn.say("use_buttons")
            await _reask(turn)
        return
    if step == "phone":
        phone = normalize_phone(text)
        if phone:
            draft["phone"] = phone
        elif low in _DONE or low in ("-", "нет"):
            draft["phone_done"] = True
        else:
            turn.say("bad_phone")
            return
        await _continue(turn)
        return
    if step == "confirm" and low in _YES:
        await _file(turn)
        return
    turn.say("use_buttons")
    await _reask(turn)


async def _location_input(turn: Turn, text: str) -> None:
    draft = _draft(turn)
    building = await turn.session.get(Building, draft["building_id"])
    location = find_location(text)
    digits = text.strip().lstrip("№#").strip()
    if location is None and digits.isdigit() and len(digits) <= 5:
        kind = LocationKind(draft.get("location_kind", "apartment"))
        location = Location(kind, int(digits))
    if location is None:
        turn.say("use_buttons")
        await _reask(turn)
        return
    if not _valid(location, building):
        key = "bad_entrance" if location.kind is LocationKind.ENTRANCE else "bad_apartment"
        limit = (
            building.entrances
            if location.kind is LocationKind.ENTRANCE and building
            else (building.apartments if building else 0)
        )
        turn.say(key, max=limit)
        return
    draft["location"] = location.encode()
    draft.pop("location_kind", None)
    await _continue(turn)


async def _category_input(turn: Turn, text: str) -> None:
    draft = _draft(turn)
    lang = turn.lang
    low = normalize(text).strip(" .!")
    suggest = draft.get("suggest")
    if suggest and low in _YES and not draft.get("all_categories"):
        draft["category"] = suggest["category"]
        await _continue(turn)
        return
    labels = _category_labels(lang)
    best = process.extractOne(low, list(labels), scorer=fuzz.WRatio, score_cutoff=85)
    if best is not None:
        draft["category"] = labels[best[0]]
        await _continue(turn)
        return
    turn.say("use_buttons")
    await _reask(turn)


@functools.lru_cache(maxsize=16)
def _category_labels(lang: str) -> dict[str, str]:
    """Typed category names (and codes) -> category code, for one language."""
    labels = {normalize(texts.category(lang, c.value)): c.value for c in Category}
    labels.update({c.value: c.value for c in Category})
    return labels


__all__ = ["ACTION_OPS", "STEPS", "handle"]
