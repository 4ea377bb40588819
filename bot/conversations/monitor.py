"""The dispatchers' monitor commands: /open with filters, /overdue, /today, /load, /find.

``/open`` takes any mix of filters: a status, a problem type, a technician's name and
a building (code, address or alias), e.g. ``/open Ленина 5 электричество`` or
``/open Иванов назначена``.  ``/find`` takes a request number or an address.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement

from bot import texts
from bot.conversations.turn import Turn
from bot.notices import card, history_text
from bot.views import format_time, load_view, person_name
from core import dispatching
from core.assignment import absent
from core.model import Category, Role, Status
from core.storage.tables import Building, Person, Request

COMMANDS = ("/open", "/overdue", "/today", "/load", "/find")
_OPEN = [s.value for s in Status if s.is_open]
_WORKING = [s.value for s in Status if s.is_open and s is not Status.DONE]
LIMIT = 30


def parse(text: str) -> tuple[str, str] | None:
    """``("/open", "ленина 5")`` for a monitor command, else None."""
    head, _, rest = text.strip().partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, rest.strip()) if name in COMMANDS else None


async def handle(turn: Turn[Any], name: str, arg: str) -> None:
    if name == "/open":
        await open_requests(turn, arg)
    elif name == "/overdue":
        await _listing(
            turn,
            [Request.status.in_(_WORKING), Request.deadline < turn.now],
            "overdue_list",
            "overdue_empty",
        )
    elif name == "/today":
        local = turn.now.astimezone(turn.services.tz).date()
        end = datetime.combine(local + timedelta(days=1), time(0), tzinfo=turn.services.tz)
        await _listing(
            turn,
            [Request.status.in_(_WORKING), Request.deadline < end],
            "today_list",
            "today_empty",
        )
    elif name == "/load":
        await load(turn)
    else:
        await find(turn, arg)


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").replace(",", " ").replace(".", " ").split())


async def _buildings_matching(turn: Turn[Any], query: str) -> list[int]:
    wanted = _norm(query)
    found = []
    for b in await turn.session.scalars(select(Building)):
        names = [b.code, b.address, *b.aliases.split(";")]
        if any(wanted and (wanted == _norm(n) or wanted in _norm(n)) for n in names if n):
            found.append(b.id)
    return found


async def open_requests(turn: Turn[Any], arg: str) -> None:
    lang = turn.lang
    where: list[ColumnElement[bool]] = [Request.status.in_(_OPEN)]
    rest: list[str] = []
    technicians = list(
        await turn.session.scalars(select(Person).where(Person.role == Role.TECHNICIAN.value))
    )
    for word in arg.split():
        low = _norm(word)
        status = next(
            (
                s.value
                for s in Status
                if s.is_open and low in (s.value, _norm(texts.status(lang, s.value)).split()[0])
            ),
            None,
        )
        category = next(
            (
                c.value
                for c in Category
                if low == c.value
                or (
                    len(low) >= 4
                    and any(
                        _norm(texts.category(other, c.value)).startswith(low)
                        for other in texts.LANGUAGES
                    )
                )
            ),
            None,
        )
        people = [t.id for t in technicians if len(low) >= 3 and low in _norm(t.name).split()]
        if status:
            where.append(Request.status == status)
        elif category:
            where.append(Request.category == category)
        elif people:
            where.append(Request.assignee_id.in_(people))
        else:
            rest.append(word)
    if rest:
        buildings = await _buildings_matching(turn, " ".join(rest))
        if not buildings:
            usage = texts.t(lang, "open_usage")
            turn.say("admin_unknown_filter", value=" ".join(rest), usage=usage)
            return
        where.append(Request.building_id.in_(buildings))
    await _listing(turn, where, "open_list", "open_empty")


async def _listing(
    turn: Turn[Any], where: list[ColumnElement[bool]], title: str, empty: str
) -> None:
    rows = list(
        await turn.session.scalars(
            select(Request)
            .where(*where)
            .order_by(Request.deadline.is_(None), Request.deadline, Request.id)
            .limit(LIMIT)
        )
    )
    if not rows:
        turn.say(empty)
        return
    lines = [texts.t(turn.lang, title, count=len(rows))]
    lines += [await _line(turn, r) for r in rows]
    turn.say_text("\n".join(lines))


async def _line(turn: Turn[Any], r: Request) -> str:
    building = await turn.session.get(Building, r.building_id)
    assignee = await turn.session.get(Person, r.assignee_id) if r.assignee_id else None
    overdue = r.deadline is not None and r.deadline < turn.now and r.status in _WORKING
    marker = "🚨 " if r.urgency == "emergency" else ""
    return (
        marker
        + texts.t(
            turn.lang,
            "open_line",
            number=r.number,
            status=texts.status(turn.lang, r.status),
            category=texts.category(turn.lang, r.category),
            address=building.address if building else "",
            assignee=person_name(assignee, turn.lang),
            deadline=format_time(turn.lang, r.deadline, turn.services.tz),
        )
        + (texts.t(turn.lang, "card_overdue") if overdue else "")
    )


async def load(turn: Turn[Any]) -> None:
    today = turn.now.astimezone(turn.services.tz).date()
    roster = await dispatching.load_roster(turn.session, today)
    people = await dispatching.active_technicians(turn.session)
    if not people:
        turn.say("load_empty")
        return
    lines = [texts.t(turn.lang, "load_list")]
    for p in sorted(people, key=lambda p: -roster.load.get(p.id, 0)):
        lines.append(
            texts.t(
                turn.lang,
                "load_line",
                technician=person_name(p, turn.lang),
                count=roster.load.get(p.id, 0),
                absent=texts.t(turn.lang, "load_absent")
                if absent(roster.absences, p.id, today)
                else "",
            )
        )
    turn.say_text("\n".join(lines))


async def find(turn: Turn[Any], arg: str) -> None:
    query = arg.strip().lstrip("№#")
    if not query:
        turn.say("find_usage")
        return
    if query.isdigit() and len(query) <= 9:
        request = await turn.session.scalar(select(Request).where(Request.number == int(query)))
        if request is None:
            turn.say("find_empty")
            return
        view = await load_view(turn.session, request)
        turn.replies.append(card(view, turn.lang, turn.services.tz, live=False))
        turn.say_text(await history_text(turn.session, request, turn.lang, turn.services.tz))
        return
    buildings = await _buildings_matching(turn, query)
    if not buildings:
        turn.say("find_empty")
        return
    rows = list(
        await turn.session.scalars(
            select(Request)
            .where(Request.building_id.in_(buildings))
            .order_by(Request.id.desc())
            .limit(LIMIT)
        )
    )
    if not rows:
        turn.say("find_empty")
        return
    lines = [texts.t(turn.lang, "find_list", count=len(rows))]
    lines += [await _line(turn, r) for r in rows]
    turn.say_text("\n".join(lines))
