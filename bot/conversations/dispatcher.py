"""The dispatchers' dialogue (group chat or private): cards, pickers, commands."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot import buttons, texts
from bot.conversations import incidents, monitor, stats
from bot.conversations.common import (
    future_moment,
    parse_command,
    request_by_number,
    say_unsupported,
)
from bot.conversations.state import AskingState, Pending
from bot.conversations.turn import Turn
from bot.notices import card, history_text
from bot.parsing import date_example, parse_date
from bot.views import format_time, load_view
from core import dispatching, services
from core.channel import Button, EventKind
from core.lifecycle import Action
from core.model import Category, Status, Urgency
from core.payloads import BadPayload, RequestAction, decode
from core.storage.tables import InboxItem, OutboxItem, Person, Request


class Question(enum.StrEnum):
    """What a dispatcher was asked about one request and answers by typing (the values
    are the op codes of the buttons that ask)."""

    COMMENT = "comment"
    REJECT = buttons.OPS_BY_ACTION[Action.REJECT]
    DEADLINE = buttons.SET_DEADLINE


@dataclass(slots=True)
class DispatcherState(AskingState[Question]):
    QUESTIONS = Question


DispatcherTurn = Turn[DispatcherState]


async def handle(turn: DispatcherTurn, *, in_group: bool) -> None:
    ev = turn.event
    if ev.kind is EventKind.BUTTON:
        await _button(turn)
        return
    if ev.kind not in (EventKind.TEXT, EventKind.PHOTO):
        if not in_group:
            say_unsupported(turn)
        return
    wanted = monitor.parse(turn.text) if ev.kind is EventKind.TEXT else None
    if wanted is not None:
        await monitor.handle(turn, *wanted)
        return
    command = parse_command(turn.text) if ev.kind is EventKind.TEXT else None
    if command is not None:
        await _command(turn, command.name, command.arg, in_group)
        return
    if turn.state.pending is not None:
        await _pending(turn)
        return
    if not in_group:
        turn.say("dispatch_help")
    # In the group dispatchers talk to each other: the bot stays quiet.


async def _command(turn: DispatcherTurn, name: str, arg: str, in_group: bool) -> None:
    if name == "cancel":
        had = turn.state.pending is not None
        turn.state.pending = None
        turn.say("cancelled_input" if had else "nothing_to_cancel")
    elif name == "open":
        await monitor.open_requests(turn, arg)
    elif name == "status" and not arg:
        turn.say("show_usage")
    elif name == "status":
        request = await request_by_number(turn, arg)
        if request is None:
            turn.say("not_found")
        else:
            await _show(turn, request)
    elif name == "failed":
        await _failed(turn)
    elif name == "stats":
        await stats.command(turn, arg)
    elif name == "incident":
        await incidents.declare_from_text(turn, arg)
    elif name == "incidents":
        await incidents.list_active(turn)
    elif name == "outage":
        await incidents.declare_outage(turn, arg)
    elif name == "merge":
        await incidents.merge_command(turn, arg)
    elif name == "split":
        await incidents.split_picker(turn, arg)
    elif name == "deadline":
        await _deadline_command(turn, arg)
    elif name == "resolve":
        if arg.lstrip("#").isdigit():
            await incidents.resolve(turn, int(arg.lstrip("#")))
        else:
            await incidents.list_active(turn)
    elif name in ("help", "start"):
        turn.say("dispatch_help")
    elif name == "unknown" or not in_group:
        turn.say("unknown_command")


async def _show(turn: DispatcherTurn, request: Request) -> None:
    view = await load_view(turn.session, request)
    turn.replies.append(card(view, turn.lang, turn.services.tz, live=False))
    await _history(turn, request)


async def _history(turn: DispatcherTurn, request: Request) -> None:
    turn.say_text(await history_text(turn.session, request, turn.lang, turn.services.tz))


async def _failed(turn: DispatcherTurn) -> None:
    """The latest undelivered outbound messages and quarantined inbound ones."""
    undelivered = list(
        await turn.session.scalars(
            select(OutboxItem)
            .where(OutboxItem.status == "failed")
            .order_by(OutboxItem.id.desc())
            .limit(20)
        )
    )
    unprocessed = list(
        await turn.session.scalars(
            select(InboxItem).where(InboxItem.quarantined).order_by(InboxItem.id.desc()).limit(20)
        )
    )
    if not undelivered and not unprocessed:
        turn.say("failed_empty")
        return
    lines = []
    for title, rows in (
        ("failed_list", [(r.id, r.channel, r.chat, r.last_error) for r in undelivered]),
        ("failed_inbox_list", [(r.id, r.channel, r.chat, r.error) for r in unprocessed]),
    ):
        if not rows:
            continue
        lines.append(texts.t(turn.lang, title))
        lines += [
            texts.t(turn.lang, "failed_line", id=i, channel=channel, chat=chat, error=error)
            for i, channel, chat, error in rows
        ]
    turn.say_text("\n".join(lines))


async def _button(turn: DispatcherTurn) -> None:
    try:
        payload = decode(turn.event.payload)
    except BadPayload:
        turn.say("stale")
        return
    if not isinstance(payload, RequestAction):
        turn.say("stale")
        return
    if payload.op == incidents.RESOLVE:
        await incidents.resolve(turn, payload.request_id)
        return
    request = await turn.session.get(Request, payload.request_id)
    if request is None:
        turn.say("stale")
        return
    if payload.op == buttons.HISTORY:
        await _history(turn, request)
        return
    if request.version != payload.version:
        turn.refused(services.Refused("stale"))
        return
    lang = turn.lang
    op = payload.op
    turn.state.pending = None
    if op == buttons.ASSIGN_PICKER:
        await _pick_technician(turn, request)
    elif op == buttons.TYPE_PICKER:
        keyboard = [
            buttons.request_button(lang, "btn_type", request, buttons.SET_TYPE, c.value)
            for c in Category
        ]
        keyboard = [
            Button(texts.category(lang, c.value), b.payload)
            for c, b in zip(Category, keyboard, strict=True)
        ]
        turn.say(
            "pick_category",
            buttons=[keyboard[i : i + 3] for i in range(0, len(keyboard), 3)],
            number=request.number,
        )
    elif op == buttons.URGENCY_PICKER:
        row = [
            Button(
                texts.urgency(lang, u.value),
                RequestAction(buttons.SET_URGENCY, request.id, request.version, u.value).encode(),
            )
            for u in Urgency
        ]
        turn.say("pick_urgency", buttons=[row], number=request.number)
    elif op in (buttons.SET_TYPE, buttons.SET_URGENCY):
        await _reclassify(turn, request, op, payload.arg)
    elif op == incidents.SPLIT:
        await incidents.split(turn, request, payload.arg)
    elif op == incidents.DECLARE:
        await incidents.declare_from_request(turn, request)
    elif op == buttons.DISPATCH_COMMENT:
        turn.state.pending = Pending(Question.COMMENT, request.id)
        turn.say("ask_dispatch_comment", number=request.number)
    elif op == Question.REJECT:
        turn.state.pending = Pending(Question.REJECT, request.id)
        turn.say("ask_reject_reason", number=request.number)
    elif op == Question.DEADLINE and Status(request.status).is_open:
        turn.state.pending = Pending(Question.DEADLINE, request.id)
        turn.say(
            "ask_deadline",
            number=request.number,
            deadline=format_time(lang, request.deadline, turn.services.tz),
            example=date_example(turn.now, turn.services.tz),
        )
    elif op in buttons.ACTION_OPS and buttons.ACTION_OPS[op] in (Action.ASSIGN, Action.CLOSE):
        await _act(turn, request, buttons.ACTION_OPS[op], payload)
    else:
        turn.say("stale")


async def _pick_technician(turn: DispatcherTurn, request: Request) -> None:
    technicians = await dispatching.active_technicians(turn.session)
    if not technicians:
        turn.say("no_technicians")
        return
    load = await dispatching.open_load(turn.session)
    keyboard = [
        [
            Button(
                " · ".join(
                    [t.name, t.trade, texts.count(turn.lang, "n_open_jobs", load.get(t.id, 0))]
                ),
                RequestAction("as", request.id, request.version, str(t.id)).encode(),
            )
        ]
        for t in technicians
    ]
    turn.say("pick_technician", buttons=keyboard, number=request.number)


async def _reclassify(turn: DispatcherTurn, request: Request, op: str, value: str) -> None:
    try:
        category = Category(value) if op == buttons.SET_TYPE else None
        urgency = Urgency(value) if op == buttons.SET_URGENCY else None
    except ValueError:
        turn.say("stale")
        return
    await turn.perform(
        services.change_classification(
            turn.session,
            turn.now,
            turn.person,
            request.id,
            request.version,
            turn.services.sla,
            category=category,
            urgency=urgency,
        ),
        request.status,
    )


async def _act(
    turn: DispatcherTurn, request: Request, action: Action, payload: RequestAction
) -> None:
    assignee = None
    if action is Action.ASSIGN:
        assignee = (
            await turn.session.get(Person, int(payload.arg)) if payload.arg.isdigit() else None
        )
    await turn.perform(
        services.transition(
            turn.session,
            turn.now,
            turn.person,
            request.id,
            payload.version,
            action,
            assignee=assignee,
        ),
        request.status,
    )


async def _pending(turn: DispatcherTurn) -> None:
    """The typed answer to a request's question: a comment, why it is rejected, or its
    new deadline (asked again, the question kept, until the answer is a future moment)."""
    pending = turn.state.pending
    assert pending is not None
    turn.state.pending = None
    request = await turn.session.get(Request, pending.request_id)
    if request is None:
        turn.say("not_found")
        return
    text = turn.text
    if pending.op is Question.DEADLINE:
        deadline = future_moment(turn, parse_date(text, turn.now, turn.services.tz))
        if deadline is None:
            turn.state.pending = pending
        else:
            await _set_deadline(turn, request, deadline)
        return
    if pending.op is Question.COMMENT:
        use_case = services.comment(
            turn.session, turn.now, turn.person, request.id, text, turn.event.photos
        )
    else:
        use_case = services.transition(
            turn.session, turn.now, turn.person, request.id, None, Action.REJECT, reason=text
        )
    await turn.perform(use_case, request.status)


async def _deadline_command(turn: DispatcherTurn, arg: str) -> None:
    """`/deadline 1001 завтра 18:00`: the request's new deadline in one message."""
    number, _, when = arg.strip().lstrip("№#").partition(" ")
    if not number or not when.strip():
        turn.say("deadline_usage", example=date_example(turn.now, turn.services.tz))
        return
    request = await request_by_number(turn, number)
    if request is None:
        turn.say("not_found")
        return
    deadline = future_moment(turn, parse_date(when.strip(), turn.now, turn.services.tz))
    if deadline is not None:
        await _set_deadline(turn, request, deadline)


async def _set_deadline(turn: DispatcherTurn, request: Request, deadline: datetime) -> None:
    await turn.perform(
        services.set_deadline(turn.session, turn.now, turn.person, request.id, None, deadline),
        request.status,
    )
