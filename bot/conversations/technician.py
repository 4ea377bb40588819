"""The technician's dialogue: run jobs from the job card's buttons."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from bot import texts
from bot.buttons import ACTION_OPS, WRITE_RESIDENT, answer
from bot.conversations.common import parse_command, say_unsupported
from bot.conversations.turn import Turn
from bot.notices import job_card
from bot.parsing import normalize, parse_date
from bot.views import load_view
from core import services
from core.channel import Button, EventKind
from core.lifecycle import Action
from core.model import Status
from core.payloads import Answer, BadPayload, RequestAction, decode
from core.storage.tables import Request

_DONE_WORDS = {"готово", "done", "всё", "все", "отправить"}
_ASK_REASON = {
    Action.DECLINE: "ask_decline_reason",
    Action.POSTPONE: "ask_postpone_reason",
    Action.CANNOT_DO: "ask_cannot_do_reason",
}


async def handle(turn: Turn) -> None:
    ev = turn.event
    if ev.kind is EventKind.BUTTON:
        await _button(turn)
        return
    if ev.kind not in (EventKind.TEXT, EventKind.PHOTO):
        say_unsupported(turn)
        return
    command = parse_command(turn.text) if ev.kind is EventKind.TEXT else None
    if command is not None:
        await _command(turn, command.name)
        return
    if turn.state.get("pending"):
        await _pending(turn)
        return
    turn.say("tech_help")


async def _command(turn: Turn, name: str) -> None:
    if name == "cancel":
        had = turn.state.pop("pending", None)
        turn.say("cancelled_input" if had else "nothing_to_cancel")
    elif name == "jobs":
        await _jobs(turn)
    elif name == "lang":
        turn.state["lang"] = turn.person.language = "en" if turn.lang == "ru" else "ru"
        turn.say("lang_set")
    elif name == "start" and turn.state.get("greeted"):
        turn.say("tech_help")
    else:
        turn.state["greeted"] = True
        turn.say("tech_help")


async def _jobs(turn: Turn) -> None:
    rows = await turn.session.scalars(
        select(Request)
        .where(
            Request.assignee_id == turn.person.id,
            Request.status.in_([s.value for s in Status if s.is_open and s is not Status.DONE]),
        )
        .order_by(Request.deadline.is_(None), Request.deadline, Request.id)
        .limit(20)
    )
    jobs = list(rows)
    if not jobs:
        turn.say("jobs_empty")
        return
    turn.say("jobs")
    for request in jobs:
        view = await load_view(turn.session, request)
        message = job_card(view, turn.lang, turn.services.tz)
        turn.replies.append(message)


async def _own_request(turn: Turn, action: RequestAction) -> Request | None:
    """The technician's own job; a lifecycle button must also be for its current version,
    while writing to the resident stays possible from any of the job's messages."""
    request = await turn.session.get(Request, action.request_id)
    current = action.op == WRITE_RESIDENT or (
        request is not None and request.version == action.version
    )
    if request is None or request.assignee_id != turn.person.id or not current:
        turn.say("stale")
        return None
    return request


async def _button(turn: Turn) -> None:
    try:
        payload = decode(turn.event.payload)
    except BadPayload:
        turn.say("stale")
        return
    if isinstance(payload, Answer):
        await _answer(turn, payload)
        return
    request = await _own_request(turn, payload)
    if request is None:
        return
    turn.state.pop("pending", None)
    if payload.op == WRITE_RESIDENT:
        turn.state["pending"] = {"op": "message", "rid": request.id}
        turn.say("ask_message_resident", number=request.number)
        return
    action = ACTION_OPS.get(payload.op)
    if action is None or action not in (*_ASK_REASON, Action.ACCEPT, Action.START, Action.DONE):
        turn.say("stale")
        return
    if action in _ASK_REASON or action is Action.DONE:
        if Status(request.status) not in _sources(action):
            turn.refused(services.Refused("wrong_status"), request.status)
            return
        turn.state["pending"] = {"op": action.value, "rid": request.id, "photos": [], "text": ""}
        if action is Action.DONE:
            turn.say(
                "ask_report",
                buttons=[[answer(texts.t(turn.lang, "photos_done"), "report", "done")]],
                number=request.number,
            )
        else:
            turn.say(_ASK_REASON[action], number=request.number)
        return
    await _apply(turn, request, action, version=payload.version)


def _sources(action: Action) -> frozenset[Status]:
    from core.lifecycle import TRANSITIONS

    return TRANSITIONS[action].sources


async def _apply(
    turn: Turn,
    request: Request,
    action: Action,
    *,
    version: int | None = None,
    reason: str = "",
    until: datetime | None = None,
    photos: tuple[str, ...] = (),
) -> None:
    outcome = await turn.perform(
        services.transition(
            turn.session,
            turn.now,
            turn.person,
            request.id,
            version,
            action,
            reason=reason,
            until=until,
            photos=photos,
        ),
        request.status,
    )
    if outcome is None:
        return
    view = await load_view(turn.session, outcome.request)
    if outcome.request.status in (Status.NEW.value, Status.CANNOT_DO.value, Status.DONE.value):
        turn.say(
            "done_ok",
            number=request.number,
            status=texts.status(turn.lang, outcome.request.status),
        )
    else:
        turn.replies.append(job_card(view, turn.lang, turn.services.tz))


async def _pending(turn: Turn) -> None:
    pending = turn.state["pending"]
    request = await turn.session.get(Request, int(pending["rid"]))
    if request is None or request.assignee_id != turn.person.id:
        turn.state.pop("pending")
        turn.say("stale")
        return
    op = pending["op"]
    text = turn.text
    if op == "message":
        turn.state.pop("pending")
        sent = await turn.perform(
            services.comment(
                turn.session, turn.now, turn.person, request.id, text, turn.event.photos
            ),
            request.status,
        )
        if sent is not None:
            turn.say("message_sent")
        return
    if op == Action.DONE.value:
        await _report_input(turn, request)
        return
    if op == "postpone_date":
        until = parse_date(text, turn.now, turn.services.tz)
        if until is None or until <= turn.now:
            turn.say("bad_date")
            return
        turn.state.pop("pending")
        await _apply(turn, request, Action.POSTPONE, reason=pending["text"], until=until)
        return
    if len(text) < 2:
        turn.say(_ASK_REASON[Action(op)], number=request.number)
        return
    if op == Action.POSTPONE.value:
        pending["text"] = text
        pending["op"] = "postpone_date"
        _ask_date(turn)
        return
    turn.state.pop("pending")
    await _apply(turn, request, Action(op), reason=text)


def _ask_date(turn: Turn) -> None:
    local = turn.now.astimezone(turn.services.tz)
    options = [("tomorrow", 1), ("day_after", 2), ("in_week", 7)]
    keyboard = [
        [
            answer(
                texts.t(turn.lang, key),
                "date",
                datetime.combine(local.date() + timedelta(days=days), time(10)).strftime(
                    "%Y%m%d%H%M"
                ),
            )
            for key, days in options
        ]
    ]
    turn.say("ask_postpone_date", buttons=keyboard)


async def _report_input(turn: Turn, request: Request) -> None:
    pending = turn.state["pending"]
    low = normalize(turn.text).strip(" .!")
    if turn.event.photos:
        photos: list[str] = pending["photos"]
        for sha in turn.event.photos:
            if sha not in photos and len(photos) < turn.services.settings.max_photos_per_request:
                photos.append(sha)
        if turn.text:
            pending["text"] = (pending["text"] + "\n" + turn.text).strip()
        turn.say("report_photo_added", count=len(photos), buttons=_report_buttons(turn))
        return
    if low in _DONE_WORDS:
        await _finish_report(turn, request)
        return
    if turn.text:
        pending["text"] = (pending["text"] + "\n" + turn.text).strip()
        turn.say("report_comment_added", buttons=_report_buttons(turn))


def _report_buttons(turn: Turn) -> list[list[Button]]:
    return [[answer(texts.t(turn.lang, "photos_done"), "report", "done")]]


async def _finish_report(turn: Turn, request: Request) -> None:
    pending = turn.state["pending"]
    if not pending["photos"] and not pending["text"]:
        turn.say("report_empty")
        return
    turn.state.pop("pending")
    await _apply(
        turn,
        request,
        Action.DONE,
        reason=pending["text"],
        photos=tuple(pending["photos"]),
    )


async def _answer(turn: Turn, payload: Answer) -> None:
    pending = turn.state.get("pending")
    if not pending:
        turn.say("stale")
        return
    request = await turn.session.get(Request, int(pending["rid"]))
    if request is None or request.assignee_id != turn.person.id:
        turn.state.pop("pending")
        turn.say("stale")
        return
    if payload.step == "report" and pending["op"] == Action.DONE.value:
        await _finish_report(turn, request)
        return
    if payload.step == "date" and pending["op"] == "postpone_date":
        try:
            local = datetime.strptime(payload.value, "%Y%m%d%H%M").replace(tzinfo=turn.services.tz)
        except ValueError:
            turn.say("bad_date")
            return
        if local <= turn.now:
            turn.say("bad_date")
            return
        turn.state.pop("pending")
        await _apply(turn, request, Action.POSTPONE, reason=pending["text"], until=local)
        return
    turn.say("stale")
