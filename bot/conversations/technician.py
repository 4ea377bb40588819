"""The technician's dialogue: run jobs from the job card's buttons."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from bot import texts
from bot.buttons import ACTION_OPS, WRITE_RESIDENT, answer
from bot.conversations.common import future_moment, parse_command, say_unsupported
from bot.conversations.state import AskingState, Pending
from bot.conversations.turn import Turn
from bot.notices import job_card
from bot.parsing import date_example, normalize, parse_date
from bot.views import load_view
from core import services
from core.channel import Button, EventKind
from core.lifecycle import TRANSITIONS, Action
from core.model import Status
from core.payloads import Answer, BadPayload, RequestAction, decode
from core.storage.tables import Request

_DONE_WORDS = {"готово", "done", "всё", "все", "отправить"}


class Question(enum.StrEnum):
    """What a technician was asked about one job and answers by typing."""

    MESSAGE = "message"  # the words for the resident
    DECLINE = Action.DECLINE.value  # why not
    POSTPONE = Action.POSTPONE.value  # why postpone (then: until when)
    POSTPONE_DATE = "postpone_date"
    CANNOT_DO = Action.CANNOT_DO.value  # why it cannot be done
    DONE = Action.DONE.value  # the report: photos and words, until "done"


#: The actions asked about before they are applied, and the text of each question.
_ASK_REASON = {
    Action.DECLINE: "ask_decline_reason",
    Action.POSTPONE: "ask_postpone_reason",
    Action.CANNOT_DO: "ask_cannot_do_reason",
}


#: The actions a press applies at once.
_DIRECT = (Action.ACCEPT, Action.START, Action.LOCALISE, Action.RESTORE)


@dataclass(slots=True)
class TechnicianState(AskingState[Question]):
    QUESTIONS = Question


TechnicianTurn = Turn[TechnicianState]


async def handle(turn: TechnicianTurn) -> None:
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
    if turn.state.pending is not None:
        await _pending(turn)
        return
    turn.say("tech_help")


async def _command(turn: TechnicianTurn, name: str) -> None:
    if name == "cancel":
        had = turn.state.pending is not None
        turn.state.pending = None
        turn.say("cancelled_input" if had else "nothing_to_cancel")
    elif name == "jobs":
        await _jobs(turn)
    elif name == "lang":
        turn.state.lang = turn.person.language = "en" if turn.lang == "ru" else "ru"
        turn.say("lang_set")
    elif name == "start" and turn.state.greeted:
        turn.say("tech_help")
    else:
        turn.state.greeted = True
        turn.say("tech_help")


async def _jobs(turn: TechnicianTurn) -> None:
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


async def _own_request(turn: TechnicianTurn, action: RequestAction) -> Request | None:
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


async def _button(turn: TechnicianTurn) -> None:
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
    turn.state.pending = None
    if payload.op == WRITE_RESIDENT:
        turn.state.pending = Pending(Question.MESSAGE, request.id)
        turn.say("ask_message_resident", number=request.number)
        return
    action = ACTION_OPS.get(payload.op)
    if action is None or action not in (*_ASK_REASON, *_DIRECT, Action.DONE):
        turn.say("stale")
        return
    if action in _ASK_REASON or action is Action.DONE:
        if Status(request.status) not in TRANSITIONS[action].sources:
            turn.refused(services.Refused("wrong_status"), request.status)
            return
        turn.state.pending = Pending(Question(action.value), request.id)
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


async def _apply(
    turn: TechnicianTurn,
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
    if action is Action.DECLINE:
        turn.say("declined_ok", number=request.number)
    elif outcome.request.status == Status.CANNOT_DO.value:
        turn.say("cannot_do_ok", number=request.number)
    elif outcome.request.status in (Status.NEW.value, Status.DONE.value):
        turn.say(
            "done_ok",
            number=request.number,
            status=texts.status(turn.lang, outcome.request.status),
        )
    else:
        turn.replies.append(job_card(view, turn.lang, turn.services.tz))


async def _job_asked_about(turn: TechnicianTurn) -> Request | None:
    """The job the pending question is about, while it is still this technician's."""
    pending = turn.state.pending
    assert pending is not None
    request = await turn.session.get(Request, pending.request_id)
    if request is None or request.assignee_id != turn.person.id:
        turn.state.pending = None
        turn.say("stale")
        return None
    return request


async def _pending(turn: TechnicianTurn) -> None:
    """Typed text or photos answering the question asked about a job."""
    request = await _job_asked_about(turn)
    if request is not None:
        assert turn.state.pending is not None
        await _TAKE_TYPED[turn.state.pending.op](turn, request)


async def _message(turn: TechnicianTurn, request: Request) -> None:
    turn.state.pending = None
    if await turn.comment(request):
        turn.say("message_sent")


async def _reason(turn: TechnicianTurn, request: Request) -> None:
    pending = turn.state.pending
    assert pending is not None
    action = Action(pending.op.value)
    if len(turn.text) < 2:
        turn.say(_ASK_REASON[action], number=request.number)
        return
    if action is Action.POSTPONE:
        pending.text = turn.text
        pending.op = Question.POSTPONE_DATE
        _ask_date(turn)
        return
    turn.state.pending = None
    await _apply(turn, request, action, reason=turn.text)


async def _postpone_date(turn: TechnicianTurn, request: Request) -> None:
    until = parse_date(turn.text, turn.now, turn.services.tz)
    await _postpone_until(turn, request, until)


async def _postpone_until(turn: TechnicianTurn, request: Request, until: datetime | None) -> None:
    pending = turn.state.pending
    assert pending is not None
    until = future_moment(turn, until)
    if until is None:
        return
    turn.state.pending = None
    await _apply(turn, request, Action.POSTPONE, reason=pending.text, until=until)


def _ask_date(turn: TechnicianTurn) -> None:
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
    turn.say(
        "ask_postpone_date", buttons=keyboard, example=date_example(turn.now, turn.services.tz)
    )


async def _report_input(turn: TechnicianTurn, request: Request) -> None:
    pending = turn.state.pending
    assert pending is not None
    low = normalize(turn.text).strip(" .!")
    if turn.event.photos:
        photos = pending.photos
        for sha in turn.event.photos:
            if sha not in photos and len(photos) < turn.services.settings.max_photos_per_request:
                photos.append(sha)
        if turn.text:
            pending.text = (pending.text + "\n" + turn.text).strip()
        turn.say("report_photo_added", count=len(photos), buttons=_report_buttons(turn))
        return
    if low in _DONE_WORDS:
        await _finish_report(turn, request)
        return
    if turn.text:
        pending.text = (pending.text + "\n" + turn.text).strip()
        turn.say("report_comment_added", buttons=_report_buttons(turn))


def _report_buttons(turn: TechnicianTurn) -> list[list[Button]]:
    return [[answer(texts.t(turn.lang, "photos_done"), "report", "done")]]


async def _finish_report(turn: TechnicianTurn, request: Request) -> None:
    pending = turn.state.pending
    assert pending is not None
    if not pending.photos and not pending.text:
        turn.say("report_empty")
        return
    turn.state.pending = None
    await _apply(turn, request, Action.DONE, reason=pending.text, photos=tuple(pending.photos))


async def _answer(turn: TechnicianTurn, payload: Answer) -> None:
    """A button answering the question asked about a job (the report's "done", a date)."""
    pending = turn.state.pending
    if pending is None:
        turn.say("stale")
        return
    request = await _job_asked_about(turn)
    if request is None:
        return
    if payload.step == "report" and pending.op is Question.DONE:
        await _finish_report(turn, request)
    elif payload.step == "date" and pending.op is Question.POSTPONE_DATE:
        try:
            local = datetime.strptime(payload.value, "%Y%m%d%H%M")
        except ValueError:
            turn.say("bad_date", example=date_example(turn.now, turn.services.tz))
            return
        await _postpone_until(turn, request, local.replace(tzinfo=turn.services.tz))
    else:
        turn.say("stale")


_TAKE_TYPED: dict[Question, Callable[[TechnicianTurn, Request], Awaitable[None]]] = {
    Question.MESSAGE: _message,
    Question.DECLINE: _reason,
    Question.POSTPONE: _reason,
    Question.CANNOT_DO: _reason,
    Question.POSTPONE_DATE: _postpone_date,
    Question.DONE: _report_input,
}
