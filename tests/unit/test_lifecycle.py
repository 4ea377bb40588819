"""The lifecycle table, checked against an independent statement of the rules."""

from __future__ import annotations

import itertools

import pytest

from core.lifecycle import (
    NEEDS_REASON,
    RIGHTS,
    STAGE_OF,
    TRANSITIONS,
    Action,
    Actor,
    Right,
    Stage,
    TransitionRefused,
    actors_for,
    allowed_actions,
    check,
    next_stage,
    permit,
    refusal,
)
from core.model import Role, Status

A, S = Action, Status
D, T, R, C = Actor.DISPATCHER, Actor.ASSIGNEE, Actor.AUTHOR, Actor.CO_REPORTER
OPEN = {s for s in Status if s not in {S.CLOSED, S.REJECTED, S.CANCELLED}}
DISPATCHABLE = {
    S.NEW,
    S.ASSIGNED,
    S.ACCEPTED,
    S.IN_PROGRESS,
    S.POSTPONED,
    S.CANNOT_DO,
    S.REOPENED,
}

# Written out by hand from the design, not derived from TRANSITIONS.
EXPECTED: dict[Action, tuple[set[Status], Status, Actor]] = {
    A.ASSIGN: (DISPATCHABLE, S.ASSIGNED, D),
    A.ACCEPT: ({S.ASSIGNED, S.REOPENED}, S.ACCEPTED, T),
    A.DECLINE: ({S.ASSIGNED}, S.NEW, T),
    A.START: ({S.ACCEPTED, S.POSTPONED, S.REOPENED}, S.IN_PROGRESS, T),
    A.POSTPONE: ({S.ACCEPTED, S.IN_PROGRESS}, S.POSTPONED, T),
    A.CANNOT_DO: ({S.ACCEPTED, S.IN_PROGRESS, S.POSTPONED, S.REOPENED}, S.CANNOT_DO, T),
    A.DONE: ({S.IN_PROGRESS}, S.DONE, T),
    A.CONFIRM: ({S.DONE}, S.CLOSED, R),
    A.REOPEN: ({S.DONE}, S.REOPENED, R),
    A.CLOSE: (OPEN, S.CLOSED, D),
    A.REJECT: (DISPATCHABLE, S.REJECTED, D),
    A.CANCEL: ({S.NEW, S.ASSIGNED, S.ACCEPTED, S.POSTPONED, S.CANNOT_DO}, S.CANCELLED, R),
    A.LOCALISE: ({S.IN_PROGRESS}, S.IN_PROGRESS, T),
    A.RESTORE: ({S.IN_PROGRESS}, S.IN_PROGRESS, T),
}
#: The stage each emergency-only action must follow, by hand.
STAGE_BEFORE = {A.LOCALISE: "arrived", A.RESTORE: "localised"}
REASONED = {A.DECLINE, A.POSTPONE, A.CANNOT_DO, A.REOPEN, A.REJECT}


def go(action: Action, status: Status, *actors: Actor, reason: str = "because") -> Status:
    """Apply ``action`` to an emergency at the stage the action follows."""
    stage = STAGE_BEFORE.get(action, "")
    return check(action, status, frozenset(actors), reason, emergency=True, stage=stage)


def test_every_action_is_in_the_table() -> None:
    assert set(TRANSITIONS) == set(Action) == set(EXPECTED)
    assert set(NEEDS_REASON) == REASONED


@pytest.mark.parametrize(
    ("action", "status", "actor"), list(itertools.product(Action, Status, Actor))
)
def test_every_combination(action: Action, status: Status, actor: Actor) -> None:
    sources, target, allowed_actor = EXPECTED[action]
    if actor is not allowed_actor:
        with pytest.raises(TransitionRefused) as refused:
            go(action, status, actor)
        # A co-reporter asking for the author's decision is told who decides.
        expected = "not_author" if (actor, allowed_actor) == (C, R) else "not_allowed"
        assert refused.value.reason == expected
    elif status not in sources:
        with pytest.raises(TransitionRefused) as refused:
            go(action, status, actor)
        assert refused.value.reason == "wrong_status"
    else:
        assert go(action, status, actor) == target


@pytest.mark.parametrize(("action", "status"), list(itertools.product(Action, Status)))
def test_nobody_may_do_anything(action: Action, status: Status) -> None:
    with pytest.raises(TransitionRefused, match="not_allowed"):
        go(action, status)


@pytest.mark.parametrize("status", [S.CLOSED, S.REJECTED, S.CANCELLED])
def test_final_statuses_are_final(status: Status) -> None:
    assert allowed_actions(status, frozenset(Actor)) == []


@pytest.mark.parametrize("action", sorted(REASONED))
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reason_is_required(action: Action, reason: str) -> None:
    sources, _, actor = EXPECTED[action]
    status = sorted(sources)[0]
    with pytest.raises(TransitionRefused) as refused:
        go(action, status, actor, reason=reason)
    assert refused.value.reason == "reason_required"
    assert str(refused.value) == "reason_required"


@pytest.mark.parametrize("action", sorted(set(Action) - REASONED))
def test_other_actions_need_no_reason(action: Action) -> None:
    sources, target, actor = EXPECTED[action]
    for status in sources:
        assert go(action, status, actor, reason="") == target


def test_role_and_status_are_checked_before_the_reason() -> None:
    with pytest.raises(TransitionRefused, match="not_allowed"):
        go(A.REJECT, S.NEW, R, reason="")
    with pytest.raises(TransitionRefused, match="wrong_status"):
        go(A.REJECT, S.DONE, D, reason="")


def test_happy_path() -> None:
    status = S.NEW
    for action, actor, expected in [
        (A.ASSIGN, D, S.ASSIGNED),
        (A.ACCEPT, T, S.ACCEPTED),
        (A.START, T, S.IN_PROGRESS),
        (A.DONE, T, S.DONE),
        (A.CONFIRM, R, S.CLOSED),
    ]:
        status = go(action, status, actor)
        assert status is expected
    assert not status.is_open


def test_postpone_and_back() -> None:
    status = go(A.POSTPONE, S.ACCEPTED, T, reason="no parts until Monday")
    assert status is S.POSTPONED
    assert go(A.START, status, T) is S.IN_PROGRESS
    assert go(A.POSTPONE, S.IN_PROGRESS, T, reason="again") is S.POSTPONED
    with pytest.raises(TransitionRefused, match="wrong_status"):
        go(A.POSTPONE, S.POSTPONED, T, reason="twice")
    with pytest.raises(TransitionRefused, match="wrong_status"):
        go(A.DONE, S.POSTPONED, T)


def test_cannot_do_then_reassign() -> None:
    status = go(A.CANNOT_DO, S.IN_PROGRESS, T, reason="needs an electrician")
    assert status is S.CANNOT_DO
    assert allowed_actions(status, frozenset({T})) == []
    assert go(A.ASSIGN, status, D) is S.ASSIGNED


def test_reopen_then_start_then_done() -> None:
    status = go(A.REOPEN, S.DONE, R, reason="still leaking")
    assert status is S.REOPENED
    assert go(A.START, status, T) is S.IN_PROGRESS
    assert go(A.ACCEPT, status, T) is S.ACCEPTED
    assert go(A.DONE, go(A.START, status, T), T) is S.DONE


def test_decline_goes_back_to_new() -> None:
    assert go(A.DECLINE, S.ASSIGNED, T, reason="on vacation") is S.NEW


def test_reject_and_cancel() -> None:
    assert go(A.REJECT, S.NEW, D, reason="not our building") is S.REJECTED
    assert go(A.CANCEL, S.NEW, R) is S.CANCELLED
    with pytest.raises(TransitionRefused, match="wrong_status"):
        go(A.CANCEL, S.IN_PROGRESS, R)
    with pytest.raises(TransitionRefused, match="not_allowed"):
        go(A.CANCEL, S.NEW, D)
    with pytest.raises(TransitionRefused, match="not_allowed"):
        go(A.REJECT, S.NEW, T, reason="x")


def test_one_person_with_several_hats() -> None:
    # A dispatcher who also reported the request may confirm it and may close it.
    both = frozenset({D, R})
    assert go(A.CONFIRM, S.DONE, *both) is S.CLOSED
    assert go(A.CLOSE, S.DONE, *both) is S.CLOSED


# -- actors_for ---------------------------------------------------------------


def actors(role: Role, person: int = 1, assignee: int | None = None, reporters=(), author: int = 0):
    return actors_for(
        role,
        person_id=person,
        assignee_id=assignee,
        author_id=author,
        reporter_ids=frozenset(reporters),
    )


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.ADMIN])
def test_dispatchers_and_admins_act_as_dispatcher(role: Role) -> None:
    assert actors(role) == {D}
    assert actors(role, assignee=1) == {D}  # never the assignee, even when named as one


def test_technician_is_assignee_only_of_own_requests() -> None:
    assert actors(Role.TECHNICIAN, person=7, assignee=7) == {T}
    assert actors(Role.TECHNICIAN, person=7, assignee=8) == frozenset()
    assert actors(Role.TECHNICIAN, person=7, assignee=None) == frozenset()


def test_who_filed_is_the_author_who_joined_is_a_co_reporter() -> None:
    assert actors(Role.RESIDENT, person=3, reporters={3, 4}, author=3) == {R}
    assert actors(Role.RESIDENT, person=4, reporters={3, 4}, author=3) == {C}
    assert actors(Role.RESIDENT, person=5, reporters={3, 4}, author=3) == frozenset()
    # the author counts as the author even where the reporters' list misses them
    assert actors(Role.RESIDENT, person=3, reporters=(), author=3) == {R}
    # a resident wrongly set as assignee still gets no technician powers
    assert actors(Role.RESIDENT, person=3, assignee=3, author=9) == frozenset()


def test_staff_who_reported_is_also_author_or_co_reporter() -> None:
    assert actors(Role.TECHNICIAN, person=2, assignee=2, reporters={2}, author=2) == {T, R}
    assert actors(Role.DISPATCHER, person=2, reporters={2}, author=2) == {D, R}
    assert actors(Role.DISPATCHER, person=2, reporters={1, 2}, author=1) == {D, C}


def test_returns_frozenset() -> None:
    assert isinstance(actors(Role.ADMIN), frozenset)


# -- allowed_actions ----------------------------------------------------------


@pytest.mark.parametrize(("status", "actor"), list(itertools.product(Status, Actor)))
def test_allowed_actions_agree_with_check(status: Status, actor: Actor) -> None:
    expected = [
        a
        for a in Action
        if status in EXPECTED[a][0] and EXPECTED[a][2] is actor and a not in STAGE_BEFORE
    ]
    assert allowed_actions(status, frozenset({actor})) == expected


def test_allowed_actions_examples() -> None:
    assert allowed_actions(S.ASSIGNED, frozenset({T})) == [A.ACCEPT, A.DECLINE]
    assert allowed_actions(S.IN_PROGRESS, frozenset({T})) == [A.POSTPONE, A.CANNOT_DO, A.DONE]
    assert allowed_actions(S.DONE, frozenset({R})) == [A.CONFIRM, A.REOPEN]
    assert allowed_actions(S.DONE, frozenset({D})) == [A.CLOSE]
    assert allowed_actions(S.NEW, frozenset({D})) == [A.ASSIGN, A.CLOSE, A.REJECT]
    assert allowed_actions(S.NEW, frozenset()) == []


def test_allowed_actions_for_several_actors_is_the_union_in_table_order() -> None:
    union = allowed_actions(S.ASSIGNED, frozenset({D, T, R}))
    assert union == [A.ASSIGN, A.ACCEPT, A.DECLINE, A.CLOSE, A.REJECT, A.CANCEL]
    assert union == [a for a in TRANSITIONS if a in union]


# -- co-reporters follow and add, the author decides ---------------------------

AUTHORS_DECISIONS = {A.CANCEL, A.CONFIRM, A.REOPEN}


def test_the_author_decides_exactly_cancel_confirm_reopen_and_rating() -> None:
    assert {a for a, (_, _, actor) in EXPECTED.items() if actor is R} == AUTHORS_DECISIONS
    assert {right for right, (_, who) in RIGHTS.items() if R in who} == set(Right)
    assert {right for right, (_, who) in RIGHTS.items() if C in who} == {Right.COMMENT}


@pytest.mark.parametrize("status", list(Status))
def test_a_co_reporter_may_change_nothing(status: Status) -> None:
    assert allowed_actions(status, frozenset({C})) == []
    for action in AUTHORS_DECISIONS:
        assert refusal(action, status, frozenset({C})) == "not_author"
        with pytest.raises(TransitionRefused, match="not_author"):
            go(action, status, C, reason="it's fixed at my place")


@pytest.mark.parametrize("action", sorted(AUTHORS_DECISIONS))
def test_the_author_still_decides_where_the_table_allows(action: Action) -> None:
    sources, target, _ = EXPECTED[action]
    for status in sources:
        assert go(action, status, R) is target
        assert refusal(action, status, frozenset({R})) is None
        # being also a co-reporter elsewhere never takes the author's right away
        assert go(action, status, R, C) is target


def test_a_dispatcher_who_joined_closes_as_staff_but_does_not_confirm() -> None:
    hats = frozenset({D, C})
    assert go(A.CLOSE, S.DONE, *hats) is S.CLOSED
    with pytest.raises(TransitionRefused, match="not_author"):
        go(A.CONFIRM, S.DONE, *hats)


@pytest.mark.parametrize("status", list(Status))
def test_comment_is_for_everyone_involved_while_open(status: Status) -> None:
    for actor in Actor:
        expected = None if status.is_open else "wrong_status"
        assert refusal(Right.COMMENT, status, frozenset({actor})) == expected
    assert refusal(Right.COMMENT, status, frozenset()) == "not_allowed"


@pytest.mark.parametrize("status", list(Status))
def test_only_the_author_rates_and_only_once_closed(status: Status) -> None:
    author = refusal(Right.RATE, status, frozenset({R}))
    assert author == (None if status is S.CLOSED else "wrong_status")
    assert refusal(Right.RATE, status, frozenset({C})) == "not_author"
    for staff in (D, T):
        assert refusal(Right.RATE, status, frozenset({staff})) == "not_allowed"
    assert refusal(Right.RATE, status, frozenset()) == "not_allowed"


def test_permit_raises_the_refusal() -> None:
    permit(Right.RATE, S.CLOSED, frozenset({R}))
    with pytest.raises(TransitionRefused, match="not_author"):
        permit(Right.RATE, S.CLOSED, frozenset({C}))
    with pytest.raises(TransitionRefused, match="wrong_status"):
        permit(Right.COMMENT, S.CANCELLED, frozenset({C}))


# -- the emergency's stages ---------------------------------------------------


@pytest.mark.parametrize("action", sorted(STAGE_BEFORE))
def test_stage_steps_are_for_emergencies_only(action: Action) -> None:
    with pytest.raises(TransitionRefused, match="not_emergency"):
        check(action, S.IN_PROGRESS, frozenset({T}), stage=STAGE_BEFORE[action])


@pytest.mark.parametrize("action", sorted(STAGE_BEFORE))
@pytest.mark.parametrize("stage", ["", *[s.value for s in Stage]])
def test_stage_steps_follow_their_stage(action: Action, stage: str) -> None:
    """Localised only after arrival, restored only after localisation: a forged or
    repeated press changes nothing."""
    actors = frozenset({T})
    if stage == STAGE_BEFORE[action]:
        assert check(action, S.IN_PROGRESS, actors, emergency=True, stage=stage) == S.IN_PROGRESS
    else:
        with pytest.raises(TransitionRefused, match="wrong_stage"):
            check(action, S.IN_PROGRESS, actors, emergency=True, stage=stage)


def test_the_technician_buttons_walk_the_stages_in_order() -> None:
    actors = frozenset({T})
    shown = [
        [
            a
            for a in allowed_actions(S.IN_PROGRESS, actors, emergency=True, stage=stage)
            if a in (A.LOCALISE, A.RESTORE)
        ]
        for stage in ("arrived", "localised", "restored")
    ]
    assert shown == [[A.LOCALISE], [A.RESTORE], []]
    assert A.LOCALISE not in allowed_actions(S.IN_PROGRESS, actors, stage="arrived")


def test_stages_never_go_back() -> None:
    assert [STAGE_OF[a] for a in (A.ACCEPT, A.START, A.LOCALISE, A.RESTORE, A.DONE)] == list(Stage)
    assert next_stage("", Stage.ACCEPTED) == "accepted"
    assert next_stage("localised", Stage.ACCEPTED) == "localised"
    assert next_stage("localised", Stage.ARRIVED) == "localised"
    assert next_stage("localised", Stage.RESTORED) == "restored"
