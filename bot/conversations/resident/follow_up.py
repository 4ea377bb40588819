"""Following one's requests: the list, and the buttons on them (comment, cancel, confirm or
reopen finished work, rate), with the question some of them ask before acting."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot import texts
from bot.buttons import CANCEL_OP, CONFIRM_OP, RATE, REOPEN_OP, RESIDENT_COMMENT, request_button
from bot.conversations.resident.draft import FollowUp
from bot.conversations.resident.intake import ResidentTurn
from bot.conversations.state import Pending
from bot.views import format_time
from core import services
from core.channel import Button, EventKind
from core.lifecycle import Action, Right, refusal
from core.model import Status
from core.payloads import RequestAction
from core.storage.tables import Building, Request, RequestReporter

#: What each button a resident may hold asks to do, checked against the lifecycle
#: before anything is asked or changed.
_BUTTON_RIGHTS: dict[str, Action | Right] = {
    RESIDENT_COMMENT: Right.COMMENT,
    RATE: Right.RATE,
    CANCEL_OP: Action.CANCEL,
    CONFIRM_OP: Action.CONFIRM,
    REOPEN_OP: Action.REOPEN,
}
#: The buttons that ask a question first: what is asked, and the question's text.
_ASKS: dict[str, tuple[FollowUp, str]] = {
    RESIDENT_COMMENT: (FollowUp.COMMENT, "ask_comment"),
    REOPEN_OP: (FollowUp.REOPEN, "ask_reopen_reason"),
    CANCEL_OP: (FollowUp.CANCEL, "ask_cancel_reason"),
}


async def my_requests(turn: ResidentTurn) -> None:
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
    lang = turn.lang
    lines = [texts.t(lang, "my_requests")]
    keyboard: list[list[Button]] = []
    for r in requests:
        building = await turn.session.get(Building, r.building_id)
        lines.append(
            texts.t(
                lang,
                "request_line",
                number=r.number,
                category=texts.category(lang, r.category),
                address=building.address if building else "",
                status=texts.status(lang, r.status),
                deadline=format_time(lang, r.deadline, turn.services.tz),
            )
        )
        row = [request_button(lang, "add_comment_btn", r, RESIDENT_COMMENT, number=r.number)]
        _, actors = await services.roles(turn.session, turn.person, r)
        if refusal(Action.CANCEL, Status(r.status), actors) is None:
            row.append(request_button(lang, "cancel_request_btn", r, CANCEL_OP, number=r.number))
        keyboard.append(row)
    turn.say_text("\n".join(lines), keyboard)


async def is_reporter(turn: ResidentTurn, request: Request) -> bool:
    return turn.person.id in await services.reporter_ids(turn.session, request.id)


async def request_button_pressed(turn: ResidentTurn, action: RequestAction) -> None:
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
    asks = _ASKS.get(action.op)
    if asks is None:
        await _transition(turn, request, Action.CONFIRM, version=action.version)
        return
    follow_up, question = asks
    turn.state.pending = Pending(follow_up, request.id)
    turn.say(question, number=request.number)


async def _transition(
    turn: ResidentTurn,
    request: Request,
    action: Action,
    *,
    reason: str = "",
    version: int | None = None,
) -> bool:
    outcome = await turn.perform(
        services.transition(
            turn.session, turn.now, turn.person, request.id, version, action, reason=reason
        ),
        request.status,
    )
    return outcome is not None


async def take_pending(turn: ResidentTurn) -> None:
    """The typed answer to the question a request's button asked."""
    pending = turn.state.pending
    assert pending is not None
    request = await turn.session.get(Request, pending.request_id)
    if request is None:
        turn.state.pending = None
        turn.say("not_found")
        return
    if turn.event.kind is EventKind.CONTACT:
        turn.say("use_buttons")
        return
    await _FOLLOW_UPS[pending.op](turn, request)


async def _comment(turn: ResidentTurn, request: Request) -> None:
    turn.state.pending = None
    if await turn.comment(request):
        turn.say("comment_added", number=request.number)


def _reasoned(action: Action, done: str) -> Callable[[ResidentTurn, Request], Awaitable[None]]:
    """A lifecycle action that needs the resident's reason in words."""

    async def take(turn: ResidentTurn, request: Request) -> None:
        if not turn.text:
            turn.say("description_short")
            return
        turn.state.pending = None
        if await _transition(turn, request, action, reason=turn.text):
            turn.say(done, number=request.number)

    return take


_FOLLOW_UPS: dict[FollowUp, Callable[[ResidentTurn, Request], Awaitable[None]]] = {
    FollowUp.COMMENT: _comment,
    FollowUp.REOPEN: _reasoned(Action.REOPEN, "reopened_ok"),
    FollowUp.CANCEL: _reasoned(Action.CANCEL, "request_cancelled"),
}
