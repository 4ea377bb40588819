"""Button op codes and the keyboards built from the lifecycle table."""

from __future__ import annotations

from bot import texts
from core.channel import Button
from core.lifecycle import Action, Actor, Right, allowed_actions, refusal
from core.model import Status
from core.payloads import Answer, RequestAction
from core.storage.tables import Request

#: Op codes of buttons that apply a lifecycle action directly or after a question.
ACTION_OPS: dict[str, Action] = {
    "as": Action.ASSIGN,
    "ac": Action.ACCEPT,
    "dc": Action.DECLINE,
    "st": Action.START,
    "pp": Action.POSTPONE,
    "cd": Action.CANNOT_DO,
    "dn": Action.DONE,
    "ok": Action.CONFIRM,
    "no": Action.REOPEN,
    "cl": Action.CLOSE,
    "rj": Action.REJECT,
    "cx": Action.CANCEL,
    "lc": Action.LOCALISE,
    "rs": Action.RESTORE,
}
OPS_BY_ACTION = {action: op for op, action in ACTION_OPS.items()}

ASSIGN_PICKER = "ap"
TYPE_PICKER = "tp"
SET_TYPE = "ty"
URGENCY_PICKER = "up"
SET_URGENCY = "ur"
DISPATCH_COMMENT = "cm"
SET_DEADLINE = "dl"
HISTORY = "hi"
RATE = "rt"
RESIDENT_COMMENT = "ad"
WRITE_RESIDENT = "wr"
DECLARE_INCIDENT = "ic"

_TECH_LABELS = {
    Action.ACCEPT: "btn_accept",
    Action.DECLINE: "btn_decline",
    Action.START: "btn_start",
    Action.POSTPONE: "btn_postpone",
    Action.CANNOT_DO: "btn_cannot_do",
    Action.DONE: "btn_done",
    Action.LOCALISE: "btn_localised",
    Action.RESTORE: "btn_restored",
}
#: An emergency's technician reports its stages: on site, then repaired.
_EMERGENCY_LABELS = {Action.START: "btn_arrived", Action.DONE: "btn_repaired"}


def request_button(
    lang: str, label_key: str, request: Request, op: str, arg: str = "", **kw: object
) -> Button:
    return Button(
        texts.t(lang, label_key, **kw), RequestAction(op, request.id, request.version, arg).encode()
    )


def answer(text: str, step: str, value: str) -> Button:
    return Button(text, Answer(step, value).encode())


def technician_keyboard(lang: str, request: Request) -> tuple[tuple[Button, ...], ...]:
    emergency = request.urgency == "emergency"
    actions = allowed_actions(
        Status(request.status),
        frozenset({Actor.ASSIGNEE}),
        emergency=emergency,
        stage=request.stage,
    )
    labels = {**_TECH_LABELS, **_EMERGENCY_LABELS} if emergency else _TECH_LABELS
    row = [
        request_button(lang, labels[a], request, OPS_BY_ACTION[a]) for a in actions if a in labels
    ]
    rows: list[tuple[Button, ...]] = [tuple(row[i : i + 2]) for i in range(0, len(row), 2)]
    if Status(request.status).is_open:
        rows.append((request_button(lang, "btn_write_resident", request, WRITE_RESIDENT),))
    return tuple(rows)


def card_keyboard(lang: str, request: Request) -> tuple[tuple[Button, ...], ...]:
    history = request_button(lang, "btn_history", request, HISTORY)
    if not Status(request.status).is_open:
        return ((history,),)
    return (
        (
            request_button(lang, "btn_assign", request, ASSIGN_PICKER),
            request_button(lang, "btn_type", request, TYPE_PICKER),
            request_button(lang, "btn_urgency", request, URGENCY_PICKER),
        ),
        (
            request_button(lang, "btn_comment", request, DISPATCH_COMMENT),
            request_button(lang, "btn_reject", request, OPS_BY_ACTION[Action.REJECT]),
            request_button(lang, "btn_close", request, OPS_BY_ACTION[Action.CLOSE]),
        ),
        (
            history,
            request_button(lang, "btn_incident", request, DECLARE_INCIDENT),
            request_button(lang, "btn_deadline", request, SET_DEADLINE),
        ),
    )


CONFIRM_OP = OPS_BY_ACTION[Action.CONFIRM]
REOPEN_OP = OPS_BY_ACTION[Action.REOPEN]
CANCEL_OP = OPS_BY_ACTION[Action.CANCEL]

_RESIDENT_LABELS = {Action.CONFIRM: "done_yes", Action.REOPEN: "done_no"}


def resident_keyboard(
    lang: str, request: Request, actors: frozenset[Actor]
) -> tuple[tuple[Button, ...], ...]:
    """The author's answer to finished work (confirm / reopen), for whoever may give it."""
    row = tuple(
        request_button(lang, _RESIDENT_LABELS[a], request, OPS_BY_ACTION[a])
        for a in allowed_actions(Status(request.status), actors)
        if a in _RESIDENT_LABELS
    )
    return (row,) if row else ()


def rating_keyboard(request: Request, actors: frozenset[Actor]) -> tuple[tuple[Button, ...], ...]:
    """One to five stars, for whoever may rate the request now."""
    if refusal(Right.RATE, Status(request.status), actors) is not None:
        return ()
    return (tuple(Button("★" * n, rate_payload(request, n)) for n in range(1, 6)),)


def rate_payload(request: Request, stars: int) -> str:
    return RequestAction(RATE, request.id, 0, str(stars)).encode()
