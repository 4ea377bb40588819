"""The resident's turn: a start link, a button, a command, the answer to a question asked,
or a message that starts a new request."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot import texts
from bot.buttons import answer
from bot.conversations.common import (
    parse_command,
    request_by_number,
    request_summary,
    say_unsupported,
)
from bot.conversations.resident import follow_up, steps
from bot.conversations.resident.draft import Draft
from bot.conversations.resident.intake import ResidentTurn
from bot.language import detect_language
from core.channel import EventKind
from core.model import Location, LocationKind
from core.payloads import Answer, BadPayload, decode
from core.storage.tables import Building

#: The one answer taken at any step: the language of the dialogue.
LANG_STEP = "lang"
_START_LINK = re.compile(r"b-([A-Za-z0-9_]{1,32})(?:-([a-z]+)(\d{1,4})?)?")


async def handle(turn: ResidentTurn) -> None:
    ev = turn.event
    state = turn.state
    first_contact = not state.greeted
    _read_language(turn)
    if first_contact:
        state.greeted = True
        _greet(turn)
    if ev.kind is EventKind.START or (
        ev.kind is EventKind.TEXT and turn.text.lower().startswith("/start")
    ):
        await _start(turn, first_contact)
        return
    if ev.kind is EventKind.BUTTON:
        await _button(turn)
        return
    if ev.kind not in (EventKind.TEXT, EventKind.PHOTO, EventKind.CONTACT):
        say_unsupported(turn)
        await steps.reask(turn)
        return
    command = parse_command(turn.text) if ev.kind is EventKind.TEXT else None
    if command is not None and await _command(turn, command.name, command.arg):
        return
    if state.pending is not None:
        await follow_up.take_pending(turn)
    elif state.step is not None:
        await steps.take_input(turn)
    else:
        await steps.new_request_from(turn)


async def _start(turn: ResidentTurn, first_contact: bool) -> None:
    turn.state.restart()
    await _start_link(turn)
    if turn.state.draft.building_id is not None:
        await steps.continue_filing(turn)
    elif not first_contact:
        turn.say("help")


async def _start_link(turn: ResidentTurn) -> None:
    """Deep links from a QR code on the entrance: "b-<building code>[-<location>]"."""
    payload = turn.event.payload or turn.text.removeprefix("/start").strip()
    match = _START_LINK.fullmatch(payload)
    if not match:
        return
    building = await turn.session.scalar(select(Building).where(Building.code == match.group(1)))
    if building is None:
        return
    draft = turn.state.draft
    draft.building_id = building.id
    if match.group(2):
        try:
            kind = LocationKind(match.group(2))
            number = int(match.group(3)) if match.group(3) else None
            if kind.numbered == (number is not None):
                draft.location = Location(kind, number).encode()
        except ValueError:
            pass


async def _command(turn: ResidentTurn, name: str, arg: str) -> bool:
    """Run a command; False when it is not one here (the text is taken as it is)."""
    state = turn.state
    if name == "start":
        return False
    if name == "help":
        turn.say("help")
    elif name == "cancel":
        if state.step is not None or state.pending is not None:
            state.restart()
            turn.say("cancelled_input")
        else:
            turn.say("nothing_to_cancel")
    elif name == "lang":
        _set_lang(turn, "en" if turn.lang == "ru" else "ru")
    elif name == "my":
        await follow_up.my_requests(turn)
    elif name == "new":
        state.pending = None
        state.draft = Draft()
        await steps.continue_filing(turn)
        return True
    elif name == "status" and not arg:
        await follow_up.my_requests(turn)
    elif name == "status":
        request = await request_by_number(turn, arg)
        if request is None or not await follow_up.is_reporter(turn, request):
            turn.say("not_found")
        else:
            await request_summary(turn, request)
    else:
        turn.say("unknown_command")
    await steps.reask(turn)
    return True


#: The button offering the other language, in that language.
_OTHER_LANGUAGE = {"ru": ("English", "en"), "en": ("Русский", "ru")}


def _read_language(turn: ResidentTurn) -> None:
    """Until the language is settled, each message's words may settle it: the first one
    written in words, not one that is only an address, a number or an emoji.  The text
    outweighs the messenger's setting."""
    text = turn.text if turn.event.kind is EventKind.TEXT else ""
    if turn.state.lang or text.startswith("/"):  # "/my", "/start lnk-…": no language
        return
    detected = detect_language(text)
    if detected is not None:
        turn.state.lang = turn.person.language = detected


def _greet(turn: ResidentTurn) -> None:
    """Greet in the language the first message is written in, offering the other; when it
    already describes a problem, do not ask for a description."""
    ev = turn.event
    text = turn.text if ev.kind is EventKind.TEXT else ""
    command = text.startswith("/")
    label, other = _OTHER_LANGUAGE.get(turn.lang, _OTHER_LANGUAGE["ru"])
    described = ev.kind is EventKind.PHOTO or (not command and len(text.split()) >= 3)
    turn.say(
        "greeting_short" if described else "greeting",
        buttons=[[answer(label, LANG_STEP, other)]],
    )


def _set_lang(turn: ResidentTurn, lang: str) -> None:
    turn.state.lang = lang
    turn.person.language = lang
    turn.say("lang_set")


async def _button(turn: ResidentTurn) -> None:
    try:
        payload = decode(turn.event.payload)
    except BadPayload:
        turn.say("stale")
        return
    if not isinstance(payload, Answer):
        await follow_up.request_button_pressed(turn, payload)
        return
    if payload.step == LANG_STEP and payload.value in texts.LANGUAGES:
        _set_lang(turn, payload.value)
        await steps.reask(turn)
    elif payload.step != turn.state.step or turn.state.pending is not None:
        turn.say("stale")
        await steps.reask(turn)
    else:
        await steps.take_answer(turn, payload.value)
