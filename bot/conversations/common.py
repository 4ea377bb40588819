"""Pieces every role's dialogue shares: commands, request look-ups, refusals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot import texts
from bot.conversations.turn import Turn
from bot.parsing import date_example
from bot.views import format_time, load_view, place
from core.channel import PHOTO_REFUSED
from core.lifecycle import Actor
from core.services import Refused
from core.storage.tables import Building, Request

_COMMANDS = {
    "start": ("/start",),
    "help": ("/help", "помощь", "help", "справка", "?"),
    "cancel": ("/cancel", "отмена", "отменить", "cancel", "стоп", "stop"),
    "my": ("/my", "мои заявки", "my requests", "мои"),
    "new": ("/new", "новая заявка", "new request"),
    "lang": ("/lang", "english", "русский", "/en", "/ru"),
    "jobs": ("/jobs", "мои задания", "my jobs", "задания"),
    "open": ("/open", "открытые", "open requests"),
    "failed": ("/failed",),
    "stats": ("/stats",),
    "incident": ("/incident",),
    "incidents": ("/incidents",),
    "outage": ("/outage",),
    "resolve": ("/resolve",),
    "merge": ("/merge",),
    "split": ("/split",),
    "deadline": ("/deadline",),
    "link": ("/link", "привязать", "link"),
    "unlink": ("/unlink", "отвязать", "unlink"),
    "channel": ("/channel", "канал", "channel"),
}
_STATUS = re.compile(r"^(?:/status|/show|статус|status|заявка|request)?\s*[№#]?\s*(\d{1,9})$")
_NUMBERED = re.compile(r"^(?:/status|/show|статус|status|заявка|request|№|#)\s*[№#]?\s*(\d{1,9})$")


#: Why a photo can be refused at intake, each with its own reply.
_PHOTO_REFUSALS = ("empty", "too_large", "not_image", "too_many_pixels", "too_small", "bad_shape")


def say_unsupported(turn: Turn[Any]) -> None:
    """Answer a message the service cannot take; a refused photo is told why."""
    reason = turn.event.payload.removeprefix(PHOTO_REFUSED)
    if turn.event.payload.startswith(PHOTO_REFUSED) and reason in _PHOTO_REFUSALS:
        turn.say(f"photo_{reason}")
    else:
        turn.say("unsupported")


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    arg: str = ""


def parse_command(text: str, allow_bare_number: bool = False) -> Command | None:
    low = text.strip().lower().rstrip(".!")
    if not low:
        return None
    head = low.partition(" ")[0]
    head = head.split("@", 1)[0]  # "/open@SomeBot" in groups
    original_rest = text.strip().partition(" ")[2].strip()
    for name, words in _COMMANDS.items():
        if low in words or (head.startswith("/") and head in words):
            return Command(name, original_rest)
    pattern = _STATUS if allow_bare_number else _NUMBERED
    match = pattern.match(low)
    if match:
        return Command("status", match.group(1))
    if low in ("/status", "/show"):
        return Command("status")  # the number is asked for
    if head.startswith("/"):
        return Command("unknown", head)
    return None


def future_moment(turn: Turn[Any], moment: datetime | None) -> datetime | None:
    """``moment`` (a date the person typed or picked) if it is still ahead; otherwise None,
    the person told why, with an example that is ahead."""
    example = date_example(turn.now, turn.services.tz)
    if moment is None:
        turn.say("bad_date", example=example)
        return None
    if moment <= turn.now:
        when = format_time(turn.lang, moment, turn.services.tz)
        turn.say("date_past", when=when, example=example)
        return None
    return moment


async def request_by_number(turn: Turn[Any], number: str) -> Request | None:
    if not number.isdigit() or len(number) > 9:
        return None
    return await turn.session.scalar(select(Request).where(Request.number == int(number)))


async def request_summary(turn: Turn[Any], request: Request) -> None:
    """A request's status; its place as its neighbours may see it, unless it is the
    asker's own (a co-reporter is not told which flat the author lives in)."""
    view = await load_view(turn.session, request)
    lang = turn.lang
    neighbour = Actor.AUTHOR not in view.actors(turn.person)
    turn.say(
        "status_line",
        number=request.number,
        status=texts.status(lang, request.status),
        category=texts.category(lang, request.category),
        place=place(lang, view.building.address, request.location, to_neighbour=neighbour),
        deadline=format_time(lang, request.deadline, turn.services.tz),
    )


async def building_of(turn: Turn[Any], building_id: int) -> Building | None:
    return await turn.session.get(Building, building_id)


def refuse(turn: Turn[Any], exc: Refused, request: Request | None = None) -> None:
    turn.refused(exc, request.status if request is not None else "")
