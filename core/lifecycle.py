"""The request lifecycle: one pure table of who may do what from which status."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.model import Role, Status


class Actor(enum.StrEnum):
    """How the acting person relates to the request."""

    DISPATCHER = "dispatcher"  # dispatchers and admins
    ASSIGNEE = "assignee"  # the technician the request is assigned to
    REPORTER = "reporter"  # a resident who reported it


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
    Action.CONFIRM: Rule(frozenset({S.DONE}), S.CLOSED, frozenset({Actor.REPORTER})),
    Action.REOPEN: Rule(frozenset({S.DONE}), S.REOPENED, frozenset({Actor.REPORTER})),
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
        frozenset({Actor.REPORTER}),
    ),
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
    role: Role, *, person_id: int, assignee_id: int | None, reporter_ids: frozenset[int]
) -> frozenset[Actor]:
    actors: set[Actor] = set()
    if role in (Role.DISPATCHER, Role.ADMIN):
        actors.add(Actor.DISPATCHER)
    if role is Role.TECHNICIAN and assignee_id == person_id:
        actors.add(Actor.ASSIGNEE)
    if person_id in reporter_ids:
        actors.add(Actor.REPORTER)
    return frozenset(actors)


def check(action: Action, status: Status, actors: frozenset[Actor], reason: str = "") -> Status:
    """Return the status ``action`` leads to, or raise :class:`TransitionRefused`."""
    rule = TRANSITIONS[action]
    if not rule.actors & actors:
        raise TransitionRefused("not_allowed")
    if status not in rule.sources:
        raise TransitionRefused("wrong_status")
    if action in NEEDS_REASON and not reason.strip():
        raise TransitionRefused("reason_required")
    return rule.target


def allowed_actions(status: Status, actors: frozenset[Actor]) -> list[Action]:
    """Actions these actors may take now, in table order (for building buttons)."""
    return [
        action
        for action, rule in TRANSITIONS.items()
        if status in rule.sources and rule.actors & actors
    ]
