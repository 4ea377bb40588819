"""The request lifecycle: one pure table of who may do what from which status.

Residents relate to a request in one of two ways.  Its *author* filed it and decides
for it: cancel, confirm, reopen, rate.  A *co-reporter* joined it (the same outage
seen from another flat) and follows it: they get its status notices and may add a
comment or photo for the staff, but decide nothing, because the request, its words
and its outcome are the author's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.model import Role, Status


class Actor(enum.StrEnum):
    """How the acting person relates to the request."""

    DISPATCHER = "dispatcher"  # dispatchers and admins
    ASSIGNEE = "assignee"  # the technician the request is assigned to
    AUTHOR = "author"  # the person who filed it
    CO_REPORTER = "co_reporter"  # a resident who joined it: follows and adds, decides nothing


class Action(enum.StrEnum):
    ASSIGN = "assign"
    ACCEPT = "accept"
    DECLINE = "decline"
    START = "start"
    POSTPONE = "postpone"
    CANNOT_DO = "cannot_do"
    DONE = "done"
    CONFIRM = "confirm"
    REOPEN = "reopen"
    CLOSE = "close"
    REJECT = "reject"
    CANCEL = "cancel"
    LOCALISE = "localise"
    RESTORE = "restore"


class Stage(enum.StrEnum):
    """The stages of an emergency (ПП РФ №416 п.13), reached in this order."""

    ACCEPTED = "accepted"
    ARRIVED = "arrived"
    LOCALISED = "localised"
    RESTORED = "restored"
    REPAIRED = "repaired"

    @property
    def rank(self) -> int:
        return list(Stage).index(self)


@dataclass(frozen=True, slots=True)
class Rule:
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Actor]


S = Status
_WORKING = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.POSTPONED})

TRANSITIONS: dict[Action, Rule] = {
    Action.ASSIGN: Rule(
        frozenset({S.NEW, S.ASSIGNED, S.CANNOT_DO, S.REOPENED}) | _WORKING,
        S.ASSIGNED,
        frozenset({Actor.DISPATCHER}),
    ),
    Action.ACCEPT: Rule(
        frozenset({S.ASSIGNED, S.REOPENED}), S.ACCEPTED, frozenset({Actor.ASSIGNEE})
    ),
    Action.DECLINE: Rule(frozenset({S.ASSIGNED}), S.NEW, frozenset({Actor.ASSIGNEE})),
    Action.START: Rule(
        frozenset({S.ACCEPTED, S.POSTPONED, S.REOPENED}), S.IN_PROGRESS, frozenset({Actor.ASSIGNEE})
    ),
    Action.POSTPONE: Rule(
        frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.POSTPONED, frozenset({Actor.ASSIGNEE})
    ),
    Action.CANNOT_DO: Rule(_WORKING | {S.REOPENED}, S.CANNOT_DO, frozenset({Actor.ASSIGNEE})),
    Action.DONE: Rule(frozenset({S.IN_PROGRESS}), S.DONE, frozenset({Actor.ASSIGNEE})),
    Action.CONFIRM: Rule(frozenset({S.DONE}), S.CLOSED, frozenset({Actor.AUTHOR})),
    Action.REOPEN: Rule(frozenset({S.DONE}), S.REOPENED, frozenset({Actor.AUTHOR})),
    Action.CLOSE: Rule(
        frozenset(s for s in Status if s.is_open), S.CLOSED, frozenset({Actor.DISPATCHER})
    ),
    Action.REJECT: Rule(
        frozenset({S.NEW, S.ASSIGNED, S.CANNOT_DO, S.REOPENED}) | _WORKING,
        S.REJECTED,
        frozenset({Actor.DISPATCHER}),
    ),
    Action.CANCEL: Rule(
        frozenset({S.NEW, S.ASSIGNED, S.ACCEPTED, S.POSTPONED, S.CANNOT_DO}),
        S.CANCELLED,
        frozenset({Actor.AUTHOR}),
    ),
    # An emergency's middle stages: the job stays in progress while its stage moves on.
    Action.LOCALISE: Rule(frozenset({S.IN_PROGRESS}), S.IN_PROGRESS, frozenset({Actor.ASSIGNEE})),
    Action.RESTORE: Rule(frozenset({S.IN_PROGRESS}), S.IN_PROGRESS, frozenset({Actor.ASSIGNEE})),
}

#: The stage of an emergency each action reaches: accepting, starting on site (arrival),
#: localising, restoring the supply, and the repair (done).
STAGE_OF: dict[Action, Stage] = {
    Action.ACCEPT: Stage.ACCEPTED,
    Action.START: Stage.ARRIVED,
    Action.LOCALISE: Stage.LOCALISED,
    Action.RESTORE: Stage.RESTORED,
    Action.DONE: Stage.REPAIRED,
}
#: Actions only an emergency has, and the stage each must follow.
STAGE_STEPS: dict[Action, Stage] = {
    Action.LOCALISE: Stage.ARRIVED,
    Action.RESTORE: Stage.LOCALISED,
}


class Right(enum.StrEnum):
    """What may be done to a request without changing its status."""

    COMMENT = "comment"
    RATE = "rate"


RIGHTS: dict[Right, tuple[frozenset[Status], frozenset[Actor]]] = {
    Right.COMMENT: (frozenset(s for s in Status if s.is_open), frozenset(Actor)),
    Right.RATE: (frozenset({S.CLOSED}), frozenset({Actor.AUTHOR})),
}

#: Actions that must carry a reason or comment.
NEEDS_REASON = frozenset(
    {Action.DECLINE, Action.POSTPONE, Action.CANNOT_DO, Action.REOPEN, Action.REJECT}
)


class TransitionRefused(Exception):
    """An action is not allowed; ``reason`` is a machine-readable code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def actors_for(
    role: Role,
    *,
    person_id: int,
    assignee_id: int | None,
    author_id: int,
    reporter_ids: frozenset[int],
) -> frozenset[Actor]:
    """How a person relates to a request: ``author_id`` filed it, ``reporter_ids`` are
    everyone who reported it (the author and those who joined)."""
    actors: set[Actor] = set()
    if role in (Role.DISPATCHER, Role.ADMIN):
        actors.add(Actor.DISPATCHER)
    if role is Role.TECHNICIAN and assignee_id == person_id:
        actors.add(Actor.ASSIGNEE)
    if person_id == author_id:
        actors.add(Actor.AUTHOR)
    elif person_id in reporter_ids:
        actors.add(Actor.CO_REPORTER)
    return frozenset(actors)


def refusal(
    what: Action | Right,
    status: Status,
    actors: frozenset[Actor],
    *,
    emergency: bool = False,
    stage: str = "",
) -> str | None:
    """Why these actors may not do ``what`` now (a machine-readable code), or None.

    A co-reporter asking for the author's decision gets its own code, so they are told
    who decides rather than a bare "not allowed".  The emergency's own steps need an
    emergency at the stage before them (``stage``: the request's current one, "" none)."""
    if isinstance(what, Right):
        sources, allowed = RIGHTS[what]
    else:
        sources, allowed = TRANSITIONS[what].sources, TRANSITIONS[what].actors
    if not allowed & actors:
        if Actor.CO_REPORTER in actors and Actor.AUTHOR in allowed:
            return "not_author"
        return "not_allowed"
    if status not in sources:
        return "wrong_status"
    if isinstance(what, Action) and what in STAGE_STEPS:
        if not emergency:
            return "not_emergency"
        if stage != STAGE_STEPS[what].value:
            return "wrong_stage"
    return None


def next_stage(current: str, reached: Stage) -> str:
    """The stage after reaching ``reached`` from ``current``: stages never go back (a
    job handed to another technician after localisation stays localised)."""
    if current and Stage(current).rank > reached.rank:
        return current
    return reached.value


def permit(right: Right, status: Status, actors: frozenset[Actor]) -> None:
    """Raise :class:`TransitionRefused` unless these actors have ``right`` now."""
    reason = refusal(right, status, actors)
    if reason is not None:
        raise TransitionRefused(reason)


def check(
    action: Action,
    status: Status,
    actors: frozenset[Actor],
    reason: str = "",
    *,
    emergency: bool = False,
    stage: str = "",
) -> Status:
    """Return the status ``action`` leads to, or raise :class:`TransitionRefused`."""
    refused = refusal(action, status, actors, emergency=emergency, stage=stage)
    if refused is not None:
        raise TransitionRefused(refused)
    if action in NEEDS_REASON and not reason.strip():
        raise TransitionRefused("reason_required")
    return TRANSITIONS[action].target


def allowed_actions(
    status: Status, actors: frozenset[Actor], *, emergency: bool = False, stage: str = ""
) -> list[Action]:
    """Actions these actors may take now, in table order (for building buttons)."""
    return [
        action
        for action in TRANSITIONS
        if refusal(action, status, actors, emergency=emergency, stage=stage) is None
    ]
